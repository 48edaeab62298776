// TF's QueueDequeueV2 / QueueDequeue (core/kernels/queue_op.cc DequeueOp): waits for one element;
// a closed, empty queue fails with OUT_OF_RANGE.

import type { OpKernelConstruction, OpKernelContext } from "../framework/op-kernel.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { checkTimeoutAttr, matchSignature, queueInput } from "./util/queue-op.js";

export const DEQUEUE_ATTRS = ["component_types: list(type) >= 1", "timeout_ms: int = -1"];

function createDequeue(c: OpKernelConstruction) {
  checkTimeoutAttr(c);
  return {
    async computeAsync(ctx: OpKernelContext) {
      const queue = queueInput(ctx);
      matchSignature(c, [], queue.dtypes);
      const tuple = await queue.dequeue(ctx.step.signal);
      for (const [i, t] of tuple.entries()) ctx.setOutput(i, t);
    },
  };
}

export const queueDequeueV2Config: KernelConfig = {
  op: {
    name: "QueueDequeueV2",
    inputs: ["handle: resource"],
    outputs: ["components: component_types"],
    attrs: DEQUEUE_ATTRS,
    isStateful: true,
  },
  kernel: cpuKernel("QueueDequeueV2", createDequeue),
};

export const queueDequeueConfig: KernelConfig = {
  op: {
    name: "QueueDequeue",
    inputs: ["handle: Ref(string)"],
    outputs: ["components: component_types"],
    attrs: DEQUEUE_ATTRS,
  },
  kernel: cpuKernel("QueueDequeue", createDequeue),
};
