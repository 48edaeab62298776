// TF's Invert (core/kernels/cwise_op_invert.cc): ~x on integers (the typed output wraps the
// two's-complement result into unsigned dtypes).

import { BITWISE_TYPE_ATTR, BITWISE_TYPES } from "./util/bitwise.js";
import { unaryConfig } from "./util/cwise.js";

export const invertConfig = unaryConfig({
  name: "Invert",
  typeAttr: BITWISE_TYPE_ATTR,
  kernelTypes: BITWISE_TYPES,
  fns: { float: (a) => ~a, bigint: (a) => ~a },
});
