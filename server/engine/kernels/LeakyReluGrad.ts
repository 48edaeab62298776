// TF's LeakyReluGrad (core/kernels/relu_op_functor.h): features > 0 ? gradients : gradients·alpha.

import { getAttrFloat } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import {
  activationGradConfig,
  castScalar,
  type ElementWiseFns,
  sameShapeBinaryOp,
} from "./util/binary-elementwise.js";
import { FLOAT_TYPES } from "./util/kernel-config.js";

export function leakyReluGradFns(alpha: number): ElementWiseFns {
  return { float: (g, x) => (x > 0 ? g : g * alpha) };
}

export function leakyReluGrad(gradients: Tensor, features: Tensor, alpha = 0.2): Tensor {
  return sameShapeBinaryOp(
    "LeakyReluGrad",
    gradients,
    features,
    leakyReluGradFns(castScalar(gradients.dtype, alpha)),
  );
}

export const leakyReluGradConfig = activationGradConfig(
  "LeakyReluGrad",
  "features",
  "T: {half, bfloat16, float, double} = float",
  FLOAT_TYPES,
  ["alpha: float = 0.2"],
  (t, attrs) => leakyReluGradFns(castScalar(t, getAttrFloat(attrs, "alpha"))),
);
