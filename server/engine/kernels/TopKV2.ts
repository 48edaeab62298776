// TF's TopKV2 (core/kernels/topk_op.cc): the k largest entries of each last-dimension row and
// their indices; ties keep the lower index first (TF's stable order).

import { invalidArgument } from "../framework/errors.js";
import { bfloat16ToFloat, halfToFloat } from "../framework/float16.js";
import { getAttrType } from "../framework/op-def.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { lanesOf, scalarValue, storage } from "./util/tensor-util.js";

export function topK(input: Tensor, k: number, indexType: DataType): [Tensor, Tensor] {
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
  const src = storage(input);
  const dst = values as unknown as { [i: number]: unknown };
  const lanes = lanesOf(input.dtype);
  const key = (i: number) => src[i] as number | bigint;
  const order = new Array<number>(cols);
  for (let r = 0; r < rows; r++) {
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
      const from = base + order[j]!;
      for (let l = 0; l < lanes; l++) dst[(r * k + j) * lanes + l] = src[from * lanes + l];
      if (indices instanceof BigInt64Array) indices[r * k + j] = BigInt(order[j]!);
      else (indices as Int32Array)[r * k + j] = order[j]!;
    }
  }
  return [new Tensor(input.dtype, shape, values), new Tensor(indexType, shape, indices)];
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
    return {
      compute(ctx) {
        const k = ctx.input(1);
        if (k.rank !== 0) throw invalidArgument(`k must be 0-D, got shape ${shapeString(k.shape)}`);
        const input = ctx.input(0);
        const sortable =
          input.dtype === DataType.DT_HALF || input.dtype === DataType.DT_BFLOAT16
            ? decodeHalfLike(input)
            : input;
        const [v, i] = topK(sortable, scalarValue(k), indexType);
        ctx.setOutput(0, sortable === input ? v : reencode(input, i));
        ctx.setOutput(1, i);
      },
    };
  }),
};

/** half/bfloat16 sort on decoded values; the result values are gathered from the raw input. */
function decodeHalfLike(t: Tensor): Tensor {
  const raw = t.data as Uint16Array;
  const f = new Float32Array(raw.length);
  const decode = t.dtype === DataType.DT_BFLOAT16 ? bfloat16ToFloat : halfToFloat;
  for (let i = 0; i < raw.length; i++) f[i] = decode(raw[i]!);
  return new Tensor(DataType.DT_FLOAT, t.shape, f);
}

function reencode(input: Tensor, indices: Tensor): Tensor {
  const cols = input.shape[input.rank - 1]!;
  const k = indices.shape[indices.rank - 1]!;
  const out = new Uint16Array(indices.numElements);
  const raw = input.data as Uint16Array;
  const idx = indices.data as unknown as { [i: number]: number | bigint };
  for (let i = 0; i < out.length; i++) out[i] = raw[Math.floor(i / k) * cols + Number(idx[i]!)]!;
  return new Tensor(input.dtype, indices.shape, out);
}
