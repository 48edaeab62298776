// TensorFlow's _Send / _HostSend (core/kernels/sendrecv_ops.cc): leaves a tensor in the step's
// rendezvous under a key built from the node's attrs and the current frame/iteration.

import { getAttrBigInt, getAttrBool, getAttrString } from "../framework/op-def.js";
import type { OpKernel, OpKernelConstruction } from "../framework/op-kernel.js";
import { createRendezvousKey } from "../framework/rendezvous.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

const sendAttrs = [
  "T: type",
  "tensor_name: string",
  "send_device: string",
  "send_device_incarnation: int",
  "recv_device: string",
  "client_terminated: bool = false",
];

function createSend(c: OpKernelConstruction): OpKernel {
  const sendDevice = getAttrString(c.attrs, "send_device");
  const incarnation = getAttrBigInt(c.attrs, "send_device_incarnation");
  const recvDevice = getAttrString(c.attrs, "recv_device");
  const tensorName = getAttrString(c.attrs, "tensor_name");
  const clientTerminated = getAttrBool(c.attrs, "client_terminated");
  const topKey = createRendezvousKey(sendDevice, incarnation, recvDevice, tensorName, "0:0");
  return {
    compute(ctx) {
      const key =
        ctx.frameIter === "0:0"
          ? topKey
          : createRendezvousKey(sendDevice, incarnation, recvDevice, tensorName, ctx.frameIter);
      if (ctx.isInputDead) ctx.step.rendezvous.send(key, { tensor: undefined, isDead: true });
      // A fetch whose storage belongs to its value alone, read by this node only, leaves the step
      // held by the answer alone: the master may give the storage back once the answer is written
      // (master/call-memory.ts). Values between devices stay as they were.
      else if (clientTerminated && ctx.forwardableInput(0) !== undefined)
        ctx.step.rendezvous.send(key, { tensor: ctx.input(0), isDead: false, owned: true });
      else ctx.step.rendezvous.send(key, { tensor: ctx.input(0), isDead: false });
    },
  };
}

export const sendKernel: KernelConfig = {
  op: { name: "_Send", inputs: ["tensor: T"], attrs: sendAttrs, isStateful: true },
  kernel: cpuKernel("_Send", createSend),
};

export const hostSendKernel: KernelConfig = {
  op: { name: "_HostSend", inputs: ["tensor: T"], attrs: sendAttrs, isStateful: true },
  kernel: cpuKernel("_HostSend", createSend),
};
