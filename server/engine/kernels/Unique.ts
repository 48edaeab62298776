// TF's Unique (core/kernels/unique_op.cc): the distinct elements of a vector in order of first
// occurrence and each element's index among them. tf.unique builds it.

import { uniqueOpConfig } from "./util/unique-op.js";

export const uniqueConfig = uniqueOpConfig("Unique", false, false);
