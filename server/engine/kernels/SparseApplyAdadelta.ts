// TF's SparseApplyAdadelta and ResourceSparseApplyAdadelta (core/kernels/training_ops.cc):
// Adadelta's update (ApplyAdadelta.ts) on the rows named by indices. Every index is checked before
// any update; TF names accum "accum_grad" in its shape message.

import { adadeltaUpdate } from "./ApplyAdadelta.js";
import { sparseApplyConfigs } from "./util/sparse-training-op-helpers.js";

const configs = sparseApplyConfigs({
  name: "Adadelta",
  vars: ["var", "accum", "accum_update"],
  inputs: ["lr", "rho", "epsilon", "grad", "indices"],
  shapeNames: { accum: "accum_grad" },
  innerCheck: false,
  checkInLoop: false,
  update: adadeltaUpdate,
});

export const sparseApplyAdadeltaConfig = configs.ref;
export const resourceSparseApplyAdadeltaConfig = configs.resource;
