// TF's EmptyTensorList (core/kernels/list_kernels.cc): a list with no elements, an element dtype,
// a (partial) element shape given as a tensor and an optional maximum length.

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { shapeString } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { listScalar, shapeFromTensor, TensorList } from "./util/tensor-list.js";

export const emptyTensorListConfig: KernelConfig = {
  op: {
    name: "EmptyTensorList",
    inputs: ["element_shape: shape_type", "max_num_elements: int32"],
    outputs: ["handle: variant"],
    attrs: ["element_dtype: type", "shape_type: {int32, int64}"],
  },
  kernel: cpuKernel("EmptyTensorList", (c) => {
    const dtype = getAttrType(c.attrs, "element_dtype");
    return {
      compute(ctx) {
        const max = ctx.input(1);
        if (max.rank !== 0) {
          throw invalidArgument(
            `max_num_elements expected to be a scalar but got shape: ${shapeString(max.shape)}`,
          );
        }
        const shape = shapeFromTensor(ctx.input(0));
        ctx.setOutput(0, listScalar(new TensorList(dtype, shape, [], (max.data as Int32Array)[0]!)));
      },
    };
  }),
};
