// TF's Cos (core/kernels/cwise_op_cos.cc): cos(x), element-wise.

import type { Tensor } from "../framework/tensor.js";
import { ccos } from "./util/complex-math.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const cosFns: UnaryFns = { float: Math.cos, floatExpr: "Math.cos(a)", complex: ccos };

export function cos(x: Tensor): Tensor {
  return unaryOp("Cos", x, cosFns);
}

export const cosConfig = unaryConfig({
  name: "Cos",
  typeAttr: "T: {bfloat16, half, float, double, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: cosFns,
});
