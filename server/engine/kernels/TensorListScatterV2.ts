// TF's TensorListScatterV2 (core/kernels/list_kernels.h TensorListScatter): a new list whose
// element indices[i] is row i of `tensor`; its length is num_elements, or (-1) one past the largest
// index. Unscattered elements are unset. TensorListScatter (v1) shares this without num_elements.

import { invalidArgument } from "../framework/errors.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { sliceRows } from "./util/tensor-array.js";
import {
  checkShapeInputRank,
  isCompatibleWith,
  LIST_ELEMENT_TYPES,
  listScalar,
  newSlots,
  partialShapeString,
  shapeFromTensor,
  TensorList,
} from "./util/tensor-list.js";

/** Writes row k of `value` at indices[k] of `tensors` (indices already checked). */
function scatterRows(tensors: (Tensor | undefined)[], value: Tensor, indices: Int32Array): void {
  const rowShape = value.shape.slice(1);
  indices.forEach((i, k) => {
    tensors[i] = sliceRows(value, k, 1, rowShape);
  });
}

/** TensorListScatter and TensorListScatterV2 (`withNumElements`). */
export function scatterIntoNewList(ctx: OpKernelContext, withNumElements: boolean): void {
  checkShapeInputRank(ctx.input(2), "TensorListScatter");
  const shape = shapeFromTensor(ctx.input(2));
  let numElements = -1;
  if (withNumElements) {
    const n = ctx.input(3);
    if (n.rank !== 0) throw invalidArgument("num_elements must be a scalar");
    numElements = (n.data as Int32Array)[0]!;
  }
  if (numElements < -1) {
    throw invalidArgument(`TensorListScatter expects num_elements >= -1, found: ${numElements}`);
  }
  const value = ctx.input(0);
  if (value.rank === 0) {
    throw invalidArgument(`Tensor must be at least a vector, but saw shape: ${shapeString(value.shape)}`);
  }
  const rowShape = value.shape.slice(1);
  if (!isCompatibleWith(shape, rowShape)) {
    throw invalidArgument(
      `Specified a list with shape ${partialShapeString(shape)} from a tensor with shape ${shapeString(rowShape)}`,
    );
  }
  const indices = ctx.input(1).data as Int32Array;
  if (indices.length !== value.shape[0]) {
    throw invalidArgument(
      `Invalid number of rows in input tensor. Expected: ${indices.length} Actual: ${value.shape[0]}`,
    );
  }
  let highest = -1;
  for (const i of indices) {
    if (i < 0) throw invalidArgument("Indices in TensorListScatter must all be non-negative.");
    if (numElements !== -1 && i >= numElements) {
      throw invalidArgument(
        `TensorListScatter: Trying to scatter at index ${i} in list with size ${numElements}`,
      );
    }
    highest = Math.max(highest, i);
  }
  const size = Math.max(highest + 1, numElements);
  const tensors = newSlots(size, size);
  scatterRows(tensors, value, indices);
  ctx.setOutput(0, listScalar(new TensorList(value.dtype, shape, tensors)));
}

export const tensorListScatterV2Config: KernelConfig = {
  op: {
    name: "TensorListScatterV2",
    inputs: ["tensor: element_dtype", "indices: int32", "element_shape: shape_type", "num_elements: int32"],
    outputs: ["output_handle: variant"],
    attrs: ["element_dtype: type", "shape_type: {int32, int64}"],
  },
  kernel: cpuKernel("TensorListScatterV2", (c) => {
    checkTypeConstraint(c, "element_dtype", LIST_ELEMENT_TYPES);
    return { compute: (ctx) => scatterIntoNewList(ctx, true) };
  }),
};
