// TF's IsNan (core/kernels/cwise_op_isnan.cc): whether x is NaN, element-wise (bool result).

import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { FLOAT_TYPES } from "./util/kernel-config.js";

export const isNanFns: UnaryFns = { float: (a) => (Number.isNaN(a) ? 1 : 0) };

export function isNan(x: Tensor): Tensor {
  return unaryOp("IsNan", x, isNanFns, DataType.DT_BOOL);
}

export const isNanConfig = unaryConfig({
  name: "IsNan",
  typeAttr: "T: {bfloat16, half, float, double}",
  kernelTypes: FLOAT_TYPES,
  fns: isNanFns,
  outType: "bool",
});
