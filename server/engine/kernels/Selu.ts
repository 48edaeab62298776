// TF's Selu (core/kernels/relu_op_functor.h): scale·x for x ≥ 0, scale·alpha·(exp(x) − 1) below.

import type { Tensor } from "../framework/tensor.js";
import { activationConfig, SELU_SCALE, SELU_SCALE_ALPHA } from "./util/binary-elementwise.js";
import { type UnaryFns, unaryOp } from "./util/cwise.js";

export const seluFns: UnaryFns = {
  float: (a) => (a < 0 ? SELU_SCALE_ALPHA * Math.expm1(a) : SELU_SCALE * a),
  // The constants as literals: a number's string reads back as the same double.
  floatExpr: `a < 0 ? ${SELU_SCALE_ALPHA} * Math.expm1(a) : ${SELU_SCALE} * a`,
};

export function selu(features: Tensor): Tensor {
  return unaryOp("Selu", features, seluFns);
}

export const seluConfig = activationConfig("Selu", [], () => seluFns);
