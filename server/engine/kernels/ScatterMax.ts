// TF's ScatterMax (ref variables, core/kernels/scatter_op.cc) and ResourceScatterMax (resource
// variables, resource_variable_ops.cc): params[indices[i], ...] = max(params[indices[i], ...], updates[i, ...]),
// rows in order.

import { scatterConfigs } from "./util/scatter-functor.js";

const configs = scatterConfigs("Max");

export const scatterMaxConfig = configs.ref;
export const resourceScatterMaxConfig = configs.resource;
