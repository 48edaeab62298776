// TF's ScatterNdMin (ref variables), ResourceScatterNdMin (resource variables) and TensorScatterMin
// (a copy of a tensor), core/kernels/scatter_nd_op.cc: each slice addressed by indices' innermost
// dimension becomes the element-wise minimum of itself and the matching slice of updates.

import { scatterNdConfigs } from "./util/scatter-nd-functor.js";

const configs = scatterNdConfigs("Min");

export const scatterNdMinConfig = configs.ref;
export const resourceScatterNdMinConfig = configs.resource;
export const tensorScatterMinConfig = configs.tensor;
