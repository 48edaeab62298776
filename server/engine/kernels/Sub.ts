// TF's Sub (core/kernels/cwise_op_sub.cc): x - y with broadcasting.

import type { Tensor } from "../framework/tensor.js";
import { type BinaryFns, binaryConfig, binaryOp, complexMath } from "./util/cwise.js";
import { NUMBER_TYPES } from "./util/kernel-config.js";

export const subFns: BinaryFns = {
  float: (a, b) => a - b,
  floatExpr: "a - b",
  bigint: (a, b) => a - b,
  complex: complexMath.sub,
};

export function sub(x: Tensor, y: Tensor): Tensor {
  return binaryOp("Sub", x, y, subFns);
}

export const subConfig = binaryConfig({
  name: "Sub",
  typeAttr:
    "T: {bfloat16, half, float, double, uint8, int8, uint16, int16, int32, int64, complex64, complex128, uint32, uint64}",
  kernelTypes: NUMBER_TYPES,
  fns: subFns,
});
