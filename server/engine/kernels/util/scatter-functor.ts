// TF's CPU scatter functors (core/kernels/scatter_functor.h) shared by Scatter<Kind> (ref variables)
// and ResourceScatter<Kind> (resource variables): params[indices[i], ...] op= updates[i, ...] for
// i in order, each row viewed as params' flat_outer_dims. TF's serial loop stops at the first
// out-of-range index and leaves the rows before it updated, so the caller commits the partial
// result before reporting the bad index.
//
// Updates land in a fresh tensor (TF's copy-on-write mode, see variables.ts). Arithmetic kinds reuse
// the element-wise op functors (Add, Sub, …) a batch of distinct rows at a time: the k-th time a
// row is named falls into batch k, which gives the same result as TF's one-row-at-a-time loop.

import { failedPrecondition, invalidArgument } from "../../framework/errors.js";
import { shapeString, Tensor } from "../../framework/tensor.js";
import { type DataType, dataTypeString } from "../../framework/types.js";
import { addFns } from "../Add.js";
import { divFns } from "../Div.js";
import { indexPosition, readIndexValues } from "../GatherNd.js";
import { maximumFns } from "../Maximum.js";
import { minimumFns } from "../Minimum.js";
import { mulFns } from "../Mul.js";
import { subFns } from "../Sub.js";
import { type BinaryFns, binaryOp } from "./cwise.js";
import {
  checkTypeConstraint,
  cpuKernel,
  type KernelConfig,
  NUMBER_TYPES,
  REAL_NUMBER_TYPES,
  T,
} from "./kernel-config.js";
import { allocIndexable, lanesOf, storage } from "./tensor-util.js";
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

/** Copies `count` rows of `width` storage values: dst row dstRows(j) ← src row srcRows(j). */
function copyRows(
  src: ArrayLike<unknown>,
  dst: { [i: number]: unknown },
  count: number,
  width: number,
  srcRow: (j: number) => number,
  dstRow: (j: number) => number,
): void {
  for (let j = 0; j < count; j++) {
    const s = srcRow(j) * width;
    const d = dstRow(j) * width;
    for (let k = 0; k < width; k++) dst[d + k] = src[s + k];
  }
}

/** A tensor of `rows` rows of `width` values, gathered from `src` (storage of the given dtype). */
function gatherRows(
  dtype: DataType,
  src: ArrayLike<unknown>,
  rows: readonly number[],
  inner: number,
): Tensor {
  const lanes = lanesOf(dtype);
  const shape = [rows.length, inner];
  const out = allocIndexable(dtype, rows.length * inner, shape);
  copyRows(
    src,
    out,
    rows.length,
    inner * lanes,
    (j) => rows[j]!,
    (j) => j,
  );
  return new Tensor(dtype, shape, out as unknown as Tensor["data"]);
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
  const dtype = params.dtype;
  const lanes = lanesOf(dtype);
  const inner = rows === 0 ? 0 : params.numElements / rows;
  const isBad = (v: number) => v < 0 || v >= rows;
  let bad = -1;
  const positions: number[] = [];
  for (let i = 0; i < idx.length; i++) {
    if (!isBad(idx[i]!)) positions.push(i);
    else {
      bad = i;
      if (untilBad) break;
    }
  }
  if (positions.length === 0) return { value: params, bad };
  const out = allocIndexable(dtype, params.numElements, params.shape);
  const src = storage(params);
  // Typed storage copies in bulk; strings and handles element by element.
  if (ArrayBuffer.isView(out)) (out as unknown as { set(a: unknown): void }).set(src);
  else
    copyRows(
      src as ArrayLike<unknown>,
      out,
      1,
      params.numElements * lanes,
      () => 0,
      () => 0,
    );
  const value = new Tensor(dtype, params.shape, out as unknown as Tensor["data"]);
  const scalar = updates.rank === 0;
  const upd = storage(updates) as ArrayLike<unknown>;
  const width = inner * lanes;
  if (kind === "Update") {
    for (const i of positions) {
      const d = idx[i]! * width;
      for (let k = 0; k < width; k++) out[d + k] = upd[scalar ? k % lanes : i * width + k];
    }
    return { value, bad };
  }
  // Batch k holds the positions whose row was already named k times before them.
  const seen = new Map<number, number>();
  const batches: number[][] = [];
  for (const i of positions) {
    const k = seen.get(idx[i]!) ?? 0;
    seen.set(idx[i]!, k + 1);
    if (k === batches.length) batches.push([]);
    batches[k]!.push(i);
  }
  for (const batch of batches) {
    const targets = batch.map((i) => idx[i]!);
    const current = gatherRows(dtype, out as unknown as ArrayLike<unknown>, targets, inner);
    const operand = scalar ? updates : gatherRows(dtype, upd, batch, inner);
    const result = binaryOp(`Scatter${kind}`, current, operand, KIND_FNS[kind]);
    copyRows(
      storage(result) as ArrayLike<unknown>,
      out,
      targets.length,
      width,
      (j) => j,
      (j) => targets[j]!,
    );
  }
  return { value, bad };
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
function scatterRef(params: Tensor, indices: Tensor, updates: Tensor, kind: ScatterKind): ScatterResult {
  if (params.rank < 1) {
    throw invalidArgument(`params must be at least 1-D, got shape ${shapeString(params.shape)}`);
  }
  if (!validRefShapes(params, indices, updates)) throw shapesMessage(params, indices, updates);
  const idx = readIndexValues(indices);
  return scatterRows(params, params.shape[0]!, idx, updates, kind);
}

/**
 * ResourceScatter<Kind>'s checks (resource_variable_ops.cc ResourceScatterUpdateOp): the rank of
 * updates and its leading dims, not the inner dims (TF leaves a mismatch there undefined; here it
 * is the rank message).
 */
function scatterResource(params: Tensor, indices: Tensor, updates: Tensor, kind: ScatterKind): ScatterResult {
  const rankOk = updates.rank === 0 || updates.rank === indices.rank + params.rank - 1;
  if (!rankOk || params.rank === 0) throw shapesMessage(params, indices, updates);
  const idx = readIndexValues(indices);
  if (idx.length === 0) return { value: params, bad: -1 };
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
  return scatterRows(params, params.shape[0]!, idx, updates, kind);
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
          const params = cell.value;
          if (params === undefined) throw uninitializedRef(input0);
          const indices = ctx.input(1);
          const { value, bad } = scatterRef(params, indices, ctx.input(2), kind);
          cell.value = value;
          ctx.setOutputRef(0, cell);
          if (bad >= 0) throw indexNotInRange(indices, readIndexValues(indices), bad, params.shape[0]!);
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
          const params = v.value!;
          checkVarDtype(params, dtype);
          const indices = ctx.input(1);
          const { value, bad } = scatterResource(params, indices, ctx.input(2), kind);
          v.value = value;
          if (bad >= 0) throw indexNotInRange(indices, readIndexValues(indices), bad, params.shape[0]!);
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

/** TF's dtype check of a resource variable against the op's dtype attr. */
export function checkVarDtype(value: Tensor, dtype: DataType): void {
  if (value.dtype !== dtype) {
    throw invalidArgument(
      `Trying to read variable with wrong dtype. Expected ${dataTypeString(dtype)} got ${dataTypeString(value.dtype)}`,
    );
  }
}
