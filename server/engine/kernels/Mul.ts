// TF's Mul (core/kernels/cwise_op_mul_1.cc): x * y with broadcasting. 32-bit integer products use
// Math.imul so they wrap like C++ instead of losing bits in a double.

import type { Tensor } from "../framework/tensor.js";
import { type BinaryFns, binaryConfig, binaryOp, complexMath } from "./util/cwise.js";
import { NUMBER_TYPES } from "./util/kernel-config.js";

export const mulFns: BinaryFns = {
  float: (a, b) => a * b,
  floatExpr: "a * b",
  int: Math.imul,
  bigint: (a, b) => a * b,
  complex: complexMath.mul,
};

export function mul(x: Tensor, y: Tensor): Tensor {
  return binaryOp("Mul", x, y, mulFns);
}

export const mulConfig = binaryConfig({
  name: "Mul",
  typeAttr:
    "T: {bfloat16, half, float, double, uint8, int8, uint16, int16, int32, uint32, uint64, int64, complex64, complex128}",
  kernelTypes: NUMBER_TYPES,
  fns: mulFns,
  isCommutative: true,
});
