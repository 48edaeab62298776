// TF's ScatterAdd (ref variables, core/kernels/scatter_op.cc) and ResourceScatterAdd (resource
// variables, resource_variable_ops.cc): params[indices[i], ...] += updates[i, ...], rows in order.

import { scatterConfigs } from "./util/scatter-functor.js";

const configs = scatterConfigs("Add");

export const scatterAddConfig = configs.ref;
export const resourceScatterAddConfig = configs.resource;
