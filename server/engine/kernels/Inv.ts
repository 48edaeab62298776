// TF's Inv (core/kernels/cwise_op_inverse.cc): Reciprocal under its deprecated name, 1 / x.

import { reciprocalFns } from "./Reciprocal.js";
import { unaryConfig } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES, T } from "./util/kernel-config.js";

export const invConfig = unaryConfig({
  name: "Inv",
  typeAttr: "T: {bfloat16, half, float, double, int8, int16, int32, int64, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES, T.int32, T.int64],
  fns: reciprocalFns,
});
