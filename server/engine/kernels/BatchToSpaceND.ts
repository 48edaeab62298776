// TF's BatchToSpaceND (core/kernels/batchtospace_op.cc): the inverse of SpaceToBatchND, batch
// entries interleaved back into the M spatial dimensions, then `crops` removed.

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

export function batchToSpaceND(input: Tensor, blockShape: Tensor, cropsT: Tensor): Tensor {
  return runWhole(batchToSpaceNDJob(input, blockShape, cropsT));
}

/** batchToSpaceND as an ElementJob (util/element-slices.ts), checked before its first slice. */
export function batchToSpaceNDJob(input: Tensor, blockShape: Tensor, cropsT: Tensor): ElementJob<Tensor> {
  const { block, pads: crops } = readBlockArgs(input, blockShape, cropsT, "crops");
  const m = block.length;
  const product = block.reduce((a, b) => a * b, 1);
  if (!(product > 0)) throw invalidArgument(`Product of block sizes must be positive, got ${product}`);
  const batch0 = input.shape[0]!;
  if (batch0 % product !== 0) {
    throw invalidArgument(
      `Input batch dimension (${batch0}) is not divisible by product of block sizes (${product})`,
    );
  }
  const space = [batch0 / product];
  for (let d = 0; d < m; d++) {
    const [start, end] = [crops[2 * d]!, crops[2 * d + 1]!];
    if (block[d] === 1 && start === 0 && end === 0) {
      space.push(input.shape[d + 1]!);
      continue;
    }
    if (start < 0 || end < 0) throw invalidArgument("Crops must be non-negative");
    const cropped = input.shape[d + 1]! * block[d]! - start - end;
    if (cropped < 0) throw invalidArgument(`cropped_shape[${d}]=${cropped} must be non-negative`);
    space.push(cropped);
  }
  space.push(...input.shape.slice(1 + m));
  const starts = block.map((_, d) => crops[2 * d]!);
  return spaceBatchCopyJob(input, space, input.shape, block, starts, false);
}

export const batchToSpaceNDConfig: KernelConfig = {
  op: {
    name: "BatchToSpaceND",
    inputs: ["input: T", "block_shape: Tblock_shape", "crops: Tcrops"],
    outputs: ["output: T"],
    attrs: ["T: type", "Tblock_shape: {int32, int64} = DT_INT32", "Tcrops: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("BatchToSpaceND", (c) => {
    checkTypeConstraint(c, "T", REAL_NUMBER_TYPES);
    return { compute: (ctx) => computeJob(ctx, batchToSpaceNDJob(ctx.input(0), ctx.input(1), ctx.input(2))) };
  }),
};
