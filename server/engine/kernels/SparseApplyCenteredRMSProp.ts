// TF's SparseApplyCenteredRMSProp and ResourceSparseApplyCenteredRMSProp
// (core/kernels/training_ops.cc): centered RMSProp's update (ApplyCenteredRMSProp.ts) on the rows
// named by indices. Every index is checked before any update.

import { centeredRMSPropUpdate } from "./ApplyCenteredRMSProp.js";
import { sparseApplyConfigs } from "./util/sparse-training-op-helpers.js";

const configs = sparseApplyConfigs({
  name: "CenteredRMSProp",
  vars: ["var", "mg", "ms", "mom"],
  inputs: ["lr", "rho", "momentum", "epsilon", "grad", "indices"],
  innerCheck: false,
  checkInLoop: false,
  update: centeredRMSPropUpdate,
});

export const sparseApplyCenteredRMSPropConfig = configs.ref;
export const resourceSparseApplyCenteredRMSPropConfig = configs.resource;
