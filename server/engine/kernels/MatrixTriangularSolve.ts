// TF's MatrixTriangularSolve (core/kernels/linalg/matrix_triangular_solve_op_impl.h): X with
// T·X = B for the lower (or upper) triangle T of each matrix, or Tᴴ·X = B with adjoint; the batch
// dimensions of matrix and rhs broadcast against each other (MatMulBCast). A zero on the diagonal
// gives infinities and NaNs, not an error, as in TF.

import { broadcastShapes, broadcastStrides, stridesOf } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { isComplexType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { adjointMat, MatrixOutput, matrixSource, readMatrix, substitute, triangle } from "./util/linalg.js";
import { Pace, pacedCompute } from "./util/paced-slices.js";
import { drainSync, type Slices } from "./util/slices.js";

function validate(matrix: Tensor, rhs: Tensor): void {
  const r0 = matrix.shape.length;
  const r1 = rhs.shape.length;
  if (r0 < 2) throw invalidArgument(`In[0] ndims must be >= 2: ${r0}`);
  if (r1 < 2) throw invalidArgument(`In[1] ndims must be >= 2: ${r1}`);
  const last = matrix.shape[r0 - 1]!;
  const prev = matrix.shape[r0 - 2]!;
  if (last !== prev) {
    throw invalidArgument(`In[0] matrices in the last dimensions must be square (${last} =/= ${prev})`);
  }
}

/** The flat batch index into `shape`'s batch for output batch index b. */
function sourceIndex(b: number, outStrides: readonly number[], inStrides: readonly number[]): number {
  let rem = b;
  let at = 0;
  for (let d = 0; d < outStrides.length; d++) {
    const k = Math.floor(rem / outStrides[d]!);
    rem -= k * outStrides[d]!;
    at += k * inStrides[d]!;
  }
  return at;
}

export function matrixTriangularSolve(matrix: Tensor, rhs: Tensor, lower: boolean, adjoint: boolean): Tensor {
  return drainSync(matrixTriangularSolveSlices(matrix, rhs, lower, adjoint));
}

/** matrixTriangularSolve in slices of about a millisecond (util/paced-slices.ts, Pace). */
export function* matrixTriangularSolveSlices(
  matrix: Tensor,
  rhs: Tensor,
  lower: boolean,
  adjoint: boolean,
  pace = new Pace(),
): Slices<Tensor> {
  validate(matrix, rhs);
  const xb = matrix.shape.slice(0, -2);
  const yb = rhs.shape.slice(0, -2);
  let batch: number[];
  try {
    batch = broadcastShapes(xb, yb);
  } catch {
    throw invalidArgument(
      `In[0] and In[1] must have compatible batch dimensions: ${shapeString(matrix.shape)} vs. ${shapeString(rhs.shape)}`,
    );
  }
  const n = matrix.shape[matrix.shape.length - 1]!;
  const [d2, d3] = rhs.shape.slice(-2) as [number, number];
  if (n !== d2) {
    throw invalidArgument(
      `In[0] mismatch In[1] shape: ${n} vs. ${d2}: ${shapeString(matrix.shape)} ${shapeString(rhs.shape)} ` +
        `${lower ? 1 : 0} ${adjoint ? 1 : 0}`,
    );
  }
  const out = new MatrixOutput(rhs.dtype, [...batch, n, d3]);
  const count = batch.reduce((a, b) => a * b, 1);
  if (count * n * d3 === 0) return out.tensor();
  const ms = matrixSource(matrix);
  const rs = matrixSource(rhs);
  const os = stridesOf(batch);
  const xs = broadcastStrides(xb, batch);
  const ys = broadcastStrides(yb, batch);
  for (let b = 0; b < count; b++) {
    let t = triangle(readMatrix(ms, sourceIndex(b, os, xs), n, n), lower);
    if (adjoint) t = adjointMat(t);
    const x = readMatrix(rs, sourceIndex(b, os, ys), n, d3);
    yield* substitute(t, x, lower !== adjoint, false, !isComplexType(matrix.dtype), pace);
    out.write(b, x);
    if (pace.due(n * (n + d3))) yield;
  }
  return out.tensor();
}

/** About n²·k per solve over the larger of the two batches (0 when the shapes fail validation). */
function triangularSolveWork(matrix: Tensor, rhs: Tensor): number {
  if (matrix.rank < 2 || rhs.rank < 2) return 0;
  const n = matrix.shape[matrix.rank - 1]!;
  const k = rhs.shape[rhs.rank - 1]!;
  return Math.max(matrix.numElements * k, rhs.numElements * n);
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
    checkTypeConstraint(c, "T", [T.float, T.double, T.complex64, T.complex128]);
    const lower = getAttrBool(c.attrs, "lower");
    const adjoint = getAttrBool(c.attrs, "adjoint");
    return {
      compute: (ctx) =>
        pacedCompute(ctx, triangularSolveWork(ctx.input(0), ctx.input(1)), function* () {
          return [yield* matrixTriangularSolveSlices(ctx.input(0), ctx.input(1), lower, adjoint)];
        }),
    };
  }),
};
