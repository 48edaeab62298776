// TF's SpaceToDepth on CPU (core/kernels/spacetodepth_op.cc): non-overlapping block_size x
// block_size spatial blocks of an NHWC tensor moved into the depth dimension.

import { invalidArgument } from "../framework/errors.js";
import type { Tensor } from "../framework/tensor.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { readBlockSize, SPACE_DEPTH_ATTRS, spaceDepthShuffleJob } from "./util/space-depth.js";

export function spaceToDepth(input: Tensor, bs: number): Tensor {
  return runWhole(spaceToDepthJob(input, bs));
}

/** spaceToDepth as an ElementJob (util/element-slices.ts): one strided copy. */
export function spaceToDepthJob(input: Tensor, bs: number): ElementJob<Tensor> {
  if (input.rank !== 4) throw invalidArgument(`Input rank should be 4 instead of ${input.rank}`);
  const [batch, height, width, depth] = input.shape as [number, number, number, number];
  if (width % bs !== 0 || height % bs !== 0) {
    throw invalidArgument(
      `Image width ${width} and height ${height} should be divisible by block_size: ${bs}`,
    );
  }
  const dims = { batch, h: height / bs, w: width / bs, c: depth, bs };
  return spaceDepthShuffleJob(input, [batch, dims.h, dims.w, depth * bs * bs], dims, true);
}

export const spaceToDepthConfig: KernelConfig = {
  op: { name: "SpaceToDepth", inputs: ["input: T"], outputs: ["output: T"], attrs: SPACE_DEPTH_ATTRS },
  kernel: cpuKernel("SpaceToDepth", (c) => {
    const bs = readBlockSize(c);
    return { compute: (ctx) => computeJob(ctx, spaceToDepthJob(ctx.input(0), bs)) };
  }),
};
