// TF's TensorArrayGatherV3 (core/kernels/tensor_array_ops.cc TensorArrayPackOrGatherOp): the
// elements at `indices`, stacked along a new dimension 0. The element_shape attr is merged into the
// array's element shape first.

import { invalidArgument, unimplemented } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { sameShape, shapeString, Tensor } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import {
  checkReadDtype,
  indexVector,
  isCompatibleWith,
  isFullyDefined,
  joinRows,
  partialShapeAttr,
  partialShapeString,
  tensorArrayFromInput,
} from "./util/tensor-array.js";

export const tensorArrayGatherV3Config: KernelConfig = {
  op: {
    name: "TensorArrayGatherV3",
    inputs: ["handle: resource", "indices: int32", "flow_in: float"],
    outputs: ["value: dtype"],
    attrs: ["dtype: type", "element_shape: shape = { unknown_rank: true }"],
    isStateful: true,
  },
  kernel: cpuKernel("TensorArrayGatherV3", (c) => {
    const dtype = getAttrType(c.attrs, "dtype");
    const elementShape = partialShapeAttr(c.attrs, "element_shape");
    return {
      compute(ctx) {
        const ta = tensorArrayFromInput(ctx);
        checkReadDtype(ta, dtype);
        ta.setElemShape(elementShape);
        const indices = indexVector(ctx, 1);
        if (indices.length === 0) {
          const shape = ta.elemShape;
          if (!isFullyDefined(shape)) {
            throw unimplemented(
              `TensorArray has size zero, but element shape ${partialShapeString(shape)} is not fully defined. ` +
                "Currently only static shapes are supported when packing zero-size TensorArrays.",
            );
          }
          ctx.setOutput(0, Tensor.zeros(dtype, [0, ...shape]));
          return;
        }
        const values = Array.from(indices, (i) => ta.read(i));
        const first = values[0]!;
        if (!isCompatibleWith(elementShape, first.shape)) {
          throw invalidArgument(
            `TensorArray was passed element_shape ${partialShapeString(elementShape)} which does not match the ` +
              `Tensor at index 0: ${shapeString(first.shape)}`,
          );
        }
        values.forEach((v, i) => {
          if (!sameShape(v.shape, first.shape)) {
            throw invalidArgument(
              `TensorArray has inconsistent shapes.  Index 0 has shape: ${shapeString(first.shape)} but index ${i} ` +
                `has shape: ${shapeString(v.shape)}`,
            );
          }
        });
        ctx.setOutput(0, joinRows(values, dtype, [values.length, ...first.shape]));
      },
    };
  }),
};
