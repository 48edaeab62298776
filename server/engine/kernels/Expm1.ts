// TF's Expm1 (core/kernels/cwise_op_expm1.cc): e^x - 1, accurate for small x, element-wise.

import type { Tensor } from "../framework/tensor.js";
import { cexpm1 } from "./util/complex-math.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const expm1Fns: UnaryFns = { float: Math.expm1, floatExpr: "Math.expm1(a)", complex: cexpm1 };

export function expm1(x: Tensor): Tensor {
  return unaryOp("Expm1", x, expm1Fns);
}

export const expm1Config = unaryConfig({
  name: "Expm1",
  typeAttr: "T: {bfloat16, half, float, double, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: expm1Fns,
});
