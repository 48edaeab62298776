// TF's TensorListScatter (core/kernels/list_kernels.h), TensorListScatterV2 without num_elements:
// the list is one past the largest index long.

import { scatterIntoNewList } from "./TensorListScatterV2.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { LIST_ELEMENT_TYPES } from "./util/tensor-list.js";

export const tensorListScatterConfig: KernelConfig = {
  op: {
    name: "TensorListScatter",
    inputs: ["tensor: element_dtype", "indices: int32", "element_shape: shape_type"],
    outputs: ["output_handle: variant"],
    attrs: ["element_dtype: type", "shape_type: {int32, int64}"],
  },
  kernel: cpuKernel("TensorListScatter", (c) => {
    checkTypeConstraint(c, "element_dtype", LIST_ELEMENT_TYPES);
    return { compute: (ctx) => scatterIntoNewList(ctx, false) };
  }),
};
