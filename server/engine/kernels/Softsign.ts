// TF's Softsign (core/kernels/softsign_op.h): x / (1 + |x|).

import type { Tensor } from "../framework/tensor.js";
import { activationConfig } from "./util/binary-elementwise.js";
import { type UnaryFns, unaryOp } from "./util/cwise.js";

export const softsignFns: UnaryFns = {
  float: (a) => a / (1 + Math.abs(a)),
  floatExpr: "a / (1 + Math.abs(a))",
};

export function softsign(features: Tensor): Tensor {
  return unaryOp("Softsign", features, softsignFns);
}

export const softsignConfig = activationConfig("Softsign", [], () => softsignFns);
