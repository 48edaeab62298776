// TF's Cosh (core/kernels/cwise_op_cosh.cc): cosh(x), element-wise.

import type { Tensor } from "../framework/tensor.js";
import { ccosh } from "./util/complex-math.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const coshFns: UnaryFns = { float: Math.cosh, floatExpr: "Math.cosh(a)", complex: ccosh };

export function cosh(x: Tensor): Tensor {
  return unaryOp("Cosh", x, coshFns);
}

export const coshConfig = unaryConfig({
  name: "Cosh",
  typeAttr: "T: {bfloat16, half, float, double, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: coshFns,
});
