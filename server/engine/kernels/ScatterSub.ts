// TF's ScatterSub (ref variables, core/kernels/scatter_op.cc) and ResourceScatterSub (resource
// variables, resource_variable_ops.cc): params[indices[i], ...] -= updates[i, ...], rows in order.

import { scatterConfigs } from "./util/scatter-functor.js";

const configs = scatterConfigs("Sub");

export const scatterSubConfig = configs.ref;
export const resourceScatterSubConfig = configs.resource;
