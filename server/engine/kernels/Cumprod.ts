// TF's Cumprod (core/kernels/scan_ops.cc): the running product along `axis` (see Cumsum.ts).

import { scanConfig } from "./Cumsum.js";
import type { KernelConfig } from "./util/kernel-config.js";

export const cumprodConfig: KernelConfig = scanConfig("Cumprod", "prod");
