// TF's SparseSlice (core/kernels/sparse_slice_op.cc, SparseTensor::Slice): the entries of a
// SparseTensor inside the box [start, start + size), re-indexed from `start`, in input order. The
// output shape is the box clipped to the input's shape (never negative). tf.sparse.slice emits it.

import { invalidArgument } from "../framework/errors.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import {
  gatherValues,
  int64Matrix,
  int64Vector,
  readIndexValues,
  validateSparseTensor,
} from "./util/sparse-util.js";
import { readInts } from "./util/tensor-util.js";

function checkInputs(indices: Tensor, values: Tensor, shape: Tensor, start: Tensor, size: Tensor): void {
  if (start.rank !== 1) {
    throw invalidArgument(`Input start should be a vector but received shape ${shapeString(start.shape)}`);
  }
  if (size.rank !== 1) {
    throw invalidArgument(`Input size should be a vector but received shape ${shapeString(size.shape)}`);
  }
  validateSparseTensor(indices, values, shape);
  const rank = shape.numElements;
  if (start.numElements !== rank) {
    throw invalidArgument(
      `Expected start to be a vector of length ${rank} but got length ${start.numElements}`,
    );
  }
  if (size.numElements !== rank) {
    throw invalidArgument(
      `Expected size to be a vector of length ${rank} but got length ${size.numElements}`,
    );
  }
}

export function sparseSlice(
  indices: Tensor,
  values: Tensor,
  shapeT: Tensor,
  startT: Tensor,
  sizeT: Tensor,
): [Tensor, Tensor, Tensor] {
  checkInputs(indices, values, shapeT, startT, sizeT);
  const shape = readInts(shapeT);
  const start = readInts(startT);
  const size = readInts(sizeT);
  for (const s of size) if (s < 0) throw invalidArgument(`Expected a non-negative size, got ${s}`);
  const rank = shape.length;
  const outShape = shape.map((d, i) => Math.max(Math.min(start[i]! + size[i]!, d) - start[i]!, 0));
  const ix = readIndexValues(indices);
  const rows: number[] = [];
  const outIx: number[] = [];
  for (let r = 0; r < indices.shape[0]!; r++) {
    let inside = true;
    for (let d = 0; d < rank && inside; d++) {
      const v = ix[r * rank + d]!;
      inside = v >= start[d]! && v < start[d]! + size[d]!;
    }
    if (!inside) continue;
    rows.push(r);
    for (let d = 0; d < rank; d++) outIx.push(ix[r * rank + d]! - start[d]!);
  }
  return [int64Matrix(outIx, rows.length, rank), gatherValues(values, rows), int64Vector(outShape)];
}

export const sparseSliceConfig: KernelConfig = {
  op: {
    name: "SparseSlice",
    inputs: ["indices: int64", "values: T", "shape: int64", "start: int64", "size: int64"],
    outputs: ["output_indices: int64", "output_values: T", "output_shape: int64"],
    attrs: ["T: type"],
  },
  kernel: simpleKernel("SparseSlice", (ctx) => {
    const outs = sparseSlice(ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3), ctx.input(4));
    for (const [i, t] of outs.entries()) ctx.setOutput(i, t);
  }),
};
