// TF's MulNoNan (core/kernels/cwise_op_mul_1.cc): x * y, or 0 where y is 0 (even when x is inf or NaN), with broadcasting.

import type { Tensor } from "../framework/tensor.js";
import { type BinaryFns, binaryConfig, binaryOp, complexMath } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const mulNoNanFns: BinaryFns = {
  float: (a, b) => (b === 0 ? 0 : a * b),
  floatExpr: "b === 0 ? 0 : a * b",
  complex: (ar, ai, br, bi, o) => {
    if (br === 0 && bi === 0) {
      o[0] = 0;
      o[1] = 0;
    } else complexMath.mul(ar, ai, br, bi, o);
  },
};

export function mulNoNan(x: Tensor, y: Tensor): Tensor {
  return binaryOp("MulNoNan", x, y, mulNoNanFns);
}

export const mulNoNanConfig = binaryConfig({
  name: "MulNoNan",
  typeAttr: "T: {bfloat16, half, float, double, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: mulNoNanFns,
});
