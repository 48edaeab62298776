// TF's Lgamma (core/kernels/cwise_op_lgamma.cc): log|Γ(x)|, element-wise (TF has no bfloat16 kernel).

import type { Tensor } from "../framework/tensor.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { T } from "./util/kernel-config.js";
import { lgamma as lgammaScalar } from "./util/special-math.js";

export const lgammaFns: UnaryFns = { float: lgammaScalar };

export function lgamma(x: Tensor): Tensor {
  return unaryOp("Lgamma", x, lgammaFns);
}

export const lgammaConfig = unaryConfig({
  name: "Lgamma",
  typeAttr: "T: {bfloat16, half, float, double}",
  kernelTypes: [T.float, T.double, T.half],
  fns: lgammaFns,
});
