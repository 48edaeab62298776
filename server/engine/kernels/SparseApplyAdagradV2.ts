// TF's SparseApplyAdagradV2 and ResourceSparseApplyAdagradV2 (core/kernels/training_ops.cc):
// AdagradV2's update (ApplyAdagradV2.ts, with epsilon) on the rows named by indices. Every index
// is checked before any update.

import { adagradV2Update } from "./ApplyAdagradV2.js";
import { sparseApplyConfigs } from "./util/sparse-training-op-helpers.js";

const configs = sparseApplyConfigs({
  name: "AdagradV2",
  vars: ["var", "accum"],
  inputs: ["lr", "epsilon", "grad", "indices"],
  boolAttrs: ["update_slots: bool = true"],
  innerCheck: true,
  checkInLoop: false,
  update: adagradV2Update,
});

export const sparseApplyAdagradV2Config = configs.ref;
export const resourceSparseApplyAdagradV2Config = configs.resource;
