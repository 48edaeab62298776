// TF's SpaceToBatchND (core/kernels/spacetobatch_op.cc): zero-pads the M spatial dimensions
// after the batch, then moves each block_shape block's offsets into the batch dimension.

import { invalidArgument } from "../framework/errors.js";
import type { Tensor } from "../framework/tensor.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  REAL_NUMBER_TYPES,
} from "./util/kernel-config.js";
import { readBlockArgs, spaceBatchCopyJob } from "./util/space-batch.js";

export function spaceToBatchND(input: Tensor, blockShape: Tensor, paddings: Tensor): Tensor {
  return runWhole(spaceToBatchNDJob(input, blockShape, paddings));
}

/** spaceToBatchND as an ElementJob (util/element-slices.ts), checked before its first slice. */
export function spaceToBatchNDJob(input: Tensor, blockShape: Tensor, paddings: Tensor): ElementJob<Tensor> {
  const { block, pads } = readBlockArgs(input, blockShape, paddings, "paddings");
  const m = block.length;
  let product = 1;
  block.forEach((v, i) => {
    if (v < 1)
      throw invalidArgument(`All values in block_shape must be positive, got value, ${v} at index ${i}.`);
    product *= v;
  });
  const batched = [input.shape[0]! * product];
  for (let d = 0; d < m; d++) {
    const [start, end] = [pads[2 * d]!, pads[2 * d + 1]!];
    if (block[d] === 1 && start === 0 && end === 0) {
      batched.push(input.shape[d + 1]!);
      continue;
    }
    if (start < 0 || end < 0) throw invalidArgument("Paddings must be non-negative");
    const padded = input.shape[d + 1]! + start + end;
    if (padded % block[d]! !== 0) {
      throw invalidArgument(`padded_shape[${d}]=${padded} is not divisible by block_shape[${d}]=${block[d]}`);
    }
    batched.push(padded / block[d]!);
  }
  batched.push(...input.shape.slice(1 + m));
  const starts = block.map((_, d) => pads[2 * d]!);
  return spaceBatchCopyJob(input, input.shape, batched, block, starts, true);
}

export const spaceToBatchNDConfig: KernelConfig = {
  op: {
    name: "SpaceToBatchND",
    inputs: ["input: T", "block_shape: Tblock_shape", "paddings: Tpaddings"],
    outputs: ["output: T"],
    attrs: ["T: type", "Tblock_shape: {int32, int64} = DT_INT32", "Tpaddings: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("SpaceToBatchND", (c) => {
    checkTypeConstraint(c, "T", REAL_NUMBER_TYPES);
    return { compute: (ctx) => computeJob(ctx, spaceToBatchNDJob(ctx.input(0), ctx.input(1), ctx.input(2))) };
  }),
};
