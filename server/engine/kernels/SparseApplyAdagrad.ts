// TF's SparseApplyAdagrad and ResourceSparseApplyAdagrad (core/kernels/training_ops.cc): Adagrad's
// update (ApplyAdagrad.ts) on the rows named by indices. Every index is checked before any update.

import { adagradUpdate } from "./ApplyAdagrad.js";
import { sparseApplyConfigs } from "./util/sparse-training-op-helpers.js";

const configs = sparseApplyConfigs({
  name: "Adagrad",
  vars: ["var", "accum"],
  inputs: ["lr", "grad", "indices"],
  boolAttrs: ["update_slots: bool = true"],
  innerCheck: true,
  checkInLoop: false,
  update: adagradUpdate,
});

export const sparseApplyAdagradConfig = configs.ref;
export const resourceSparseApplyAdagradConfig = configs.resource;
