// TF's Mean (core/kernels/reduction_ops_mean.cc): mean over reduction_indices; integer means divide
// with truncation like C++.

import type { Tensor } from "../framework/tensor.js";
import { NUMBER_TYPES } from "./util/kernel-config.js";
import { reduce, reductionConfig, reductionPlan } from "./util/reduction.js";

export function mean(x: Tensor, axes: Tensor, keepDims = false): Tensor {
  return reduce("mean", x, reductionPlan(x.shape, axes, keepDims));
}

export const meanConfig = reductionConfig("Mean", "mean", "T: numbertype", NUMBER_TYPES);
