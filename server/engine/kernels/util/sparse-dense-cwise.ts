// TF's SparseDenseCwise{Mul,Add,Div} (core/kernels/sparse_dense_binary_op_shared.cc): each stored
// value of a SparseTensor combined with the element of a dense tensor it lands on, the dense side
// broadcast to the sparse shape (never the other way). The result has the sparse input's indices, so
// only the new values are output. Div refuses a zero divisor, float or integer, with TF's message.

import { invalidArgument } from "../../framework/errors.js";
import { sameShape, shapeString, type Tensor } from "../../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, REAL_NUMBER_TYPES } from "./kernel-config.js";
import { readIndexValues, stridesOf } from "./sparse-util.js";
import { type Scalar, scalarOps } from "./sparse-values.js";
import { readInts } from "./tensor-util.js";

export type SparseDenseKind = "Mul" | "Add" | "Div";

/** numpy broadcasting of two shapes, or undefined when they are incompatible. */
function broadcast(a: readonly number[], b: readonly number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(x === 1 ? y : x);
  }
  return out;
}

function checkInputs(indices: Tensor, values: Tensor, shapeT: Tensor): void {
  if (indices.rank !== 2) {
    throw invalidArgument(
      `Input sp_indices should be a matrix but received shape: ${shapeString(indices.shape)}`,
    );
  }
  if (values.rank !== 1 || shapeT.rank !== 1) {
    throw invalidArgument(
      `Inputs sp_values and sp_shape should be vectors but received shapes: ${shapeString(values.shape)} and ${shapeString(shapeT.shape)}`,
    );
  }
  if (values.shape[0] !== indices.shape[0]) {
    throw invalidArgument(
      `The first dimension of values and indices should match. (${values.shape[0]} vs. ${indices.shape[0]})`,
    );
  }
  if (shapeT.shape[0] !== indices.shape[1]) {
    throw invalidArgument(
      `Number of dimensions must match second dimension of indices. Got ${shapeT.shape[0]} dimensions, indices shape: ${shapeString(indices.shape)}`,
    );
  }
}

export function sparseDenseCwise(
  kind: SparseDenseKind,
  indices: Tensor,
  values: Tensor,
  shapeT: Tensor,
  dense: Tensor,
): Tensor {
  checkInputs(indices, values, shapeT);
  const shape = readInts(shapeT);
  const b = broadcast(shape, dense.shape);
  if (b === undefined || !sameShape(b, shape)) {
    throw invalidArgument(
      `SparseDenseBinaryOpShared broadcasts dense to sparse only; got incompatible shapes: ${shapeString(shape)} vs. ${shapeString(dense.shape)}`,
    );
  }
  const rank = shape.length;
  // Strides of the dense operand seen at the sparse shape (0 along broadcast dimensions).
  const offset = rank - dense.rank;
  const denseStrides = stridesOf(dense.shape);
  const strides = shape.map((_, d) =>
    d < offset || dense.shape[d - offset] === 1 ? 0 : denseStrides[d - offset]!,
  );
  const ops = scalarOps(values.dtype);
  const sv = ops.read(values);
  const dv = ops.reader(dense);
  const ix = readIndexValues(indices);
  const out: Scalar[] = sv.map((v, i) => {
    let at = 0;
    for (let d = 0; d < rank; d++) {
      const k = ix[i * rank + d]!;
      if (k < 0 || k >= shape[d]!) {
        throw invalidArgument("Provided indices are out-of-bounds w.r.t. dense side with broadcasted shape");
      }
      at += k * strides[d]!;
    }
    const y = dv(at);
    if (kind === "Mul") return ops.mul(v, y);
    if (kind === "Add") return ops.add(v, y);
    if (ops.isZero(y)) {
      throw invalidArgument(
        "SparseDenseCwiseDiv cannot divide by zero,but input dense tensor contains zero ",
      );
    }
    return ops.div(v, y);
  });
  return ops.write([sv.length], out);
}

/** The op definition and kernel of SparseDenseCwise<kind>. */
export function sparseDenseCwiseConfig(kind: SparseDenseKind): KernelConfig {
  const name = `SparseDenseCwise${kind}`;
  return {
    op: {
      name,
      inputs: ["sp_indices: int64", "sp_values: T", "sp_shape: int64", "dense: T"],
      outputs: ["output: T"],
      attrs: ["T: numbertype"],
    },
    kernel: cpuKernel(name, (c) => {
      checkTypeConstraint(c, "T", REAL_NUMBER_TYPES);
      return {
        compute: (ctx) =>
          ctx.setOutput(0, sparseDenseCwise(kind, ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3))),
      };
    }),
  };
}
