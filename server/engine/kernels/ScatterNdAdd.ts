// TF's ScatterNdAdd (ref variables), ResourceScatterNdAdd (resource variables) and TensorScatterAdd
// (a copy of a tensor), core/kernels/scatter_nd_op.cc: the slices addressed by indices' innermost
// dimension += the matching slices of updates.

import { scatterNdConfigs } from "./util/scatter-nd-functor.js";

const configs = scatterNdConfigs("Add");

export const scatterNdAddConfig = configs.ref;
export const resourceScatterNdAddConfig = configs.resource;
export const tensorScatterAddConfig = configs.tensor;
