// TF's Pad (core/kernels/pad_op.cc): pads each dimension with paddings[d] = [before, after]
// elements of zero. The padded size is checked against the budget before allocating.

import { stridesOf } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { allocData, numElements, shapeString, Tensor } from "../framework/tensor.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { lanesOf, readInts, storage } from "./util/tensor-util.js";

/** Validates a [rank, 2] paddings tensor (TF's PadOp checks) and returns [before, after] pairs. */
export function readPaddings(input: Tensor, paddings: Tensor): [number, number][] {
  const rank = input.rank;
  if (!(paddings.rank === 2 && paddings.shape[1] === 2)) {
    throw invalidArgument(`paddings must be a matrix with 2 columns: ${shapeString(paddings.shape)}`);
  }
  if (paddings.shape[0] !== rank) {
    throw invalidArgument(
      `The first dimension of paddings must be the rank of inputs${shapeString(paddings.shape)} ${shapeString(input.shape)}`,
    );
  }
  const v = readInts(paddings);
  const out: [number, number][] = [];
  for (let d = 0; d < rank; d++) {
    const before = v[2 * d]!;
    const after = v[2 * d + 1]!;
    if (before < 0 || after < 0) throw invalidArgument(`Paddings must be non-negative: ${before} ${after}`);
    out.push([before, after]);
  }
  return out;
}

/** Pads `input` with copies of the scalar `fill` (zero when undefined). */
export function pad(input: Tensor, pads: readonly [number, number][], fill?: Tensor): Tensor {
  const shape = input.shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
  const n = numElements(shape);
  const data = allocData(input.dtype, n, shape);
  const lanes = lanesOf(input.dtype);
  const dst = data as unknown as { [i: number]: unknown };
  if (fill !== undefined) {
    const f = storage(fill);
    for (let i = 0; i < n * lanes; i++) dst[i] = f[i % lanes];
  }
  if (input.numElements > 0) {
    const outStrides = stridesOf(shape);
    const offset = pads.reduce((acc, [before], d) => acc + before * outStrides[d]!, 0);
    // Copy the input into the interior: walk the input, writing through the output's strides.
    const src = storage(input);
    const rank = input.rank;
    if (rank === 0) {
      for (let l = 0; l < lanes; l++) dst[l] = src[l];
    } else {
      const idx = new Array<number>(rank).fill(0);
      const total = input.numElements;
      for (let i = 0; i < total; i++) {
        let o = offset;
        for (let d = 0; d < rank; d++) o += idx[d]! * outStrides[d]!;
        for (let l = 0; l < lanes; l++) dst[o * lanes + l] = src[i * lanes + l];
        for (let d = rank - 1; d >= 0; d--) {
          if (++idx[d]! < input.shape[d]!) break;
          idx[d] = 0;
        }
      }
    }
  }
  return new Tensor(input.dtype, shape, data);
}

export const padConfig: KernelConfig = {
  op: {
    name: "Pad",
    inputs: ["input: T", "paddings: Tpaddings"],
    outputs: ["output: T"],
    attrs: ["T: type", "Tpaddings: {int32, int64} = DT_INT32"],
  },
  kernel: simpleKernel("Pad", (ctx) => {
    const input = ctx.input(0);
    ctx.setOutput(0, pad(input, readPaddings(input, ctx.input(1))));
  }),
};
