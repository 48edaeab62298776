// TF's IsFinite (core/kernels/cwise_op_isfinite.cc): whether x is neither infinite nor NaN, element-wise (bool result).

import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { FLOAT_TYPES } from "./util/kernel-config.js";

export const isFiniteFns: UnaryFns = { float: (a) => (Number.isFinite(a) ? 1 : 0) };

export function isFiniteOp(x: Tensor): Tensor {
  return unaryOp("IsFinite", x, isFiniteFns, DataType.DT_BOOL);
}

export const isFiniteConfig = unaryConfig({
  name: "IsFinite",
  typeAttr: "T: {bfloat16, half, float, double}",
  kernelTypes: FLOAT_TYPES,
  fns: isFiniteFns,
  outType: "bool",
});
