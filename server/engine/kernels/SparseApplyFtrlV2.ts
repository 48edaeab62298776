// TF's SparseApplyFtrlV2 and ResourceSparseApplyFtrlV2 (core/kernels/training_ops.cc): FTRL with
// l2_shrinkage (ApplyFtrlV2.ts) on the rows named by indices, with SparseApplyFtrl's checks.

import { ftrlUpdate } from "./ApplyFtrl.js";
import { SPARSE_FTRL_SCALARS } from "./SparseApplyFtrl.js";
import { sparseApplyConfigs } from "./util/sparse-training-op-helpers.js";

const configs = sparseApplyConfigs({
  name: "FtrlV2",
  vars: ["var", "accum", "linear"],
  inputs: ["grad", "indices", "lr", "l1", "l2", "l2_shrinkage", "lr_power"],
  boolAttrs: ["multiply_linear_by_lr: bool = false"],
  scalars: SPARSE_FTRL_SCALARS,
  innerCheck: true,
  checkInLoop: true,
  update: (u) =>
    ftrlUpdate(u, {
      multiplyLinearByLr: u.attrs.multiply_linear_by_lr ?? false,
      l2Shrinkage: u.s.l2_shrinkage!,
    }),
});

export const sparseApplyFtrlV2Config = configs.ref;
export const resourceSparseApplyFtrlV2Config = configs.resource;
