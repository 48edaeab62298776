// TF's DivNoNan (core/kernels/cwise_op_div.cc): x / y, or 0 where y is 0 (even when x is 0, inf or NaN), with broadcasting.

import type { Tensor } from "../framework/tensor.js";
import { type BinaryFns, binaryConfig, binaryOp, complexMath } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const divNoNanFns: BinaryFns = {
  float: (a, b) => (b === 0 ? 0 : a / b),
  floatExpr: "b === 0 ? 0 : a / b",
  complex: (ar, ai, br, bi, o) => {
    if (br === 0 && bi === 0) {
      o[0] = 0;
      o[1] = 0;
    } else complexMath.div(ar, ai, br, bi, o);
  },
};

export function divNoNan(x: Tensor, y: Tensor): Tensor {
  return binaryOp("DivNoNan", x, y, divNoNanFns);
}

export const divNoNanConfig = binaryConfig({
  name: "DivNoNan",
  typeAttr: "T: {half, float, bfloat16, double, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: divNoNanFns,
});
