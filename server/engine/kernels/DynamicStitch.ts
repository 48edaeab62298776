// TF's DynamicStitch (core/kernels/dynamic_stitch_op.cc): merged[indices[m][i], …] = data[m][i, …].
// The first dimension of merged is max(indices) + 1; later inputs win on duplicate indices; rows no
// index names stay zero. tf.gradients emits it for the gradients of reductions and of Gather-like
// ops; ParallelDynamicStitch.ts shares this implementation. Over large tensors the copy runs in
// slices (docs/architecture.md, "Long kernels in slices").

import { invalidArgument } from "../framework/errors.js";
import { getAttrInt } from "../framework/op-def.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { computeJob, type ElementJob, type ElementPass, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { allocIndexable, type Indexable, lanesOf, storage } from "./util/tensor-util.js";

function startsWith(shape: readonly number[], prefix: readonly number[]): boolean {
  return prefix.length <= shape.length && prefix.every((d, i) => shape[i] === d);
}

export function dynamicStitch(indices: readonly Tensor[], data: readonly Tensor[]): Tensor {
  return runWhole(dynamicStitchJob(indices, data));
}

/**
 * dynamicStitch as an ElementJob (util/element-slices.ts): shapes and every index checked and the
 * output allocated now, the rows copied by one pass.
 */
export function dynamicStitchJob(indices: readonly Tensor[], data: readonly Tensor[]): ElementJob<Tensor> {
  let maxIndex = -1;
  for (const t of indices) for (const v of t.data as Int32Array) if (v > maxIndex) maxIndex = v;
  const firstDim = maxIndex + 1;
  const data0 = data[0]!;
  const indices0 = indices[0]!;
  const extra0 = data0.shape.slice(indices0.rank);
  for (let m = 0; m < indices.length; m++) {
    const ind = indices[m]!;
    const d = data[m]!;
    if (!startsWith(d.shape, ind.shape)) {
      throw invalidArgument(
        `data[${m}].shape = ${shapeString(d.shape)} does not start with indices[${m}].shape = ${shapeString(ind.shape)}`,
      );
    }
    if (m > 0 && shapeString(d.shape.slice(ind.rank)) !== shapeString(extra0)) {
      throw invalidArgument(
        `Need data[0].shape[${indices0.rank}:] = data[${m}].shape[${ind.rank}:], got data[0].shape = ` +
          `${shapeString(data0.shape)}, data[${m}].shape = ${shapeString(d.shape)}, indices[0].shape = ` +
          `${shapeString(indices0.shape)}, indices[${m}].shape = ${shapeString(ind.shape)}`,
      );
    }
  }
  const outShape = [firstDim, ...extra0];
  let slice = 1;
  for (const d of extra0) slice *= d;
  const lanes = lanesOf(data0.dtype);
  const out = allocIndexable(data0.dtype, firstDim * slice, outShape);
  // Every index is checked before anything is copied, in the order of the copy.
  for (const t of indices) {
    const idx = t.data as Int32Array;
    for (let i = 0; i < idx.length; i++) {
      const k = idx[i]!;
      if (k < 0 || k >= firstDim) throw invalidArgument(`indices[${i}] is out of range`);
    }
  }
  const pass = stitchPass(indices, data, out, slice * lanes);
  const result = () => new Tensor(data0.dtype, outShape, out as unknown as Tensor["data"]);
  return { passes: [pass], result };
}

/**
 * The pass copying row i of data[m] to out row indices[m][i], for m and then i in order over any
 * range of the rows' values: a later row named by the same index overwrites an earlier one, as in
 * one run.
 */
function stitchPass(
  indices: readonly Tensor[],
  data: readonly Tensor[],
  out: Indexable,
  width: number,
): ElementPass {
  const firstRow: number[] = [];
  let rows = 0;
  for (const t of indices) {
    firstRow.push(rows);
    rows += t.numElements;
  }
  const run = (start: number, end: number) => {
    let m = 0;
    for (let i = start; i < end; ) {
      const r = Math.floor(i / width);
      while (r >= firstRow[m]! + indices[m]!.numElements) m++;
      const k0 = i - r * width;
      const k1 = Math.min(width, k0 + (end - i));
      const row = r - firstRow[m]!;
      const [to, from] = [(indices[m]!.data as Int32Array)[row]! * width, row * width];
      const src = storage(data[m]!);
      for (let k = k0; k < k1; k++) out[to + k] = src[from + k];
      i += k1 - k0;
    }
  };
  return { n: rows * width, run };
}

/** Both ops' REGISTER_OP + kernel. */
export function stitchConfig(name: string): KernelConfig {
  return {
    op: {
      name,
      inputs: ["indices: N * int32", "data: N * T"],
      outputs: ["merged: T"],
      attrs: ["N: int >= 1", "T: type"],
    },
    kernel: cpuKernel(name, (c) => {
      const n = getAttrInt(c.attrs, "N");
      return {
        compute(ctx: OpKernelContext) {
          const inputs = (from: number) => Array.from({ length: n }, (_, i) => ctx.input(from + i));
          return computeJob(ctx, dynamicStitchJob(inputs(0), inputs(n)));
        },
      };
    }),
  };
}

export const dynamicStitchConfig = stitchConfig("DynamicStitch");
