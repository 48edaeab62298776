// Shared pieces of TF's SpaceToBatchND / BatchToSpaceND (core/kernels/spacetobatch_op.cc,
// batchtospace_op.cc): input checks, and the element map between the batched layout
// [blocks·batch, d₁, …, d_M, rest] (block offset major) and the spatial one [batch, D₁, …, D_M,
// rest] with D_i = d_i·block_i − (pad or crop).

import { invalidArgument } from "../../framework/errors.js";
import { shapeString, Tensor } from "../../framework/tensor.js";
import { type ElementJob, oneLoop, runWhole } from "./element-slices.js";
import { allocIndexable, lanesOf, readInts, storage } from "./tensor-util.js";

/** block_shape and the [M, 2] paddings/crops as numbers, with TF's shape checks. */
export function readBlockArgs(
  input: Tensor,
  blockShape: Tensor,
  pads: Tensor,
  padName: string,
): { block: number[]; pads: number[] } {
  if (blockShape.rank !== 1)
    throw invalidArgument(`block_shape rank should be 1 instead of ${blockShape.rank}`);
  const m = blockShape.shape[0]!;
  if (input.rank < 1 + m) throw invalidArgument(`input rank should be >= ${1 + m} instead of ${input.rank}`);
  if (pads.rank !== 2 || pads.shape[0] !== m || pads.shape[1] !== 2) {
    throw invalidArgument(`${padName} should have shape [${m}, 2] instead of ${shapeString(pads.shape)}`);
  }
  return { block: readInts(blockShape), pads: readInts(pads) };
}

/**
 * Copies between the spatial tensor (shape `space`) and the batched one (shape `batched`):
 * spatial position block_i·y_i + off_i − start_i holds batched[(offset index)·batch + b, y…];
 * positions outside the spatial tensor are padding (zeros) or cropped away.
 */
export function spaceBatchCopy(
  src: Tensor,
  space: readonly number[],
  batched: readonly number[],
  block: readonly number[],
  starts: readonly number[],
  toBatch: boolean,
): Tensor {
  return runWhole(spaceBatchCopyJob(src, space, batched, block, starts, toBatch));
}

/**
 * spaceBatchCopy as an ElementJob (util/element-slices.ts): one pass over the batched tensor's
 * elements, each row's spatial offset found from its own index, so a range may start inside a
 * row. Every element has one place on either side, so the order of the copies is moot.
 */
export function spaceBatchCopyJob(
  src: Tensor,
  space: readonly number[],
  batched: readonly number[],
  block: readonly number[],
  starts: readonly number[],
  toBatch: boolean,
): ElementJob<Tensor> {
  const outShape = toBatch ? batched : space;
  const nOut = outShape.reduce((a, b) => a * b, 1);
  const out = allocIndexable(src.dtype, nOut, outShape);
  const lanes = lanesOf(src.dtype);
  const from = storage(src);
  const m = block.length;
  const batch = space[0]!;
  const inner = space.slice(1 + m).reduce((a, b) => a * b, 1);
  const nBatched = batched.reduce((a, b) => a * b, 1) / Math.max(1, inner);
  const spaceStrides: number[] = new Array(m + 1);
  let acc = inner;
  for (let d = m; d >= 1; d--) {
    spaceStrides[d] = acc;
    acc *= space[d]!;
  }
  spaceStrides[0] = acc;
  const pos = new Array<number>(m);
  /** Batched row r's first element in the spatial tensor, or -1 when padding/cropped. */
  const spatialStart = (r: number): number => {
    // r = ((ob·d₁ + y₁)·d₂ + y₂)…; ob = offsetIndex·batch + b.
    let rem = r;
    for (let d = m; d >= 1; d--) {
      pos[d - 1] = rem % batched[d]!;
      rem = Math.floor(rem / batched[d]!);
    }
    const b = rem % batch;
    let offIndex = Math.floor(rem / batch);
    let s = b * spaceStrides[0]!;
    for (let d = m - 1; d >= 0; d--) {
      const off = offIndex % block[d]!;
      offIndex = Math.floor(offIndex / block[d]!);
      const y = pos[d]! * block[d]! + off - starts[d]!;
      if (y < 0 || y >= space[d + 1]!) return -1;
      s += y * spaceStrides[d + 1]!;
    }
    return s;
  };
  const width = inner * lanes;
  const run = (start: number, end: number) => {
    let r = Math.floor(start / width);
    for (let i = start; i < end; r++) {
      const k0 = i - r * width;
      const len = Math.min(width - k0, end - i);
      const s = spatialStart(r);
      if (s >= 0) {
        for (let k = k0; k < k0 + len; k++) {
          const bi = r * width + k;
          const si = s * lanes + k;
          if (toBatch) out[bi] = from[si];
          else out[si] = from[bi];
        }
      }
      i += len;
    }
  };
  const result = () => new Tensor(src.dtype, outShape, out as unknown as Tensor["data"]);
  return oneLoop(nBatched * width, run, result, 1 + m / Math.max(1, width));
}
