// TF's Minimum (core/kernels/cwise_op_minimum.cc): min(x, y) with broadcasting; NaN propagates.

import type { Tensor } from "../framework/tensor.js";
import { type BinaryFns, binaryConfig, binaryOp } from "./util/cwise.js";
import { REAL_NUMBER_TYPES } from "./util/kernel-config.js";

export const minimumFns: BinaryFns = {
  float: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b)),
  floatExpr: "a !== a || b !== b ? Number.NaN : Math.min(a, b)",
  // biome-ignore lint/complexity/useMathMinMax: Math.min does not take bigints
  bigint: (a, b) => (a < b ? a : b),
};

export function minimum(x: Tensor, y: Tensor): Tensor {
  return binaryOp("Minimum", x, y, minimumFns);
}

export const minimumConfig = binaryConfig({
  name: "Minimum",
  typeAttr: "T: {bfloat16, half, float, double, int8, uint8, int16, uint16, int32, uint32, int64, uint64}",
  kernelTypes: REAL_NUMBER_TYPES,
  fns: minimumFns,
});
