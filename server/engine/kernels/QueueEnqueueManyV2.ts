// TF's QueueEnqueueManyV2 / QueueEnqueueMany (core/kernels/queue_op.cc EnqueueManyOp): slices
// every component along dimension 0 and enqueues the slices as elements, as room comes; an empty
// batch enqueues nothing and does not wait.

import type { OpKernelConstruction, OpKernelContext } from "../framework/op-kernel.js";
import { ENQUEUE_ATTRS } from "./QueueEnqueueV2.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { checkTimeoutAttr, componentInputs, matchSignature, queueInput } from "./util/queue-op.js";

function createEnqueueMany(c: OpKernelConstruction) {
  checkTimeoutAttr(c);
  return {
    async computeAsync(ctx: OpKernelContext) {
      const queue = queueInput(ctx);
      matchSignature(c, queue.dtypes, []);
      const tuple = componentInputs(ctx);
      queue.validateManyTuple(tuple);
      await queue.enqueueMany(tuple, ctx.step.signal);
    },
  };
}

export const queueEnqueueManyV2Config: KernelConfig = {
  op: {
    name: "QueueEnqueueManyV2",
    inputs: ["handle: resource", "components: Tcomponents"],
    attrs: ENQUEUE_ATTRS,
    isStateful: true,
  },
  kernel: cpuKernel("QueueEnqueueManyV2", createEnqueueMany),
};

export const queueEnqueueManyConfig: KernelConfig = {
  op: {
    name: "QueueEnqueueMany",
    inputs: ["handle: Ref(string)", "components: Tcomponents"],
    attrs: ENQUEUE_ATTRS,
  },
  kernel: cpuKernel("QueueEnqueueMany", createEnqueueMany),
};
