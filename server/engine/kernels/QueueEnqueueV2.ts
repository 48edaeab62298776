// TF's QueueEnqueueV2 / QueueEnqueue (core/kernels/queue_op.cc EnqueueOp): checks the tuple
// against the queue (dtypes, then shapes where the queue declares them) and waits until the queue
// has room, it is closed (CANCELLED) or the step is cancelled.

import type { OpKernelConstruction, OpKernelContext } from "../framework/op-kernel.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { checkTimeoutAttr, componentInputs, matchSignature, queueInput } from "./util/queue-op.js";

export const ENQUEUE_ATTRS = ["Tcomponents: list(type) >= 1", "timeout_ms: int = -1"];

function createEnqueue(c: OpKernelConstruction) {
  checkTimeoutAttr(c);
  return {
    async computeAsync(ctx: OpKernelContext) {
      const queue = queueInput(ctx);
      matchSignature(c, queue.dtypes, []);
      const tuple = componentInputs(ctx);
      queue.validateTuple(tuple);
      await queue.enqueue(tuple, ctx.step.signal);
    },
  };
}

export const queueEnqueueV2Config: KernelConfig = {
  op: {
    name: "QueueEnqueueV2",
    inputs: ["handle: resource", "components: Tcomponents"],
    attrs: ENQUEUE_ATTRS,
    isStateful: true,
  },
  kernel: cpuKernel("QueueEnqueueV2", createEnqueue),
};

export const queueEnqueueConfig: KernelConfig = {
  op: {
    name: "QueueEnqueue",
    inputs: ["handle: Ref(string)", "components: Tcomponents"],
    attrs: ENQUEUE_ATTRS,
  },
  kernel: cpuKernel("QueueEnqueue", createEnqueue),
};
