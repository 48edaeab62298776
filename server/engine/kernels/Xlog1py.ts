// TF's Xlog1py (core/kernels/cwise_op_xlog1py.cc): x * log1p(y), or 0 where x is 0, with broadcasting.

import type { Tensor } from "../framework/tensor.js";
import { clog1p } from "./util/complex-math.js";
import { type BinaryFns, binaryConfig, binaryOp, complexMath } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const xlog1pyFns: BinaryFns = {
  float: (a, b) => (a === 0 ? a : a * Math.log1p(b)),
  floatExpr: "a === 0 ? a : a * Math.log1p(b)",
  complex: (ar, ai, br, bi, o) => {
    if (ar === 0 && ai === 0) {
      o[0] = 0;
      o[1] = 0;
      return;
    }
    clog1p(br, bi, o);
    complexMath.mul(ar, ai, o[0]!, o[1]!, o);
  },
};

export function xlog1py(x: Tensor, y: Tensor): Tensor {
  return binaryOp("Xlog1py", x, y, xlog1pyFns);
}

export const xlog1pyConfig = binaryConfig({
  name: "Xlog1py",
  typeAttr: "T: {half, bfloat16, float, double, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: xlog1pyFns,
});
