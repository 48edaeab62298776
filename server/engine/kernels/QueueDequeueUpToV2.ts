// TF's QueueDequeueUpToV2 / QueueDequeueUpTo (core/kernels/queue_op.cc DequeueUpToOp): as
// DequeueMany, but once the queue is closed it outputs what is left (at least one element).

import { invalidArgument } from "../framework/errors.js";
import type { OpKernelConstruction, OpKernelContext } from "../framework/op-kernel.js";
import { DataType } from "../framework/types.js";
import { DEQUEUE_ATTRS } from "./QueueDequeueV2.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { checkTimeoutAttr, matchSignature, queueInput } from "./util/queue-op.js";

function createDequeueUpTo(c: OpKernelConstruction) {
  checkTimeoutAttr(c);
  return {
    async computeAsync(ctx: OpKernelContext) {
      const queue = queueInput(ctx);
      const n = (ctx.input(1).data as Int32Array)[0]!;
      if (n < 0) throw invalidArgument(`DequeueUpToOp requested ${n} < 0 elements`);
      matchSignature(c, [DataType.DT_INT32], queue.dtypes);
      const tuple = await queue.dequeueMany(n, true, ctx.step.signal);
      for (const [i, t] of tuple.entries()) ctx.setOutput(i, t);
    },
  };
}

export const queueDequeueUpToV2Config: KernelConfig = {
  op: {
    name: "QueueDequeueUpToV2",
    inputs: ["handle: resource", "n: int32"],
    outputs: ["components: component_types"],
    attrs: DEQUEUE_ATTRS,
    isStateful: true,
  },
  kernel: cpuKernel("QueueDequeueUpToV2", createDequeueUpTo),
};

export const queueDequeueUpToConfig: KernelConfig = {
  op: {
    name: "QueueDequeueUpTo",
    inputs: ["handle: Ref(string)", "n: int32"],
    outputs: ["components: component_types"],
    attrs: DEQUEUE_ATTRS,
  },
  kernel: cpuKernel("QueueDequeueUpTo", createDequeueUpTo),
};
