// TF's TensorListSetItem (core/kernels/list_kernels.cc): a list with element `index` replaced;
// with resize_if_index_out_of_bounds an index past the end first grows the list (new slots unset).

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool, getAttrType } from "../framework/op-def.js";
import { shapeString } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import {
  checkListDtype,
  isCompatibleWith,
  listInput,
  listScalar,
  partialShapeString,
  resizeList,
  scalarArgument,
} from "./util/tensor-list.js";

export const tensorListSetItemConfig: KernelConfig = {
  op: {
    name: "TensorListSetItem",
    inputs: ["input_handle: variant", "index: int32", "item: element_dtype"],
    outputs: ["output_handle: variant"],
    attrs: ["element_dtype: type", "resize_if_index_out_of_bounds: bool = false"],
  },
  kernel: cpuKernel("TensorListSetItem", (c) => {
    const dtype = getAttrType(c.attrs, "element_dtype");
    const resize = getAttrBool(c.attrs, "resize_if_index_out_of_bounds");
    return {
      compute(ctx) {
        const list = listInput(ctx, 0);
        checkListDtype(dtype, list);
        const index = scalarArgument(ctx, 1);
        // TF compares against the size unsigned (a negative index is out of range; with resize it
        // would write out of bounds, so it is refused here too).
        if (index < 0 || (!resize && index >= list.length)) {
          throw invalidArgument(`Trying to modify element ${index} in a list with ${list.length} elements.`);
        }
        const item = ctx.input(2);
        if (!isCompatibleWith(list.elementShape, item.shape)) {
          throw invalidArgument(
            "Tried to set a tensor with incompatible shape at a list index. Item element shape: " +
              `${shapeString(item.shape)} list shape: ${partialShapeString(list.elementShape)}`,
          );
        }
        const grown = index >= list.length ? resizeList(list, index + 1) : list;
        ctx.setOutput(0, listScalar(grown.set(index, item)));
      },
    };
  }),
};
