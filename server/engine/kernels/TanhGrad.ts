// TF's TanhGrad (core/kernels/cwise_op_gradients.h, SimpleBinaryOp): z = dy · (1 − y²) from the
// tanh's output y.

import type { Tensor } from "../framework/tensor.js";
import { type GradFns, gradConfig, simpleBinaryGrad } from "./SigmoidGrad.js";

export const tanhGradFns: GradFns = {
  real: (y, dy) => dy * (1 - y * y),
  complex: (yr, yi, dr, di, out) => {
    // t = 1 − y²; z = dy · t
    const tr = 1 - (yr * yr - yi * yi);
    const ti = -2 * yr * yi;
    out[0] = dr * tr - di * ti;
    out[1] = dr * ti + di * tr;
  },
};

export function tanhGrad(y: Tensor, dy: Tensor): Tensor {
  return simpleBinaryGrad(y, dy, tanhGradFns);
}

export const tanhGradConfig = gradConfig("TanhGrad", tanhGradFns);
