// TF's Sqrt (core/kernels/cwise_op_sqrt.cc): element-wise square root (principal root for complex).

import type { Tensor } from "../framework/tensor.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const sqrtFns: UnaryFns = {
  float: Math.sqrt,
  floatExpr: "Math.sqrt(a)",
  complex: (re, im, o) => {
    const r = Math.hypot(re, im);
    const a = Math.sqrt((r + Math.abs(re)) / 2);
    if (a === 0) {
      o[0] = 0;
      o[1] = im;
    } else if (re >= 0) {
      o[0] = a;
      o[1] = im / (2 * a);
    } else {
      o[0] = Math.abs(im) / (2 * a);
      o[1] = im < 0 || Object.is(im, -0) ? -a : a;
    }
  },
};

export function sqrt(x: Tensor): Tensor {
  return unaryOp("Sqrt", x, sqrtFns);
}

export const sqrtConfig = unaryConfig({
  name: "Sqrt",
  typeAttr: "T: {bfloat16, half, float, double, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: sqrtFns,
});
