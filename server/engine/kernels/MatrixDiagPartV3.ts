// TF's MatrixDiagPartV3 (core/kernels/linalg/matrix_diag_op.cc MatrixDiagPartOp): diagonals
// k[0]..k[1] of the innermost matrices, packed into rows of the longest diagonal's length with
// `padding_value` filling the short ones on the side `align` leaves free.

import { invalidArgument } from "../framework/errors.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { computeJob, type ElementJob, oneLoop, runWhole } from "./util/element-slices.js";
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

export function matrixDiagPart(input: Tensor, k: Tensor, padding: Tensor, a: Alignment): Tensor {
  return runWhole(matrixDiagPartJob(input, k, padding, a));
}

/** matrixDiagPart as an ElementJob (util/element-slices.ts): each output element from its own index. */
export function matrixDiagPartJob(
  input: Tensor,
  k: Tensor,
  padding: Tensor,
  a: Alignment,
): ElementJob<Tensor> {
  const [lower, upper] = readDiagIndex(k, "Expected diag_index to have at least 1 element");
  if (padding.rank !== 0) throw invalidArgument("Padding must be scalar.");
  if (input.rank < 2) {
    throw invalidArgument(`input must be at least 2-dim, received shape: ${shapeString(input.shape)}`);
  }
  const rank = input.rank;
  const rows = input.shape[rank - 2]!;
  const cols = input.shape[rank - 1]!;
  checkDiagBounds(lower, upper, rows, cols, ".");
  const numDiags = upper - lower + 1;
  const maxLen = maxDiagLen(lower, upper, rows, cols);
  const outShape = input.shape.slice(0, -2);
  if (numDiags > 1) outShape.push(numDiags);
  outShape.push(maxLen);
  const batches = input.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  const n = batches * numDiags * maxLen;
  const data = allocData(input.dtype, n, outShape);
  const out = data as unknown as { [i: number]: unknown };
  const src = storage(input);
  const pad = storage(padding);
  const lanes = lanesOf(input.dtype);
  // si < 0: the padding value.
  const put = (o: number, si: number) => {
    for (let l = 0; l < lanes; l++) out[o * lanes + l] = si >= 0 ? src[si * lanes + l] : pad[l];
  };
  // Diagonal m (d = upper - m): its length and offset in its packed row.
  const diags = Array.from({ length: numDiags }, (_, m) =>
    diagLenAndOffset(upper - m, maxLen, rows, cols, a),
  );
  // Output element o = (b·numDiags + m)·maxLen + i.
  const run = (start: number, end: number) => {
    for (let o = start; o < end; o++) {
      const i = o % maxLen;
      const row = (o - i) / maxLen;
      const m = row % numDiags;
      const mat = ((row - m) / numDiags) * rows * cols;
      const d = upper - m;
      const [len, offset] = diags[m]!;
      const j = i - offset;
      if (j >= 0 && j < len) put(o, mat + (j + Math.max(0, -d)) * cols + j + Math.max(0, d));
      else put(o, -1);
    }
  };
  return oneLoop(n, run, () => new Tensor(input.dtype, outShape, data), 3 * lanes);
}

export const matrixDiagPartV3Config: KernelConfig = {
  op: {
    name: "MatrixDiagPartV3",
    inputs: ["input: T", "k: int32", "padding_value: T"],
    outputs: ["diagonal: T"],
    attrs: ["T: type", ALIGN_ATTR],
  },
  kernel: cpuKernel("MatrixDiagPartV3", (c) => {
    checkTypeConstraint(c, "T", POD_TYPES);
    const a = readAlignment(c);
    return {
      compute: (ctx) => computeJob(ctx, matrixDiagPartJob(ctx.input(0), ctx.input(1), ctx.input(2), a)),
    };
  }),
};
