// TF's Sinh (core/kernels/cwise_op_sinh.cc): sinh(x), element-wise.

import type { Tensor } from "../framework/tensor.js";
import { csinh } from "./util/complex-math.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const sinhFns: UnaryFns = { float: Math.sinh, floatExpr: "Math.sinh(a)", complex: csinh };

export function sinh(x: Tensor): Tensor {
  return unaryOp("Sinh", x, sinhFns);
}

export const sinhConfig = unaryConfig({
  name: "Sinh",
  typeAttr: "T: {bfloat16, half, float, double, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: sinhFns,
});
