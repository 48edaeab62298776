// TensorFlow's _Recv / _HostRecv (core/kernels/sendrecv_ops.cc): waits in the step's rendezvous for
// the tensor a matching _Send (or the client, for feeds) left under the same key.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBigInt, getAttrString, getAttrType } from "../framework/op-def.js";
import type { AsyncOpKernel, OpKernelConstruction } from "../framework/op-kernel.js";
import { createRendezvousKey } from "../framework/rendezvous.js";
import { dataTypeString } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

const recvAttrs = [
  "tensor_type: type",
  "tensor_name: string",
  "send_device: string",
  "send_device_incarnation: int",
  "recv_device: string",
  "client_terminated: bool = false",
];

function createRecv(c: OpKernelConstruction): AsyncOpKernel {
  const sendDevice = getAttrString(c.attrs, "send_device");
  const incarnation = getAttrBigInt(c.attrs, "send_device_incarnation");
  const recvDevice = getAttrString(c.attrs, "recv_device");
  const tensorName = getAttrString(c.attrs, "tensor_name");
  const dtype = getAttrType(c.attrs, "tensor_type");
  const topKey = createRendezvousKey(sendDevice, incarnation, recvDevice, tensorName, "0:0");
  return {
    async computeAsync(ctx) {
      const key =
        ctx.frameIter === "0:0"
          ? topKey
          : createRendezvousKey(sendDevice, incarnation, recvDevice, tensorName, ctx.frameIter);
      const v = await ctx.step.rendezvous.recv(key, ctx.step.signal);
      if (v.isDead || v.tensor === undefined) return; // output stays dead
      if (v.tensor.dtype !== dtype) {
        throw invalidArgument(
          `Expected ${dataTypeString(dtype)} for '${tensorName}' but received ${dataTypeString(v.tensor.dtype)}`,
        );
      }
      ctx.setOutput(0, v.tensor, v.owned === true);
    },
  };
}

export const recvKernel: KernelConfig = {
  op: {
    name: "_Recv",
    outputs: ["tensor: tensor_type"],
    attrs: recvAttrs,
    isStateful: true,
    isDistributedCommunication: true,
  },
  kernel: cpuKernel("_Recv", createRecv),
};

export const hostRecvKernel: KernelConfig = {
  op: {
    name: "_HostRecv",
    outputs: ["tensor: tensor_type"],
    attrs: recvAttrs,
    isStateful: true,
    isDistributedCommunication: true,
  },
  kernel: cpuKernel("_HostRecv", createRecv),
};
