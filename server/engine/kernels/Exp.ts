// TF's Exp (core/kernels/cwise_op_exp.cc): e^x.

import type { Tensor } from "../framework/tensor.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { COMPLEX_TYPES, FLOAT_TYPES } from "./util/kernel-config.js";

export const expFns: UnaryFns = {
  float: Math.exp,
  floatExpr: "Math.exp(a)",
  complex: (re, im, o) => {
    const m = Math.exp(re);
    o[0] = m * Math.cos(im);
    o[1] = m * Math.sin(im);
  },
};

export function exp(x: Tensor): Tensor {
  return unaryOp("Exp", x, expFns);
}

export const expConfig = unaryConfig({
  name: "Exp",
  typeAttr: "T: {bfloat16, half, float, double, complex64, complex128}",
  kernelTypes: [...FLOAT_TYPES, ...COMPLEX_TYPES],
  fns: expFns,
});
