// TF's TensorListPushBack (core/kernels/list_kernels.cc): the list with `tensor` appended, within
// the list's max_num_elements.

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { shapeString } from "../framework/tensor.js";
import { dataTypeString } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import {
  checkListDtype,
  isCompatibleWith,
  listInput,
  listScalar,
  newSlots,
  partialShapeString,
} from "./util/tensor-list.js";

export const tensorListPushBackConfig: KernelConfig = {
  op: {
    name: "TensorListPushBack",
    inputs: ["input_handle: variant", "tensor: element_dtype"],
    outputs: ["output_handle: variant"],
    attrs: ["element_dtype: type"],
  },
  kernel: cpuKernel("TensorListPushBack", (c) => {
    const dtype = getAttrType(c.attrs, "element_dtype");
    return {
      compute(ctx) {
        const t = ctx.input(1);
        if (t.dtype !== dtype) {
          throw invalidArgument(
            `Invalid data types; list elements ${dataTypeString(dtype)} but tried to append ${dataTypeString(t.dtype)}`,
          );
        }
        const list = listInput(ctx, 0);
        if (!isCompatibleWith(list.elementShape, t.shape)) {
          throw invalidArgument(
            "Tried to append a tensor with incompatible shape to a list. Op element shape: " +
              `${shapeString(t.shape)} list shape: ${partialShapeString(list.elementShape)}`,
          );
        }
        checkListDtype(dtype, list);
        if (list.maxNumElements !== -1 && list.length >= list.maxNumElements) {
          throw invalidArgument(
            `Tried to push item into a full list list size: ${list.length} max_num_elements: ${list.maxNumElements}`,
          );
        }
        newSlots(1, list.length + 1);
        ctx.setOutput(0, listScalar(list.push(t)));
      },
    };
  }),
};
