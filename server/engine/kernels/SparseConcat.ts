// TF's SparseConcat (core/kernels/sparse_concat_op.cc): N SparseTensors joined along concat_dim,
// which must be their only differing dimension. Each input's indices along concat_dim are shifted
// by the sizes before it. Along dimension 0 the entries simply follow each other in input order;
// along any other dimension the result is sorted into standard (row-major) order, as TF reorders it.
// tf.sparse.concat emits it.

import { invalidArgument } from "../framework/errors.js";
import { getAttrInt } from "../framework/op-def.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import {
  checkSparseTensorCreate,
  int64Matrix,
  int64Vector,
  readIndexMatrix,
  sortedOrder,
} from "./util/sparse-util.js";
import { allocIndexable, lanesOf, readInts, storage } from "./util/tensor-util.js";

function checkInputs(indices: readonly Tensor[], values: readonly Tensor[], shapes: readonly Tensor[]): void {
  indices.forEach((t, i) => {
    if (t.rank !== 2) {
      throw invalidArgument(
        `Input indices should be a matrix but received shape ${shapeString(t.shape)} at position ${i}`,
      );
    }
  });
  values.forEach((t, i) => {
    if (t.rank !== 1) {
      throw invalidArgument(
        `Input values should be a vector but received shape ${shapeString(t.shape)} at position ${i}`,
      );
    }
  });
  shapes.forEach((t, i) => {
    if (t.rank !== 1) {
      throw invalidArgument(
        `Input shapes should be a vector but received shape ${shapeString(t.shape)} at position ${i}`,
      );
    }
  });
}

/** The concat dimension, normalised, after TF's range and shape-compatibility checks. */
function concatDimension(shapes: readonly number[][], attr: number): number {
  const first = shapes[0]!;
  const rank = first.length;
  const dim = attr < 0 ? attr + rank : attr;
  if (dim < 0 || dim >= rank) {
    throw invalidArgument(`Concat dimension must be in range [${-rank}, ${rank}), got ${attr}`);
  }
  shapes.forEach((s, i) => {
    if (i === 0) return;
    if (s.length !== rank) {
      throw invalidArgument(
        `Ranks of all input tensors must match: expected ${rank} but got ${s.length} at position ${i}`,
      );
    }
    s.forEach((d, j) => {
      if (j !== dim && d !== first[j]) {
        throw invalidArgument(
          `Input shapes must match: expected ${first[j]} for dimension ${j} but got ${d} at position ${i}`,
        );
      }
    });
  });
  return dim;
}

export function sparseConcat(
  indices: readonly Tensor[],
  values: readonly Tensor[],
  shapeTs: readonly Tensor[],
  concatDimAttr: number,
): [Tensor, Tensor, Tensor] {
  checkInputs(indices, values, shapeTs);
  const shapes = shapeTs.map(readInts);
  const dim = concatDimension(shapes, concatDimAttr);
  const rank = shapes[0]!.length;
  for (const [i, t] of indices.entries()) checkSparseTensorCreate(t, values[i]!, rank);
  const ix: number[] = [];
  const from: [number, number][] = [];
  let offset = 0;
  indices.forEach((t, i) => {
    const s = readIndexMatrix(t);
    for (let r = 0; r < s.nnz; r++) {
      for (let d = 0; d < rank; d++) ix.push(s.ix[r * rank + d]! + (d === dim ? offset : 0));
      from.push([i, r]);
    }
    offset += shapes[i]![dim]!;
  });
  const all = { ix, nnz: from.length, rank };
  const order = dim === 0 ? from.map((_, k) => k) : sortedOrder(all);
  const outShape = shapes[0]!.slice();
  outShape[dim] = offset;
  const dtype = values[0]!.dtype;
  const lanes = lanesOf(dtype);
  const out = allocIndexable(dtype, order.length, [order.length]);
  const outIx: number[] = [];
  order.forEach((k, o) => {
    const [i, r] = from[k]!;
    const src = storage(values[i]!);
    for (let l = 0; l < lanes; l++) out[o * lanes + l] = src[r * lanes + l];
    for (let d = 0; d < rank; d++) outIx.push(ix[k * rank + d]!);
  });
  return [
    int64Matrix(outIx, order.length, rank),
    new Tensor(dtype, [order.length], out as unknown as Tensor["data"]),
    int64Vector(outShape),
  ];
}

export const sparseConcatConfig: KernelConfig = {
  op: {
    name: "SparseConcat",
    inputs: ["indices: N * int64", "values: N * T", "shapes: N * int64"],
    outputs: ["output_indices: int64", "output_values: T", "output_shape: int64"],
    attrs: ["concat_dim: int", "N: int >= 2", "T: type"],
  },
  kernel: cpuKernel("SparseConcat", (c) => {
    const dim = getAttrInt(c.attrs, "concat_dim");
    const n = getAttrInt(c.attrs, "N");
    return {
      compute: (ctx) => {
        const group = (k: number) => Array.from({ length: n }, (_, i) => ctx.input(k * n + i));
        for (const [i, t] of sparseConcat(group(0), group(1), group(2), dim).entries()) ctx.setOutput(i, t);
      },
    };
  }),
};
