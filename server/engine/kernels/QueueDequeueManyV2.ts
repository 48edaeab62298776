// TF's QueueDequeueManyV2 / QueueDequeueMany (core/kernels/queue_op.cc DequeueManyOp): waits for n
// elements and outputs them stacked along a new dimension 0; a closed queue with fewer fails with
// OUT_OF_RANGE (and keeps its elements).

import { invalidArgument } from "../framework/errors.js";
import type { OpKernelConstruction, OpKernelContext } from "../framework/op-kernel.js";
import { DataType } from "../framework/types.js";
import { DEQUEUE_ATTRS } from "./QueueDequeueV2.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { checkTimeoutAttr, matchSignature, queueInput } from "./util/queue-op.js";

function createDequeueMany(c: OpKernelConstruction) {
  checkTimeoutAttr(c);
  return {
    async computeAsync(ctx: OpKernelContext) {
      const queue = queueInput(ctx);
      const n = (ctx.input(1).data as Int32Array)[0]!;
      if (n < 0) throw invalidArgument(`DequeueManyOp requested ${n} < 0 elements`);
      matchSignature(c, [DataType.DT_INT32], queue.dtypes);
      const tuple = await queue.dequeueMany(n, false, ctx.step.signal);
      for (const [i, t] of tuple.entries()) ctx.setOutput(i, t);
    },
  };
}

export const queueDequeueManyV2Config: KernelConfig = {
  op: {
    name: "QueueDequeueManyV2",
    inputs: ["handle: resource", "n: int32"],
    outputs: ["components: component_types"],
    attrs: DEQUEUE_ATTRS,
    isStateful: true,
  },
  kernel: cpuKernel("QueueDequeueManyV2", createDequeueMany),
};

export const queueDequeueManyConfig: KernelConfig = {
  op: {
    name: "QueueDequeueMany",
    inputs: ["handle: Ref(string)", "n: int32"],
    outputs: ["components: component_types"],
    attrs: DEQUEUE_ATTRS,
  },
  kernel: cpuKernel("QueueDequeueMany", createDequeueMany),
};
