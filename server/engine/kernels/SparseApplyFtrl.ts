// TF's SparseApplyFtrl and ResourceSparseApplyFtrl (core/kernels/training_ops.cc): FTRL's update
// (ApplyFtrl.ts) on the rows named by indices, checking each index as it goes. Unlike the dense
// op, the sparse kernel checks the hyper-parameters' values on CPU: lr > 0 (or = 0 with
// multiply_linear_by_lr), l1 >= 0, l2 >= 0, lr_power <= 0.

import { ftrlUpdate } from "./ApplyFtrl.js";
import { type ScalarRule, sparseApplyConfigs } from "./util/sparse-training-op-helpers.js";

/** The sparse FTRL kernels' scalar checks (shared with SparseApplyFtrlV2). */
export const SPARSE_FTRL_SCALARS: Readonly<Record<string, ScalarRule>> = {
  lr: {
    message: "lr is not a positive scalar (or zero if multiply_linear_by_lr is set): ",
    ok: (v, attrs) => v > 0 || (attrs.multiply_linear_by_lr === true && v >= 0),
  },
  l1: { message: "l1 regularization strength is not a non-negative scalar: ", ok: (v) => v >= 0 },
  l2: { message: "l2 regularization strength is not a non-negative scalar: ", ok: (v) => v >= 0 },
  l2_shrinkage: {
    message: "l2 shrinkage regularization strength is not a non-negative scalar: ",
    ok: (v) => v >= 0,
  },
  lr_power: { message: "lr_power is not a non-positive scalar: ", ok: (v) => v <= 0 },
};

const configs = sparseApplyConfigs({
  name: "Ftrl",
  vars: ["var", "accum", "linear"],
  inputs: ["grad", "indices", "lr", "l1", "l2", "lr_power"],
  boolAttrs: ["multiply_linear_by_lr: bool = false"],
  scalars: SPARSE_FTRL_SCALARS,
  innerCheck: true,
  checkInLoop: true,
  update: (u) => ftrlUpdate(u, { multiplyLinearByLr: u.attrs.multiply_linear_by_lr ?? false }),
});

export const sparseApplyFtrlConfig = configs.ref;
export const resourceSparseApplyFtrlConfig = configs.resource;
