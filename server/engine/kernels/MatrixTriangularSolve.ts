// TF's MatrixTriangularSolve on CPU (core/kernels/linalg/matrix_triangular_solve_op_impl.h): X
// with A·X = B (Aᴴ·X = B when `adjoint`) for a lower (or upper) triangular A, reading only that
// triangle; batch dimensions broadcast. A zero on the diagonal divides by zero (inf/NaN), as in TF.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./kernel-config.js";
import {
  adjointOf,
  allocMatrices,
  LINALG_KERNEL_TYPES,
  matrixValues,
  readMatrix,
  triangularSolveInPlace,
  writeMatrix,
} from "./linalg-util.js";
import { finish } from "./tensor-util.js";

/** The broadcast batch shape, or undefined when the batch dimensions are incompatible. */
function broadcastBatch(a: readonly number[], b: readonly number[]): number[] | undefined {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Flat index into a batch of shape `shape` (right-aligned, broadcast) for output batch index i. */
function batchIndex(i: number, outBatch: readonly number[], shape: readonly number[]): number {
  let rem = i;
  let idx = 0;
  let stride = 1;
  for (let d = outBatch.length - 1; d >= 0; d--) {
    const pos = rem % outBatch[d]!;
    rem = Math.floor(rem / outBatch[d]!);
    const k = d - (outBatch.length - shape.length);
    if (k < 0) continue;
    const dim = shape[k]!;
    if (dim !== 1) idx += pos * stride;
    stride *= dim;
  }
  return idx;
}

export function matrixTriangularSolve(matrix: Tensor, rhs: Tensor, lower: boolean, adjoint: boolean): Tensor {
  if (matrix.rank < 2) throw invalidArgument(`In[0] ndims must be >= 2: ${matrix.rank}`);
  if (rhs.rank < 2) throw invalidArgument(`In[1] ndims must be >= 2: ${rhs.rank}`);
  const rows = matrix.shape[matrix.rank - 2]!;
  const cols = matrix.shape[matrix.rank - 1]!;
  if (rows !== cols) {
    throw invalidArgument(`In[0] matrices in the last dimensions must be square (${cols} =/= ${rows})`);
  }
  const aBatch = matrix.shape.slice(0, -2);
  const bBatch = rhs.shape.slice(0, -2);
  const batch = broadcastBatch(aBatch, bBatch);
  if (!batch) {
    throw invalidArgument(
      `In[0] and In[1] must have compatible batch dimensions: ${shapeString(matrix.shape)} vs. ${shapeString(rhs.shape)}`,
    );
  }
  const n = rows;
  const m = rhs.shape[rhs.rank - 2]!;
  const k = rhs.shape[rhs.rank - 1]!;
  if (n !== m) {
    throw invalidArgument(
      `In[0] mismatch In[1] shape: ${n} vs. ${m}: ${shapeString(matrix.shape)} ${shapeString(rhs.shape)} ${lower ? 1 : 0} ${adjoint ? 1 : 0}`,
    );
  }
  const shape = [...batch, n, k];
  const out = allocMatrices(rhs.dtype, shape);
  const av = matrixValues(matrix);
  const bv = matrixValues(rhs);
  const nBatch = batch.reduce((x, y) => x * y, 1);
  for (let i = 0; i < nBatch; i++) {
    const a = readMatrix(matrix, av, batchIndex(i, batch, aBatch), n, n);
    const x = readMatrix(rhs, bv, batchIndex(i, batch, bBatch), n, k);
    // Aᴴ of a lower A is upper.
    triangularSolveInPlace(adjoint ? adjointOf(a) : a, x, adjoint ? !lower : lower);
    writeMatrix(rhs.dtype, out, i, x);
  }
  return finish(rhs.dtype, shape, out as unknown as Float32Array);
}

export const matrixTriangularSolveConfig: KernelConfig = {
  op: {
    name: "MatrixTriangularSolve",
    inputs: ["matrix: T", "rhs: T"],
    outputs: ["output: T"],
    attrs: [
      "lower: bool = true",
      "adjoint: bool = false",
      "T: {bfloat16, double, float, half, complex64, complex128}",
    ],
  },
  kernel: cpuKernel("MatrixTriangularSolve", (c) => {
    checkTypeConstraint(c, "T", LINALG_KERNEL_TYPES);
    const lower = getAttrBool(c.attrs, "lower");
    const adjoint = getAttrBool(c.attrs, "adjoint");
    return {
      compute: (ctx) => ctx.setOutput(0, matrixTriangularSolve(ctx.input(0), ctx.input(1), lower, adjoint)),
    };
  }),
};
