// TF's EluGrad (core/kernels/relu_op_functor.h): from Elu's outputs, outputs < 0 ?
// gradients·(outputs + 1) : gradients.

import type { Tensor } from "../framework/tensor.js";
import { activationGradConfig, type ElementWiseFns, sameShapeBinaryOp } from "./util/binary-elementwise.js";
import { FLOAT_TYPES } from "./util/kernel-config.js";

export const eluGradFns: ElementWiseFns = { float: (g, y) => (y < 0 ? (y + 1) * g : g) };

export function eluGrad(gradients: Tensor, outputs: Tensor): Tensor {
  return sameShapeBinaryOp("EluGrad", gradients, outputs, eluGradFns);
}

export const eluGradConfig = activationGradConfig(
  "EluGrad",
  "outputs",
  "T: {half, bfloat16, float, double}",
  FLOAT_TYPES,
  [],
  () => eluGradFns,
);
