// TF's LowerBound (core/kernels/searchsorted_op.cc): tf.searchsorted(side="left"), per row the
// first index whose sorted input is not less than the value.

import { searchSortedConfig } from "./util/search-sorted.js";

export const lowerBoundConfig = searchSortedConfig("LowerBound", false);
