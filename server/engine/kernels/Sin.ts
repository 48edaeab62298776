// TF's Sin (core/kernels/cwise_op_sin.cc): sin(x), element-wise.

import type { Tensor } from "../framework/tensor.js";
import { csin } from "./util/complex-math.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const sinFns: UnaryFns = { float: Math.sin, floatExpr: "Math.sin(a)", complex: csin };

export function sin(x: Tensor): Tensor {
  return unaryOp("Sin", x, sinFns);
}

export const sinConfig = unaryConfig({
  name: "Sin",
  typeAttr: "T: {bfloat16, half, float, double, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: sinFns,
});
