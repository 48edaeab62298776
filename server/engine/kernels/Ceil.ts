// TF's Ceil (core/kernels/cwise_op_ceil.cc): Smallest integer >= x.

import type { Tensor } from "../framework/tensor.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { FLOAT_TYPES } from "./util/kernel-config.js";

export const ceilFns: UnaryFns = { float: Math.ceil, floatExpr: "Math.ceil(a)" };

export function ceil(x: Tensor): Tensor {
  return unaryOp("Ceil", x, ceilFns);
}

export const ceilConfig = unaryConfig({
  name: "Ceil",
  typeAttr: "T: {bfloat16, half, float, double}",
  kernelTypes: FLOAT_TYPES,
  fns: ceilFns,
});
