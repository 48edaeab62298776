// TF's MatrixDiagPartV3 (core/kernels/linalg/matrix_diag_op.cc MatrixDiagPartOp): diagonals
// k[0]..k[1] of the innermost matrices, packed into rows of the longest diagonal's length with
// `padding_value` filling the short ones on the side `align` leaves free.

import { invalidArgument } from "../framework/errors.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
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
  let base = 0;
  for (let b = 0; b < batches; b++) {
    const mat = b * rows * cols;
    for (let m = 0; m < numDiags; m++) {
      const d = upper - m;
      const [len, offset] = diagLenAndOffset(d, maxLen, rows, cols, a);
      const y0 = Math.max(0, -d);
      const x0 = Math.max(0, d);
      for (let i = 0; i < maxLen; i++) {
        const j = i - offset;
        if (j >= 0 && j < len) put(base + i, mat + (j + y0) * cols + j + x0);
        else put(base + i, -1);
      }
      base += maxLen;
    }
  }
  return new Tensor(input.dtype, outShape, data);
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
      compute: (ctx) => ctx.setOutput(0, matrixDiagPart(ctx.input(0), ctx.input(1), ctx.input(2), a)),
    };
  }),
};
