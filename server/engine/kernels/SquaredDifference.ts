// TF's SquaredDifference (core/kernels/cwise_op_squared_difference.cc): (x - y)² with broadcasting.

import type { Tensor } from "../framework/tensor.js";
import { type BinaryFns, binaryConfig, binaryOp } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES, T } from "./util/kernel-config.js";

export const squaredDifferenceFns: BinaryFns = {
  float: (a, b) => (a - b) * (a - b),
  floatExpr: "(a - b) * (a - b)",
  int: (a, b) => Math.imul(a - b, a - b),
  bigint: (a, b) => (a - b) * (a - b),
  complex: (ar, ai, br, bi, o) => {
    // (x - y) * conj(x - y)
    const re = ar - br;
    const im = ai - bi;
    o[0] = re * re + im * im;
    o[1] = 0;
  },
};

export function squaredDifference(x: Tensor, y: Tensor): Tensor {
  return binaryOp("SquaredDifference", x, y, squaredDifferenceFns);
}

export const squaredDifferenceConfig = binaryConfig({
  name: "SquaredDifference",
  typeAttr: "T: {bfloat16, half, float, double, int32, int64, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, T.int32, T.int64, ...COMPLEX_TYPES],
  fns: squaredDifferenceFns,
  isCommutative: true,
});
