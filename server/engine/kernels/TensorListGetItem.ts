// TF's TensorListGetItem (core/kernels/list_kernels.h): element `index`. An unset element reads as
// zeros of the element shape (the element_shape input merged with the list's, else inferred from
// the set elements).

import { invalidArgument } from "../framework/errors.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import {
  checkListDtype,
  elementShapeFromInput,
  isFullyDefined,
  LIST_ELEMENT_TYPES,
  listInput,
  mergeSetElementShapes,
  oneInt,
  partialShapeString,
  zerosElement,
} from "./util/tensor-list.js";

export const tensorListGetItemConfig: KernelConfig = {
  op: {
    name: "TensorListGetItem",
    inputs: ["input_handle: variant", "index: int32", "element_shape: Tshape"],
    outputs: ["item: element_dtype"],
    attrs: ["element_dtype: type", "Tshape: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("TensorListGetItem", (c) => {
    const dtype = checkTypeConstraint(c, "element_dtype", LIST_ELEMENT_TYPES);
    return {
      compute(ctx) {
        const list = listInput(ctx, 0);
        checkListDtype(dtype, list);
        const index = oneInt(ctx.input(1), "index");
        // TF compares against the size unsigned, so a negative index is out of range too.
        if (index < 0 || index >= list.length) {
          throw invalidArgument(`Trying to access element ${index} in a list with ${list.length} elements.`);
        }
        const item = list.get(index);
        if (item !== undefined) {
          ctx.setOutput(0, item);
          return;
        }
        let shape = elementShapeFromInput(ctx, list, 2);
        if (!isFullyDefined(shape)) shape = mergeSetElementShapes(shape, list.tensors);
        if (!isFullyDefined(shape)) {
          throw invalidArgument(
            "Trying to read an uninitialized tensor but element_shape is not fully defined: " +
              `${partialShapeString(shape)} and no list element is set.`,
          );
        }
        ctx.setOutput(0, zerosElement(dtype, shape));
      },
    };
  }),
};
