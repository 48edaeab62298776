// TF's FloorDiv (core/kernels/cwise_op_floor_div.cc): floor(x / y) with broadcasting; integer division by zero is an error.

import type { Tensor } from "../framework/tensor.js";
import { type BinaryFns, binaryConfig, binaryOp, integerDivisionByZero } from "./util/cwise.js";
import { FLOAT_TYPES, INT_TYPES } from "./util/kernel-config.js";

export const floorDivFns: BinaryFns = {
  float: (a, b) => Math.floor(a / b),
  floatExpr: "Math.floor(a / b)",
  int: (a, b) => {
    if (b === 0) throw integerDivisionByZero();
    return Math.floor(a / b);
  },
  bigint: (a, b) => {
    if (b === 0n) throw integerDivisionByZero();
    const q = a / b;
    return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
  },
};

export function floorDiv(x: Tensor, y: Tensor): Tensor {
  return binaryOp("FloorDiv", x, y, floorDivFns);
}

export const floorDivConfig = binaryConfig({
  name: "FloorDiv",
  typeAttr:
    "T: {bfloat16, half, float, double, uint8, int8, uint16, int16, int32, uint32, uint64, int64, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...INT_TYPES],
  fns: floorDivFns,
});
