// TF's QueueSizeV2 / QueueSize (core/kernels/queue_op.cc QueueSizeOp): the number of elements in
// the queue now, as an int32 scalar.

import type { OpKernelContext } from "../framework/op-kernel.js";
import { scalar } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { queueInput } from "./util/queue-op.js";

const compute = (ctx: OpKernelContext) => ctx.setOutput(0, scalar(DataType.DT_INT32, queueInput(ctx).size()));

export const queueSizeV2Config: KernelConfig = {
  op: { name: "QueueSizeV2", inputs: ["handle: resource"], outputs: ["size: int32"], isStateful: true },
  kernel: simpleKernel("QueueSizeV2", compute),
};

export const queueSizeConfig: KernelConfig = {
  op: { name: "QueueSize", inputs: ["handle: Ref(string)"], outputs: ["size: int32"] },
  kernel: simpleKernel("QueueSize", compute),
};
