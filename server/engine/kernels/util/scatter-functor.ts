// TF's CPU scatter functors (core/kernels/scatter_functor.h) shared by Scatter<Kind> (ref variables)
// and ResourceScatter<Kind> (resource variables): params[indices[i], ...] op= updates[i, ...] for
// i in order, each row viewed as params' flat_outer_dims. TF's serial loop stops at the first
// out-of-range index and leaves the rows before it updated, so the caller commits the partial
// result before reporting the bad index.
//
// Updates land in a fresh tensor (TF's copy-on-write mode, see variables.ts), made as an ElementJob
// (element-slices.ts): the indices are walked before anything is written, then one pass copies the
// old value and one applies the update rows in index order with the element-wise op's function
// (Add, Sub, …), element by element as TF's loop. Over large tensors the job runs in slices and the
// new value is stored when it ends (computeScatterUpdate).

import { failedPrecondition, invalidArgument } from "../../framework/errors.js";
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from "../../framework/float16.js";
import type { KernelSlices } from "../../framework/op-kernel.js";
import { type NumericArray, shapeString, Tensor } from "../../framework/tensor.js";
import { DataType, dataTypeString, isComplexType } from "../../framework/types.js";
import { addFns } from "../Add.js";
import { divFns } from "../Div.js";
import { indexPosition, readIndexValues } from "../GatherNd.js";
import { maximumFns } from "../Maximum.js";
import { minimumFns } from "../Minimum.js";
import { mulFns } from "../Mul.js";
import { subFns } from "../Sub.js";
import type { BinaryFns } from "./cwise.js";
import {
  doneJob,
  type ElementJob,
  type ElementPass,
  jobSlices,
  jobWork,
  runWhole,
  SLICED_MIN_ELEMENTS,
} from "./element-slices.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  NUMBER_TYPES,
  REAL_NUMBER_TYPES,
  T,
} from "./kernel-config.js";
import { allocIndexable, type Indexable, isHalfLike, lanesOf, storage } from "./tensor-util.js";
import { handleFromInput, initializedVar } from "./variables.js";

/** TF's scatter_op::UpdateOp. */
export type ScatterKind = "Add" | "Sub" | "Mul" | "Div" | "Min" | "Max" | "Update";

const KIND_FNS: Record<Exclude<ScatterKind, "Update">, BinaryFns> = {
  // Adding bools is a logical or (ScatterNdNonAliasingAdd registers bool).
  Add: { ...addFns, bool: (a, b) => a | b },
  Sub: subFns,
  Mul: mulFns,
  Div: divFns,
  // Eigen's cwiseMin/cwiseMax (not the NaN-propagating Minimum/Maximum ops): a NaN update leaves
  // the element alone, a NaN element stays NaN.
  // biome-ignore lint/complexity/useMathMinMax: Math.min would propagate a NaN update
  Min: { ...minimumFns, float: (p, u) => (u < p ? u : p) },
  // biome-ignore lint/complexity/useMathMinMax: Math.max would propagate a NaN update
  Max: { ...maximumFns, float: (p, u) => (u > p ? u : p) },
};

/** The result of a scatter: the new value, and the position of the bad index to report (-1 if none). */
export interface ScatterResult {
  readonly value: Tensor;
  readonly bad: number;
}

/**
 * A scatter prepared as an ElementJob (element-slices.ts): every index already checked, the job
 * making the new value, and the position of the bad index to report once it is stored (-1: none).
 */
export interface ScatterJob {
  readonly job: ElementJob<Tensor>;
  readonly bad: number;
}

/**
 * Applies `updates` (one row per index, or a scalar for every row) to the rows of `params` named
 * by `idx`, in order. `untilBad` stops at the first index outside [0, rows) (the scatter functors;
 * `bad` is that position); otherwise bad indices are skipped and `bad` is the last of them (the
 * ScatterNd functor, which updates every good slice before reporting).
 */
export function scatterRows(
  params: Tensor,
  rows: number,
  idx: readonly number[],
  updates: Tensor,
  kind: ScatterKind,
  untilBad = true,
): ScatterResult {
  const { job, bad } = scatterRowsJob(params, rows, idx, updates, kind, untilBad);
  return { value: runWhole(job), bad };
}

/**
 * scatterRows as a ScatterJob: the indices are walked now; the job copies params into a new tensor
 * (a variable's value is never written in place, variables.ts), then applies the update rows in
 * index order, so a row named twice takes its updates in that order whatever the ranges.
 */
export function scatterRowsJob(
  params: Tensor,
  rows: number,
  idx: readonly number[],
  updates: Tensor,
  kind: ScatterKind,
  untilBad = true,
): ScatterJob {
  const dtype = params.dtype;
  const inner = rows === 0 ? 0 : params.numElements / rows;
  let bad = -1;
  const positions: number[] = [];
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i]!;
    if (v >= 0 && v < rows) positions.push(i);
    else {
      bad = i;
      if (untilBad) break;
    }
  }
  if (positions.length === 0) return { job: doneJob(params), bad };
  const apply = rowUpdate(kind, dtype, updates.rank === 0);
  const out = allocIndexable(dtype, params.numElements, params.shape);
  const update = updatePass(apply, out, storage(updates), positions, idx, inner);
  const value = new Tensor(dtype, params.shape, out as unknown as Tensor["data"]);
  return { job: { passes: [copyPass(storage(params), out), update], result: () => value }, bad };
}

/** A pass copying src's storage into dst (same length), over any range of storage values. */
function copyPass(src: Indexable, dst: Indexable): ElementPass {
  const run: (s: number, e: number) => void = ArrayBuffer.isView(dst)
    ? (s, e) => {
        const from = src as unknown as { subarray(a: number, b: number): ArrayLike<never> };
        (dst as unknown as { set(a: ArrayLike<never>, at: number): void }).set(from.subarray(s, e), s);
      }
    : (s, e) => {
        const d = dst as { [i: number]: unknown };
        for (let i = s; i < e; i++) d[i] = src[i];
      };
  return { n: src.length, run };
}

/**
 * out[d + j] op= upd[u + j] for the elements j in [j0, j1) of a row (offsets in elements; u is
 * not read for a scalar update, whose one element goes with every j).
 */
type RowUpdate = (out: Indexable, upd: Indexable, d: number, u: number, j0: number, j1: number) => void;

/**
 * The pass applying update row positions[p] to out row idx[positions[p]], p in order, over any
 * range of the (positions × inner) update elements; a range may end inside a row.
 */
function updatePass(
  apply: RowUpdate,
  out: Indexable,
  upd: Indexable,
  positions: readonly number[],
  idx: readonly number[],
  inner: number,
): ElementPass {
  const run = (start: number, end: number) => {
    for (let i = start; i < end; ) {
      const p = Math.floor(i / inner);
      const j0 = i - p * inner;
      const j1 = Math.min(inner, j0 + (end - i));
      const pos = positions[p]!;
      apply(out, upd, idx[pos]! * inner, pos * inner, j0, j1);
      i += j1 - j0;
    }
  };
  // A call of the element function per element (for half/bfloat16 a decode and an encode too).
  return { n: positions.length * inner, run, cost: 4 };
}

/**
 * How one kind updates a row segment of `dtype`: element by element, with the element function
 * binaryOp would use (cwise.ts) on the same values, stored into storage of the same kind, so the
 * bits are those of TF's loop over the indices in order.
 */
function rowUpdate(kind: ScatterKind, dtype: DataType, scalar: boolean): RowUpdate {
  if (kind === "Update") return replaceRow(lanesOf(dtype), scalar);
  const fns = KIND_FNS[kind];
  const unsupported = () => invalidArgument(`Scatter${kind} does not support dtype ${dataTypeString(dtype)}`);
  const at = scalar ? () => 0 : (u: number, j: number) => u + j;
  if (dtype === DataType.DT_INT64 || dtype === DataType.DT_UINT64) {
    const f = fns.bigint ?? throwError(unsupported());
    return (out, upd, d, u, j0, j1) => {
      const [o, v] = [out as unknown as BigInt64Array, upd as unknown as BigInt64Array];
      for (let j = j0; j < j1; j++) o[d + j] = f(o[d + j]!, v[at(u, j)]!);
    };
  }
  if (isComplexType(dtype)) return complexRowUpdate(fns.complex ?? throwError(unsupported()), at);
  if (dtype === DataType.DT_STRING) {
    const f = fns.string ?? throwError(unsupported());
    return (out, upd, d, u, j0, j1) => {
      const [o, v] = [out as unknown as Uint8Array[], upd as unknown as Uint8Array[]];
      for (let j = j0; j < j1; j++) o[d + j] = f(o[d + j]!, v[at(u, j)]!);
    };
  }
  if (dtype === DataType.DT_RESOURCE) throw unsupported();
  if (isHalfLike(dtype)) {
    // binaryOp decodes to float32, computes, stores into float32 and encodes (which rounds to
    // float32 first, as that store did).
    const half = dtype === DataType.DT_HALF;
    const [decode, encode] = half ? [halfToFloat, floatToHalf] : [bfloat16ToFloat, floatToBfloat16];
    const f = fns.float;
    return (out, upd, d, u, j0, j1) => {
      const [o, v] = [out as unknown as Uint16Array, upd as unknown as Uint16Array];
      for (let j = j0; j < j1; j++) o[d + j] = encode(f(decode(o[d + j]!), decode(v[at(u, j)]!)));
    };
  }
  let f = fns.int ?? fns.float;
  if (dtype === DataType.DT_BOOL) f = fns.bool ?? throwError(unsupported());
  else if (dtype === DataType.DT_FLOAT || dtype === DataType.DT_DOUBLE) f = fns.float;
  return (out, upd, d, u, j0, j1) => {
    const [o, v] = [out as unknown as NumericArray, upd as unknown as NumericArray];
    for (let j = j0; j < j1; j++) o[d + j] = f(o[d + j]!, v[at(u, j)]!);
  };
}

/** Update's row segment: a copy of `lanes` storage values per element. */
function replaceRow(lanes: number, scalar: boolean): RowUpdate {
  if (lanes === 1 && !scalar) {
    return (out, upd, d, u, j0, j1) => {
      const o = out as { [i: number]: unknown };
      for (let j = j0; j < j1; j++) o[d + j] = upd[u + j];
    };
  }
  return (out, upd, d, u, j0, j1) => {
    const o = out as { [i: number]: unknown };
    for (let j = j0; j < j1; j++) {
      const from = (scalar ? 0 : u + j) * lanes;
      for (let l = 0; l < lanes; l++) o[(d + j) * lanes + l] = upd[from + l];
    }
  };
}

/** A complex kind's row segment: (re, im) pairs through the op's complex function. */
function complexRowUpdate(
  f: NonNullable<BinaryFns["complex"]>,
  at: (u: number, j: number) => number,
): RowUpdate {
  const tmp = new Float64Array(2);
  return (out, upd, d, u, j0, j1) => {
    const [o, v] = [out as unknown as Float32Array, upd as unknown as Float32Array];
    for (let j = j0; j < j1; j++) {
      const [p, q] = [2 * (d + j), 2 * at(u, j)];
      f(o[p]!, o[p + 1]!, v[q]!, v[q + 1]!, tmp);
      o[p] = tmp[0]!;
      o[p + 1] = tmp[1]!;
    }
  };
}

function throwError(e: Error): never {
  throw e;
}

/**
 * A scatter into a variable, whole or in slices (computeJob's rule). `read` gives the variable's
 * value now (or throws the kernel's error), `prepare` checks the inputs against a value and
 * prepares the scatter, `store` makes a new value the variable's, `report` is the error for a bad
 * index, thrown after the store (TF leaves the updates before it, or every good one, in place).
 *
 * The new value is stored only when the job ends: a step reading the variable between slices sees
 * the old value, and a step cancelled between slices leaves it at the old value. If another step
 * stored a value meanwhile, the scatter is prepared again on that value and run whole, so it lands
 * after that write, as TF's variable mutex orders writes; a step that keeps writing cannot starve it.
 */
export function computeScatterUpdate(
  read: () => Tensor,
  prepare: (params: Tensor) => ScatterJob,
  store: (value: Tensor) => void,
  report: (params: Tensor, bad: number) => Error,
): undefined | KernelSlices {
  const finish = (params: Tensor, s: ScatterJob, value: Tensor) => {
    store(value);
    if (s.bad >= 0) throw report(params, s.bad);
  };
  const params = read();
  const first = prepare(params);
  if (jobWork(first.job) < SLICED_MIN_ELEMENTS) {
    finish(params, first, runWhole(first.job));
    return;
  }
  return (function* () {
    const value = yield* jobSlices(first.job);
    const now = read();
    if (now === params) return finish(params, first, value);
    const again = prepare(now);
    finish(now, again, runWhole(again.job));
  })();
}

/** TF's out-of-range message: "indices[1,0] = 7 is not in [0, 5)". */
export function indexNotInRange(indices: Tensor, idx: readonly number[], bad: number, limit: number): Error {
  return invalidArgument(`indices${indexPosition(indices.shape, bad)} = ${idx[bad]} is not in [0, ${limit})`);
}

/** "updates.shape = indices.shape + params.shape[1:]" (scatter_op.cc ValidShapes). */
function validRefShapes(params: Tensor, indices: Tensor, updates: Tensor): boolean {
  if (updates.rank === 0) return true;
  if (updates.rank !== indices.rank + params.rank - 1) return false;
  for (let d = 0; d < indices.rank; d++) if (updates.shape[d] !== indices.shape[d]) return false;
  for (let d = 1; d < params.rank; d++) {
    if (params.shape[d] !== updates.shape[d - 1 + indices.rank]) return false;
  }
  return true;
}

function shapesMessage(params: Tensor, indices: Tensor, updates: Tensor): Error {
  return invalidArgument(
    "Must have updates.shape = indices.shape + params.shape[1:] or updates.shape = [], got " +
      `updates.shape ${shapeString(updates.shape)}, indices.shape ${shapeString(indices.shape)}, ` +
      `params.shape ${shapeString(params.shape)}`,
  );
}

/** Scatter<Kind>'s checks (scatter_op.cc DoValidationChecking) and update of a ref variable. */
function scatterRef(params: Tensor, indices: Tensor, updates: Tensor, kind: ScatterKind): ScatterJob {
  if (params.rank < 1) {
    throw invalidArgument(`params must be at least 1-D, got shape ${shapeString(params.shape)}`);
  }
  if (!validRefShapes(params, indices, updates)) throw shapesMessage(params, indices, updates);
  const idx = readIndexValues(indices);
  return scatterRowsJob(params, params.shape[0]!, idx, updates, kind);
}

/**
 * ResourceScatter<Kind>'s checks (resource_variable_ops.cc ResourceScatterUpdateOp): the rank of
 * updates and its leading dims, not the inner dims (TF leaves a mismatch there undefined; here it
 * is the rank message).
 */
function scatterResource(params: Tensor, indices: Tensor, updates: Tensor, kind: ScatterKind): ScatterJob {
  const rankOk = updates.rank === 0 || updates.rank === indices.rank + params.rank - 1;
  if (!rankOk || params.rank === 0) throw shapesMessage(params, indices, updates);
  const idx = readIndexValues(indices);
  if (idx.length === 0) return { job: doneJob(params), bad: -1 };
  // (TF checks the prefix only when there are indices.)
  if (updates.rank !== 0) {
    const prefix = indices.shape.every((d, i) => updates.shape[i] === d);
    if (!prefix) {
      throw invalidArgument(
        `The shape of indices (${shapeString(indices.shape)}) must be a prefix of the shape of updates (${shapeString(updates.shape)})`,
      );
    }
    if (!validRefShapes(params, indices, updates)) throw shapesMessage(params, indices, updates);
  }
  return scatterRowsJob(params, params.shape[0]!, idx, updates, kind);
}

const INDEX_TYPES = "Tindices: {int32, int64}";

/** Dtypes TF registers CPU kernels for, per kind (scatter_op.cc, resource_variable_ops.cc). */
function kernelTypes(kind: ScatterKind): readonly DataType[] {
  if (kind === "Min" || kind === "Max") return REAL_NUMBER_TYPES;
  return kind === "Update" ? [...NUMBER_TYPES, T.bool, T.string] : NUMBER_TYPES;
}

/** The Scatter<Kind> (ref) and ResourceScatter<Kind> configs. */
export function scatterConfigs(kind: ScatterKind): { ref: KernelConfig; resource: KernelConfig } {
  const refName = `Scatter${kind}`;
  const resourceName = `ResourceScatter${kind}`;
  const refType =
    kind === "Min" || kind === "Max"
      ? "T: {half, bfloat16, float, double, int32, int64}"
      : kind === "Update"
        ? "T: type"
        : "T: numbertype";
  const ref: KernelConfig = {
    op: {
      name: refName,
      inputs: ["ref: Ref(T)", "indices: Tindices", "updates: T"],
      outputs: ["output_ref: Ref(T)"],
      attrs: [refType, INDEX_TYPES, `use_locking: bool = ${kind === "Update"}`],
    },
    kernel: cpuKernel(refName, (c) => {
      checkTypeConstraint(c, "T", kernelTypes(kind));
      const input0 = c.requestedInputs[0] ?? "";
      return {
        compute(ctx) {
          const cell = ctx.inputRef(0);
          const [indices, updates] = [ctx.input(1), ctx.input(2)];
          return computeScatterUpdate(
            () => cell.value ?? throwError(uninitializedRef(input0)),
            (params) => scatterRef(params, indices, updates, kind),
            (value) => {
              cell.value = value;
              ctx.setOutputRef(0, cell);
            },
            (params, bad) => indexNotInRange(indices, readIndexValues(indices), bad, params.shape[0]!),
          );
        },
      };
    }),
  };
  const resource: KernelConfig = {
    op: {
      name: resourceName,
      inputs: ["resource: resource", "indices: Tindices", "updates: dtype"],
      attrs: [kind === "Update" ? "dtype: type" : "dtype: numbertype", INDEX_TYPES],
      isStateful: true,
    },
    kernel: cpuKernel(resourceName, (c) => {
      const dtype = checkTypeConstraint(c, "dtype", kernelTypes(kind));
      return {
        compute(ctx) {
          const v = initializedVar(ctx, handleFromInput(ctx, 0));
          const [indices, updates] = [ctx.input(1), ctx.input(2)];
          return computeScatterUpdate(
            () => checkVarDtype(v.value, dtype),
            (params) => scatterResource(params, indices, updates, kind),
            (value) => {
              v.value = value;
            },
            (params, bad) => indexNotInRange(indices, readIndexValues(indices), bad, params.shape[0]!),
          );
        },
      };
    }),
  };
  return { ref, resource };
}

/** What TF's executor reports for an uninitialised ref input. */
export function uninitializedRef(name: string): Error {
  return failedPrecondition(`Attempting to use uninitialized value ${name}`);
}

/** TF's dtype check of a resource variable against the op's dtype attr; the value when it passes. */
export function checkVarDtype(value: Tensor, dtype: DataType): Tensor {
  if (value.dtype !== dtype) {
    throw invalidArgument(
      `Trying to read variable with wrong dtype. Expected ${dataTypeString(dtype)} got ${dataTypeString(value.dtype)}`,
    );
  }
  return value;
}
