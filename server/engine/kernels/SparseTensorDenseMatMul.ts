// TF's SparseTensorDenseMatMul (core/kernels/sparse_tensor_dense_matmul_op.cc): the product of a
// rank-2 SparseTensor A and a dense matrix B, op(A)·op(B) with op the conjugate transpose when
// adjoint_a / adjoint_b is set. Each stored entry A[m, k] adds A[m, k]·B[k, :] to output row m, in
// entry order as TF's CPU functor does; an index outside op(A)'s rows or op(B)'s rows fails with
// TF's "m (…)" / "k (…)" message. tf.sparse.sparse_dense_matmul and its gradient wrt B emit it.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { readIndexMatrix } from "./util/sparse-util.js";
import { type Scalar, scalarOps } from "./util/sparse-values.js";
import { readInts } from "./util/tensor-util.js";

function checkInputs(aIndices: Tensor, aValues: Tensor, aShape: Tensor, b: Tensor): void {
  if (b.rank !== 2) throw invalidArgument("Tensor 'b' is not a matrix");
  if (aShape.rank !== 1) throw invalidArgument("Tensor 'a_shape' is not a vector");
  if (aShape.numElements !== 2) throw invalidArgument("Tensor 'a_shape' must have 2 elements");
  if (aValues.rank !== 1) throw invalidArgument("Tensor 'a_values' is not a vector");
  if (aIndices.rank !== 2) throw invalidArgument("Tensor 'a_indices' is not a matrix");
  if (aIndices.shape[0] !== aValues.numElements) {
    throw invalidArgument("Number of rows of a_indices does not match number of entries in a_values");
  }
  if (aIndices.shape[1] !== aShape.numElements) {
    throw invalidArgument("Number of columns of a_indices does not match number of entries in a_shape");
  }
}

/** o[at + n] += a·x[from + n·step] for n < count, each product rounded to float32. */
function axpyFloat32(
  o: Float32Array,
  at: number,
  a: number,
  x: Float32Array,
  from: number,
  step: number,
  count: number,
) {
  for (let n = 0; n < count; n++) o[at + n] += Math.fround(a * x[from + n * step]!);
}

function axpyFloat64(
  o: Float64Array,
  at: number,
  a: number,
  x: Float64Array,
  from: number,
  step: number,
  count: number,
) {
  for (let n = 0; n < count; n++) o[at + n] += a * x[from + n * step]!;
}

const conj = (v: Scalar): Scalar => (Array.isArray(v) ? [v[0], -v[1]] : v);

export function sparseTensorDenseMatMul(
  aIndices: Tensor,
  aValues: Tensor,
  aShapeT: Tensor,
  b: Tensor,
  adjointA: boolean,
  adjointB: boolean,
): Tensor {
  checkInputs(aIndices, aValues, aShapeT, b);
  const aShape = readInts(aShapeT);
  const outerLeft = adjointA ? aShape[1]! : aShape[0]!;
  const innerLeft = adjointA ? aShape[0]! : aShape[1]!;
  const outerRight = adjointB ? b.shape[0]! : b.shape[1]!;
  const innerRight = adjointB ? b.shape[1]! : b.shape[0]!;
  if (innerLeft !== innerRight) {
    throw invalidArgument(
      `Cannot multiply A and B because inner dimension does not match: ${innerLeft} vs. ${innerRight}.  ` +
        `Did you forget a transpose?  Dimensions of A: [${aShape[0]}, ${aShape[1]}).  Dimensions of B: ${shapeString(b.shape)}`,
    );
  }
  const ops = scalarOps(b.dtype);
  const outShape = [outerLeft, outerRight];
  const out = ops.buffer(outShape);
  const nnz = aValues.numElements;
  if (nnz === 0 || b.numElements === 0) return out.tensor();
  const { ix } = readIndexMatrix(aIndices);
  const [mDim, kDim] = adjointA ? [1, 0] : [0, 1];
  // Every entry is checked before any is used: the first bad one fails, as in TF's loop.
  for (let i = 0; i < nnz; i++) {
    const m = ix[2 * i + mDim]!;
    const k = ix[2 * i + kDim]!;
    if (k < 0 || k >= innerRight) {
      throw invalidArgument(`k (${k}) from index[${i},${kDim}] out of bounds (>=${innerRight})`);
    }
    if (m < 0 || m >= outerLeft) {
      throw invalidArgument(`m (${m}) from index[${i},${mDim}] out of bounds (>=${outerLeft})`);
    }
  }
  const bCols = b.shape[1]!;
  const dt = b.dtype;
  if (dt === DataType.DT_FLOAT || dt === DataType.DT_DOUBLE) {
    // The common case on typed arrays: the same products and sums in the same order (float32
    // products rounded by Math.fround, sums by the output's storage).
    const o = out.tensor().data;
    const [rowStep, colStep] = adjointB ? [1, bCols] : [bCols, 1];
    for (let i = 0; i < nnz; i++) {
      const at = ix[2 * i + mDim]! * outerRight;
      const from = ix[2 * i + kDim]! * rowStep;
      if (o instanceof Float32Array) {
        axpyFloat32(
          o,
          at,
          (aValues.data as Float32Array)[i]!,
          b.data as Float32Array,
          from,
          colStep,
          outerRight,
        );
      } else {
        axpyFloat64(
          o as Float64Array,
          at,
          (aValues.data as Float64Array)[i]!,
          b.data as Float64Array,
          from,
          colStep,
          outerRight,
        );
      }
    }
    return out.tensor();
  }
  const av = ops.read(aValues);
  const bv = ops.reader(b);
  for (let i = 0; i < nnz; i++) {
    const m = ix[2 * i + mDim]!;
    const k = ix[2 * i + kDim]!;
    const a = adjointA ? conj(av[i]!) : av[i]!;
    for (let n = 0; n < outerRight; n++) {
      const bElem = adjointB ? conj(bv(n * bCols + k)) : bv(k * bCols + n);
      const o = m * outerRight + n;
      out.set(o, ops.add(out.get(o), ops.mul(a, bElem)));
    }
  }
  return out.tensor();
}

export const sparseTensorDenseMatMulConfig: KernelConfig = {
  op: {
    name: "SparseTensorDenseMatMul",
    inputs: ["a_indices: Tindices", "a_values: T", "a_shape: int64", "b: T"],
    outputs: ["product: T"],
    attrs: [
      "T: type",
      "Tindices: {int32, int64} = DT_INT64",
      "adjoint_a: bool = false",
      "adjoint_b: bool = false",
    ],
  },
  kernel: cpuKernel("SparseTensorDenseMatMul", (c) => {
    checkTypeConstraint(c, "T", [T.float, T.double, T.int32, T.half, T.bfloat16, T.complex64, T.complex128]);
    const adjointA = getAttrBool(c.attrs, "adjoint_a");
    const adjointB = getAttrBool(c.attrs, "adjoint_b");
    return {
      compute: (ctx) =>
        ctx.setOutput(
          0,
          sparseTensorDenseMatMul(ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3), adjointA, adjointB),
        ),
    };
  }),
};
