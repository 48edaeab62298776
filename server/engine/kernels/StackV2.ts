// TF's StackV2 (core/kernels/stack.cc StackOp): creates an empty stack of `elem_type` in the step's
// container and outputs its handle. max_size < 0 means unbounded; stack_name defaults to the node
// name and gets a unique "_<n>" suffix per stack created.

import { invalidArgument } from "../framework/errors.js";
import { getAttrString, getAttrType } from "../framework/op-def.js";
import { shapeString } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { nextStackId, STACK_KEY_PREFIX, STACK_TYPE, Stack } from "./util/stack.js";
import { createStepResource, stepResourceHandle } from "./util/step-resources.js";

export const stackV2Config: KernelConfig = {
  op: {
    name: "StackV2",
    inputs: ["max_size: int32"],
    outputs: ["handle: resource"],
    attrs: ["elem_type: type", "stack_name: string = ''"],
    isStateful: true,
  },
  kernel: cpuKernel("StackV2", (c) => {
    const elemType = getAttrType(c.attrs, "elem_type");
    const attrName = getAttrString(c.attrs, "stack_name");
    const baseName = attrName === "" ? c.nodeName : attrName;
    return {
      compute(ctx) {
        const size = ctx.input(0);
        if (size.rank !== 0) {
          throw invalidArgument(`Stack size must be a scalar, but had shape: ${shapeString(size.shape)}`);
        }
        const maxSize = (size.data as Int32Array)[0]!;
        const name = `${baseName}_${nextStackId()}`;
        const key = `${STACK_KEY_PREFIX}${name}`;
        createStepResource(ctx, STACK_TYPE, key, new Stack(elemType, name, maxSize));
        ctx.setOutput(0, stepResourceHandle(ctx, STACK_TYPE, key));
      },
    };
  }),
};
