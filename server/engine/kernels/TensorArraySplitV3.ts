// TF's TensorArraySplitV3 (core/kernels/tensor_array_ops.cc TensorArraySplitOp): cuts `value`
// along dimension 0 into pieces of `lengths` and writes piece i at index i.

import { invalidArgument } from "../framework/errors.js";
import { shapeString } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { checkWriteDtype, sliceRows, tensorArrayFromInput } from "./util/tensor-array.js";
import { readInts } from "./util/tensor-util.js";

export const tensorArraySplitV3Config: KernelConfig = {
  op: {
    name: "TensorArraySplitV3",
    inputs: ["handle: resource", "value: T", "lengths: int64", "flow_in: float"],
    outputs: ["flow_out: float"],
    attrs: ["T: type"],
    isStateful: true,
  },
  kernel: cpuKernel("TensorArraySplitV3", () => ({
    compute(ctx) {
      ctx.setOutput(0, ctx.input(3));
      const ta = tensorArrayFromInput(ctx);
      const value = ctx.input(1);
      const lengthsTensor = ctx.input(2);
      if (lengthsTensor.rank !== 1) {
        throw invalidArgument(
          `Expected lengths to be a vector, received shape: ${shapeString(lengthsTensor.shape)}`,
        );
      }
      const lengths = readInts(lengthsTensor);
      const total = lengths.reduce((a, b) => a + b, 0);
      if (value.rank === 0) {
        throw invalidArgument(
          `Expected value to be at least a vector, but received shape: ${shapeString(value.shape)}`,
        );
      }
      if (total !== value.shape[0]) {
        throw invalidArgument(
          `Expected sum of lengths to be equal to values.shape[0], but sum of lengths is ${total} and value's ` +
            `shape is: ${shapeString(value.shape)}`,
        );
      }
      let arraySize = ta.size();
      if (ta.hasDynamicSize && arraySize < lengths.length) arraySize = lengths.length;
      if (arraySize !== lengths.length) {
        throw invalidArgument(
          `TensorArray's size is not equal to the size of lengths (${arraySize} vs. ${lengths.length}), and the ` +
            "TensorArray is not marked as dynamically resizeable",
        );
      }
      checkWriteDtype(ta, value);
      const rest = value.shape.slice(1);
      const pieces: ReturnType<typeof sliceRows>[] = [];
      let start = 0;
      for (const len of lengths) {
        pieces.push(sliceRows(value, start, len, [len, ...rest]));
        start += len;
      }
      ta.setMarkedSize(arraySize);
      pieces.forEach((p, i) => {
        ta.write(i, p);
      });
    },
  })),
};
