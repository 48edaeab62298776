// TF's Rsqrt (core/kernels/cwise_op_rsqrt.cc): 1 / sqrt(x).

import type { Tensor } from "../framework/tensor.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { FLOAT_TYPES } from "./util/kernel-config.js";

export const rsqrtFns: UnaryFns = { float: (a) => 1 / Math.sqrt(a), floatExpr: "1 / Math.sqrt(a)" };

export function rsqrt(x: Tensor): Tensor {
  return unaryOp("Rsqrt", x, rsqrtFns);
}

export const rsqrtConfig = unaryConfig({
  name: "Rsqrt",
  typeAttr: "T: {bfloat16, half, float, double, complex64, complex128}",
  kernelTypes: FLOAT_TYPES,
  fns: rsqrtFns,
});
