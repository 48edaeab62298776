// TF's Reciprocal (core/kernels/cwise_op_inverse.cc): 1 / x.

import type { Tensor } from "../framework/tensor.js";
import { integerDivisionByZero, type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES, T } from "./util/kernel-config.js";

export const reciprocalFns: UnaryFns = {
  float: (a) => 1 / a,
  floatExpr: "1 / a",
  int: (a) => {
    if (a === 0) throw integerDivisionByZero();
    return Math.trunc(1 / a);
  },
  bigint: (a) => {
    if (a === 0n) throw integerDivisionByZero();
    return 1n / a;
  },
  complex: (re, im, o) => {
    const d = re * re + im * im;
    o[0] = re / d;
    o[1] = -im / d;
  },
};

export function reciprocal(x: Tensor): Tensor {
  return unaryOp("Reciprocal", x, reciprocalFns);
}

export const reciprocalConfig = unaryConfig({
  name: "Reciprocal",
  typeAttr: "T: {bfloat16, half, float, double, int8, int16, int32, int64, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES, T.int32, T.int64],
  fns: reciprocalFns,
});
