// TF's ReciprocalGrad (scalar_inverse_gradient_op): z = -dy * conj(y)², the gradient of y = 1/x.
// InvGrad.ts is the same kernel under the op's old name.

import { cmul, type GradFns, gradConfig } from "./util/cwise-grad.js";

export const reciprocalGradFns: GradFns = {
  real: (y, dy) => -dy * y * y,
  complex: (yr, yi, dr, di, o) => {
    cmul(-dr, -di, yr, -yi, o);
    cmul(o[0]!, o[1]!, yr, -yi, o);
  },
};

export const reciprocalGradConfig = gradConfig("ReciprocalGrad", reciprocalGradFns);
