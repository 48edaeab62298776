// TF's UniqueOp (core/kernels/unique_op.cc), shared by Unique, UniqueV2, UniqueWithCounts and
// UniqueWithCountsV2: the distinct slices of x along an axis in order of first occurrence, each
// slice's position among them (idx) and, for the WithCounts ops, how often each occurs.
//
// Equality is TF's hash-map equality: float and double compare by value (-0 equals +0), half and
// bfloat16 by bit pattern (their hash is of the bits, so -0 and +0 differ), and a NaN never equals
// anything, itself included, so each NaN (or slice holding one) is its own entry.

import { binaryString } from "../../framework/binary-string.js";
import { invalidArgument } from "../../framework/errors.js";
import { getAttrType } from "../../framework/op-def.js";
import type { OpKernelContext } from "../../framework/op-kernel.js";
import { allocData, Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { computeJobOutputs, type ElementJob, type ElementPass, runWhole } from "./element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, REAL_NUMBER_TYPES } from "./kernel-config.js";
import { allocIndexable, type Indexable, intVector, readInts, storage } from "./tensor-util.js";

/** The dtypes TF registers Unique CPU kernels for: real numbers, bool and string (not complex). */
const UNIQUE_TYPES = [...REAL_NUMBER_TYPES, DataType.DT_BOOL, DataType.DT_STRING];

/** A key equal for equal elements; undefined for a NaN (equal to nothing). */
function elementKey(t: Tensor, i: number): string | number | bigint | undefined {
  switch (t.dtype) {
    case DataType.DT_STRING:
      return binaryString((t.data as Uint8Array[])[i]!);
    case DataType.DT_HALF: {
      const b = (t.data as Uint16Array)[i]!;
      return (b & 0x7c00) === 0x7c00 && (b & 0x3ff) !== 0 ? undefined : b;
    }
    case DataType.DT_BFLOAT16: {
      const b = (t.data as Uint16Array)[i]!;
      return (b & 0x7f80) === 0x7f80 && (b & 0x7f) !== 0 ? undefined : b;
    }
    default: {
      const v = storage(t)[i] as number | bigint;
      return typeof v === "number" && Number.isNaN(v) ? undefined : v;
    }
  }
}

/** The key of slice k of x seen as [outer, mid, inner]; undefined when the slice holds a NaN. */
function sliceKey(x: Tensor, k: number, mid: number, outer: number, inner: number): unknown {
  if (outer * inner === 1) return elementKey(x, k);
  const parts: string[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const key = elementKey(x, (o * mid + k) * inner + i);
      if (key === undefined) return undefined;
      parts.push(typeof key === "string" ? JSON.stringify(key) : String(key));
    }
  }
  return parts.join(",");
}

/** The axis UniqueV2/UniqueWithCountsV2 reduce over (0 for a vector with an empty axis tensor). */
function uniqueAxis(x: Tensor, axisT: Tensor | undefined): number {
  if (axisT === undefined) {
    if (x.rank !== 1) throw invalidArgument("unique expects a 1D vector.");
    return 0;
  }
  if (axisT.rank !== 1) throw invalidArgument("axis expects a 1D vector.");
  if (axisT.numElements > 1) {
    throw invalidArgument("axis does not support input tensors larger than 1 elements");
  }
  if (axisT.numElements === 0) return uniqueAxis(x, undefined);
  const a = readInts(axisT)[0]!;
  const axis = a < 0 ? a + x.rank : a;
  if (axis < 0 || axis >= x.rank) throw invalidArgument(`axis has to be between [0, ${x.rank})`);
  return axis;
}

/** [y, idx, count] of x along `axis`, idx and count as `outIdx`. */
export function unique(x: Tensor, axisT: Tensor | undefined, outIdx: DataType): Tensor[] {
  return runWhole(uniqueJob(x, axisT, outIdx));
}

/**
 * unique as an ElementJob (util/element-slices.ts): a pass over the slices in order, looking each
 * up among those seen before (the map lives on between ranges, so every slice gets the entry one
 * run gives it), then a pass copying the distinct slices into y, allocated when that pass starts
 * (its size is known only then; at most one entry per slice, so the pass is counted that long).
 */
export function uniqueJob(x: Tensor, axisT: Tensor | undefined, outIdx: DataType): ElementJob<Tensor[]> {
  const axis = uniqueAxis(x, axisT);
  const shape = x.shape;
  const mid = shape[axis]!;
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  // idx has one entry per slice: charge it before walking them.
  const idx = allocData(outIdx, mid, [mid]) as Int32Array | BigInt64Array;
  const firsts: number[] = [];
  const counts: number[] = [];
  const passes: ElementPass[] = [];
  if (outer * inner === 0) {
    // Empty slices are all equal (and may be very many): one entry, idx all 0.
    if (mid > 0) [firsts[0], counts[0]] = [0, mid];
  } else {
    const seen = new Map<unknown, number>();
    const find = (start: number, end: number) => {
      for (let k = start; k < end; k++) {
        const key = sliceKey(x, k, mid, outer, inner);
        let u = key === undefined ? undefined : seen.get(key);
        if (u === undefined) {
          u = firsts.length;
          firsts.push(k);
          counts.push(0);
          if (key !== undefined) seen.set(key, u);
        }
        counts[u]!++;
        if (idx instanceof BigInt64Array) idx[k] = BigInt(u);
        else idx[k] = u;
      }
    };
    // A map lookup, and a key string for a slice of several elements, cost tens of element visits.
    passes.push({ n: mid, run: find, cost: outer * inner * (outer * inner === 1 ? 16 : 64) });
  }
  let y: Indexable | undefined;
  const yShape = () => shape.map((d, i) => (i === axis ? firsts.length : d));
  const allocY = () => {
    y ??= allocIndexable(x.dtype, outer * firsts.length * inner, yShape());
    return y;
  };
  const src = storage(x);
  const copy = (start: number, end: number) => {
    const out = allocY();
    const m = firsts.length;
    for (let u = start; u < Math.min(end, m); u++) {
      const k = firsts[u]!;
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) out[(o * m + u) * inner + i] = src[(o * mid + k) * inner + i];
      }
    }
  };
  passes.push({ n: mid, run: copy, cost: Math.max(1, outer * inner) });
  const result = () => [
    new Tensor(x.dtype, yShape(), allocY() as unknown as Tensor["data"]),
    new Tensor(outIdx, [mid], idx),
    intVector(outIdx, counts),
  ];
  return { passes, result };
}

/** The KernelConfig of one of the four Unique ops. */
export function uniqueOpConfig(name: string, withAxis: boolean, withCounts: boolean): KernelConfig {
  return {
    op: {
      name,
      inputs: withAxis ? ["x: T", "axis: Taxis"] : ["x: T"],
      outputs: withCounts ? ["y: T", "idx: out_idx", "count: out_idx"] : ["y: T", "idx: out_idx"],
      attrs: withAxis
        ? ["T: type", "Taxis: {int32, int64} = DT_INT64", "out_idx: {int32, int64} = DT_INT32"]
        : ["T: type", "out_idx: {int32, int64} = DT_INT32"],
    },
    kernel: cpuKernel(name, (c) => {
      checkTypeConstraint(c, "T", UNIQUE_TYPES);
      const outIdx = getAttrType(c.attrs, "out_idx");
      return {
        compute(ctx: OpKernelContext) {
          const job = uniqueJob(ctx.input(0), withAxis ? ctx.input(1) : undefined, outIdx);
          // Unique and UniqueV2 have no count output.
          const outputs = withCounts ? job : { ...job, result: () => job.result().slice(0, 2) };
          return computeJobOutputs(ctx, outputs);
        },
      };
    }),
  };
}
