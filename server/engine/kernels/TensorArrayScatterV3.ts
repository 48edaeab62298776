// TF's TensorArrayScatterV3 (core/kernels/tensor_array_ops.cc TensorArrayUnpackOrScatterOp):
// writes row i of `value` at indices[i]; a dynamically sized array grows to fit.

import { invalidArgument } from "../framework/errors.js";
import { shapeString } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { checkWriteDtype, indexVector, sliceRows, tensorArrayFromInput } from "./util/tensor-array.js";

export const tensorArrayScatterV3Config: KernelConfig = {
  op: {
    name: "TensorArrayScatterV3",
    inputs: ["handle: resource", "indices: int32", "value: T", "flow_in: float"],
    outputs: ["flow_out: float"],
    attrs: ["T: type"],
    isStateful: true,
  },
  kernel: cpuKernel("TensorArrayScatterV3", () => ({
    compute(ctx) {
      ctx.setOutput(0, ctx.input(3));
      const ta = tensorArrayFromInput(ctx);
      const value = ctx.input(2);
      checkWriteDtype(ta, value);
      if (value.rank === 0) {
        throw invalidArgument(
          `Input value for unpack must be at least a vector but received shape: ${shapeString(value.shape)}`,
        );
      }
      let arraySize = ta.size();
      const indices = indexVector(ctx, 1);
      const rows = value.shape[0]!;
      if (indices.length !== rows) {
        throw invalidArgument(
          `Expected len(indices) == values.shape[0], but saw: ${indices.length} vs. ${rows}`,
        );
      }
      let maxIndex = -1;
      for (const i of indices) maxIndex = Math.max(maxIndex, i);
      if (ta.hasDynamicSize && arraySize < maxIndex + 1) arraySize = maxIndex + 1;
      if (maxIndex >= arraySize) {
        throw invalidArgument(`Max scatter index must be < array size (${maxIndex} vs. ${arraySize})`);
      }
      const elementShape = value.shape.slice(1);
      indices.forEach((index, i) => {
        ta.write(index, sliceRows(value, i, 1, elementShape));
      });
    },
  })),
};
