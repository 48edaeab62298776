// TF's Div (core/kernels/cwise_op_div.cc): x / y. Floating and complex types divide; integer types
// use safe_div, C++ division truncating toward zero, and fail with "Integer division by zero".

import type { Tensor } from "../framework/tensor.js";
import { type BinaryFns, binaryConfig, binaryOp, complexMath, integerDivisionByZero } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES, T } from "./util/kernel-config.js";

export const divFns: BinaryFns = {
  float: (a, b) => a / b,
  floatExpr: "a / b",
  int: (a, b) => {
    if (b === 0) throw integerDivisionByZero();
    return Math.trunc(a / b);
  },
  bigint: (a, b) => {
    if (b === 0n) throw integerDivisionByZero();
    return a / b;
  },
  complex: complexMath.div,
};

export function div(x: Tensor, y: Tensor): Tensor {
  return binaryOp("Div", x, y, divFns);
}

export const divConfig = binaryConfig({
  name: "Div",
  typeAttr:
    "T: {bfloat16, half, float, double, uint8, int8, uint16, int16, int32, uint32, uint64, int64, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES, T.uint8, T.uint16, T.int16, T.int32, T.int64],
  fns: divFns,
});
