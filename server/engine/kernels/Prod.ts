// TF's Prod (core/kernels/reduction_ops_prod.cc): product over reduction_indices.

import type { Tensor } from "../framework/tensor.js";
import { NUMBER_TYPES } from "./util/kernel-config.js";
import { reduce, reductionConfig, reductionPlan } from "./util/reduction.js";

export function prod(x: Tensor, axes: Tensor, keepDims = false): Tensor {
  return reduce("prod", x, reductionPlan(x.shape, axes, keepDims));
}

export const prodConfig = reductionConfig("Prod", "prod", "T: numbertype", NUMBER_TYPES);
