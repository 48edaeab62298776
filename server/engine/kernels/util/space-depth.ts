// Shared pieces of TF's SpaceToDepth / DepthToSpace CPU kernels (core/kernels/spacetodepth_op.cc,
// depthtospace_op.cc): NHWC only on CPU; both are a fixed permutation of the element positions.

import { invalidArgument } from "../../framework/errors.js";
import { getAttrInt } from "../../framework/op-def.js";
import type { OpKernelConstruction } from "../../framework/op-kernel.js";
import { Tensor } from "../../framework/tensor.js";
import { getEnumAttr } from "./conv-util.js";
import { allocIndexable, lanesOf, storage } from "./tensor-util.js";

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
  const { batch, h, w, c, bs } = dims;
  const n = input.numElements;
  const out = allocIndexable(input.dtype, n, outShape);
  const src = storage(input);
  const lanes = lanesOf(input.dtype);
  const wideW = w * bs;
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let dy = 0; dy < bs; dy++) {
          for (let dx = 0; dx < bs; dx++) {
            for (let ch = 0; ch < c; ch++) {
              const deep = (((b * h + y) * w + x) * bs * bs + dy * bs + dx) * c + ch;
              const wide = ((b * h * bs + y * bs + dy) * wideW + x * bs + dx) * c + ch;
              const [o, i] = toDepth ? [deep, wide] : [wide, deep];
              for (let l = 0; l < lanes; l++) out[o * lanes + l] = src[i * lanes + l];
            }
          }
        }
      }
    }
  }
  return new Tensor(input.dtype, outShape, out as unknown as Tensor["data"]);
}
