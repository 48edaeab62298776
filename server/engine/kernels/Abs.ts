// TF's Abs (core/kernels/cwise_op_abs.cc): |x| (integers wrap: abs(INT_MIN) = INT_MIN).

import type { Tensor } from "../framework/tensor.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { FLOAT_TYPES, T } from "./util/kernel-config.js";

export const absFns: UnaryFns = {
  float: Math.abs,
  floatExpr: "Math.abs(a)",
  bigint: (a) => (a < 0n ? -a : a),
};

export function abs(x: Tensor): Tensor {
  return unaryOp("Abs", x, absFns);
}

export const absConfig = unaryConfig({
  name: "Abs",
  typeAttr: "T: {bfloat16, half, float, double, int8, int16, int32, int64}",
  kernelTypes: [...FLOAT_TYPES, T.int8, T.int16, T.int32, T.int64],
  fns: absFns,
});
