// TF's SparseSparseMaximum/Minimum (core/kernels/sparse_sparse_binary_op_shared.cc): the element-wise
// max or min of two SparseTensors of one shape, over the union of their entries (an entry missing on
// one side counts as 0). The index lists are merged in lexicographic order as SparseAdd does; a NaN
// on either side gives NaN (Eigen's NaN-propagating max/min). Indices outside the shape fail first.

import { invalidArgument } from "../../framework/errors.js";
import type { Tensor } from "../../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, REAL_NUMBER_TYPES } from "./kernel-config.js";
import {
  checkIndicesInBounds,
  compareRows,
  int64Matrix,
  readIndexMatrix,
  validateSparseTensor,
} from "./sparse-util.js";
import { type Scalar, scalarOps } from "./sparse-values.js";
import { readInts } from "./tensor-util.js";

export type MinMax = "Maximum" | "Minimum";

function pick(kind: MinMax, a: Scalar, b: Scalar): Scalar {
  if (typeof a === "number" && Number.isNaN(a)) return a;
  if (typeof b === "number" && Number.isNaN(b)) return b;
  if (kind === "Maximum") return a < b ? b : a;
  return b < a ? b : a;
}

/** A validated operand: its indices and its shape. */
function operand(indices: Tensor, values: Tensor, shapeT: Tensor) {
  validateSparseTensor(indices, values, shapeT);
  const shape = readInts(shapeT);
  const s = readIndexMatrix(indices);
  checkIndicesInBounds(s, shape);
  return { s, shape };
}

export function sparseSparseMinMax(
  kind: MinMax,
  aIx: Tensor,
  aV: Tensor,
  aSh: Tensor,
  bIx: Tensor,
  bV: Tensor,
  bSh: Tensor,
): [Tensor, Tensor] {
  const a = operand(aIx, aV, aSh);
  const b = operand(bIx, bV, bSh);
  if (a.shape.length !== b.shape.length) {
    throw invalidArgument(
      `Operands do not have the same ranks; got shapes: ${a.shape.join(" ")} and ${b.shape.join(" ")}`,
    );
  }
  a.shape.forEach((d, i) => {
    if (d !== b.shape[i])
      throw invalidArgument(`Operands' shapes do not match: got ${d} and ${b.shape[i]} for dimension ${i}`);
  });
  const ops = scalarOps(aV.dtype);
  const av = ops.read(aV);
  const bv = ops.read(bV);
  const rank = a.shape.length;
  const ix: number[] = [];
  const values: Scalar[] = [];
  const take = (s: typeof a.s, row: number, v: Scalar) => {
    for (let d = 0; d < rank; d++) ix.push(s.ix[row * rank + d]!);
    values.push(v);
  };
  let i = 0;
  let j = 0;
  while (i < a.s.nnz && j < b.s.nnz) {
    const c = compareRows(a.s, i, b.s, j);
    if (c < 0) {
      take(a.s, i, pick(kind, av[i]!, ops.zero));
      i++;
    } else if (c > 0) {
      take(b.s, j, pick(kind, ops.zero, bv[j]!));
      j++;
    } else {
      take(a.s, i, pick(kind, av[i]!, bv[j]!));
      i++;
      j++;
    }
  }
  for (; i < a.s.nnz; i++) take(a.s, i, pick(kind, av[i]!, ops.zero));
  for (; j < b.s.nnz; j++) take(b.s, j, pick(kind, ops.zero, bv[j]!));
  return [int64Matrix(ix, values.length, rank), ops.write([values.length], values)];
}

/** The op definition and kernel of SparseSparse<kind>. */
export function sparseSparseMinMaxConfig(kind: MinMax): KernelConfig {
  const name = `SparseSparse${kind}`;
  return {
    op: {
      name,
      inputs: [
        "a_indices: int64",
        "a_values: T",
        "a_shape: int64",
        "b_indices: int64",
        "b_values: T",
        "b_shape: int64",
      ],
      outputs: ["output_indices: int64", "output_values: T"],
      attrs: [kind === "Maximum" ? "T: realnumbertype" : "T: numbertype"],
    },
    kernel: cpuKernel(name, (c) => {
      checkTypeConstraint(c, "T", REAL_NUMBER_TYPES);
      return {
        compute: (ctx) => {
          const inputs = Array.from({ length: 6 }, (_, k) => ctx.input(k));
          const [ix, values] = sparseSparseMinMax(
            kind,
            inputs[0]!,
            inputs[1]!,
            inputs[2]!,
            inputs[3]!,
            inputs[4]!,
            inputs[5]!,
          );
          ctx.setOutput(0, ix);
          ctx.setOutput(1, values);
        },
      };
    }),
  };
}
