// TF's UpperBound (core/kernels/searchsorted_op.cc): tf.searchsorted(side="right"), per row the
// first index whose sorted input is greater than the value.

import { searchSortedConfig } from "./util/search-sorted.js";

export const upperBoundConfig = searchSortedConfig("UpperBound", true);
