// TF's TensorListGather (core/kernels/list_kernels.h): the elements at `indices` (flattened),
// stacked along a new dimension 0; unset elements read as zeros of the element shape.

import { invalidArgument } from "../framework/errors.js";
import { Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import {
  checkListDtype,
  elementShapeFromInput,
  isFullyDefined,
  LIST_ELEMENT_TYPES,
  listInput,
  mergeShapes,
  partialShapeString,
  stackElements,
} from "./util/tensor-list.js";

export const tensorListGatherConfig: KernelConfig = {
  op: {
    name: "TensorListGather",
    inputs: ["input_handle: variant", "indices: int32", "element_shape: int32"],
    outputs: ["values: element_dtype"],
    attrs: ["element_dtype: type"],
  },
  kernel: cpuKernel("TensorListGather", (c) => {
    const dtype = checkTypeConstraint(c, "element_dtype", LIST_ELEMENT_TYPES);
    return {
      compute(ctx) {
        const list = listInput(ctx, 0);
        checkListDtype(dtype, list);
        const indices = ctx.input(1).data as Int32Array;
        let shape = elementShapeFromInput(ctx, list, 2);
        if (!isFullyDefined(shape) && indices.length === 0) {
          throw invalidArgument(
            `Tried to gather 0-elements from a list with non-fully-defined shape: ${partialShapeString(shape)}`,
          );
        }
        if (!isFullyDefined(list.elementShape)) {
          for (const i of indices) {
            if (i < 0 || i >= list.length) {
              throw invalidArgument(`Trying to gather element ${i} in a list with ${list.length} elements.`);
            }
            const t = list.get(i);
            if (t !== undefined) shape = mergeShapes(shape, t.shape);
          }
        }
        if (!isFullyDefined(shape)) {
          throw invalidArgument(
            "Tried to gather uninitialized tensors from a list with non-fully-defined element_shape: " +
              partialShapeString(shape),
          );
        }
        // TF skips the range check when the result is empty (no element is read).
        if (indices.length === 0 || shape.includes(0)) {
          ctx.setOutput(0, Tensor.zeros(dtype, [indices.length, ...shape]));
          return;
        }
        const elements = Array.from(indices, (i) => {
          if (i < 0 || i >= list.length) {
            throw invalidArgument(`Index ${i} out o range; list only has ${list.length} elements.`);
          }
          return list.get(i);
        });
        ctx.setOutput(0, stackElements(elements, dtype, shape));
      },
    };
  }),
};
