// TF's ScatterNdMax (ref variables), ResourceScatterNdMax (resource variables) and TensorScatterMax
// (a copy of a tensor), core/kernels/scatter_nd_op.cc: each slice addressed by indices' innermost
// dimension becomes the element-wise maximum of itself and the matching slice of updates.

import { scatterNdConfigs } from "./util/scatter-nd-functor.js";

const configs = scatterNdConfigs("Max");

export const scatterNdMaxConfig = configs.ref;
export const resourceScatterNdMaxConfig = configs.resource;
export const tensorScatterMaxConfig = configs.tensor;
