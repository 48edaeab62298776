// TF's TensorListSplit (core/kernels/list_kernels.h): a list of consecutive row ranges of a tensor,
// of the given lengths, which must use every row.

import { invalidArgument } from "../framework/errors.js";
import { shapeString } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { sliceRows } from "./util/tensor-array.js";
import {
  isCompatibleWith,
  LIST_ELEMENT_TYPES,
  listScalar,
  partialShapeString,
  shapeFromTensor,
  TensorList,
} from "./util/tensor-list.js";

export const tensorListSplitConfig: KernelConfig = {
  op: {
    name: "TensorListSplit",
    inputs: ["tensor: element_dtype", "element_shape: shape_type", "lengths: int64"],
    outputs: ["output_handle: variant"],
    attrs: ["element_dtype: type", "shape_type: {int32, int64}"],
  },
  kernel: cpuKernel("TensorListSplit", (c) => {
    checkTypeConstraint(c, "element_dtype", LIST_ELEMENT_TYPES);
    return {
      compute(ctx) {
        const shape = shapeFromTensor(ctx.input(1));
        if (shape !== undefined && shape.length === 0) {
          throw invalidArgument(
            `TensorListSplit requires element_shape to be at least of rank 1, but saw: ${partialShapeString(shape)}`,
          );
        }
        const t = ctx.input(0);
        if (t.rank === 0) {
          throw invalidArgument(`Tensor must be at least a vector, but saw shape: ${shapeString(t.shape)}`);
        }
        if (!isCompatibleWith(shape?.slice(1), t.shape.slice(1))) {
          throw invalidArgument(
            `tensor shape ${shapeString(t.shape)} is not compatible with element_shape ${partialShapeString(shape)}`,
          );
        }
        const lengthsTensor = ctx.input(2);
        if (lengthsTensor.rank !== 1) {
          throw invalidArgument(
            `Expected lengths to be a vector, received shape: ${shapeString(lengthsTensor.shape)}`,
          );
        }
        const rows = t.shape[0]!;
        const inner = t.shape.slice(1);
        const elements = [];
        let start = 0;
        for (const len of lengthsTensor.data as BigInt64Array) {
          if (len < 0n) throw invalidArgument(`Invalid value in lengths: ${len}`);
          const end = start + Number(len);
          if (end > rows) {
            throw invalidArgument(`Attempting to slice [${start}, ${end}] from tensor with length ${rows}`);
          }
          elements.push(sliceRows(t, start, end - start, [end - start, ...inner]));
          start = end;
        }
        if (start !== rows) {
          throw invalidArgument(`Unused values in tensor. Length of tensor: ${rows} Values used: ${start}`);
        }
        ctx.setOutput(0, listScalar(new TensorList(t.dtype, shape, elements)));
      },
    };
  }),
};
