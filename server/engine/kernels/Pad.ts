// TF's Pad (core/kernels/pad_op.cc): pads each dimension with paddings[d] = [before, after]
// elements of zero. The padded size is checked against the budget before allocating.

import { stridesOf } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { allocData, numElements, shapeString, Tensor } from "../framework/tensor.js";
import { computeJob, type ElementJob, type ElementPass, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { type Indexable, lanesOf, readInts, storage } from "./util/tensor-util.js";

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
  return runWhole(padJob(input, pads, fill));
}

/**
 * pad as an ElementJob (util/element-slices.ts): the output allocated now, then a pass writing the
 * fill value everywhere (when it is not zero) and one copying the input into the interior.
 */
export function padJob(input: Tensor, pads: readonly [number, number][], fill?: Tensor): ElementJob<Tensor> {
  const shape = input.shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
  const n = numElements(shape);
  const data = allocData(input.dtype, n, shape);
  const lanes = lanesOf(input.dtype);
  const dst = data as unknown as Indexable;
  const passes: ElementPass[] = [];
  if (fill !== undefined) {
    const f = storage(fill);
    passes.push({
      n: n * lanes,
      run: (s, e) => {
        for (let i = s; i < e; i++) dst[i] = f[i % lanes];
      },
    });
  }
  if (input.numElements > 0) {
    const outStrides = stridesOf(shape);
    const offset = pads.reduce((acc, [before], d) => acc + before * outStrides[d]!, 0);
    passes.push({
      n: input.numElements,
      run: (s, e) => interiorCopy(storage(input), input.shape, dst, outStrides, offset, lanes, s, e),
      cost: lanes,
    });
  }
  return { passes, result: () => new Tensor(input.dtype, shape, data) };
}

/**
 * Input elements [start, end), in row-major order, written through the output's strides from
 * `offset` (the interior of the padded output).
 */
function interiorCopy(
  src: Indexable,
  inShape: readonly number[],
  dst: Indexable,
  outStrides: readonly number[],
  offset: number,
  lanes: number,
  start: number,
  end: number,
): void {
  const rank = inShape.length;
  if (rank === 0) {
    for (let l = 0; l < lanes; l++) dst[offset * lanes + l] = src[l];
    return;
  }
  const idx = new Array<number>(rank).fill(0);
  let rem = start;
  for (let d = rank - 1; d >= 0; d--) {
    idx[d] = rem % inShape[d]!;
    rem = Math.floor(rem / inShape[d]!);
  }
  for (let i = start; i < end; i++) {
    let o = offset;
    for (let d = 0; d < rank; d++) o += idx[d]! * outStrides[d]!;
    for (let l = 0; l < lanes; l++) dst[o * lanes + l] = src[i * lanes + l];
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d]! < inShape[d]!) break;
      idx[d] = 0;
    }
  }
}

export const padConfig: KernelConfig = {
  op: {
    name: "Pad",
    inputs: ["input: T", "paddings: Tpaddings"],
    outputs: ["output: T"],
    attrs: ["T: type", "Tpaddings: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("Pad", () => ({
    compute(ctx) {
      const input = ctx.input(0);
      return computeJob(ctx, padJob(input, readPaddings(input, ctx.input(1))));
    },
  })),
};
