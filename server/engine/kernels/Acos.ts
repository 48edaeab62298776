// TF's Acos (core/kernels/cwise_op_acos.cc): arccos(x) (NaN outside [-1, 1]), element-wise.

import type { Tensor } from "../framework/tensor.js";
import { cacos } from "./util/complex-math.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const acosFns: UnaryFns = { float: Math.acos, floatExpr: "Math.acos(a)", complex: cacos };

export function acos(x: Tensor): Tensor {
  return unaryOp("Acos", x, acosFns);
}

export const acosConfig = unaryConfig({
  name: "Acos",
  typeAttr: "T: {bfloat16, half, float, double, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: acosFns,
});
