// TF's Max (core/kernels/reduction_ops_max.cc): maximum over reduction_indices.

import type { Tensor } from "../framework/tensor.js";
import { REAL_NUMBER_TYPES } from "./util/kernel-config.js";
import { reduce, reductionConfig, reductionPlan } from "./util/reduction.js";

export function max(x: Tensor, axes: Tensor, keepDims = false): Tensor {
  return reduce("max", x, reductionPlan(x.shape, axes, keepDims));
}

export const maxConfig = reductionConfig(
  "Max",
  "max",
  "T: {realnumbertype, quantizedtype}",
  REAL_NUMBER_TYPES,
);
