// Shared pieces of TF's bitwise ops (core/kernels/cwise_op_bitwise_*.cc, cwise_op_left_shift.cc,
// cwise_op_right_shift.cc, population_count_op.cc): the integer dtypes they run on and the
// shift-count clamp that keeps C++ shifts defined.

import { DataType } from "../../framework/types.js";
import { T } from "./kernel-config.js";

export const BITWISE_TYPE_ATTR = "T: {int8, int16, int32, int64, uint8, uint16, uint32, uint64}";
export const BITWISE_TYPES: readonly DataType[] = [
  T.int8,
  T.int16,
  T.int32,
  T.int64,
  T.uint8,
  T.uint16,
  T.uint32,
  T.uint64,
];

export function bitWidth(dtype: DataType): number {
  switch (dtype) {
    case DataType.DT_INT8:
    case DataType.DT_UINT8:
      return 8;
    case DataType.DT_INT16:
    case DataType.DT_UINT16:
      return 16;
    case DataType.DT_INT64:
    case DataType.DT_UINT64:
      return 64;
    default:
      return 32;
  }
}

/** TF clamps a shift count into [0, bits - 1] (shifting by the width or more is undefined in C++). */
export function clampShift(y: number, bits: number): number {
  return Math.max(0, Math.min(y, bits - 1));
}

export function clampShiftBig(y: bigint, bits: number): bigint {
  return y < 0n ? 0n : y > BigInt(bits - 1) ? BigInt(bits - 1) : y;
}
