// TF's DepthToSpace on CPU (core/kernels/depthtospace_op.cc): the inverse of SpaceToDepth, depth
// of an NHWC tensor spread into block_size x block_size spatial blocks.

import { invalidArgument } from "../framework/errors.js";
import type { Tensor } from "../framework/tensor.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { readBlockSize, SPACE_DEPTH_ATTRS, spaceDepthShuffleJob } from "./util/space-depth.js";

export function depthToSpace(input: Tensor, bs: number): Tensor {
  return runWhole(depthToSpaceJob(input, bs));
}

/** depthToSpace as an ElementJob (util/element-slices.ts): one strided copy. */
export function depthToSpaceJob(input: Tensor, bs: number): ElementJob<Tensor> {
  if (input.rank !== 4) throw invalidArgument(`Input rank should be: 4 instead of: ${input.rank}`);
  const [batch, height, width, depth] = input.shape as [number, number, number, number];
  const sq = bs * bs;
  if (depth % sq !== 0) throw invalidArgument(`Input depth dimension ${depth} should be divisible by: ${sq}`);
  const dims = { batch, h: height, w: width, c: depth / sq, bs };
  return spaceDepthShuffleJob(input, [batch, height * bs, width * bs, depth / sq], dims, false);
}

export const depthToSpaceConfig: KernelConfig = {
  op: { name: "DepthToSpace", inputs: ["input: T"], outputs: ["output: T"], attrs: SPACE_DEPTH_ATTRS },
  kernel: cpuKernel("DepthToSpace", (c) => {
    const bs = readBlockSize(c);
    return { compute: (ctx) => computeJob(ctx, depthToSpaceJob(ctx.input(0), bs)) };
  }),
};
