// TF's Log (core/kernels/cwise_op_log.cc): Natural logarithm.

import type { Tensor } from "../framework/tensor.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const logFns: UnaryFns = {
  float: Math.log,
  floatExpr: "Math.log(a)",
  complex: (re, im, o) => {
    o[0] = Math.log(Math.hypot(re, im));
    o[1] = Math.atan2(im, re);
  },
};

export function log(x: Tensor): Tensor {
  return unaryOp("Log", x, logFns);
}

export const logConfig = unaryConfig({
  name: "Log",
  typeAttr: "T: {bfloat16, half, float, double, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: logFns,
});
