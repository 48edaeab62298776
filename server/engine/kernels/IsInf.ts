// TF's IsInf (core/kernels/cwise_op_isinf.cc): whether x is ±infinity, element-wise (bool result).

import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { FLOAT_TYPES } from "./util/kernel-config.js";

export const isInfFns: UnaryFns = { float: (a) => (a === Infinity || a === -Infinity ? 1 : 0) };

export function isInf(x: Tensor): Tensor {
  return unaryOp("IsInf", x, isInfFns, DataType.DT_BOOL);
}

export const isInfConfig = unaryConfig({
  name: "IsInf",
  typeAttr: "T: {bfloat16, half, float, double}",
  kernelTypes: FLOAT_TYPES,
  fns: isInfFns,
  outType: "bool",
});
