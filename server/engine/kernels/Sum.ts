// TF's Sum (core/kernels/reduction_ops_sum.cc): sum over reduction_indices.

import type { Tensor } from "../framework/tensor.js";
import { NUMBER_TYPES } from "./util/kernel-config.js";
import { reduce, reductionConfig, reductionPlan } from "./util/reduction.js";

export function sum(x: Tensor, axes: Tensor, keepDims = false): Tensor {
  return reduce("sum", x, reductionPlan(x.shape, axes, keepDims));
}

export const sumConfig = reductionConfig("Sum", "sum", "T: numbertype", NUMBER_TYPES);
