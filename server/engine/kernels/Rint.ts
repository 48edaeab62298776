// TF's Rint (core/kernels/cwise_op_rint.cc): the nearest integer, ties to even (C's rint in the
// default rounding mode), keeping the sign of zero (rint(-0.4) = -0) like C.

import type { Tensor } from "../framework/tensor.js";
import { ROUND_HALF_TO_EVEN_EXPR, roundFns } from "./Round.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { FLOAT_TYPES } from "./util/kernel-config.js";

export const rintFns: UnaryFns = {
  float: (a) => {
    const r = roundFns.float(a);
    // Math.floor-based rounding yields +0 for -0.5 < a < 0; rint keeps a's sign there.
    return r === 0 && a < 0 ? -0 : r;
  },
  floatExpr: `(${ROUND_HALF_TO_EVEN_EXPR}) === 0 && a < 0 ? -0 : ${ROUND_HALF_TO_EVEN_EXPR}`,
};

export function rint(x: Tensor): Tensor {
  return unaryOp("Rint", x, rintFns);
}

export const rintConfig = unaryConfig({
  name: "Rint",
  typeAttr: "T: {bfloat16, half, float, double}",
  kernelTypes: FLOAT_TYPES,
  fns: rintFns,
});
