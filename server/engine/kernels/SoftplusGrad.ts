// TF's SoftplusGrad (core/kernels/softplus_op.h): gradients / (exp(−features) + 1).

import type { Tensor } from "../framework/tensor.js";
import { activationGradConfig, type ElementWiseFns, sameShapeBinaryOp } from "./util/binary-elementwise.js";
import { FLOAT_TYPES } from "./util/kernel-config.js";

export const softplusGradFns: ElementWiseFns = { float: (g, x) => g / (Math.exp(-x) + 1) };

export function softplusGrad(gradients: Tensor, features: Tensor): Tensor {
  return sameShapeBinaryOp("SoftplusGrad", gradients, features, softplusGradFns);
}

export const softplusGradConfig = activationGradConfig(
  "SoftplusGrad",
  "features",
  "T: {half, bfloat16, float, double}",
  FLOAT_TYPES,
  [],
  () => softplusGradFns,
);
