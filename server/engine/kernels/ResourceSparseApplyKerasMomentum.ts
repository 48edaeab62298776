// TF's ResourceSparseApplyKerasMomentum (core/kernels/training_ops.cc; resource variables only, as
// in TF): Keras momentum's update (ResourceApplyKerasMomentum.ts) on the rows named by indices,
// checking each index as it goes, with the gathers' out-of-range wording.

import { kerasMomentumUpdate } from "./ResourceApplyKerasMomentum.js";
import { sparseApplyConfigs } from "./util/sparse-training-op-helpers.js";

export const resourceSparseApplyKerasMomentumConfig = sparseApplyConfigs({
  name: "KerasMomentum",
  vars: ["var", "accum"],
  inputs: ["lr", "grad", "indices", "momentum"],
  boolAttrs: ["use_nesterov: bool = false"],
  scalars: { lr: { message: "lr is not a scalar : " } },
  innerCheck: false,
  checkInLoop: true,
  gatherIndexMessage: true,
  update: kerasMomentumUpdate,
}).resource;
