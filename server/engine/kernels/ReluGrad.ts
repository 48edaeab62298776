// TF's ReluGrad (core/kernels/relu_op_functor.h): gradients · (features > 0), as a product, so a
// NaN or infinite gradient at a non-positive feature stays NaN as in TF.

import type { Tensor } from "../framework/tensor.js";
import { activationGradConfig, type ElementWiseFns, sameShapeBinaryOp } from "./util/binary-elementwise.js";
import { REAL_NUMBER_TYPES } from "./util/kernel-config.js";

export const reluGradFns: ElementWiseFns = {
  float: (g, x) => g * (x > 0 ? 1 : 0),
  bigint: (g, x) => (x > 0n ? g : 0n),
};

export function reluGrad(gradients: Tensor, features: Tensor): Tensor {
  return sameShapeBinaryOp("ReluGrad", gradients, features, reluGradFns);
}

export const reluGradConfig = activationGradConfig(
  "ReluGrad",
  "features",
  "T: realnumbertype",
  REAL_NUMBER_TYPES,
  [],
  () => reluGradFns,
);
