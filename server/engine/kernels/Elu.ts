// TF's Elu (core/kernels/relu_op_functor.h): x < 0 ? exp(x) − 1 : x.

import type { Tensor } from "../framework/tensor.js";
import { activationConfig } from "./util/binary-elementwise.js";
import { unaryOp } from "./util/cwise.js";

export const eluFn = (x: number): number => (x < 0 ? Math.expm1(x) : x);

export function elu(features: Tensor): Tensor {
  return unaryOp("Elu", features, { float: eluFn });
}

export const eluConfig = activationConfig("Elu", [], () => eluFn);
