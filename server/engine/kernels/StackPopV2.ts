// TF's StackPopV2 (core/kernels/stack.cc StackPopOp): pops the most recently pushed value.

import { internal } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { dataTypeString } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { stackFromInput } from "./util/stack.js";

export const stackPopV2Config: KernelConfig = {
  op: {
    name: "StackPopV2",
    inputs: ["handle: resource"],
    outputs: ["elem: elem_type"],
    attrs: ["elem_type: type"],
    isStateful: true,
  },
  kernel: cpuKernel("StackPopV2", (c) => {
    const elemType = getAttrType(c.attrs, "elem_type");
    return {
      compute(ctx) {
        const value = stackFromInput(ctx).pop();
        // TF's kernel hands the popped tensor on as is and its executor rejects the dtype.
        if (value.dtype !== elemType) {
          throw internal(
            `Output 0 of type ${dataTypeString(value.dtype)} does not match declared output type ` +
              `${dataTypeString(elemType)} for node {{node ${c.nodeName}}}`,
          );
        }
        ctx.setOutput(0, value);
      },
    };
  }),
};
