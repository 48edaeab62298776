// TF's RandomShuffle (core/kernels/random_shuffle_op.cc, shuffle_common.h): the input's slices
// along dimension 0 in a random order. The order is TF's own Fisher-Yates variant: for each
// position i but the last, swap it with i + (next uint32 % (size - i)), the uint32s read one at a
// time from the kernel's Philox stream, which reserves exactly size - 1 of them per run. So a
// seeded graph shuffles like TF, and each run of the same kernel continues the stream.

import { Tensor } from "../framework/tensor.js";
import { ALL_TYPES, checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { type PhiloxRandom, SingleSampleAdapter } from "./util/philox-random.js";
import { generatorFromAttrs, SEED_ATTRS } from "./util/random-op.js";
import { allocIndexable, lanesOf, storage } from "./util/tensor-util.js";

/** The permutation TF's ShuffleRange applies to [0, size), drawing from `gen`. */
function permutation(size: number, gen: PhiloxRandom): Float64Array {
  const perm = new Float64Array(size);
  for (let i = 0; i < size; i++) perm[i] = i;
  const single = new SingleSampleAdapter(gen);
  for (let i = 0; i < size - 1; i++) {
    const j = i + (single.next() % (size - i));
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm;
}

/**
 * Shuffles `input` along dimension 0 (TF's RandomShuffle<T>): inputs of at most one element or
 * one slice pass through unchanged and draw nothing; otherwise `reserve(size - 1)` gives the
 * generator for the size - 1 draws.
 */
export function shuffleDim0(input: Tensor, reserve: (samples: number) => PhiloxRandom): Tensor {
  const n = input.numElements;
  if (n <= 1 || input.shape[0]! <= 1) return input;
  const size = input.shape[0]!;
  const perm = permutation(size, reserve(size - 1));
  const row = (n / size) * lanesOf(input.dtype);
  const src = storage(input);
  const out = allocIndexable(input.dtype, n, input.shape);
  for (let i = 0; i < size; i++) {
    const from = perm[i]! * row;
    for (let k = 0; k < row; k++) out[i * row + k] = src[from + k];
  }
  return new Tensor(input.dtype, input.shape, out as unknown as Tensor["data"]);
}

export const randomShuffleConfig: KernelConfig = {
  op: {
    name: "RandomShuffle",
    inputs: ["value: T"],
    outputs: ["output: T"],
    attrs: [...SEED_ATTRS, "T: type"],
    isStateful: true,
  },
  kernel: cpuKernel("RandomShuffle", (c) => {
    checkTypeConstraint(c, "T", ALL_TYPES);
    const generator = generatorFromAttrs(c.attrs);
    return {
      compute(ctx) {
        ctx.setOutput(
          0,
          shuffleDim0(ctx.input(0), (samples) => generator.reserveSamples32(samples)),
        );
      },
    };
  }),
};
