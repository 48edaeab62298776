// TF's GreaterEqual (core/kernels/cwise_op_greater_equal.cc): x >= y element-wise (bool) with broadcasting.

import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type BinaryFns, binaryConfig, binaryOp } from "./util/cwise.js";
import { REAL_NUMBER_TYPES } from "./util/kernel-config.js";

export const greaterEqualFns: BinaryFns = {
  float: (a, b) => (a >= b ? 1 : 0),
  bigintToNumber: (a, b) => (a >= b ? 1 : 0),
};

export function greaterEqual(x: Tensor, y: Tensor): Tensor {
  return binaryOp("GreaterEqual", x, y, greaterEqualFns, DataType.DT_BOOL);
}

export const greaterEqualConfig = binaryConfig({
  name: "GreaterEqual",
  typeAttr: "T: {float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, uint32, uint64}",
  kernelTypes: REAL_NUMBER_TYPES,
  fns: greaterEqualFns,
  outType: "bool",
});
