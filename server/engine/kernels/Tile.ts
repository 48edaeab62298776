// TF's Tile (core/kernels/tile_ops.cc): repeats the input `multiples[i]` times along dimension i.
// The output size is checked against the tensor budget before allocating.

import { stridesOf } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { numElements, shapeString, Tensor } from "../framework/tensor.js";
import { computeJob, type ElementJob, oneLoop, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { allocIndexable, lanesOf, readInts, storage } from "./util/tensor-util.js";

export function tile(x: Tensor, multiples: readonly number[]): Tensor {
  return runWhole(tileJob(x, multiples));
}

/** tile as an ElementJob (util/element-slices.ts): allocated now, written whole or in slices. */
export function tileJob(x: Tensor, multiples: readonly number[]): ElementJob<Tensor> {
  if (multiples.length !== x.rank) {
    throw invalidArgument(
      `Expected multiples argument to be a vector of length ${x.rank} but got length ${multiples.length}`,
    );
  }
  multiples.forEach((m, i) => {
    if (m < 0) throw invalidArgument(`Expected multiples[${i}] >= 0, but got ${m}`);
  });
  const shape = x.shape.map((d, i) => d * multiples[i]!);
  const n = numElements(shape);
  const out = allocIndexable(x.dtype, n, shape);
  const lanes = lanesOf(x.dtype);
  const inStrides = stridesOf(x.shape);
  const outStrides = stridesOf(shape);
  const src = storage(x);
  const run = (start: number, end: number) => {
    for (let i = start; i < end; i++) {
      let rem = i;
      let s = 0;
      for (let d = 0; d < shape.length; d++) {
        const k = Math.floor(rem / outStrides[d]!);
        rem -= k * outStrides[d]!;
        s += (k % x.shape[d]!) * inStrides[d]!;
      }
      for (let l = 0; l < lanes; l++) out[i * lanes + l] = src[s * lanes + l];
    }
  };
  // Each element unravels its index over every dimension.
  return oneLoop(
    n,
    run,
    () => new Tensor(x.dtype, shape, out as unknown as Tensor["data"]),
    2 + shape.length,
  );
}

export const tileConfig: KernelConfig = {
  op: {
    name: "Tile",
    inputs: ["input: T", "multiples: Tmultiples"],
    outputs: ["output: T"],
    attrs: ["T: type", "Tmultiples: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("Tile", () => ({
    compute(ctx) {
      const m = ctx.input(1);
      if (m.rank !== 1)
        throw invalidArgument(
          `Expected multiples argument to be a vector but got shape ${shapeString(m.shape)}`,
        );
      return computeJob(ctx, tileJob(ctx.input(0), readInts(m)));
    },
  })),
};
