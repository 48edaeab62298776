// TF's Acosh (core/kernels/cwise_op_acosh.cc): acosh(x) (NaN below 1), element-wise.

import type { Tensor } from "../framework/tensor.js";
import { cacosh } from "./util/complex-math.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const acoshFns: UnaryFns = { float: Math.acosh, floatExpr: "Math.acosh(a)", complex: cacosh };

export function acosh(x: Tensor): Tensor {
  return unaryOp("Acosh", x, acoshFns);
}

export const acoshConfig = unaryConfig({
  name: "Acosh",
  typeAttr: "T: {bfloat16, half, float, double, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: acoshFns,
});
