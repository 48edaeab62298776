// TF's SparseApplyMomentum and ResourceSparseApplyMomentum (core/kernels/training_ops.cc):
// Momentum's update (ApplyMomentum.ts) on the rows named by indices, checking each index as it
// goes (rows before a bad index stay updated). TF's lr message has a space before the colon.

import { momentumUpdate } from "./ApplyMomentum.js";
import { sparseApplyConfigs } from "./util/sparse-training-op-helpers.js";

const configs = sparseApplyConfigs({
  name: "Momentum",
  vars: ["var", "accum"],
  inputs: ["lr", "grad", "indices", "momentum"],
  boolAttrs: ["use_nesterov: bool = false"],
  scalars: { lr: { message: "lr is not a scalar : " } },
  innerCheck: false,
  checkInLoop: true,
  update: momentumUpdate,
});

export const sparseApplyMomentumConfig = configs.ref;
export const resourceSparseApplyMomentumConfig = configs.resource;
