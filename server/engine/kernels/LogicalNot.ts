// TF's LogicalNot (core/kernels/cwise_op_logical_not.cc): !x for bools.

import type { Tensor } from "../framework/tensor.js";
import { type UnaryFns, unaryJob } from "./util/cwise.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const logicalNotFns: UnaryFns = { float: (a) => 1 - a, bool: (a) => 1 - a };

export function logicalNot(x: Tensor): Tensor {
  return runWhole(logicalNotJob(x));
}

/** logicalNot as an ElementJob (util/element-slices.ts). */
export function logicalNotJob(x: Tensor): ElementJob<Tensor> {
  return unaryJob("LogicalNot", x, logicalNotFns);
}

export const logicalNotConfig: KernelConfig = {
  op: { name: "LogicalNot", inputs: ["x: bool"], outputs: ["y: bool"] },
  kernel: cpuKernel("LogicalNot", () => ({ compute: (ctx) => computeJob(ctx, logicalNotJob(ctx.input(0))) })),
};
