// TF's TensorListPushBackBatch (core/kernels/list_kernels.h): for a vector of lists, appends row b
// of `tensor` to list b (what vectorized map_fn / pfor uses).

import { invalidArgument } from "../framework/errors.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { DataType, dataTypeString } from "../framework/types.js";
import { isTensorList } from "../framework/variant.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { sliceRows } from "./util/tensor-array.js";
import {
  isCompatibleWith,
  LIST_ELEMENT_TYPES,
  newSlots,
  partialShapeString,
  type TensorList,
  variantValues,
} from "./util/tensor-list.js";

export const tensorListPushBackBatchConfig: KernelConfig = {
  op: {
    name: "TensorListPushBackBatch",
    inputs: ["input_handles: variant", "tensor: element_dtype"],
    outputs: ["output_handles: variant"],
    attrs: ["element_dtype: type"],
  },
  kernel: cpuKernel("TensorListPushBackBatch", (c) => {
    const dtype = checkTypeConstraint(c, "element_dtype", LIST_ELEMENT_TYPES);
    return {
      compute(ctx) {
        const t = ctx.input(1);
        if (t.dtype !== dtype) {
          throw invalidArgument(
            `Invalid data types; list elements ${dataTypeString(dtype)} but tried to append ${dataTypeString(t.dtype)}`,
          );
        }
        if (t.rank === 0) {
          throw invalidArgument(
            `Expected tensor to be at least a vector, but saw shape: ${shapeString(t.shape)}`,
          );
        }
        const handles = ctx.input(0);
        if (handles.rank !== 1) {
          throw invalidArgument(
            `Expected input_handles to be a vector, but saw shape: ${shapeString(handles.shape)}`,
          );
        }
        const batch = handles.shape[0]!;
        if (t.shape[0] !== batch) {
          throw invalidArgument(
            `Expected tensor.shape[0] == input_handles.size, but saw ${t.shape[0]} vs. ${batch}`,
          );
        }
        const rowShape = t.shape.slice(1);
        const lists = variantValues(handles).map((v, b): TensorList => {
          if (!isTensorList(v)) {
            throw invalidArgument(`Input handle at index ${b} is not a list. Saw: '${v.debugString()}'`);
          }
          if (!isCompatibleWith(v.elementShape, rowShape)) {
            throw invalidArgument(
              `Tried to append a tensor with incompatible shape to a list at index ${b}. Op element shape: ` +
                `${shapeString(rowShape)} list shape: ${partialShapeString(v.elementShape)}`,
            );
          }
          if (v.elementDtype !== dtype) {
            throw invalidArgument(
              `Invalid data type at index ${b}; op elements ${dataTypeString(dtype)} but list elements ` +
                dataTypeString(v.elementDtype),
            );
          }
          return v;
        });
        newSlots(batch, batch);
        const out = lists.map((l, b) => l.push(sliceRows(t, b, 1, rowShape)));
        ctx.setOutput(0, new Tensor(DataType.DT_VARIANT, [batch], out));
      },
    };
  }),
};
