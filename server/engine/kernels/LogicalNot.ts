// TF's LogicalNot (core/kernels/cwise_op_logical_not.cc): !x for bools.

import type { Tensor } from "../framework/tensor.js";
import { type UnaryFns, unaryOp } from "./util/cwise.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const logicalNotFns: UnaryFns = { float: (a) => 1 - a, bool: (a) => 1 - a };

export function logicalNot(x: Tensor): Tensor {
  return unaryOp("LogicalNot", x, logicalNotFns);
}

export const logicalNotConfig: KernelConfig = {
  op: { name: "LogicalNot", inputs: ["x: bool"], outputs: ["y: bool"] },
  kernel: cpuKernel("LogicalNot", () => ({ compute: (ctx) => ctx.setOutput(0, logicalNot(ctx.input(0))) })),
};
