// TF's AddN (core/kernels/aggregate_ops.cc): the sum of N same-shape tensors.

import { invalidArgument } from "../framework/errors.js";
import { sameShape, shapeString, type Tensor } from "../framework/tensor.js";
import { addFns } from "./Add.js";
import { binaryOp } from "./cwise.js";
import { type KernelConfig, simpleKernel } from "./kernel-config.js";
import { copyTensor } from "./tensor-util.js";

export function addN(inputs: readonly Tensor[]): Tensor {
  const first = inputs[0]!;
  inputs.forEach((t, i) => {
    if (!sameShape(t.shape, first.shape)) {
      throw invalidArgument(
        `Inputs to operation AddN of type AddN must have the same size and shape.  Input 0: ${shapeString(first.shape)} != input ${i}: ${shapeString(t.shape)}`,
      );
    }
  });
  if (inputs.length === 1) return copyTensor(first);
  let acc = binaryOp("AddN", inputs[0]!, inputs[1]!, addFns);
  for (let i = 2; i < inputs.length; i++) acc = binaryOp("AddN", acc, inputs[i]!, addFns);
  return acc;
}

export const addNConfig: KernelConfig = {
  op: {
    name: "AddN",
    inputs: ["inputs: N * T"],
    outputs: ["sum: T"],
    attrs: ["N: int >= 1", "T: {numbertype, variant}"],
    isCommutative: true,
    isAggregate: true,
  },
  kernel: simpleKernel("AddN", (ctx) =>
    ctx.setOutput(0, addN(Array.from({ length: ctx.numInputs }, (_, i) => ctx.input(i)))),
  ),
};
