// TF's MatrixDiagV3 (core/kernels/linalg/matrix_diag_op.cc MatrixDiagOp): batched matrices with
// the packed diagonals k[0]..k[1] of `diagonal` placed on them (read per `align`) and
// `padding_value` everywhere else; num_rows/num_cols = -1 take the smallest consistent size.

import { invalidArgument } from "../framework/errors.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { computeJob, type ElementJob, oneLoop, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, POD_TYPES } from "./util/kernel-config.js";
import {
  ALIGN_ATTR,
  type Alignment,
  checkDiagOrder,
  diagLenAndOffset,
  readAlignment,
  readDiagIndex,
} from "./util/matrix-diag-util.js";
import { lanesOf, readInts, storage } from "./util/tensor-util.js";

function scalarInt(t: Tensor, what: string): number {
  if (t.rank !== 0) throw invalidArgument(`${what} must be a scalar`);
  return readInts(t)[0]!;
}

/** The output's [rows, cols] from the requested sizes (-1 = unknown), with TF's checks. */
function outputSize(reqRows: number, reqCols: number, lower: number, upper: number, maxLen: number) {
  const minRows = maxLen - Math.min(upper, 0);
  const minCols = maxLen + Math.max(lower, 0);
  if (reqRows !== -1 && reqRows < minRows) throw invalidArgument("The number of rows is too small.");
  if (reqCols !== -1 && reqCols < minCols) throw invalidArgument("The number of columns is too small.");
  let rows = reqRows;
  let cols = reqCols;
  if (rows === -1 && cols === -1) rows = cols = Math.max(minRows, minCols);
  else if (rows === -1) rows = minRows;
  else if (cols === -1) cols = minCols;
  if (rows !== minRows && cols !== minCols) {
    throw invalidArgument(
      "The number of rows or columns is not consistent with the specified d_lower, d_upper, and diagonal.",
    );
  }
  return [rows, cols] as const;
}

export function matrixDiag(diagonal: Tensor, inputs: readonly Tensor[], a: Alignment): Tensor {
  return runWhole(matrixDiagJob(diagonal, inputs, a));
}

/** matrixDiag as an ElementJob (util/element-slices.ts): each output element from its own index. */
export function matrixDiagJob(diagonal: Tensor, inputs: readonly Tensor[], a: Alignment): ElementJob<Tensor> {
  const [k, numRows, numCols, padding] = inputs as [Tensor, Tensor, Tensor, Tensor];
  const [lower, upper] = readDiagIndex(k, "Expected diag_index to have at least 1 element");
  const reqRows = scalarInt(numRows, "num_rows");
  const reqCols = scalarInt(numCols, "num_cols");
  if (padding.rank !== 0) throw invalidArgument("padding_value must be a scalar");
  const rank = diagonal.rank;
  if (rank < 1) {
    throw invalidArgument(`diagonal must be at least 1-dim, received shape: ${shapeString(diagonal.shape)}`);
  }
  checkDiagOrder(lower, upper);
  const numDiags = upper - lower + 1;
  if (lower !== upper && (rank < 2 || diagonal.shape[rank - 2] !== numDiags)) {
    throw invalidArgument(
      "The number of diagonals provided in the input does not match the lower_diag_index and upper_diag_index range.",
    );
  }
  const maxLen = diagonal.shape[rank - 1]!;
  const [rows, cols] = outputSize(reqRows, reqCols, lower, upper, maxLen);
  const batchShape = diagonal.shape.slice(0, numDiags === 1 ? -1 : -2);
  const outShape = [...batchShape, rows, cols];
  const batches = batchShape.reduce((x, y) => x * y, 1);
  const data = allocData(diagonal.dtype, batches * rows * cols, outShape);
  const out = data as unknown as { [i: number]: unknown };
  const src = storage(diagonal);
  const pad = storage(padding);
  const lanes = lanesOf(diagonal.dtype);
  // Each diagonal's offset in its packed row, for d = lower … upper.
  const offsets = Array.from(
    { length: numDiags },
    (_, m) => diagLenAndOffset(lower + m, maxLen, rows, cols, a)[1],
  );
  const run = (start: number, end: number) => {
    for (let o = start; o < end; o++) {
      const j = o % cols;
      const i = Math.floor(o / cols) % rows;
      const d = j - i;
      if (d < lower || d > upper) {
        for (let l = 0; l < lanes; l++) out[o * lanes + l] = pad[l];
        continue;
      }
      const base = Math.floor(o / (rows * cols)) * numDiags * maxLen;
      const si = base + (upper - d) * maxLen + j - Math.max(d, 0) + offsets[d - lower]!;
      for (let l = 0; l < lanes; l++) out[o * lanes + l] = src[si * lanes + l];
    }
  };
  return oneLoop(batches * rows * cols, run, () => new Tensor(diagonal.dtype, outShape, data), 3 * lanes);
}

export const matrixDiagV3Config: KernelConfig = {
  op: {
    name: "MatrixDiagV3",
    inputs: ["diagonal: T", "k: int32", "num_rows: int32", "num_cols: int32", "padding_value: T"],
    outputs: ["output: T"],
    attrs: ["T: type", ALIGN_ATTR],
  },
  kernel: cpuKernel("MatrixDiagV3", (c) => {
    checkTypeConstraint(c, "T", POD_TYPES);
    const a = readAlignment(c);
    return {
      compute: (ctx) =>
        computeJob(
          ctx,
          matrixDiagJob(ctx.input(0), [ctx.input(1), ctx.input(2), ctx.input(3), ctx.input(4)], a),
        ),
    };
  }),
};
