// TF's Selu (core/kernels/relu_op_functor.h): scale·x for x ≥ 0, scale·alpha·(exp(x) − 1) below.

import type { Tensor } from "../framework/tensor.js";
import { activationConfig, SELU_SCALE, SELU_SCALE_ALPHA } from "./util/binary-elementwise.js";
import { unaryOp } from "./util/cwise.js";

export const seluFn = (x: number): number => (x < 0 ? SELU_SCALE_ALPHA * Math.expm1(x) : SELU_SCALE * x);

export function selu(features: Tensor): Tensor {
  return unaryOp("Selu", features, { float: seluFn });
}

export const seluConfig = activationConfig("Selu", [], () => seluFn);
