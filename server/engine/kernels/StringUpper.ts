// TF's StringUpper (core/kernels/string_upper_op.cc): upper-cases each string, ASCII only or
// UTF-8 through ICU; shares StringLower's implementation.

import { caseOpConfig } from "./StringLower.js";
import type { KernelConfig } from "./util/kernel-config.js";

export const stringUpperConfig: KernelConfig = caseOpConfig("StringUpper", "upper");
