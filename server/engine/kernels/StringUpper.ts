// TF's StringUpper (core/kernels/string_upper_op.cc): upper-cases each string, ASCII only or
// UTF-8 through ICU; shares StringLower's implementation.

import type { KernelConfig } from "./kernel-config.js";
import { caseOpConfig } from "./StringLower.js";

export const stringUpperConfig: KernelConfig = caseOpConfig("StringUpper", "upper");
