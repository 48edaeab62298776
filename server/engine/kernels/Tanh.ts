// TF's Tanh (core/kernels/cwise_op_tanh.cc): Hyperbolic tangent.

import type { Tensor } from "../framework/tensor.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { FLOAT_TYPES } from "./util/kernel-config.js";

export const tanhFns: UnaryFns = { float: Math.tanh, floatExpr: "Math.tanh(a)" };

export function tanh(x: Tensor): Tensor {
  return unaryOp("Tanh", x, tanhFns);
}

export const tanhConfig = unaryConfig({
  name: "Tanh",
  typeAttr: "T: {bfloat16, half, float, double, complex64, complex128}",
  kernelTypes: FLOAT_TYPES,
  fns: tanhFns,
});
