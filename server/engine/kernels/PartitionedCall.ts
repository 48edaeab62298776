// TensorFlow's PartitionedCall / StatefulPartitionedCall (core/kernels/partitioned_function_ops.cc):
// call the library function named by attr `f` with `args`. tfgate runs the body on the caller's
// device (TF would partition it across devices first; with one body device the result is the same).

import { invalidArgument } from "../framework/errors.js";
import { callKernel } from "../framework/function.js";
import type { AsyncOpKernel, OpKernelConstruction } from "../framework/op-kernel.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

const attrs = [
  "Tin: list(type) >= 0",
  "Tout: list(type) >= 0",
  "f: func",
  'config: string = ""',
  'config_proto: string = ""',
  'executor_type: string = ""',
];

function createCall(c: OpKernelConstruction): AsyncOpKernel {
  const f = c.attrs.f;
  if (f?.value.case !== "func") throw invalidArgument(`${c.op} ${c.nodeName}: attr 'f' must name a function`);
  if (c.functions === undefined) throw invalidArgument(`${c.op} ${c.nodeName}: no function library`);
  return callKernel(c.functions.instantiate(f.value.value.name, f.value.value.attr));
}

export const PartitionedCallKernel: KernelConfig = {
  op: { name: "PartitionedCall", inputs: ["args: Tin"], outputs: ["output: Tout"], attrs },
  kernel: cpuKernel("PartitionedCall", createCall),
};

export const StatefulPartitionedCallKernel: KernelConfig = {
  op: {
    name: "StatefulPartitionedCall",
    inputs: ["args: Tin"],
    outputs: ["output: Tout"],
    attrs,
    isStateful: true,
    isDistributedCommunication: true,
  },
  kernel: cpuKernel("StatefulPartitionedCall", createCall),
};
