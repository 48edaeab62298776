// TF's ApplyFtrlV2 and ResourceApplyFtrlV2 (core/kernels/training_ops.cc): FTRL with l2_shrinkage
// (see ApplyFtrl.ts): grad + 2 * l2_shrinkage * var replaces grad in linear's update. (TF's newest
// source picks the functors the other way round from multiply_linear_by_lr; TF 2.21, which our
// fixtures come from, does not, and neither do we.)

import { FTRL_CHECKS, FTRL_SCALAR_MESSAGES, ftrlUpdate } from "./ApplyFtrl.js";
import { applyConfigs } from "./util/training-op-helpers.js";

const configs = applyConfigs({
  name: "FtrlV2",
  vars: ["var", "accum", "linear"],
  inputs: ["grad", "lr", "l1", "l2", "l2_shrinkage", "lr_power"],
  boolAttrs: ["multiply_linear_by_lr: bool = false"],
  checks: [...FTRL_CHECKS, "scalar:l2_shrinkage"],
  scalarMessages: FTRL_SCALAR_MESSAGES,
  update: (u) =>
    ftrlUpdate(u, {
      multiplyLinearByLr: u.attrs.multiply_linear_by_lr ?? false,
      l2Shrinkage: u.s.l2_shrinkage!,
    }),
});

export const applyFtrlV2Config = configs.ref;
export const resourceApplyFtrlV2Config = configs.resource;
