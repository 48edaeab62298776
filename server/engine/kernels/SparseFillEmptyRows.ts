// TF's SparseFillEmptyRows (core/kernels/sparse_fill_empty_rows_op.cc): a 2-D-or-higher
// SparseTensor with an entry [row, 0, …] = default_value added for every row that has none. The
// entries are grouped by row (stably, so within a row their input order is kept), with
// empty_row_indicator marking the filled rows and reverse_index_map giving each input entry's
// output position. Row indices outside dense_shape[0] fail with TF's message.

import { invalidArgument } from "../framework/errors.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { int64Vector, readIndexValues } from "./util/sparse-util.js";
import { allocIndexable, lanesOf, readInts, storage } from "./util/tensor-util.js";

function checkInputs(indices: Tensor, values: Tensor, denseShape: Tensor, defaultValue: Tensor): void {
  if (indices.rank !== 2)
    throw invalidArgument(`indices must be a matrix, saw: ${shapeString(indices.shape)}`);
  if (values.rank !== 1) throw invalidArgument(`values must be a vector, saw: ${shapeString(values.shape)}`);
  if (denseShape.rank !== 1) {
    throw invalidArgument(`dense_shape must be a vector, saw: ${shapeString(denseShape.shape)}`);
  }
  if (defaultValue.rank !== 0) {
    throw invalidArgument(`default_value must be a scalar, saw: ${shapeString(defaultValue.shape)}`);
  }
  if (values.shape[0] !== indices.shape[0]) {
    throw invalidArgument(
      `The length of \`values\` (${values.shape[0]}) must match the first dimension of \`indices\` (${indices.shape[0]}).`,
    );
  }
  if (denseShape.shape[0] !== indices.shape[1]) {
    throw invalidArgument(
      `The length of \`dense_shape\` (${denseShape.shape[0]}) must match the second dimension of \`indices\` (${indices.shape[1]}).`,
    );
  }
}

export function sparseFillEmptyRows(
  indices: Tensor,
  values: Tensor,
  denseShapeT: Tensor,
  defaultValue: Tensor,
): [Tensor, Tensor, Tensor, Tensor] {
  checkInputs(indices, values, denseShapeT, defaultValue);
  const rank = indices.shape[1]!;
  const nnz = indices.shape[0]!;
  const denseRows = readInts(denseShapeT)[0] ?? 0;
  const ix = readIndexValues(indices);
  // The per-row bookkeeping is as long as dense_shape[0] says, so it goes through the budgeted
  // allocator (as TF's empty_row_indicator output and per-row scratch do).
  const rows = Math.max(denseRows, 0);
  const empty = allocData(DataType.DT_BOOL, rows, [rows]) as Uint8Array;
  const next = allocData(DataType.DT_DOUBLE, rows, [rows]) as Float64Array;
  for (let i = 0; i < nnz; i++) {
    const row = ix[i * rank]!;
    if (row < 0 || row >= denseRows)
      throw invalidArgument(`indices(${i}, 0) is invalid: ${row} >= ${denseRows}`);
    next[row]!++;
  }
  // Each row's first output position: an empty row takes one slot for its default entry.
  let total = 0;
  for (let row = 0; row < rows; row++) {
    const count = next[row]!;
    next[row] = total;
    if (count === 0) empty[row] = 1;
    total += Math.max(count, 1);
  }
  const dtype = values.dtype;
  const lanes = lanesOf(dtype);
  const outIx = allocData(DataType.DT_INT64, total * rank, [total, rank]) as BigInt64Array;
  const outValues = allocIndexable(dtype, total, [total]);
  const fill = storage(defaultValue);
  for (let row = 0; row < rows; row++) {
    if (!empty[row]) continue;
    const at = next[row]!;
    outIx[at * rank] = BigInt(row);
    for (let l = 0; l < lanes; l++) outValues[at * lanes + l] = fill[l];
  }
  const src = storage(values);
  const reverse: number[] = [];
  for (let i = 0; i < nnz; i++) {
    const at = next[ix[i * rank]!]!++;
    reverse.push(at);
    for (let d = 0; d < rank; d++) outIx[at * rank + d] = BigInt(ix[i * rank + d]!);
    for (let l = 0; l < lanes; l++) outValues[at * lanes + l] = src[i * lanes + l];
  }
  return [
    new Tensor(DataType.DT_INT64, [total, rank], outIx),
    new Tensor(dtype, [total], outValues as unknown as Tensor["data"]),
    new Tensor(DataType.DT_BOOL, [rows], empty),
    int64Vector(reverse),
  ];
}

export const sparseFillEmptyRowsConfig: KernelConfig = {
  op: {
    name: "SparseFillEmptyRows",
    inputs: ["indices: int64", "values: T", "dense_shape: int64", "default_value: T"],
    outputs: [
      "output_indices: int64",
      "output_values: T",
      "empty_row_indicator: bool",
      "reverse_index_map: int64",
    ],
    attrs: ["T: type"],
  },
  kernel: simpleKernel("SparseFillEmptyRows", (ctx) => {
    const outs = sparseFillEmptyRows(ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3));
    for (const [i, t] of outs.entries()) ctx.setOutput(i, t);
  }),
};
