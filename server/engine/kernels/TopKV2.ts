// TF's TopKV2 (core/kernels/topk_op.cc): the k largest entries of each last-dimension row and
// their indices; ties keep the lower index first (TF's stable order).

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import type { KernelSlices, OpKernelContext } from "../framework/op-kernel.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import type { DataType } from "../framework/types.js";
import { computeJobOutputs, decodedInput, type ElementJob, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { type Indexable, scalarValue, storage } from "./util/tensor-util.js";

export function topK(input: Tensor, k: number, indexType: DataType): [Tensor, Tensor] {
  const [values, indices] = runWhole(topKJob(input, k, indexType));
  return [values!, indices!];
}

/**
 * topK as an ElementJob (util/element-slices.ts): one pass over the rows, each sorted whole, so a
 * range of rows gives each row exactly the order it gets in one run. half/bfloat16 rows are sorted
 * on their decoded values (a pass of its own) and the values copied from the raw input.
 */
export function topKJob(input: Tensor, k: number, indexType: DataType): ElementJob<Tensor[]> {
  if (k < 0) throw invalidArgument(`Need k >= 0, got ${k}`);
  if (input.rank < 1 || input.shape[input.rank - 1]! < k) {
    throw invalidArgument(
      `input must have at least k columns. Had ${input.rank < 1 ? 0 : input.shape[input.rank - 1]}, needed ${k}`,
    );
  }
  const cols = input.shape[input.rank - 1]!;
  const rows = cols === 0 ? 0 : input.numElements / cols;
  const shape = [...input.shape.slice(0, -1), k];
  const values = allocData(input.dtype, rows * k, shape);
  const indices = allocData(indexType, rows * k, shape);
  const raw = storage(input);
  const decoded = decodedInput(input);
  const src = decoded.data as unknown as Indexable;
  const dst = values as unknown as { [i: number]: unknown };
  const key = (i: number) => src[i] as number | bigint;
  const order = new Array<number>(cols);
  const sortRows = (start: number, end: number) => {
    for (let r = start; r < end; r++) {
      for (let j = 0; j < cols; j++) order[j] = j;
      const base = r * cols;
      order.sort((a, b) => {
        const x = key(base + a);
        const y = key(base + b);
        if (x > y) return -1;
        if (x < y) return 1;
        // NaN sorts as the largest value (std::greater with NaN handling in TF's comparator).
        const xn = typeof x === "number" && Number.isNaN(x);
        const yn = typeof y === "number" && Number.isNaN(y);
        if (xn !== yn) return xn ? -1 : 1;
        return a - b;
      });
      for (let j = 0; j < k; j++) {
        dst[r * k + j] = raw[base + order[j]!];
        if (indices instanceof BigInt64Array) indices[r * k + j] = BigInt(order[j]!);
        else (indices as Int32Array)[r * k + j] = order[j]!;
      }
    }
  };
  // k = 0 selects nothing: no row needs its order.
  const sortPass = { n: k === 0 ? 0 : rows, run: sortRows, cost: sortCost(cols) };
  return {
    passes: [...decoded.passes, sortPass],
    result: () => [new Tensor(input.dtype, shape, values), new Tensor(indexType, shape, indices)],
  };
}

/**
 * Work of sorting one row of `cols`, in plain element visits: ~cols·log2(cols) comparator calls,
 * each about 10 element visits on the test machine.
 */
function sortCost(cols: number): number {
  return Math.max(1, cols * Math.log2(Math.max(2, cols)) * 10);
}

function compute(ctx: OpKernelContext, indexType: DataType): undefined | KernelSlices {
  const k = ctx.input(1);
  if (k.rank !== 0) throw invalidArgument(`k must be 0-D, got shape ${shapeString(k.shape)}`);
  return computeJobOutputs(ctx, topKJob(ctx.input(0), scalarValue(k), indexType));
}

export const topKV2Config: KernelConfig = {
  op: {
    name: "TopKV2",
    inputs: ["input: T", "k: Tk"],
    outputs: ["values: T", "indices: index_type"],
    attrs: [
      "sorted: bool = true",
      "T: realnumbertype",
      "Tk: {int16, int32, int64} = DT_INT32",
      "index_type: {int16, int32, int64} = DT_INT32",
    ],
  },
  kernel: cpuKernel("TopKV2", (c) => {
    const indexType = getAttrType(c.attrs, "index_type");
    return { compute: (ctx) => compute(ctx, indexType) };
  }),
};
