// TF's Softplus (core/kernels/softplus_op.h): log(1 + exp(x)), computed like TF's functor: with
// threshold = log(ε_T) + 2, x itself above −threshold and exp(x) below threshold (so half and
// bfloat16 switch much earlier than float32, as in TF).

import type { Tensor } from "../framework/tensor.js";
import type { DataType } from "../framework/types.js";
import { activationConfig, epsilonOf } from "./util/binary-elementwise.js";
import { unaryOp } from "./util/cwise.js";

export function softplusFn(dtype: DataType): (x: number) => number {
  const threshold = Math.log(epsilonOf(dtype)) + 2;
  return (x) => (x > -threshold ? x : x < threshold ? Math.exp(x) : Math.log1p(Math.exp(x)));
}

export function softplus(features: Tensor): Tensor {
  return unaryOp("Softplus", features, { float: softplusFn(features.dtype) });
}

export const softplusConfig = activationConfig("Softplus", [], (t) => ({ float: softplusFn(t) }));
