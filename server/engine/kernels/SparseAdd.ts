// TF's SparseAdd (core/kernels/sparse_add_op.cc): the sum of two SparseTensors of the same shape,
// as a SparseTensor. Both index lists are merged in lexicographic order (they are assumed sorted);
// where both have an entry the values add, and the sum is kept only when |sum| >= thresh. Entries
// present in one operand only are always kept. tf.sparse.add of two SparseTensors emits it.

import { invalidArgument } from "../framework/errors.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import type { DataType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { compareRows, int64Matrix, readIndexMatrix } from "./util/sparse-util.js";
import { type Scalar, scalarOps } from "./util/sparse-values.js";
import { readInts, scalarValue } from "./util/tensor-util.js";

/** The dtypes TF registers SparseAdd and SparseAddGrad for. */
export const SPARSE_ADD_TYPES: readonly DataType[] = [
  T.float,
  T.double,
  T.int64,
  T.int32,
  T.int16,
  T.int8,
  T.complex64,
  T.complex128,
];

function checkInputs(
  aIx: Tensor,
  aV: Tensor,
  aSh: Tensor,
  bIx: Tensor,
  bV: Tensor,
  bSh: Tensor,
  thresh: Tensor,
) {
  if (aIx.rank !== 2 || bIx.rank !== 2) {
    throw invalidArgument(
      `Input indices should be matrices but received shapes: ${shapeString(aIx.shape)} and ${shapeString(bIx.shape)}`,
    );
  }
  if (aV.rank !== 1 || bV.rank !== 1) {
    throw invalidArgument(
      `Input values should be vectors but received shapes: ${shapeString(aV.shape)} and ${shapeString(bV.shape)}`,
    );
  }
  const [aNnz, bNnz] = [aIx.shape[0]!, bIx.shape[0]!];
  if (aV.numElements !== aNnz || bV.numElements !== bNnz) {
    throw invalidArgument(
      `Expected ${aNnz} and ${bNnz} non-empty input values, got ${aV.numElements} and ${bV.numElements}`,
    );
  }
  if (aSh.rank !== 1 || bSh.rank !== 1) {
    throw invalidArgument(
      `Input shapes should be a vector but received shapes ${shapeString(aSh.shape)} and ${shapeString(bSh.shape)}`,
    );
  }
  if (aIx.shape[1] !== bIx.shape[1]) {
    throw invalidArgument(
      `Input indices must have the same dimension, got ${aIx.shape[1]} and ${bIx.shape[1]}`,
    );
  }
  const a = readInts(aSh);
  const b = readInts(bSh);
  if (a.length !== b.length) {
    throw invalidArgument(
      `Operands do not have the same ranks; got shapes: ${a.join(" ")} and ${b.join(" ")}`,
    );
  }
  a.forEach((d, i) => {
    if (d !== b[i])
      throw invalidArgument(`Operands' shapes do not match: got ${d} and ${b[i]} for dimension ${i}`);
  });
  if (thresh.rank !== 0) {
    throw invalidArgument(`The magnitude threshold must be a scalar: got shape ${shapeString(thresh.shape)}`);
  }
}

export function sparseAdd(
  aIx: Tensor,
  aV: Tensor,
  aSh: Tensor,
  bIx: Tensor,
  bV: Tensor,
  bSh: Tensor,
  threshT: Tensor,
): [Tensor, Tensor, Tensor] {
  checkInputs(aIx, aV, aSh, bIx, bV, bSh, threshT);
  const a = readIndexMatrix(aIx);
  const b = readIndexMatrix(bIx);
  const ops = scalarOps(aV.dtype);
  const av = ops.read(aV);
  const bv = ops.read(bV);
  const thresh = scalarValue(threshT);
  const ix: number[] = [];
  const values: Scalar[] = [];
  const take = (s: typeof a, row: number, v: Scalar) => {
    for (let d = 0; d < s.rank; d++) ix.push(s.ix[row * s.rank + d]!);
    values.push(v);
  };
  let i = 0;
  let j = 0;
  while (i < a.nnz && j < b.nnz) {
    const c = compareRows(a, i, b, j);
    if (c < 0) {
      take(a, i, av[i]!);
      i++;
    } else if (c > 0) {
      take(b, j, bv[j]!);
      j++;
    } else {
      const s = ops.add(av[i]!, bv[j]!);
      if (thresh <= ops.abs(s)) take(a, i, s);
      i++;
      j++;
    }
  }
  for (; i < a.nnz; i++) take(a, i, av[i]!);
  for (; j < b.nnz; j++) take(b, j, bv[j]!);
  return [int64Matrix(ix, values.length, a.rank), ops.write([values.length], values), aSh];
}

export const sparseAddConfig: KernelConfig = {
  op: {
    name: "SparseAdd",
    inputs: [
      "a_indices: int64",
      "a_values: T",
      "a_shape: int64",
      "b_indices: int64",
      "b_values: T",
      "b_shape: int64",
      "thresh: Treal",
    ],
    outputs: ["sum_indices: int64", "sum_values: T", "sum_shape: int64"],
    attrs: ["T: numbertype", "Treal: realnumbertype"],
  },
  kernel: cpuKernel("SparseAdd", (c) => {
    checkTypeConstraint(c, "T", SPARSE_ADD_TYPES);
    return {
      compute: (ctx) => {
        const inputs = Array.from({ length: 7 }, (_, k) => ctx.input(k)) as [
          Tensor,
          Tensor,
          Tensor,
          Tensor,
          Tensor,
          Tensor,
          Tensor,
        ];
        for (const [k, t] of sparseAdd(...inputs).entries()) ctx.setOutput(k, t);
      },
    };
  }),
};
