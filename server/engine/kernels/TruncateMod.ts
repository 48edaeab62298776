// TF's TruncateMod (core/kernels/cwise_op_mod.cc): the remainder of truncating division (C++ %
// and fmod: the result has x's sign) with broadcasting. Integer division by zero is reported, as
// TF 2.21 does, through the generic binary-op INTERNAL error.

import { internal } from "../framework/errors.js";
import type { Tensor } from "../framework/tensor.js";
import { type BinaryFns, binaryConfig, binaryOp } from "./util/cwise.js";
import { T } from "./util/kernel-config.js";

function divisionByZero(): Error {
  return internal("Unexpected error in binary operator (only integer div and mod should have errors)");
}

export const truncateModFns: BinaryFns = {
  float: (a, b) => a % b,
  int: (a, b) => {
    if (b === 0) throw divisionByZero();
    return a % b;
  },
  bigint: (a, b) => {
    if (b === 0n) throw divisionByZero();
    return a % b;
  },
};

export function truncateMod(x: Tensor, y: Tensor): Tensor {
  return binaryOp("TruncateMod", x, y, truncateModFns);
}

export const truncateModConfig = binaryConfig({
  name: "TruncateMod",
  typeAttr: "T: {int32, int64, bfloat16, half, float, double}",
  kernelTypes: [T.float, T.double, T.int32, T.int64],
  fns: truncateModFns,
});
