// TF's SeluGrad (core/kernels/relu_op_functor.h): from Selu's outputs, outputs < 0 ?
// gradients·(outputs + scale·alpha) : gradients·scale.

import type { Tensor } from "../framework/tensor.js";
import {
  activationGradConfig,
  type ElementWiseFns,
  SELU_SCALE,
  SELU_SCALE_ALPHA,
  sameShapeBinaryOp,
} from "./util/binary-elementwise.js";
import { FLOAT_TYPES } from "./util/kernel-config.js";

export const seluGradFns: ElementWiseFns = {
  float: (g, y) => (y < 0 ? g * (y + SELU_SCALE_ALPHA) : g * SELU_SCALE),
};

export function seluGrad(gradients: Tensor, outputs: Tensor): Tensor {
  return sameShapeBinaryOp("SeluGrad", gradients, outputs, seluGradFns);
}

export const seluGradConfig = activationGradConfig(
  "SeluGrad",
  "outputs",
  "T: {half, bfloat16, float, double}",
  FLOAT_TYPES,
  [],
  () => seluGradFns,
);
