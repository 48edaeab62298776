// TF's ReduceJoin (core/kernels/reduce_join_op.cc, tf.strings.reduce_join): joins the strings
// along the reduction dims with a separator. Dims may be negative; the order in which they are
// listed sets the join order: the first listed dim varies fastest (observed in TF 2.21: axes
// [0, 1] of [[a, b], [c, d]] join as "a c b d"). Out-of-range dims are OUT_OF_RANGE.

import { invalidArgument, outOfRange } from "../framework/errors.js";
import { getAttrBool, getAttrString } from "../framework/op-def.js";
import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { bytesOf, joinBytes } from "./util/string-util.js";
import { readInts } from "./util/tensor-util.js";

/** The reduced dims in TF's join order (fastest-varying last), after TF's checks. */
function reducedDims(indices: readonly number[], rank: number): number[] {
  const seen = new Array<boolean>(rank).fill(false);
  for (const d of indices) {
    if (d < -rank || d >= rank) {
      throw outOfRange(`Invalid reduction dimension ${d} for input with ${rank} dimension(s)`);
    }
    const axis = d < 0 ? d + rank : d;
    if (seen[axis]) throw invalidArgument(`Duplicate reduction dimension ${d}`);
    seen[axis] = true;
  }
  return indices.map((d) => (d < 0 ? d + rank : d)).reverse();
}

/** Row-major strides of `shape`. */
function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) s[d] = s[d + 1]! * shape[d + 1]!;
  return s;
}

/** The flat offset of the `linear`-th element of the sub-grid spanned by `dims` (last fastest). */
function offsetOf(
  linear: number,
  dims: readonly number[],
  shape: readonly number[],
  strides: number[],
): number {
  let off = 0;
  let q = linear;
  for (let k = dims.length - 1; k >= 0; k--) {
    const size = shape[dims[k]!]!;
    off += (q % size) * strides[dims[k]!]!;
    q = Math.floor(q / size);
  }
  return off;
}

export function reduceJoin(input: Tensor, indicesT: Tensor, keepDims: boolean, separator: string): Tensor {
  const shape = input.shape;
  const reduced = reducedDims(readInts(indicesT), shape.length);
  const kept = shape.map((_, d) => d).filter((d) => !reduced.includes(d));
  const outShape = keepDims ? shape.map((n, d) => (reduced.includes(d) ? 1 : n)) : kept.map((d) => shape[d]!);
  const nOut = kept.reduce((a, d) => a * shape[d]!, 1);
  const nJoin = reduced.reduce((a, d) => a * shape[d]!, 1);
  const strides = stridesOf(shape);
  const src = input.data as Uint8Array[];
  const sep = bytesOf(separator);
  const out = allocData(DataType.DT_STRING, nOut, outShape) as Uint8Array[];
  const parts = new Array<Uint8Array>(nJoin);
  for (let o = 0; o < nOut; o++) {
    const base = offsetOf(o, kept, shape, strides);
    for (let r = 0; r < nJoin; r++) parts[r] = src[base + offsetOf(r, reduced, shape, strides)]!;
    out[o] = joinBytes(parts, sep);
  }
  return new Tensor(DataType.DT_STRING, outShape, out);
}

export const reduceJoinConfig: KernelConfig = {
  op: {
    name: "ReduceJoin",
    inputs: ["inputs: string", "reduction_indices: int32"],
    outputs: ["output: string"],
    attrs: ["keep_dims: bool = false", "separator: string = ''"],
  },
  kernel: cpuKernel("ReduceJoin", (c) => {
    const keepDims = getAttrBool(c.attrs, "keep_dims");
    const separator = getAttrString(c.attrs, "separator");
    return {
      compute: (ctx) => ctx.setOutput(0, reduceJoin(ctx.input(0), ctx.input(1), keepDims, separator)),
    };
  }),
};
