// TF's Pow (core/kernels/cwise_op_pow.cc): x ** y with broadcasting; integer powers wrap, negative integer exponents are an error.

import { invalidArgument } from "../framework/errors.js";
import type { Tensor } from "../framework/tensor.js";
import { type BinaryFns, binaryConfig, binaryOp } from "./util/cwise.js";
import { FLOAT_TYPES, T } from "./util/kernel-config.js";

export const powFns: BinaryFns = {
  float: Math.pow,
  floatExpr: "Math.pow(a, b)",
  int: (a, b) => {
    if (b < 0) throw invalidArgument("Integers to negative integer powers are not allowed");
    let r = 1;
    let base = a;
    let e = b;
    while (e > 0) {
      if (e & 1) r = Math.imul(r, base);
      base = Math.imul(base, base);
      e >>>= 1;
    }
    return r;
  },
  bigint: (a, b) => {
    if (b < 0n) throw invalidArgument("Integers to negative integer powers are not allowed");
    return BigInt.asIntN(64, a ** b);
  },
};

export function pow(x: Tensor, y: Tensor): Tensor {
  return binaryOp("Pow", x, y, powFns);
}

export const powConfig = binaryConfig({
  name: "Pow",
  typeAttr: "T: {bfloat16, float, half, double, int8, int16, int32, int64, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, T.int32, T.int64],
  fns: powFns,
});
