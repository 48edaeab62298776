// TF's Tan (core/kernels/cwise_op_tan.cc): tan(x), element-wise.

import type { Tensor } from "../framework/tensor.js";
import { ctan } from "./util/complex-math.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const tanFns: UnaryFns = { float: Math.tan, floatExpr: "Math.tan(a)", complex: ctan };

export function tan(x: Tensor): Tensor {
  return unaryOp("Tan", x, tanFns);
}

export const tanConfig = unaryConfig({
  name: "Tan",
  typeAttr: "T: {bfloat16, half, float, double, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: tanFns,
});
