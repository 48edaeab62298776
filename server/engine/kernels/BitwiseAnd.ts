// TF's BitwiseAnd (core/kernels/cwise_op_bitwise_and.cc): x & y on integers, broadcasting.

import { BITWISE_TYPE_ATTR, BITWISE_TYPES } from "./util/bitwise.js";
import { binaryConfig } from "./util/cwise.js";

export const bitwiseAndConfig = binaryConfig({
  name: "BitwiseAnd",
  typeAttr: BITWISE_TYPE_ATTR,
  kernelTypes: BITWISE_TYPES,
  fns: { float: (a, b) => a & b, bigint: (a, b) => a & b },
  isCommutative: true,
});
