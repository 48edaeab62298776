// TF's QueueCloseV2 / QueueClose (core/kernels/queue_op.cc QueueCloseOp): closes the queue so no
// more elements come; with cancel_pending_enqueues the blocked enqueues fail (CANCELLED) at once,
// otherwise the close waits behind them. Pending dequeues then get what is left or OUT_OF_RANGE.

import { getAttrBool } from "../framework/op-def.js";
import type { OpKernelConstruction, OpKernelContext } from "../framework/op-kernel.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { queueInput } from "./util/queue-op.js";

const attrs = ["cancel_pending_enqueues: bool = false"];

function createClose(c: OpKernelConstruction) {
  const cancelPending = getAttrBool(c.attrs, "cancel_pending_enqueues");
  return {
    async computeAsync(ctx: OpKernelContext) {
      await queueInput(ctx).close(cancelPending, ctx.step.signal);
    },
  };
}

export const queueCloseV2Config: KernelConfig = {
  op: { name: "QueueCloseV2", inputs: ["handle: resource"], attrs, isStateful: true },
  kernel: cpuKernel("QueueCloseV2", createClose),
};

export const queueCloseConfig: KernelConfig = {
  op: { name: "QueueClose", inputs: ["handle: Ref(string)"], attrs },
  kernel: cpuKernel("QueueClose", createClose),
};
