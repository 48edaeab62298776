// TF's TensorListScatterIntoExistingList (core/kernels/list_kernels.h): the list with element
// indices[i] replaced by row i of `tensor`, grown to fit the largest index. TF checks no element
// shape here. Slots it grows are unset (TF 2.21 leaves default float tensors there, which its
// Stack reads out of bounds and other dtypes CHECK-fail on); a negative index, which TF writes
// out of bounds, is refused.

import { invalidArgument } from "../framework/errors.js";
import { shapeString } from "../framework/tensor.js";
import { dataTypeString } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { sliceRows } from "./util/tensor-array.js";
import { LIST_ELEMENT_TYPES, listInput, listScalar, resizeList } from "./util/tensor-list.js";

export const tensorListScatterIntoExistingListConfig: KernelConfig = {
  op: {
    name: "TensorListScatterIntoExistingList",
    inputs: ["input_handle: variant", "tensor: element_dtype", "indices: int32"],
    outputs: ["output_handle: variant"],
    attrs: ["element_dtype: type"],
  },
  kernel: cpuKernel("TensorListScatterIntoExistingList", (c) => {
    checkTypeConstraint(c, "element_dtype", LIST_ELEMENT_TYPES);
    return {
      compute(ctx) {
        const list = listInput(ctx, 0);
        const value = ctx.input(1);
        const indicesTensor = ctx.input(2);
        if (value.dtype !== list.elementDtype) {
          throw invalidArgument(
            `Invalid data types; input tensor type: ${dataTypeString(value.dtype)} list element_type: ` +
              dataTypeString(list.elementDtype),
          );
        }
        if (value.rank === 0) {
          throw invalidArgument(
            `Tensor must be at least a vector, but saw shape: ${shapeString(value.shape)}`,
          );
        }
        if (indicesTensor.rank !== 1) {
          throw invalidArgument(
            `Expected indices to be a vector, but received shape: ${shapeString(indicesTensor.shape)}`,
          );
        }
        const indices = indicesTensor.data as Int32Array;
        if (indices.length !== value.shape[0]) {
          throw invalidArgument(
            `Expected len(indices) == tensor.shape[0], but saw: ${indices.length} vs. ${value.shape[0]}`,
          );
        }
        let highest = -1;
        for (const i of indices) {
          if (i < 0)
            throw invalidArgument("Indices in TensorListScatterIntoExistingList must all be non-negative.");
          highest = Math.max(highest, i);
        }
        let out = highest + 1 > list.length ? resizeList(list, highest + 1) : list;
        const rowShape = value.shape.slice(1);
        indices.forEach((index, k) => {
          out = out.set(index, sliceRows(value, k, 1, rowShape));
        });
        ctx.setOutput(0, listScalar(out));
      },
    };
  }),
};
