// TF's Maximum (core/kernels/cwise_op_maximum.cc): max(x, y) with broadcasting; NaN propagates (Eigen's scalar_max_op with PropagateNaN).

import type { Tensor } from "../framework/tensor.js";
import { type BinaryFns, binaryConfig, binaryOp } from "./util/cwise.js";
import { REAL_NUMBER_TYPES } from "./util/kernel-config.js";

export const maximumFns: BinaryFns = {
  float: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b)),
  floatExpr: "a !== a || b !== b ? Number.NaN : Math.max(a, b)",
  // biome-ignore lint/complexity/useMathMinMax: Math.max does not take bigints
  bigint: (a, b) => (a > b ? a : b),
};

export function maximum(x: Tensor, y: Tensor): Tensor {
  return binaryOp("Maximum", x, y, maximumFns);
}

export const maximumConfig = binaryConfig({
  name: "Maximum",
  typeAttr: "T: {bfloat16, half, float, double, int8, uint8, int16, uint16, int32, uint32, int64, uint64}",
  kernelTypes: REAL_NUMBER_TYPES,
  fns: maximumFns,
});
