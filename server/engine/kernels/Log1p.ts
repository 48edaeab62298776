// TF's Log1p (core/kernels/cwise_op_log1p.cc): log(1 + x), accurate for small x, element-wise.

import type { Tensor } from "../framework/tensor.js";
import { clog1p } from "./util/complex-math.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const log1pFns: UnaryFns = { float: Math.log1p, floatExpr: "Math.log1p(a)", complex: clog1p };

export function log1p(x: Tensor): Tensor {
  return unaryOp("Log1p", x, log1pFns);
}

export const log1pConfig = unaryConfig({
  name: "Log1p",
  typeAttr: "T: {bfloat16, half, float, double, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: log1pFns,
});
