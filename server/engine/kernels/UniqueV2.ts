// TF's UniqueV2 (core/kernels/unique_op.cc): the distinct slices of x along axis (a one-element
// vector; empty for a vector x) in order of first occurrence, and each slice's index among them.

import { uniqueOpConfig } from "./util/unique-op.js";

export const uniqueV2Config = uniqueOpConfig("UniqueV2", true, false);
