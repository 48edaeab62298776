// TF's Min (core/kernels/reduction_ops_min.cc): minimum over reduction_indices.

import type { Tensor } from "../framework/tensor.js";
import { REAL_NUMBER_TYPES } from "./util/kernel-config.js";
import { reduce, reductionConfig, reductionPlan } from "./util/reduction.js";

export function min(x: Tensor, axes: Tensor, keepDims = false): Tensor {
  return reduce("min", x, reductionPlan(x.shape, axes, keepDims));
}

export const minConfig = reductionConfig(
  "Min",
  "min",
  "T: {realnumbertype, quantizedtype}",
  REAL_NUMBER_TYPES,
);
