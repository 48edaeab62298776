// TF's Atan (core/kernels/cwise_op_atan.cc): arctan(x), element-wise.

import type { Tensor } from "../framework/tensor.js";
import { catan } from "./util/complex-math.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const atanFns: UnaryFns = { float: Math.atan, floatExpr: "Math.atan(a)", complex: catan };

export function atan(x: Tensor): Tensor {
  return unaryOp("Atan", x, atanFns);
}

export const atanConfig = unaryConfig({
  name: "Atan",
  typeAttr: "T: {bfloat16, half, float, double, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: atanFns,
});
