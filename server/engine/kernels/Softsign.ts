// TF's Softsign (core/kernels/softsign_op.h): x / (1 + |x|).

import type { Tensor } from "../framework/tensor.js";
import { activationConfig } from "./util/binary-elementwise.js";
import { unaryOp } from "./util/cwise.js";

export const softsignFn = (x: number): number => x / (1 + Math.abs(x));

export function softsign(features: Tensor): Tensor {
  return unaryOp("Softsign", features, { float: softsignFn });
}

export const softsignConfig = activationConfig("Softsign", [], () => softsignFn);
