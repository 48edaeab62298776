// TF's InvGrad: ReciprocalGrad under its deprecated name (z = -dy * conj(y)²).

import { gradConfig } from "./cwise-grad.js";
import { reciprocalGradFns } from "./ReciprocalGrad.js";

export const invGradConfig = gradConfig("InvGrad", reciprocalGradFns);
