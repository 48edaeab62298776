// TF's TensorArrayV3 (core/kernels/tensor_array_ops.cc TensorArrayOp): creates a TensorArray of
// `size` elements in the step's container; outputs its handle and a flow scalar (a float whose
// only role is to order the TensorArray ops through data edges).

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool, getAttrType } from "../framework/op-def.js";
import { shapeString } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { createStepResource, stepResourceHandle } from "./util/step-resources.js";
import {
  flowScalar,
  nextTensorArrayId,
  partialShapeAttr,
  TENSOR_ARRAY_TYPE,
  TENSOR_ARRAYS,
  TensorArray,
  tensorArrayBaseName,
} from "./util/tensor-array.js";

export const tensorArrayV3Config: KernelConfig = {
  op: {
    name: "TensorArrayV3",
    inputs: ["size: int32"],
    outputs: ["handle: resource", "flow: float"],
    attrs: [
      "dtype: type",
      "element_shape: shape = { unknown_rank: true }",
      "dynamic_size: bool = false",
      "clear_after_read: bool = true",
      "identical_element_shapes: bool = false",
      "tensor_array_name: string = ''",
    ],
    isStateful: true,
  },
  kernel: cpuKernel("TensorArrayV3", (c) => {
    const dtype = getAttrType(c.attrs, "dtype");
    const elementShape = partialShapeAttr(c.attrs, "element_shape");
    const dynamicSize = getAttrBool(c.attrs, "dynamic_size");
    const clearAfterRead = getAttrBool(c.attrs, "clear_after_read");
    const identicalElementShapes = getAttrBool(c.attrs, "identical_element_shapes");
    const baseName = tensorArrayBaseName(c.attrs, c.nodeName);
    return {
      compute(ctx) {
        const sizeTensor = ctx.input(0);
        if (sizeTensor.rank !== 0) {
          throw invalidArgument(
            `TensorArray size must be scalar, but had shape: ${shapeString(sizeTensor.shape)}`,
          );
        }
        const size = (sizeTensor.data as Int32Array)[0]!;
        if (size < 0) throw invalidArgument("Size should be >= 0.");
        const name = `${baseName}_${nextTensorArrayId()}`;
        const key = `${TENSOR_ARRAYS}${name}`;
        const ta = new TensorArray({
          dtype,
          name,
          size,
          elementShape,
          identicalElementShapes,
          dynamicSize,
          multipleWritesAggregate: false,
          isGrad: false,
          markedSize: -1,
          clearAfterRead,
        });
        createStepResource(ctx, TENSOR_ARRAY_TYPE, key, ta);
        ctx.setOutput(0, stepResourceHandle(ctx, TENSOR_ARRAY_TYPE, key));
        ctx.setOutput(1, flowScalar());
      },
    };
  }),
};
