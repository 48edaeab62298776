// TF's LessEqual (core/kernels/cwise_op_less_equal.cc): x <= y element-wise (bool) with broadcasting.

import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type BinaryFns, binaryConfig, binaryOp } from "./util/cwise.js";
import { REAL_NUMBER_TYPES } from "./util/kernel-config.js";

export const lessEqualFns: BinaryFns = {
  float: (a, b) => (a <= b ? 1 : 0),
  bigintToNumber: (a, b) => (a <= b ? 1 : 0),
};

export function lessEqual(x: Tensor, y: Tensor): Tensor {
  return binaryOp("LessEqual", x, y, lessEqualFns, DataType.DT_BOOL);
}

export const lessEqualConfig = binaryConfig({
  name: "LessEqual",
  typeAttr: "T: {float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, uint32, uint64}",
  kernelTypes: REAL_NUMBER_TYPES,
  fns: lessEqualFns,
  outType: "bool",
});
