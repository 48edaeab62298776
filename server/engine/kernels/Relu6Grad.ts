// TF's Relu6Grad (core/kernels/relu_op_functor.h): gradients · (0 < features < 6).

import type { Tensor } from "../framework/tensor.js";
import { activationGradConfig, type ElementWiseFns, sameShapeBinaryOp } from "./util/binary-elementwise.js";
import { REAL_NUMBER_TYPES } from "./util/kernel-config.js";

export const relu6GradFns: ElementWiseFns = {
  float: (g, x) => g * (x > 0 && x < 6 ? 1 : 0),
  bigint: (g, x) => (x > 0n && x < 6n ? g : 0n),
};

export function relu6Grad(gradients: Tensor, features: Tensor): Tensor {
  return sameShapeBinaryOp("Relu6Grad", gradients, features, relu6GradFns);
}

export const relu6GradConfig = activationGradConfig(
  "Relu6Grad",
  "features",
  "T: realnumbertype",
  REAL_NUMBER_TYPES,
  [],
  () => relu6GradFns,
);
