// TF's Mod (core/kernels/cwise_op_mod.cc): the remainder of truncating division (C++ % and fmod:
// the result has x's sign) with broadcasting; integer division by zero is an error. TF's op lists
// half twice in its allowed types; the registry keeps TF's list as written.

import type { Tensor } from "../framework/tensor.js";
import { type BinaryFns, binaryConfig, binaryOp, integerDivisionByZero } from "./util/cwise.js";
import { T } from "./util/kernel-config.js";

export const modFns: BinaryFns = {
  float: (a, b) => a % b,
  int: (a, b) => {
    if (b === 0) throw integerDivisionByZero();
    return a % b;
  },
  bigint: (a, b) => {
    if (b === 0n) throw integerDivisionByZero();
    return a % b;
  },
};

export function mod(x: Tensor, y: Tensor): Tensor {
  return binaryOp("Mod", x, y, modFns);
}

export const modConfig = binaryConfig({
  name: "Mod",
  typeAttr: "T: {int32, int64, half, half, bfloat16, float, double}",
  kernelTypes: [T.float, T.double, T.int32, T.int64],
  fns: modFns,
});
