// TF's UniqueWithCountsV2 (core/kernels/unique_op.cc): UniqueV2 plus how often each distinct slice
// occurs.

import { uniqueOpConfig } from "./util/unique-op.js";

export const uniqueWithCountsV2Config = uniqueOpConfig("UniqueWithCountsV2", true, true);
