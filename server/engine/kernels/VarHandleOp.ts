// TF's VarHandleOp (core/kernels/resource_variable_ops.cc): outputs a scalar DT_RESOURCE handle
// naming a Var in this device's ResourceMgr: (device, container attr or the default container,
// shared_name). The handle is made once at construction, as in TF; the Var itself is created by
// the first AssignVariableOp.

import { getAttrString, getAttrType } from "../framework/op-def.js";
import { type ResourceHandle, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { VAR_TYPE_HASH, VAR_TYPE_NAME } from "./util/variables.js";

export function makeVarHandle(device: string, container: string, name: string): Tensor {
  const h: ResourceHandle = {
    device,
    container,
    name,
    hashCode: VAR_TYPE_HASH,
    maybeTypeName: VAR_TYPE_NAME,
  };
  return new Tensor(DataType.DT_RESOURCE, [], [h]);
}

export const varHandleOpConfig: KernelConfig = {
  op: {
    name: "VarHandleOp",
    outputs: ["resource: resource"],
    attrs: [
      "container: string = ''",
      "shared_name: string = ''",
      "debug_name: string = ''",
      "dtype: type",
      "shape: shape",
      "allowed_devices: list(string) = []",
    ],
    isStateful: true,
  },
  kernel: cpuKernel("VarHandleOp", (c) => {
    getAttrType(c.attrs, "dtype");
    const container = getAttrString(c.attrs, "container");
    const name = getAttrString(c.attrs, "shared_name");
    let handle: Tensor | undefined;
    return {
      compute(ctx) {
        // The default container is the ResourceMgr's, known once the kernel runs on its device.
        handle ??= makeVarHandle(
          ctx.step.device.name,
          container === "" ? ctx.step.resources.defaultContainer : container,
          name,
        );
        ctx.setOutput(0, handle);
      },
    };
  }),
};
