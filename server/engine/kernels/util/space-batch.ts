// Shared pieces of TF's SpaceToBatchND / BatchToSpaceND (core/kernels/spacetobatch_op.cc,
// batchtospace_op.cc): input checks, and the element map between the batched layout
// [blocks·batch, d₁, …, d_M, rest] (block offset major) and the spatial one [batch, D₁, …, D_M,
// rest] with D_i = d_i·block_i − (pad or crop).

import { invalidArgument } from "../../framework/errors.js";
import { shapeString, Tensor } from "../../framework/tensor.js";
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
  for (let r = 0; r < nBatched; r++) {
    // r = ((ob·d₁ + y₁)·d₂ + y₂)…; ob = offsetIndex·batch + b.
    let rem = r;
    for (let d = m; d >= 1; d--) {
      pos[d - 1] = rem % batched[d]!;
      rem = Math.floor(rem / batched[d]!);
    }
    const b = rem % batch;
    let offIndex = Math.floor(rem / batch);
    let s = b * spaceStrides[0]!;
    let inside = true;
    for (let d = m - 1; d >= 0; d--) {
      const off = offIndex % block[d]!;
      offIndex = Math.floor(offIndex / block[d]!);
      const y = pos[d]! * block[d]! + off - starts[d]!;
      if (y < 0 || y >= space[d + 1]!) inside = false;
      s += y * spaceStrides[d + 1]!;
    }
    if (!inside) continue;
    for (let k = 0; k < inner * lanes; k++) {
      const bi = r * inner * lanes + k;
      const si = s * lanes + k;
      if (toBatch) out[bi] = from[si];
      else out[si] = from[bi];
    }
  }
  return new Tensor(src.dtype, outShape, out as unknown as Tensor["data"]);
}
