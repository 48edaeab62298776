// TF's Round (core/kernels/cwise_op_round.cc): Rounds half to even.

import type { Tensor } from "../framework/tensor.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { FLOAT_TYPES, T } from "./util/kernel-config.js";

/** `roundFns.float` as one expression of `a`: its locals f and d written out where they are used. */
export const ROUND_HALF_TO_EVEN_EXPR =
  "a - Math.floor(a) > 0.5 ? Math.floor(a) + 1 : a - Math.floor(a) < 0.5 ? Math.floor(a) : " +
  "Math.floor(a) % 2 === 0 ? Math.floor(a) : Math.floor(a) + 1";

export const roundFns: UnaryFns = {
  // Banker's rounding (round half to even), as Eigen's scalar_round_half_to_even_op.
  float: (a) => {
    const f = Math.floor(a);
    const d = a - f;
    if (d > 0.5) return f + 1;
    if (d < 0.5) return f;
    return f % 2 === 0 ? f : f + 1;
  },
  floatExpr: ROUND_HALF_TO_EVEN_EXPR,
  int: (a) => a,
  bigint: (a) => a,
};

export function round(x: Tensor): Tensor {
  return unaryOp("Round", x, roundFns);
}

export const roundConfig = unaryConfig({
  name: "Round",
  typeAttr: "T: {bfloat16, half, float, double, int8, int16, int32, int64, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, T.int8, T.int16, T.int32, T.int64],
  fns: roundFns,
});
