// TF's ScatterMin (ref variables, core/kernels/scatter_op.cc) and ResourceScatterMin (resource
// variables, resource_variable_ops.cc): params[indices[i], ...] = min(params[indices[i], ...], updates[i, ...]),
// rows in order.

import { scatterConfigs } from "./util/scatter-functor.js";

const configs = scatterConfigs("Min");

export const scatterMinConfig = configs.ref;
export const resourceScatterMinConfig = configs.resource;
