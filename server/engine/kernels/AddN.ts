// TF's AddN (core/kernels/aggregate_ops.cc): the sum of N same-shape tensors (of variant
// scalars, e.g. TensorLists: their ADD variant op).

import { invalidArgument } from "../framework/errors.js";
import { sameShape, shapeString, Tensor, type VariantValue } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { addFns } from "./Add.js";
import { binaryOp } from "./util/cwise.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { addVariants } from "./util/tensor-list.js";
import { copyTensor } from "./util/tensor-util.js";

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
  if (first.dtype === DataType.DT_VARIANT) return addNVariant(inputs);
  let acc = binaryOp("AddN", inputs[0]!, inputs[1]!, addFns);
  for (let i = 2; i < inputs.length; i++) acc = binaryOp("AddN", acc, inputs[i]!, addFns);
  return acc;
}

/** TF's AddN of variant scalars: ADD of input 0 and 1, then of the running sum and each next input. */
function addNVariant(inputs: readonly Tensor[]): Tensor {
  inputs.forEach((t, i) => {
    if (t.rank !== 0) {
      throw invalidArgument(
        `AddN of non-scalar Tensor with dtype=DT_VARIANT is not supported; inputs[${i} has shape: ${shapeString(t.shape)}.`,
      );
    }
  });
  const values = inputs.map((t) => (t.data as VariantValue[])[0]!);
  let acc = addVariants(values[0]!, values[1]!);
  for (let i = 2; i < values.length; i++) acc = addVariants(acc, values[i]!);
  return new Tensor(DataType.DT_VARIANT, [], [acc]);
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
