// TF's AddN (core/kernels/aggregate_ops.cc): the sum of N same-shape tensors (of variant
// scalars, e.g. TensorLists: their ADD variant op).

import { invalidArgument } from "../framework/errors.js";
import { sameShape, shapeString, Tensor, type VariantValue } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { addFns } from "./Add.js";
import { binaryJob } from "./util/cwise.js";
import { jobSlices, SLICED_MIN_ELEMENTS } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { drainSync, outputSlices, type Slices } from "./util/slices.js";
import { addVariants } from "./util/tensor-list.js";
import { copyTensor } from "./util/tensor-util.js";

export function addN(inputs: readonly Tensor[]): Tensor {
  return drainSync(addNSlices(inputs));
}

/**
 * addN as slices: the running sum adds one input at a time, each addition an element job
 * (util/element-slices.ts) cut into pieces, in the same order as whole.
 */
function* addNSlices(inputs: readonly Tensor[]): Slices<Tensor> {
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
  let acc = yield* jobSlices(binaryJob("AddN", inputs[0]!, inputs[1]!, addFns));
  for (let i = 2; i < inputs.length; i++) acc = yield* jobSlices(binaryJob("AddN", acc, inputs[i]!, addFns));
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
  kernel: cpuKernel("AddN", () => ({
    compute(ctx) {
      const inputs = Array.from({ length: ctx.numInputs }, (_, i) => ctx.input(i));
      // Small sums run whole here; large ones continue in slices.
      if (inputs[0]!.numElements * (inputs.length - 1) < SLICED_MIN_ELEMENTS) {
        ctx.setOutput(0, addN(inputs));
        return;
      }
      return outputSlices(ctx, addNSlices(inputs));
    },
  })),
};
