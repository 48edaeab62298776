// TF's ReverseSequence (core/kernels/reverse_sequence_op.cc): along seq_dim, the first
// seq_lengths[b] elements of each batch_dim slice b reversed, the rest kept.

import { invalidArgument } from "../framework/errors.js";
import { getAttrInt } from "../framework/op-def.js";
import { Tensor } from "../framework/tensor.js";
import { computeJob, type ElementJob, oneLoop, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { allocIndexable, lanesOf, readInts, storage } from "./util/tensor-util.js";

function checkSequence(input: Tensor, lens: Tensor, batchDim: number, seqDim: number): number[] {
  if (lens.rank !== 1) throw invalidArgument(`seq_lengths must be 1-dim, not ${lens.rank}`);
  const v = readInts(lens);
  if (batchDim === seqDim) throw invalidArgument(`batch_dim == seq_dim == ${seqDim}`);
  if (seqDim >= input.rank)
    throw invalidArgument(`seq_dim must be < input rank ( ${seqDim} vs. ${input.rank})`);
  if (batchDim >= input.rank) {
    throw invalidArgument(`batch_dim must be < input rank ( ${batchDim} vs. ${input.rank})`);
  }
  if (v.length !== input.shape[batchDim]) {
    throw invalidArgument(
      `Length of seq_lengths != input.dims(${batchDim}), (${v.length} vs. ${input.shape[batchDim]})`,
    );
  }
  v.forEach((len, d) => {
    if (len < 0) throw invalidArgument(`seq_lens(${d}) < 0`);
    if (len > input.shape[seqDim]!) throw invalidArgument(`seq_lens(${d}) > input.dims(${seqDim})`);
  });
  if (input.rank < 2 || input.rank > 5) {
    throw invalidArgument(`ReverseSequenceOp : Unhandled input dimensions: ${input.rank}`);
  }
  return v;
}

export function reverseSequence(input: Tensor, lens: Tensor, batchDim: number, seqDim: number): Tensor {
  return runWhole(reverseSequenceJob(input, lens, batchDim, seqDim));
}

/** reverseSequence as an ElementJob (util/element-slices.ts): each output element from its index. */
export function reverseSequenceJob(
  input: Tensor,
  lens: Tensor,
  batchDim: number,
  seqDim: number,
): ElementJob<Tensor> {
  const seqLens = checkSequence(input, lens, batchDim, seqDim);
  const shape = input.shape;
  const rank = shape.length;
  const n = input.numElements;
  const out = allocIndexable(input.dtype, n, shape);
  const src = storage(input);
  const lanes = lanesOf(input.dtype);
  const strides = new Array<number>(rank);
  let acc = 1;
  for (let d = rank - 1; d >= 0; d--) {
    strides[d] = acc;
    acc *= shape[d]!;
  }
  const [bStride, bDim] = [strides[batchDim]!, shape[batchDim]!];
  const [sStride, sDim] = [strides[seqDim]!, shape[seqDim]!];
  const run = (start: number, end: number) => {
    for (let o = start; o < end; o++) {
      const len = seqLens[Math.floor(o / bStride) % bDim]!;
      const s = Math.floor(o / sStride) % sDim;
      const i = s < len ? o + (len - 1 - 2 * s) * sStride : o;
      for (let l = 0; l < lanes; l++) out[o * lanes + l] = src[i * lanes + l];
    }
  };
  return oneLoop(n, run, () => new Tensor(input.dtype, shape, out as unknown as Tensor["data"]), 3 * lanes);
}

export const reverseSequenceConfig: KernelConfig = {
  op: {
    name: "ReverseSequence",
    inputs: ["input: T", "seq_lengths: Tlen"],
    outputs: ["output: T"],
    attrs: ["seq_dim: int", "batch_dim: int = 0", "T: type", "Tlen: {int32, int64} = DT_INT64"],
  },
  kernel: cpuKernel("ReverseSequence", (c) => {
    const batchDim = getAttrInt(c.attrs, "batch_dim");
    const seqDim = getAttrInt(c.attrs, "seq_dim");
    if (batchDim < 0) throw invalidArgument(`Invalid batch_dim ${batchDim}`);
    if (seqDim < 0) throw invalidArgument(`Invalid seq_dim ${seqDim}`);
    return {
      compute: (ctx) => computeJob(ctx, reverseSequenceJob(ctx.input(0), ctx.input(1), batchDim, seqDim)),
    };
  }),
};
