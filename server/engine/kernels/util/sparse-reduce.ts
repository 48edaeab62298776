// TF's sparse reductions (core/kernels/sparse_reduce_op.cc): SparseReduceSum/Max reduce a
// SparseTensor over `reduction_axes` into a dense tensor, SparseReduceSumSparse/MaxSparse into a
// SparseTensor. The entries are sorted by the kept dimensions (then the reduced ones), each run of
// equal kept indices is one output element, reduced in that order. Empty output positions are 0
// (not the reduction's identity), and a dense write outside the output is TF's INTERNAL error.

import { internal, invalidArgument } from "../../framework/errors.js";
import { getAttrBool } from "../../framework/op-def.js";
import { numElements, shapeString, type Tensor } from "../../framework/tensor.js";
import type { DataType } from "../../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig } from "./kernel-config.js";
import {
  checkSparseTensorCreate,
  int64Matrix,
  int64Vector,
  readIndexMatrix,
  sortedOrder,
  stridesOf,
} from "./sparse-util.js";
import { type Scalar, type ScalarOps, scalarOps } from "./sparse-values.js";
import { readInts } from "./tensor-util.js";

export type SparseReduceKind = "sum" | "max";

interface Group {
  /** The first sorted entry's row: its kept indices name the output element. */
  readonly row: number;
  readonly value: Scalar;
}

interface Reduced {
  readonly shape: readonly number[];
  readonly reduced: readonly boolean[];
  readonly groupDims: readonly number[];
  readonly groups: readonly Group[];
  readonly ix: readonly number[];
  readonly ops: ScalarOps;
}

function reduceGroups(
  kind: SparseReduceKind,
  indices: Tensor,
  values: Tensor,
  shapeT: Tensor,
  axesT: Tensor,
): Reduced {
  if (shapeT.rank !== 1) {
    throw invalidArgument(`Expected input_shape to be a vector; got shape: ${shapeString(shapeT.shape)}`);
  }
  if (axesT.rank > 1) {
    throw invalidArgument(
      `Expected reduction_axes to be a scalar or a vector; got shape: ${shapeString(axesT.shape)}`,
    );
  }
  const shape = readInts(shapeT);
  const rank = shape.length;
  const reduced = new Array<boolean>(rank).fill(false);
  for (const axis of readInts(axesT)) {
    if (axis < -rank || axis >= rank) {
      throw invalidArgument(`Invalid reduction dimension ${axis}, for input with ${rank} dimensions.`);
    }
    reduced[axis < 0 ? axis + rank : axis] = true;
  }
  for (const d of shape) {
    if (d < 0) throw invalidArgument(`Expected shape dimensions to be non-negative, got ${d}`);
  }
  checkSparseTensorCreate(indices, values, rank);
  const s = readIndexMatrix(indices);
  const groupDims = shape.flatMap((_, d) => (reduced[d] ? [] : [d]));
  const order = sortedOrder(s, [...groupDims, ...shape.flatMap((_, d) => (reduced[d] ? [d] : []))]);
  const ops = scalarOps(values.dtype);
  const vals = ops.read(values);
  const groups: Group[] = [];
  const sameGroup = (a: number, b: number) =>
    groupDims.every((d) => s.ix[a * rank + d] === s.ix[b * rank + d]);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && sameGroup(order[start]!, order[end]!)) end++;
    let acc = kind === "sum" ? ops.zero : ops.lowest;
    for (let j = start; j < end; j++) {
      const v = vals[order[j]!]!;
      acc = kind === "sum" ? ops.add(acc, v) : ops.max(acc, v);
    }
    groups.push({ row: order[start]!, value: acc });
    start = end;
  }
  return { shape, reduced, groupDims, groups, ix: s.ix, ops };
}

function outputShape(r: Reduced, keepDims: boolean): number[] {
  return r.shape.flatMap((d, i) => (r.reduced[i] ? (keepDims ? [1] : []) : [d]));
}

/** SparseReduceSum / SparseReduceMax: the dense result. */
export function sparseReduceDense(
  kind: SparseReduceKind,
  indices: Tensor,
  values: Tensor,
  shapeT: Tensor,
  axesT: Tensor,
  keepDims: boolean,
): Tensor {
  const r = reduceGroups(kind, indices, values, shapeT, axesT);
  const groupShape = r.groupDims.map((d) => r.shape[d]!);
  const n = numElements(groupShape);
  const strides = stridesOf(groupShape);
  const rank = r.shape.length;
  const out = r.ops.buffer(outputShape(r, keepDims));
  for (const g of r.groups) {
    let at = 0;
    r.groupDims.forEach((d, j) => {
      at += r.ix[g.row * rank + d]! * strides[j]!;
    });
    if (at < 0 || at >= n) {
      throw internal(`Obtained a write index of ${at} which is outside of bounds of [0, ${n})`);
    }
    out.set(at, g.value);
  }
  return out.tensor();
}

/** SparseReduceSumSparse / SparseReduceMaxSparse: the result as (indices, values, shape). */
export function sparseReduceSparse(
  kind: SparseReduceKind,
  indices: Tensor,
  values: Tensor,
  shapeT: Tensor,
  axesT: Tensor,
  keepDims: boolean,
): [Tensor, Tensor, Tensor] {
  const r = reduceGroups(kind, indices, values, shapeT, axesT);
  const rank = r.shape.length;
  const outDims = keepDims ? r.shape.map((_, d) => d) : r.groupDims;
  const ix: number[] = [];
  for (const g of r.groups) {
    for (const d of outDims) ix.push(r.reduced[d] ? 0 : r.ix[g.row * rank + d]!);
  }
  return [
    int64Matrix(ix, r.groups.length, outDims.length),
    r.ops.write(
      [r.groups.length],
      r.groups.map((g) => g.value),
    ),
    int64Vector(outputShape(r, keepDims)),
  ];
}

const inputs = ["input_indices: int64", "input_values: T", "input_shape: int64", "reduction_axes: int32"];

/** The op definition and kernel of one of the four sparse reductions over `types`. */
export function sparseReduceConfig(
  name: string,
  kind: SparseReduceKind,
  sparse: boolean,
  types: readonly DataType[],
): KernelConfig {
  return {
    op: {
      name,
      inputs,
      outputs: sparse ? ["output_indices: int64", "output_values: T", "output_shape: int64"] : ["output: T"],
      attrs: ["keep_dims: bool = false", kind === "sum" ? "T: numbertype" : "T: realnumbertype"],
    },
    kernel: cpuKernel(name, (c) => {
      checkTypeConstraint(c, "T", types);
      const keep = getAttrBool(c.attrs, "keep_dims");
      return {
        compute: (ctx) => {
          const args = [kind, ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3), keep] as const;
          if (!sparse) return ctx.setOutput(0, sparseReduceDense(...args));
          for (const [i, t] of sparseReduceSparse(...args).entries()) ctx.setOutput(i, t);
        },
      };
    }),
  };
}
