// TF's UnsortedSegmentJoin (core/kernels/unsorted_segment_join_op.cc,
// tf.strings.unsorted_segment_join and tf.strings.reduce_join on a RaggedTensor): joins the
// slices of `inputs` that share a segment id, in input order, with a separator; segments nobody
// names are empty strings.

import { invalidArgument, outOfRange } from "../framework/errors.js";
import { getAttrString } from "../framework/op-def.js";
import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { bytesOf, joinBytes } from "./util/string-util.js";
import { readInts } from "./util/tensor-util.js";

function checkInputs(input: Tensor, ids: Tensor, numT: Tensor): number {
  if (numT.numElements === 0) throw invalidArgument("Number of segments cannot be empty.");
  if (numT.rank !== 0) throw invalidArgument("Number of segments must be a scalar");
  const num = readInts(numT)[0]!;
  if (num < 0) throw invalidArgument(`Number of segments must be non-negative but got ${num}`);
  if (ids.rank === 0) throw invalidArgument("Segment_id cannot have rank 0");
  if (ids.rank > input.rank) {
    throw outOfRange(`Invalid segment_id rank ${ids.rank} for input with ${input.rank} dimension(s)`);
  }
  ids.shape.forEach((d, i) => {
    // TF's message names the input's rank where it means its dim size.
    if (d !== input.shape[i]) {
      throw invalidArgument(`Segment dimension is ${d} while input dimension is ${input.rank} in rank ${i}`);
    }
  });
  return num;
}

export function unsortedSegmentJoin(input: Tensor, idsT: Tensor, numT: Tensor, separator: string): Tensor {
  const num = checkInputs(input, idsT, numT);
  const ids = readInts(idsT);
  if (ids.some((id) => id < 0 || id >= num)) {
    throw invalidArgument("segment_ids are not allowed to exceed num_segments or to have negative values.");
  }
  const inner = input.shape.slice(idsT.rank);
  const width = inner.reduce((a, b) => a * b, 1);
  const outShape = [num, ...inner];
  const out = allocData(DataType.DT_STRING, num * width, outShape) as Uint8Array[];
  const parts: Uint8Array[][] = Array.from({ length: num * width }, () => []);
  const src = input.data as Uint8Array[];
  ids.forEach((id, i) => {
    for (let k = 0; k < width; k++) parts[id * width + k]!.push(src[i * width + k]!);
  });
  const sep = bytesOf(separator);
  for (let o = 0; o < out.length; o++) out[o] = joinBytes(parts[o]!, sep);
  return new Tensor(DataType.DT_STRING, outShape, out);
}

export const unsortedSegmentJoinConfig: KernelConfig = {
  op: {
    name: "UnsortedSegmentJoin",
    inputs: ["inputs: string", "segment_ids: Tindices", "num_segments: Tnumsegments"],
    outputs: ["output: string"],
    attrs: ["separator: string = ''", "Tindices: {int32, int64}", "Tnumsegments: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("UnsortedSegmentJoin", (c) => {
    const separator = getAttrString(c.attrs, "separator");
    return {
      compute: (ctx) =>
        ctx.setOutput(0, unsortedSegmentJoin(ctx.input(0), ctx.input(1), ctx.input(2), separator)),
    };
  }),
};
