// TF's QueueIsClosedV2 / QueueIsClosed (core/kernels/queue_op.cc QueueIsClosedOp): whether the
// queue has been closed, as a bool scalar.

import type { OpKernelContext } from "../framework/op-kernel.js";
import { scalar } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { queueInput } from "./util/queue-op.js";

const compute = (ctx: OpKernelContext) => ctx.setOutput(0, scalar(DataType.DT_BOOL, queueInput(ctx).closed));

export const queueIsClosedV2Config: KernelConfig = {
  op: {
    name: "QueueIsClosedV2",
    inputs: ["handle: resource"],
    outputs: ["is_closed: bool"],
    isStateful: true,
  },
  kernel: simpleKernel("QueueIsClosedV2", compute),
};

export const queueIsClosedConfig: KernelConfig = {
  op: { name: "QueueIsClosed", inputs: ["handle: Ref(string)"], outputs: ["is_closed: bool"] },
  kernel: simpleKernel("QueueIsClosed", compute),
};
