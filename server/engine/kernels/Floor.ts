// TF's Floor (core/kernels/cwise_op_floor.cc): Largest integer <= x.

import type { Tensor } from "../framework/tensor.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { FLOAT_TYPES } from "./util/kernel-config.js";

export const floorFns: UnaryFns = { float: Math.floor, floatExpr: "Math.floor(a)" };

export function floor(x: Tensor): Tensor {
  return unaryOp("Floor", x, floorFns);
}

export const floorConfig = unaryConfig({
  name: "Floor",
  typeAttr: "T: {bfloat16, half, float, double}",
  kernelTypes: FLOAT_TYPES,
  fns: floorFns,
});
