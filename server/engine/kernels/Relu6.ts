// TF's Relu6 (core/kernels/relu_op.cc): min(max(x, 0), 6).

import type { Tensor } from "../framework/tensor.js";
import { type UnaryFns, unaryConfig, unaryOp } from "./util/cwise.js";
import { REAL_NUMBER_TYPES } from "./util/kernel-config.js";

export const relu6Fns: UnaryFns = {
  float: (a) => (Number.isNaN(a) ? a : Math.min(Math.max(a, 0), 6)),
  floatExpr: "a !== a ? a : Math.min(Math.max(a, 0), 6)",
  bigint: (a) => (a < 0n ? 0n : a > 6n ? 6n : a),
};

export function relu6(x: Tensor): Tensor {
  return unaryOp("Relu6", x, relu6Fns);
}

export const relu6Config = unaryConfig({
  name: "Relu6",
  argNames: ["features", "activations"],
  typeAttr: "T: realnumbertype",
  kernelTypes: REAL_NUMBER_TYPES,
  fns: relu6Fns,
});
