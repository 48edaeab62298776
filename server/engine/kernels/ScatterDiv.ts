// TF's ScatterDiv (ref variables, core/kernels/scatter_op.cc) and ResourceScatterDiv (resource
// variables, resource_variable_ops.cc): params[indices[i], ...] /= updates[i, ...], rows in order.

import { scatterConfigs } from "./util/scatter-functor.js";

const configs = scatterConfigs("Div");

export const scatterDivConfig = configs.ref;
export const resourceScatterDivConfig = configs.resource;
