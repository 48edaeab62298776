// TF's Asinh (core/kernels/cwise_op_asinh.cc): asinh(x), element-wise.

import type { Tensor } from "../framework/tensor.js";
import { casinh } from "./util/complex-math.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const asinhFns: UnaryFns = { float: Math.asinh, floatExpr: "Math.asinh(a)", complex: casinh };

export function asinh(x: Tensor): Tensor {
  return unaryOp("Asinh", x, asinhFns);
}

export const asinhConfig = unaryConfig({
  name: "Asinh",
  typeAttr: "T: {bfloat16, half, float, double, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: asinhFns,
});
