// TF's FloorMod (core/kernels/cwise_op_floor_mod.cc): x mod y with the sign of y (Python semantics), broadcasting.

import type { Tensor } from "../framework/tensor.js";
import { type BinaryFns, binaryConfig, binaryOp, integerDivisionByZero } from "./util/cwise.js";
import { FLOAT_TYPES, INT_TYPES } from "./util/kernel-config.js";

export const floorModFns: BinaryFns = {
  float: (a, b) => {
    const r = a % b;
    return r !== 0 && r < 0 !== b < 0 ? r + b : r;
  },
  int: (a, b) => {
    if (b === 0) throw integerDivisionByZero();
    const r = a % b;
    return r !== 0 && r < 0 !== b < 0 ? r + b : r;
  },
  bigint: (a, b) => {
    if (b === 0n) throw integerDivisionByZero();
    const r = a % b;
    return r !== 0n && r < 0n !== b < 0n ? r + b : r;
  },
};

export function floorMod(x: Tensor, y: Tensor): Tensor {
  return binaryOp("FloorMod", x, y, floorModFns);
}

export const floorModConfig = binaryConfig({
  name: "FloorMod",
  typeAttr: "T: {int8, int16, int32, int64, uint8, uint16, uint32, uint64, bfloat16, half, float, double}",
  kernelTypes: [...FLOAT_TYPES, ...INT_TYPES],
  fns: floorModFns,
});
