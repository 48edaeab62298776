// TF's Xlogy (core/kernels/cwise_op_xlogy.cc): x * log(y), or 0 where x is 0, with broadcasting.

import type { Tensor } from "../framework/tensor.js";
import { clog } from "./util/complex-math.js";
import { type BinaryFns, binaryConfig, binaryOp, complexMath } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const xlogyFns: BinaryFns = {
  float: (a, b) => (a === 0 ? a : a * Math.log(b)),
  floatExpr: "a === 0 ? a : a * Math.log(b)",
  complex: (ar, ai, br, bi, o) => {
    if (ar === 0 && ai === 0) {
      o[0] = 0;
      o[1] = 0;
      return;
    }
    clog(br, bi, o);
    complexMath.mul(ar, ai, o[0]!, o[1]!, o);
  },
};

export function xlogy(x: Tensor, y: Tensor): Tensor {
  return binaryOp("Xlogy", x, y, xlogyFns);
}

export const xlogyConfig = binaryConfig({
  name: "Xlogy",
  typeAttr: "T: {half, bfloat16, float, double, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: xlogyFns,
});
