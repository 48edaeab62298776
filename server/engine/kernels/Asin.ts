// TF's Asin (core/kernels/cwise_op_asin.cc): arcsin(x) (NaN outside [-1, 1]), element-wise.

import type { Tensor } from "../framework/tensor.js";
import { casin } from "./util/complex-math.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const asinFns: UnaryFns = { float: Math.asin, floatExpr: "Math.asin(a)", complex: casin };

export function asin(x: Tensor): Tensor {
  return unaryOp("Asin", x, asinFns);
}

export const asinConfig = unaryConfig({
  name: "Asin",
  typeAttr: "T: {bfloat16, half, float, double, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: asinFns,
});
