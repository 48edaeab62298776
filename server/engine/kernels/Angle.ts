// TF's Angle (core/kernels/cwise_op_arg.cc): the argument atan2(im, re) of each complex element,
// in (-π, π], as the real type.

import type { Tensor } from "../framework/tensor.js";
import { complexToReal, complexToRealConfig } from "./util/complex-parts.js";

const arg = (re: number, im: number) => Math.atan2(im, re);

export function angle(x: Tensor): Tensor {
  return complexToReal(x, arg);
}

export const angleConfig = complexToRealConfig("Angle", ["input", "output"], arg);
