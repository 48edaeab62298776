// TF's SqrtGrad (core/kernels/cwise_op_gradients, scalar_sqrt_gradient_op): z = 0.5 * dy / conj(y),
// the gradient of y = sqrt(x).

import { gradConfig } from "./util/cwise-grad.js";

export const sqrtGradConfig = gradConfig("SqrtGrad", {
  real: (y, dy) => (0.5 * dy) / y,
  complex: (yr, yi, dr, di, o) => {
    // 0.5·dy / conj(y) = 0.5·dy·y / |y|²
    const d = yr * yr + yi * yi;
    o[0] = (0.5 * (dr * yr - di * yi)) / d;
    o[1] = (0.5 * (dr * yi + di * yr)) / d;
  },
});
