// TF's set kernels (core/kernels/set_kernels.cc), behind tf.sets: the sets are the values along the
// last dimension of each group (the other dimensions), given dense (every element of the row) or
// sparse (the stored values of the row). SetSize counts each group's distinct values; the set
// operations (a-b, b-a, intersection, union) combine the two inputs group by group and return the
// non-empty results as a SparseTensor of shape group_shape + [largest result], each set sorted.
// With validate_indices the sparse inputs must be sorted and in bounds (TF's IndicesValid); without
// it their groups are the runs of equal group indices, taken in input order, as TF does.

import { internal, invalidArgument } from "../../framework/errors.js";
import { getAttrBool, getAttrString } from "../../framework/op-def.js";
import type { OpKernelConstruction } from "../../framework/op-kernel.js";
import { allocData, numElements, Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./kernel-config.js";
import {
  checkIndicesValid,
  checkSparseTensorCreate,
  int64Matrix,
  int64Vector,
  readIndexMatrix,
  stridesOf,
} from "./sparse-util.js";
import { allocIndexable, readInts, storage } from "./tensor-util.js";

export const SET_TYPES: readonly DataType[] = [
  T.int8,
  T.int16,
  T.int32,
  T.int64,
  T.uint8,
  T.uint16,
  T.string,
];

type SetValue = number | bigint | Uint8Array;

/** std::set<T>'s order: numbers ascending, strings bytewise (then shorter first). */
function compareValues(a: SetValue, b: SetValue): number {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return a.length - b.length;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The distinct values, sorted. */
function toSet(values: readonly SetValue[]): SetValue[] {
  const sorted = [...values].sort(compareValues);
  return sorted.filter((v, i) => i === 0 || compareValues(v, sorted[i - 1]!) !== 0);
}

export type SetOperation = "a-b" | "b-a" | "intersection" | "union";

/** TF's std::set_difference / set_intersection / set_union of two sorted sets. */
function applySetOperation(op: SetOperation, a: readonly SetValue[], b: readonly SetValue[]): SetValue[] {
  const has = (set: readonly SetValue[], v: SetValue) => set.some((x) => compareValues(x, v) === 0);
  if (op === "a-b") return a.filter((v) => !has(b, v));
  if (op === "b-a") return b.filter((v) => !has(a, v));
  if (op === "intersection") return a.filter((v) => has(b, v));
  return toSet([...a, ...b]);
}

/** A set input's shape; fails like TF's GroupShape below rank 2. */
function groupShapeOf(shape: readonly number[]): number[] {
  if (shape.length < 2) throw invalidArgument(`Shape [${shape.join(",")}] has rank ${shape.length} < 2`);
  return shape.slice(0, -1);
}

function groupShapeFromInputs(shape1: readonly number[], shape2: readonly number[]): number[] {
  const g1 = groupShapeOf(shape1);
  const g2 = groupShapeOf(shape2);
  if (g1.length !== g2.length || g1.some((d, i) => d !== g2[i])) {
    throw invalidArgument(`Mismatched shapes [${g1.join(",")}] vs [${g2.join(",")}]`);
  }
  return g1;
}

interface SparseGroup {
  readonly key: number[];
  readonly values: SetValue[];
  /** The group's first entry. */
  readonly start: number;
}

interface SparseSets {
  readonly shape: number[];
  /** Each run of entries with equal group indices, in input order. */
  readonly groups: SparseGroup[];
  /** The group's distinct values, after TF's CheckGroup of its indices (when TF reads a group). */
  set(g: SparseGroup): SetValue[];
}

function elementsOf(t: Tensor): SetValue[] {
  return Array.from(storage(t) as ArrayLike<SetValue>);
}

/** TF's SparseTensorFromContext (+ IndicesValid when validating), grouped by all but the last dimension. */
function sparseSets(indices: Tensor, values: Tensor, shapeT: Tensor, validate: boolean): SparseSets {
  const shape = readInts(shapeT);
  if (shape.length < 2) throw invalidArgument(`Invalid rank ${shape.length}.`);
  checkSparseTensorCreate(indices, values, shape.length);
  const s = readIndexMatrix(indices);
  if (validate) checkIndicesValid(s, shape);
  const rank = s.rank;
  const vals = elementsOf(values);
  const groups: SparseGroup[] = [];
  for (let r = 0; r < s.nnz; r++) {
    const key = s.ix.slice(r * rank, r * rank + rank - 1);
    const last = groups[groups.length - 1];
    if (last?.key.every((k, i) => k === key[i])) last.values.push(vals[r]!);
    else groups.push({ key, values: [vals[r]!], start: r });
  }
  // TF's CheckGroup: every index of the group's entries inside the shape (an INTERNAL sanity check).
  const set = (g: SparseGroup) => {
    for (let j = 0; j < rank; j++) {
      if (shape[j]! <= 0) throw internal(`Invalid dim_size[${j}] = ${shape[j]}.`);
      for (let i = 0; i < g.values.length; i++) {
        const v = s.ix[(g.start + i) * rank + j]!;
        if (v >= shape[j]!) throw internal(`indices[${i}, ${j}] expected < ${shape[j]}, got ${v}.`);
      }
    }
    return toSet(g.values);
  };
  return { shape, groups, set };
}

/** The set of dense row `flat` (all of its last dimension). */
function denseRow(values: readonly SetValue[], rowLength: number, flat: number): SetValue[] {
  return toSet(values.slice(flat * rowLength, flat * rowLength + rowLength));
}

/** Group indices of flat group `flat` in `groupShape`. */
function unflatten(flat: number, groupShape: readonly number[]): number[] {
  const out = new Array<number>(groupShape.length);
  for (let d = groupShape.length - 1; d >= 0; d--) {
    out[d] = flat % groupShape[d]!;
    flat = Math.floor(flat / groupShape[d]!);
  }
  return out;
}

/** TF's OutputSparseTensor: the non-empty result sets, in the order given. */
function outputSets(
  dtype: DataType,
  groupShape: readonly number[],
  sets: readonly { key: number[]; set: SetValue[] }[],
): [Tensor, Tensor, Tensor] {
  const nonEmpty = sets.filter((s) => s.set.length > 0);
  const maxSize = nonEmpty.reduce((m, s) => Math.max(m, s.set.length), 0);
  const rank = groupShape.length + 1;
  const total = nonEmpty.reduce((n, s) => n + s.set.length, 0);
  const ix: number[] = [];
  const values = allocIndexable(dtype, total, [total]);
  let k = 0;
  for (const s of nonEmpty) {
    s.set.forEach((v, pos) => {
      ix.push(...s.key, pos);
      values[k++] = v;
    });
  }
  return [
    int64Matrix(ix, total, rank),
    new Tensor(dtype, [total], values as unknown as Tensor["data"]),
    int64Vector([...groupShape, maxSize]),
  ];
}

export function denseToDenseSetOperation(
  op: SetOperation,
  set1: Tensor,
  set2: Tensor,
): [Tensor, Tensor, Tensor] {
  const groupShape = groupShapeFromInputs(set1.shape, set2.shape);
  const v1 = elementsOf(set1);
  const v2 = elementsOf(set2);
  const n1 = set1.shape[set1.rank - 1]!;
  const n2 = set2.shape[set2.rank - 1]!;
  const sets = Array.from({ length: numElements(groupShape) }, (_, flat) => ({
    key: unflatten(flat, groupShape),
    set: applySetOperation(op, denseRow(v1, n1, flat), denseRow(v2, n2, flat)),
  }));
  return outputSets(set1.dtype, groupShape, sets);
}

export function denseToSparseSetOperation(
  op: SetOperation,
  set1: Tensor,
  indices: Tensor,
  values: Tensor,
  shapeT: Tensor,
  validate: boolean,
): [Tensor, Tensor, Tensor] {
  const set2 = sparseSets(indices, values, shapeT, validate);
  const groupShape = groupShapeFromInputs(set1.shape, set2.shape);
  const v1 = elementsOf(set1);
  const n1 = set1.shape[set1.rank - 1]!;
  let next = 0;
  const sets = Array.from({ length: numElements(groupShape) }, (_, flat) => {
    const key = unflatten(flat, groupShape);
    // The sparse groups are consumed in order, each when it names this dense group.
    const g = set2.groups[next];
    let b: SetValue[] = [];
    if (g?.key.every((k, i) => k === key[i])) {
      b = set2.set(g);
      next++;
    }
    return { key, set: applySetOperation(op, denseRow(v1, n1, flat), b) };
  });
  return outputSets(set1.dtype, groupShape, sets);
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

export function sparseToSparseSetOperation(
  op: SetOperation,
  inputs: readonly Tensor[],
  validate: boolean,
): [Tensor, Tensor, Tensor] {
  const set1 = sparseSets(inputs[0]!, inputs[1]!, inputs[2]!, validate);
  const set2 = sparseSets(inputs[3]!, inputs[4]!, inputs[5]!, validate);
  const groupShape = groupShapeFromInputs(set1.shape, set2.shape);
  const sets: { key: number[]; set: SetValue[] }[] = [];
  let i = 0;
  let j = 0;
  // Both inputs' groups walked together in index order; a group missing on one side is empty there.
  while (i < set1.groups.length || j < set2.groups.length) {
    const g1 = set1.groups[i];
    const g2 = set2.groups[j];
    const c = g1 === undefined ? 1 : g2 === undefined ? -1 : compareKeys(g1.key, g2.key);
    const a = c <= 0 ? set1.set(g1!) : [];
    const b = c >= 0 ? set2.set(g2!) : [];
    const key = c >= 0 ? g2!.key : g1!.key;
    if (c <= 0) i++;
    if (c >= 0) j++;
    sets.push({ key, set: applySetOperation(op, a, b) });
  }
  return outputSets(inputs[1]!.dtype, groupShape, sets);
}

export function setSize(indices: Tensor, values: Tensor, shapeT: Tensor, validate: boolean): Tensor {
  const sets = sparseSets(indices, values, shapeT, validate);
  const groupShape = groupShapeOf(sets.shape);
  const n = numElements(groupShape);
  const out = allocData(DataType.DT_INT32, n, groupShape) as Int32Array;
  const strides = stridesOf(groupShape);
  for (const g of sets.groups) {
    const size = sets.set(g).length;
    out[g.key.reduce((acc, k, d) => acc + k * strides[d]!, 0)] = size;
  }
  return new Tensor(DataType.DT_INT32, groupShape, out);
}

/** The set_operation attr, case-insensitive as in TF; anything else fails at construction. */
export function setOperationAttr(c: OpKernelConstruction): SetOperation {
  const op = getAttrString(c.attrs, "set_operation").toLowerCase();
  if (op === "a-b" || op === "b-a" || op === "intersection" || op === "union") return op;
  throw invalidArgument(`Invalid set_operation ${op}.`);
}

const setAttrs = [
  "set_operation: string",
  "validate_indices: bool = true",
  "T: {int8, int16, int32, int64, uint8, uint16, string}",
];
const setOutputs = ["result_indices: int64", "result_values: T", "result_shape: int64"];

/** The op definition and kernel of one of the three set operations. */
export function setOperationConfig(
  name: string,
  inputs: readonly string[],
  compute: (op: SetOperation, inputs: Tensor[], validate: boolean) => [Tensor, Tensor, Tensor],
): KernelConfig {
  return {
    op: { name, inputs, outputs: setOutputs, attrs: setAttrs },
    kernel: cpuKernel(name, (c) => {
      checkTypeConstraint(c, "T", SET_TYPES);
      const op = setOperationAttr(c);
      const validate = getAttrBool(c.attrs, "validate_indices");
      return {
        compute: (ctx) => {
          const args = Array.from({ length: ctx.numInputs }, (_, k) => ctx.input(k));
          for (const [i, t] of compute(op, args, validate).entries()) ctx.setOutput(i, t);
        },
      };
    }),
  };
}
