// TF's Xdivy (core/kernels/cwise_op_xdivy.cc): x / y, or 0 where x is 0, with broadcasting.

import type { Tensor } from "../framework/tensor.js";
import { type BinaryFns, binaryConfig, binaryOp, complexMath } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const xdivyFns: BinaryFns = {
  float: (a, b) => (a === 0 ? a : a / b),
  floatExpr: "a === 0 ? a : a / b",
  complex: (ar, ai, br, bi, o) => {
    if (ar === 0 && ai === 0) {
      o[0] = 0;
      o[1] = 0;
    } else complexMath.div(ar, ai, br, bi, o);
  },
};

export function xdivy(x: Tensor, y: Tensor): Tensor {
  return binaryOp("Xdivy", x, y, xdivyFns);
}

export const xdivyConfig = binaryConfig({
  name: "Xdivy",
  typeAttr: "T: {half, bfloat16, float, double, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: xdivyFns,
});
