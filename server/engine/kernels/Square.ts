// TF's Square (core/kernels/cwise_op_square.cc): x * x (integers wrap like C++).

import type { Tensor } from "../framework/tensor.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { NUMBER_TYPES } from "./util/kernel-config.js";

export const squareFns: UnaryFns = {
  float: (a) => a * a,
  floatExpr: "a * a",
  int: (a) => Math.imul(a, a),
  bigint: (a) => a * a,
  complex: (re, im, o) => {
    o[0] = re * re - im * im;
    o[1] = 2 * re * im;
  },
};

export function square(x: Tensor): Tensor {
  return unaryOp("Square", x, squareFns);
}

export const squareConfig = unaryConfig({
  name: "Square",
  typeAttr:
    "T: {bfloat16, half, float, double, int8, int16, int32, int64, uint8, uint16, uint32, uint64, complex64, complex128}",
  kernelTypes: NUMBER_TYPES,
  fns: squareFns,
});
