// TF's RsqrtGrad (scalar_rsqrt_gradient_op): z = -0.5 * dy * conj(y)³, the gradient of
// y = 1/sqrt(x).

import { cmul, gradConfig } from "./util/cwise-grad.js";

export const rsqrtGradConfig = gradConfig("RsqrtGrad", {
  real: (y, dy) => -0.5 * (dy * y) * (y * y),
  complex: (yr, yi, dr, di, o) => {
    const c = new Float64Array(2);
    cmul(dr, di, yr, -yi, c);
    cmul(c[0]!, c[1]!, yr, -yi, c);
    cmul(c[0]!, c[1]!, yr, -yi, o);
    o[0] = -0.5 * o[0]!;
    o[1] = -0.5 * o[1]!;
  },
});
