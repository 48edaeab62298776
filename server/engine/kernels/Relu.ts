// TF's Relu (core/kernels/relu_op.cc): max(x, 0).

import type { Tensor } from "../framework/tensor.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { REAL_NUMBER_TYPES } from "./util/kernel-config.js";

export const reluFns: UnaryFns = {
  float: (a) => (a > 0 || Number.isNaN(a) ? a : 0),
  floatExpr: "a > 0 || a !== a ? a : 0",
  bigint: (a) => (a > 0n ? a : 0n),
};

export function relu(x: Tensor): Tensor {
  return unaryOp("Relu", x, reluFns);
}

export const reluConfig = unaryConfig({
  name: "Relu",
  typeAttr: "T: {realnumbertype, qint8}",
  argNames: ["features", "activations"],
  kernelTypes: REAL_NUMBER_TYPES,
  fns: reluFns,
});
