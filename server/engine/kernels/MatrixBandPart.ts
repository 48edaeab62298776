// TF's MatrixBandPart (core/kernels/linalg/matrix_band_part_op.cc): the innermost matrices with
// everything outside a band of num_lower subdiagonals and num_upper superdiagonals zeroed
// (a negative count keeps that whole triangle).

import { invalidArgument } from "../framework/errors.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { computeJob, type ElementJob, oneLoop, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, POD_TYPES } from "./util/kernel-config.js";
import { lanesOf, readInts, storage } from "./util/tensor-util.js";

function bandLimit(t: Tensor, name: string, bound: number, what: string): number {
  if (t.rank !== 0) throw invalidArgument(`${name} must be scalar, got shape ${shapeString(t.shape)}`);
  const v = readInts(t)[0]!;
  if (v > bound) {
    throw invalidArgument(
      `${name} must be negative or less or equal to number of ${what} (${bound}) got: ${v}`,
    );
  }
  return v;
}

export function matrixBandPart(input: Tensor, numLower: Tensor, numUpper: Tensor): Tensor {
  return runWhole(matrixBandPartJob(input, numLower, numUpper));
}

/** matrixBandPart as an ElementJob (util/element-slices.ts): each element kept or left zero. */
export function matrixBandPartJob(input: Tensor, numLower: Tensor, numUpper: Tensor): ElementJob<Tensor> {
  if (input.rank < 2) {
    throw invalidArgument(`input must be at least 2-dim, received shape: ${shapeString(input.shape)}`);
  }
  const rows = input.shape[input.rank - 2]!;
  const cols = input.shape[input.rank - 1]!;
  const lower = bandLimit(numLower, "num_lower", rows, "rows");
  const upper = bandLimit(numUpper, "num_upper", cols, "columns");
  const n = input.numElements;
  // Zeros of the dtype: fresh storage is zero-filled (false for bool, 0/0n for numbers).
  const data = allocData(input.dtype, n, input.shape);
  const out = data as unknown as { [i: number]: unknown };
  const src = storage(input);
  const lanes = lanesOf(input.dtype);
  const run = (start: number, end: number) => {
    for (let o = start; o < end; o++) {
      const j = o % cols;
      const i = Math.floor(o / cols) % rows;
      if ((lower < 0 || i - j <= lower) && (upper < 0 || j - i <= upper)) {
        for (let l = 0; l < lanes; l++) out[o * lanes + l] = src[o * lanes + l];
      }
    }
  };
  return oneLoop(n, run, () => new Tensor(input.dtype, input.shape, data), 2 * lanes);
}

export const matrixBandPartConfig: KernelConfig = {
  op: {
    name: "MatrixBandPart",
    inputs: ["input: T", "num_lower: Tindex", "num_upper: Tindex"],
    outputs: ["band: T"],
    attrs: ["T: type", "Tindex: {int32, int64} = DT_INT64"],
  },
  kernel: cpuKernel("MatrixBandPart", (c) => {
    checkTypeConstraint(c, "T", POD_TYPES);
    return { compute: (ctx) => computeJob(ctx, matrixBandPartJob(ctx.input(0), ctx.input(1), ctx.input(2))) };
  }),
};
