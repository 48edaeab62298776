// TF's LogicalAnd (core/kernels/cwise_op_logical_and.cc): x && y for bools with broadcasting.

import type { Tensor } from "../framework/tensor.js";
import { type BinaryFns, binaryJob } from "./util/cwise.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export const logicalAndFns: BinaryFns = { float: (a, b) => a & b, bool: (a, b) => a & b };

export function logicalAnd(x: Tensor, y: Tensor): Tensor {
  return runWhole(logicalAndJob(x, y));
}

/** logicalAnd as an ElementJob (util/element-slices.ts). */
export function logicalAndJob(x: Tensor, y: Tensor): ElementJob<Tensor> {
  return binaryJob("LogicalAnd", x, y, logicalAndFns);
}

export const logicalAndConfig: KernelConfig = {
  op: { name: "LogicalAnd", inputs: ["x: bool", "y: bool"], outputs: ["z: bool"], isCommutative: true },
  kernel: cpuKernel("LogicalAnd", () => ({
    compute: (ctx) => computeJob(ctx, logicalAndJob(ctx.input(0), ctx.input(1))),
  })),
};
