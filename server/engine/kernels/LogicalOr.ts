// TF's LogicalOr (core/kernels/cwise_op_logical_or.cc): x || y for bools with broadcasting.

import type { Tensor } from "../framework/tensor.js";
import { type BinaryFns, binaryJob } from "./util/cwise.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const logicalOrFns: BinaryFns = { float: (a, b) => a | b, bool: (a, b) => a | b };

export function logicalOr(x: Tensor, y: Tensor): Tensor {
  return runWhole(logicalOrJob(x, y));
}

/** logicalOr as an ElementJob (util/element-slices.ts). */
export function logicalOrJob(x: Tensor, y: Tensor): ElementJob<Tensor> {
  return binaryJob("LogicalOr", x, y, logicalOrFns);
}

export const logicalOrConfig: KernelConfig = {
  op: { name: "LogicalOr", inputs: ["x: bool", "y: bool"], outputs: ["z: bool"], isCommutative: true },
  kernel: cpuKernel("LogicalOr", () => ({
    compute: (ctx) => computeJob(ctx, logicalOrJob(ctx.input(0), ctx.input(1))),
  })),
};
