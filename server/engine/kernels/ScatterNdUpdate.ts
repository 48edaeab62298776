// TF's ScatterNdUpdate (ref variables), ResourceScatterNdUpdate (resource variables) and TensorScatterUpdate
// (a copy of a tensor), core/kernels/scatter_nd_op.cc: the slices addressed by indices' innermost
// dimension are replaced by the matching slices of updates.

import { scatterNdConfigs } from "./util/scatter-nd-functor.js";

const configs = scatterNdConfigs("Update");

export const scatterNdUpdateConfig = configs.ref;
export const resourceScatterNdUpdateConfig = configs.resource;
export const tensorScatterUpdateConfig = configs.tensor;
