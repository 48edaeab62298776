// TF's InvGrad: ReciprocalGrad under its deprecated name (z = -dy * conj(y)²).

import { reciprocalGradFns } from "./ReciprocalGrad.js";
import { gradConfig } from "./util/cwise-grad.js";

export const invGradConfig = gradConfig("InvGrad", reciprocalGradFns);
