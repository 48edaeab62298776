// TF's TensorListFromTensor (core/kernels/list_kernels.h): a list of the rows of a tensor (its
// slices along dimension 0), with an element shape the rows must be compatible with.

import { invalidArgument } from "../framework/errors.js";
import { shapeString } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { sliceRows } from "./util/tensor-array.js";
import {
  checkShapeInputRank,
  isCompatibleWith,
  LIST_ELEMENT_TYPES,
  listScalar,
  partialShapeString,
  shapeFromTensor,
  TensorList,
} from "./util/tensor-list.js";

export const tensorListFromTensorConfig: KernelConfig = {
  op: {
    name: "TensorListFromTensor",
    inputs: ["tensor: element_dtype", "element_shape: shape_type"],
    outputs: ["output_handle: variant"],
    attrs: ["element_dtype: type", "shape_type: {int32, int64}"],
  },
  kernel: cpuKernel("TensorListFromTensor", (c) => {
    checkTypeConstraint(c, "element_dtype", LIST_ELEMENT_TYPES);
    return {
      compute(ctx) {
        checkShapeInputRank(ctx.input(1), "TensorListFromTensor");
        const shape = shapeFromTensor(ctx.input(1));
        const t = ctx.input(0);
        if (t.rank === 0) {
          throw invalidArgument(`Tensor must be at least a vector, but saw shape: ${shapeString(t.shape)}`);
        }
        const rowShape = t.shape.slice(1);
        if (!isCompatibleWith(shape, rowShape)) {
          throw invalidArgument(
            `Specified a list with shape ${partialShapeString(shape)} from a tensor with shape ${shapeString(rowShape)}`,
          );
        }
        const rows = Array.from({ length: t.shape[0]! }, (_, i) => sliceRows(t, i, 1, rowShape));
        ctx.setOutput(0, listScalar(new TensorList(t.dtype, shape, rows)));
      },
    };
  }),
};
