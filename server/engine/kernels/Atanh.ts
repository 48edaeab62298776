// TF's Atanh (core/kernels/cwise_op_atanh.cc): atanh(x) (±inf at ±1, NaN outside), element-wise.

import type { Tensor } from "../framework/tensor.js";
import { catanh } from "./util/complex-math.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const atanhFns: UnaryFns = { float: Math.atanh, floatExpr: "Math.atanh(a)", complex: catanh };

export function atanh(x: Tensor): Tensor {
  return unaryOp("Atanh", x, atanhFns);
}

export const atanhConfig = unaryConfig({
  name: "Atanh",
  typeAttr: "T: {bfloat16, half, float, double, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: atanhFns,
});
