// TF's Real (core/kernels/cwise_op_real.cc): the real part of each complex element.

import type { Tensor } from "../framework/tensor.js";
import { complexToReal, complexToRealConfig } from "./util/complex-parts.js";

const realPart = (re: number) => re;

export function real(x: Tensor): Tensor {
  return complexToReal(x, realPart);
}

export const realConfig = complexToRealConfig("Real", ["input", "output"], realPart);
