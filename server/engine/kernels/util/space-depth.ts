// Shared pieces of TF's SpaceToDepth / DepthToSpace CPU kernels (core/kernels/spacetodepth_op.cc,
// depthtospace_op.cc): NHWC only on CPU; both are a fixed permutation of the element positions.

import { invalidArgument } from "../../framework/errors.js";
import { getAttrInt } from "../../framework/op-def.js";
import type { OpKernelConstruction } from "../../framework/op-kernel.js";
import type { Tensor } from "../../framework/tensor.js";
import { getEnumAttr } from "./conv-util.js";
import { type ElementJob, runWhole, stridedCopyJob } from "./element-slices.js";

export const SPACE_DEPTH_ATTRS = [
  "T: type",
  "block_size: int >= 2",
  "data_format: {'NHWC', 'NCHW', 'NCHW_VECT_C'} = 'NHWC'",
];

export function readBlockSize(c: OpKernelConstruction): number {
  const fmt = getEnumAttr(c, "data_format", ["NHWC", "NCHW", "NCHW_VECT_C"]);
  if (fmt !== "NHWC") throw invalidArgument(`Only NHWC data_format supported on CPU. Got ${fmt}`);
  return getAttrInt(c.attrs, "block_size");
}

/**
 * Moves every element of the NHWC `deep` layout [b, h, w, bs·bs·c] to/from the `wide` layout
 * [b, h·bs, w·bs, c]: wide[b, y·bs+dy, x·bs+dx, ch] = deep[b, y, x, (dy·bs+dx)·c + ch].
 */
export function spaceDepthShuffle(
  input: Tensor,
  outShape: readonly number[],
  dims: { batch: number; h: number; w: number; c: number; bs: number },
  toDepth: boolean,
): Tensor {
  return runWhole(spaceDepthShuffleJob(input, outShape, dims, toDepth));
}

/**
 * spaceDepthShuffle as one strided copy (stridedCopyJob, util/element-slices.ts): the output is
 * the input read as the 6-D [b, y, x, dy, dx, ch] (to depth) or [b, y, dy, x, dx, ch] (to space).
 */
export function spaceDepthShuffleJob(
  input: Tensor,
  outShape: readonly number[],
  dims: { batch: number; h: number; w: number; c: number; bs: number },
  toDepth: boolean,
): ElementJob<Tensor> {
  const { batch, h, w, c, bs } = dims;
  const wideRow = w * bs * c;
  if (toDepth) {
    const strides = [h * bs * wideRow, bs * wideRow, bs * c, wideRow, c, 1];
    return stridedCopyJob(input, strides, 0, [batch, h, w, bs, bs, c], outShape);
  }
  const strides = [h * w * bs * bs * c, w * bs * bs * c, bs * c, bs * bs * c, c, 1];
  return stridedCopyJob(input, strides, 0, [batch, h, bs, w, bs, c], outShape);
}
