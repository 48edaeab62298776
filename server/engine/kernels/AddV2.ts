// TF's AddV2 (core/kernels/cwise_op_add_1.cc): x + y with broadcasting (commutative, aggregate).

import type { Tensor } from "../framework/tensor.js";
import { addFns } from "./Add.js";
import { binaryConfig, binaryOp } from "./util/cwise.js";
import { NUMBER_TYPES } from "./util/kernel-config.js";

export function addV2(x: Tensor, y: Tensor): Tensor {
  return binaryOp("AddV2", x, y, addFns);
}

export const addV2Config = binaryConfig({
  name: "AddV2",
  typeAttr:
    "T: {bfloat16, half, float, double, uint8, uint16, uint32, uint64, int8, int16, int32, int64, complex64, complex128}",
  kernelTypes: NUMBER_TYPES,
  fns: addFns,
  isCommutative: true,
  isAggregate: true,
});
