// TF's SparseApplyRMSProp and ResourceSparseApplyRMSProp (core/kernels/training_ops.cc): RMSProp's
// update (ApplyRMSProp.ts) on the rows named by indices. Every index is checked before any update.

import { rmsPropUpdate } from "./ApplyRMSProp.js";
import { sparseApplyConfigs } from "./util/sparse-training-op-helpers.js";

const configs = sparseApplyConfigs({
  name: "RMSProp",
  vars: ["var", "ms", "mom"],
  inputs: ["lr", "rho", "momentum", "epsilon", "grad", "indices"],
  innerCheck: false,
  checkInLoop: false,
  update: rmsPropUpdate,
});

export const sparseApplyRMSPropConfig = configs.ref;
export const resourceSparseApplyRMSPropConfig = configs.resource;
