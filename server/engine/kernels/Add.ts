// TF's Add (core/kernels/cwise_op_add_1.cc): x + y with broadcasting; also concatenates strings.

import type { Tensor } from "../framework/tensor.js";
import { type BinaryFns, binaryConfig, binaryOp, complexMath } from "./util/cwise.js";
import { NUMBER_TYPES, T } from "./util/kernel-config.js";

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export const addFns: BinaryFns = {
  float: (a, b) => a + b,
  floatExpr: "a + b",
  bigint: (a, b) => a + b,
  complex: complexMath.add,
  string: concatBytes,
};

export function add(x: Tensor, y: Tensor): Tensor {
  return binaryOp("Add", x, y, addFns);
}

export const addConfig = binaryConfig({
  name: "Add",
  typeAttr:
    "T: {bfloat16, half, float, double, uint8, int8, int16, int32, int64, complex64, complex128, string}",
  kernelTypes: [...NUMBER_TYPES, T.string],
  fns: addFns,
});
