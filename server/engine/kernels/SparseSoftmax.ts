// TF's SparseSoftmax (core/kernels/sparse_softmax_op.cc): softmax over the last dimension of a
// SparseTensor of rank >= 2, taken over the stored entries only (absent entries are not zeros but
// are left out). TF sorts the entries into standard order first, so the output values follow the
// sorted indices. Each row: exp(x - max) / sum, in the dtype's precision. tf.sparse.softmax emits it.

import { invalidArgument } from "../framework/errors.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { checkSparseTensorCreate, readIndexMatrix, sortedOrder } from "./util/sparse-util.js";
import { scalarOps } from "./util/sparse-values.js";
import { readInts } from "./util/tensor-util.js";

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
  if (shapeT.numElements < 2) {
    throw invalidArgument(`Input should have rank >= 2, but received shape: ${readInts(shapeT).join(" ")}`);
  }
}

export function sparseSoftmax(indices: Tensor, values: Tensor, shapeT: Tensor): Tensor {
  checkInputs(indices, values, shapeT);
  const rank = shapeT.numElements;
  checkSparseTensorCreate(indices, values, rank);
  const s = readIndexMatrix(indices);
  const order = sortedOrder(s);
  const ops = scalarOps(values.dtype);
  // TF computes with denormals flushed to zero (its CPU threads set FTZ; half computes in float), so
  // an exp that underflows to a float subnormal is 0 there.
  const tiny = values.dtype === DataType.DT_DOUBLE ? 2 ** -1022 : 2 ** -126;
  const round = (x: number) => {
    const r = ops.add(x, 0) as number;
    return Math.abs(r) < tiny ? 0 : r;
  };
  const v = ops.read(values) as number[];
  const out: number[] = [];
  const sameRow = (a: number, b: number) => {
    for (let d = 0; d < rank - 1; d++) if (s.ix[a * rank + d] !== s.ix[b * rank + d]) return false;
    return true;
  };
  for (let begin = 0; begin < order.length; ) {
    let end = begin + 1;
    while (end < order.length && sameRow(order[begin]!, order[end]!)) end++;
    const row = order.slice(begin, end).map((k) => v[k]!);
    const max = row.reduce((m, x) => ops.max(m, x) as number, ops.lowest as number);
    const exps = row.map((x) => round(Math.exp(round(x - max))));
    const sum = exps.reduce((a, x) => round(a + x), 0);
    for (const e of exps) out.push(round(e / sum));
    begin = end;
  }
  return ops.write([out.length], out);
}

export const sparseSoftmaxConfig: KernelConfig = {
  op: {
    name: "SparseSoftmax",
    inputs: ["sp_indices: int64", "sp_values: T", "sp_shape: int64"],
    outputs: ["output: T"],
    attrs: ["T: {half, float, double}"],
  },
  kernel: cpuKernel("SparseSoftmax", (c) => {
    checkTypeConstraint(c, "T", [T.half, T.float, T.double]);
    return { compute: (ctx) => ctx.setOutput(0, sparseSoftmax(ctx.input(0), ctx.input(1), ctx.input(2))) };
  }),
};
