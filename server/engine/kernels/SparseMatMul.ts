// TF's SparseMatMul (core/kernels/sparse_matmul_op.cc): a float32 matrix product of two float32 or
// bfloat16 matrices, with hints that a or b is mostly zeros. tf.matmul(..., a_is_sparse=True) and
// its gradient emit it. The hint is observable: products with a zero entry of the hinted operand
// are skipped, so 0·inf there is not NaN (TF treats b as the sparse side only when a is not hinted).
// Sums run over the inner dimension in order, in float32.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { numericData } from "./util/tensor-util.js";

/** Element (i, j) of a row-major r×c matrix, read transposed when `t`. */
function accessor(x: Tensor, t: boolean): (i: number, j: number) => number {
  const d = numericData(x);
  const cols = x.shape[1]!;
  return t ? (i, j) => d[j * cols + i]! : (i, j) => d[i * cols + j]!;
}

export function sparseMatMul(
  a: Tensor,
  b: Tensor,
  transposeA: boolean,
  transposeB: boolean,
  aIsSparse: boolean,
  bIsSparse: boolean,
): Tensor {
  if (a.rank !== 2) throw invalidArgument("a is not a matrix");
  if (b.rank !== 2) throw invalidArgument("b is not a matrix");
  const [m, k] = transposeA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const [k2, n] = transposeB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  if (k !== k2) {
    throw invalidArgument(`Matrix size incompatible: a: ${shapeString(a.shape)}, b: ${shapeString(b.shape)}`);
  }
  const shape = [m, n];
  const out = allocData(DataType.DT_FLOAT, m * n, shape) as Float32Array;
  const av = accessor(a, transposeA);
  const bv = accessor(b, transposeB);
  if (aIsSparse || !bIsSparse) {
    // Row by row of a; with the hint on a, its zeros contribute nothing (not even 0·inf).
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) {
        const x = av(i, p);
        if (aIsSparse && x === 0) continue;
        for (let j = 0; j < n; j++) out[i * n + j] += Math.fround(x * bv(p, j));
      }
    }
  } else {
    for (let p = 0; p < k; p++) {
      for (let j = 0; j < n; j++) {
        const y = bv(p, j);
        if (y === 0) continue;
        for (let i = 0; i < m; i++) out[i * n + j] += Math.fround(av(i, p) * y);
      }
    }
  }
  return new Tensor(DataType.DT_FLOAT, shape, out);
}

export const sparseMatMulConfig: KernelConfig = {
  op: {
    name: "SparseMatMul",
    inputs: ["a: Ta", "b: Tb"],
    outputs: ["product: float"],
    attrs: [
      "transpose_a: bool = false",
      "transpose_b: bool = false",
      "a_is_sparse: bool = false",
      "b_is_sparse: bool = false",
      "Ta: {float, bfloat16} = DT_FLOAT",
      "Tb: {float, bfloat16} = DT_FLOAT",
    ],
  },
  kernel: cpuKernel("SparseMatMul", (c) => {
    const flag = (name: string) => getAttrBool(c.attrs, name);
    const [ta, tb, as, bs] = [
      flag("transpose_a"),
      flag("transpose_b"),
      flag("a_is_sparse"),
      flag("b_is_sparse"),
    ];
    return { compute: (ctx) => ctx.setOutput(0, sparseMatMul(ctx.input(0), ctx.input(1), ta, tb, as, bs)) };
  }),
};
