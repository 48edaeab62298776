// TF's Imag (core/kernels/cwise_op_imag.cc): the imaginary part of each complex element.

import type { Tensor } from "../framework/tensor.js";
import { complexToReal, complexToRealConfig } from "./util/complex-parts.js";

const imagPart = (_re: number, im: number) => im;

export function imag(x: Tensor): Tensor {
  return complexToReal(x, imagPart);
}

export const imagConfig = complexToRealConfig("Imag", ["input", "output"], imagPart);
