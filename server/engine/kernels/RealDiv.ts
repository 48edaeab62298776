// TF's RealDiv (core/kernels/cwise_op_div.cc): x / y for floating and complex types (TF has no
// integer RealDiv kernels; the op allows them but placing one fails kernel lookup).

import type { Tensor } from "../framework/tensor.js";
import { type BinaryFns, binaryConfig, binaryOp, complexMath } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const realDivFns: BinaryFns = {
  float: (a, b) => a / b,
  floatExpr: "a / b",
  complex: complexMath.div,
};

export function realDiv(x: Tensor, y: Tensor): Tensor {
  return binaryOp("RealDiv", x, y, realDivFns);
}

export const realDivConfig = binaryConfig({
  name: "RealDiv",
  typeAttr:
    "T: {bfloat16, half, float, double, uint8, int8, uint16, int16, int32, uint32, uint64, int64, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: realDivFns,
});
