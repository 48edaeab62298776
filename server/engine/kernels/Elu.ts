// TF's Elu (core/kernels/relu_op_functor.h): x < 0 ? exp(x) − 1 : x.

import type { Tensor } from "../framework/tensor.js";
import { activationConfig } from "./util/binary-elementwise.js";
import { type UnaryFns, unaryOp } from "./util/cwise.js";

export const eluFns: UnaryFns = {
  float: (a) => (a < 0 ? Math.expm1(a) : a),
  floatExpr: "a < 0 ? Math.expm1(a) : a",
};

export function elu(features: Tensor): Tensor {
  return unaryOp("Elu", features, eluFns);
}

export const eluConfig = activationConfig("Elu", [], () => eluFns);
