// TF's ScatterUpdate (ref variables, core/kernels/scatter_op.cc) and ResourceScatterUpdate (resource
// variables, resource_variable_ops.cc): params[indices[i], ...] = updates[i, ...], rows in order.

import { scatterConfigs } from "./util/scatter-functor.js";

const configs = scatterConfigs("Update");

export const scatterUpdateConfig = configs.ref;
export const resourceScatterUpdateConfig = configs.resource;
