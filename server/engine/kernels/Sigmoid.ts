// TF's Sigmoid (core/kernels/cwise_op_sigmoid.cc): 1 / (1 + e^-x).

import type { Tensor } from "../framework/tensor.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { FLOAT_TYPES } from "./util/kernel-config.js";

export const sigmoidFns: UnaryFns = {
  float: (a) => 1 / (1 + Math.exp(-a)),
  floatExpr: "1 / (1 + Math.exp(-a))",
};

export function sigmoid(x: Tensor): Tensor {
  return unaryOp("Sigmoid", x, sigmoidFns);
}

export const sigmoidConfig = unaryConfig({
  name: "Sigmoid",
  typeAttr: "T: {bfloat16, half, float, double, complex64, complex128}",
  kernelTypes: FLOAT_TYPES,
  fns: sigmoidFns,
});
