// TF's ScatterMul (ref variables, core/kernels/scatter_op.cc) and ResourceScatterMul (resource
// variables, resource_variable_ops.cc): params[indices[i], ...] *= updates[i, ...], rows in order.

import { scatterConfigs } from "./util/scatter-functor.js";

const configs = scatterConfigs("Mul");

export const scatterMulConfig = configs.ref;
export const resourceScatterMulConfig = configs.resource;
