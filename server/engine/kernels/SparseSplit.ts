// TF's SparseSplit (core/kernels/sparse_split_op.cc, SparseTensor::Split): a SparseTensor cut into
// num_split pieces along split_dim. The dimension's size is divided as evenly as possible, the first
// (size mod num_split) pieces one larger; every entry goes to the piece holding its index, re-indexed
// within it, in input order. Indices outside the shape fail first (TF's ValidateSparseTensor).
// tf.sparse.split emits it.

import { invalidArgument } from "../framework/errors.js";
import { getAttrInt } from "../framework/op-def.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import {
  checkIndicesInBounds,
  gatherValues,
  int64Matrix,
  int64Vector,
  readIndexMatrix,
  validateSparseTensor,
} from "./util/sparse-util.js";
import { readInts } from "./util/tensor-util.js";

export function sparseSplit(
  axisT: Tensor,
  indices: Tensor,
  values: Tensor,
  shapeT: Tensor,
  numSplit: number,
): { indices: Tensor[]; values: Tensor[]; shapes: Tensor[] } {
  if (axisT.rank !== 0) {
    throw invalidArgument(`Input axis should be a scalar but received shape ${shapeString(axisT.shape)}`);
  }
  validateSparseTensor(indices, values, shapeT);
  const shape = readInts(shapeT);
  const s = readIndexMatrix(indices);
  checkIndicesInBounds(s, shape);
  const rank = shape.length;
  const axis = readInts(axisT)[0]!;
  if (axis < -rank || axis >= rank) {
    throw invalidArgument(`Input axis should be in range [${-rank}, ${rank}), got ${axis}`);
  }
  const dim = axis < 0 ? axis + rank : axis;
  const size = shape[dim]!;
  if (numSplit < 1 || numSplit > size) {
    throw invalidArgument(
      `Input num_split should be between 1 and the splitting dimension size (${size}), got ${numSplit}`,
    );
  }
  const base = Math.floor(size / numSplit);
  const residual = size % numSplit;
  // Pieces before `residual` hold base + 1 indices, the rest base.
  const bigPart = residual * (base + 1);
  const pieceOf = (v: number) =>
    v < bigPart ? Math.floor(v / (base + 1)) : residual + Math.floor((v - bigPart) / base);
  const startOf = (p: number) => (p < residual ? p * (base + 1) : bigPart + (p - residual) * base);
  const rows: number[][] = Array.from({ length: numSplit }, () => []);
  const ix: number[][] = Array.from({ length: numSplit }, () => []);
  for (let r = 0; r < s.nnz; r++) {
    const v = s.ix[r * rank + dim]!;
    const p = pieceOf(v);
    rows[p]!.push(r);
    for (let d = 0; d < rank; d++) ix[p]!.push(d === dim ? v - startOf(p) : s.ix[r * rank + d]!);
  }
  return {
    indices: rows.map((rs, p) => int64Matrix(ix[p]!, rs.length, rank)),
    values: rows.map((rs) => gatherValues(values, rs)),
    shapes: rows.map((_, p) =>
      int64Vector(shape.map((d, i) => (i === dim ? (p < residual ? base + 1 : base) : d))),
    ),
  };
}

export const sparseSplitConfig: KernelConfig = {
  op: {
    name: "SparseSplit",
    inputs: ["split_dim: int64", "indices: int64", "values: T", "shape: int64"],
    outputs: [
      "output_indices: num_split * int64",
      "output_values: num_split * T",
      "output_shape: num_split * int64",
    ],
    attrs: ["num_split: int >= 1", "T: type"],
  },
  kernel: cpuKernel("SparseSplit", (c) => {
    const numSplit = getAttrInt(c.attrs, "num_split");
    return {
      compute: (ctx) => {
        const out = sparseSplit(ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3), numSplit);
        [...out.indices, ...out.values, ...out.shapes].forEach((t, i) => {
          ctx.setOutput(i, t);
        });
      },
    };
  }),
};
