// TF's MatrixSetDiagV3 (core/kernels/linalg/matrix_set_diag_op.cc): a copy of `input` with
// diagonals k[0]..k[1] of its innermost matrices replaced by the packed rows of `diagonal`.

import { invalidArgument } from "../framework/errors.js";
import { allocData, sameShape, shapeString, Tensor } from "../framework/tensor.js";
import { computeJob, doneJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, POD_TYPES } from "./util/kernel-config.js";
import {
  ALIGN_ATTR,
  type Alignment,
  checkDiagBounds,
  diagLenAndOffset,
  maxDiagLen,
  readAlignment,
  readDiagIndex,
} from "./util/matrix-diag-util.js";
import { lanesOf, storage } from "./util/tensor-util.js";

function checkDiagShape(input: Tensor, diag: Tensor, lower: number, upper: number): number {
  const rank = input.rank;
  const rows = input.shape[rank - 2]!;
  const cols = input.shape[rank - 1]!;
  checkDiagBounds(lower, upper, rows, cols, "");
  const numDiags = upper - lower + 1;
  if (lower !== upper && diag.shape[rank - 2] !== numDiags) {
    throw invalidArgument(
      "The number of diagonals provided in `diag` is not consistent with `lower_diag_index` and `upper_diag_index`",
    );
  }
  const maxLen = maxDiagLen(lower, upper, rows, cols);
  const expected = input.shape.slice(0, -2);
  if (numDiags > 1) expected.push(numDiags);
  expected.push(maxLen);
  if (!sameShape(expected, diag.shape)) {
    throw invalidArgument(
      "Either first dimensions of diagonal don't match input.shape[:-2], or diagonal.shape[:-1] is not " +
        "equal to the longests diagonal in range [lower_diag_index:upper_diag_index].\n" +
        `Input shape: ${shapeString(input.shape)}\nDiagonal shape: ${shapeString(diag.shape)}\n` +
        `Expected diagonal shape: ${shapeString(expected)}`,
    );
  }
  return maxLen;
}

export function matrixSetDiag(input: Tensor, diag: Tensor, k: Tensor, a: Alignment): Tensor {
  return runWhole(matrixSetDiagJob(input, diag, k, a));
}

/**
 * matrixSetDiag as an ElementJob (util/element-slices.ts): the input copied into new storage, then
 * the diagonals' elements written over it, each packed position from its own index.
 */
export function matrixSetDiagJob(input: Tensor, diag: Tensor, k: Tensor, a: Alignment): ElementJob<Tensor> {
  const [lower, upper] = readDiagIndex(k, "diag_index must have at least one element");
  if (input.rank < 2) {
    throw invalidArgument(`input must be at least 2-dim, received shape: ${shapeString(input.shape)}`);
  }
  if (diag.rank < 1) {
    throw invalidArgument(`diagonal must be at least 1-dim, received shape: ${shapeString(diag.shape)}`);
  }
  const maxLen = checkDiagShape(input, diag, lower, upper);
  if (input.numElements === 0) return doneJob(input);
  const data = allocData(input.dtype, input.numElements, input.shape);
  const copy = (s: number, e: number) => {
    (data as Uint8Array).set((input.data as Uint8Array).subarray(s, e), s);
  };
  const dst = data as unknown as { [i: number]: unknown };
  const src = storage(diag);
  const lanes = lanesOf(input.dtype);
  const rank = input.rank;
  const rows = input.shape[rank - 2]!;
  const cols = input.shape[rank - 1]!;
  const numDiags = upper - lower + 1;
  // Diagonal m (d = upper - m): its length and offset in its packed row.
  const diags = Array.from({ length: numDiags }, (_, m) =>
    diagLenAndOffset(upper - m, maxLen, rows, cols, a),
  );
  // Packed position p = (b·numDiags + m)·maxLen + n, for n < the diagonal's length.
  const set = (start: number, end: number) => {
    for (let p = start; p < end; p++) {
      const n = p % maxLen;
      const row = (p - n) / maxLen;
      const m = row % numDiags;
      const [len, offset] = diags[m]!;
      if (n >= len) continue;
      const d = upper - m;
      const r = d >= 0 ? n : n - d;
      const c = d >= 0 ? n + d : n;
      const o = ((row - m) / numDiags) * rows * cols + r * cols + c;
      const si = row * maxLen + n + offset;
      for (let l = 0; l < lanes; l++) dst[o * lanes + l] = src[si * lanes + l];
    }
  };
  const batches = input.numElements / (rows * cols);
  const passes = [
    { n: input.numElements * lanes, run: copy },
    { n: batches * numDiags * maxLen, run: set, cost: 3 * lanes },
  ];
  return { passes, result: () => new Tensor(input.dtype, input.shape, data) };
}

export const matrixSetDiagV3Config: KernelConfig = {
  op: {
    name: "MatrixSetDiagV3",
    inputs: ["input: T", "diagonal: T", "k: int32"],
    outputs: ["output: T"],
    attrs: ["T: type", ALIGN_ATTR],
  },
  kernel: cpuKernel("MatrixSetDiagV3", (c) => {
    checkTypeConstraint(c, "T", POD_TYPES);
    const a = readAlignment(c);
    return {
      compute: (ctx) => computeJob(ctx, matrixSetDiagJob(ctx.input(0), ctx.input(1), ctx.input(2), a)),
    };
  }),
};
