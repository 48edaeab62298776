// TF's ScatterNdSub (ref variables), ResourceScatterNdSub (resource variables) and TensorScatterSub
// (a copy of a tensor), core/kernels/scatter_nd_op.cc: the slices addressed by indices' innermost
// dimension -= the matching slices of updates.

import { scatterNdConfigs } from "./util/scatter-nd-functor.js";

const configs = scatterNdConfigs("Sub");

export const scatterNdSubConfig = configs.ref;
export const resourceScatterNdSubConfig = configs.resource;
export const tensorScatterSubConfig = configs.tensor;
