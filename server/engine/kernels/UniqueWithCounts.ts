// TF's UniqueWithCounts (core/kernels/unique_op.cc): Unique plus how often each distinct element
// occurs (tf.unique_with_counts builds it).

import { uniqueOpConfig } from "./util/unique-op.js";

export const uniqueWithCountsConfig = uniqueOpConfig("UniqueWithCounts", false, true);
