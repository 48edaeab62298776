// TF's Sign (core/kernels/cwise_op_sign.cc): -1, 0 or 1 by sign (NaN stays NaN).

import type { Tensor } from "../framework/tensor.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { FLOAT_TYPES, T } from "./util/kernel-config.js";

export const signFns: UnaryFns = {
  float: (a) => (Number.isNaN(a) ? Number.NaN : a > 0 ? 1 : a < 0 ? -1 : 0),
  floatExpr: "a !== a ? Number.NaN : a > 0 ? 1 : a < 0 ? -1 : 0",
  bigint: (a) => (a > 0n ? 1n : a < 0n ? -1n : 0n),
};

export function sign(x: Tensor): Tensor {
  return unaryOp("Sign", x, signFns);
}

export const signConfig = unaryConfig({
  name: "Sign",
  typeAttr: "T: {bfloat16, half, float, double, int8, int16, int32, int64, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, T.int8, T.int16, T.int32, T.int64],
  fns: signFns,
});
