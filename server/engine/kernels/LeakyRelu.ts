// TF's LeakyRelu (core/kernels/relu_op_functor.h): x > 0 ? x : x·alpha, alpha cast to T.

import { getAttrFloat } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import { activationConfig, castScalar } from "./util/binary-elementwise.js";
import { unaryOp } from "./util/cwise.js";

export function leakyReluFn(alpha: number): (x: number) => number {
  return (x) => (x > 0 ? x : x * alpha);
}

export function leakyRelu(features: Tensor, alpha = 0.2): Tensor {
  return unaryOp("LeakyRelu", features, { float: leakyReluFn(castScalar(features.dtype, alpha)) });
}

export const leakyReluConfig = activationConfig("LeakyRelu", ["alpha: float = 0.2"], (t, attrs) => ({
  float: leakyReluFn(castScalar(t, getAttrFloat(attrs, "alpha"))),
}));
