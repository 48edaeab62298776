// TF's Neg (core/kernels/cwise_op_neg_1.cc): -x.

import type { Tensor } from "../framework/tensor.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES, T } from "./util/kernel-config.js";

export const negFns: UnaryFns = {
  float: (a) => -a,
  floatExpr: "-a",
  bigint: (a) => -a,
  complex: (re, im, o) => {
    o[0] = -re;
    o[1] = -im;
  },
};

export function neg(x: Tensor): Tensor {
  return unaryOp("Neg", x, negFns);
}

export const negConfig = unaryConfig({
  name: "Neg",
  typeAttr: "T: {bfloat16, half, float, double, int8, int16, int32, int64, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES, T.int8, T.int16, T.int32, T.int64],
  fns: negFns,
});
