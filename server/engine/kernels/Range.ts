// TF's Range (core/kernels/sequence_ops.cc): [start, start + delta, …) up to limit.

import { invalidArgument } from "../framework/errors.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { computeBuffer, finish, scalarValue } from "./util/tensor-util.js";

export function range(start: number, limit: number, delta: number, dtype: DataType): Tensor {
  if (delta === 0) throw invalidArgument(`Requires delta != 0: ${delta}`);
  if (delta > 0 && start > limit)
    throw invalidArgument(`Requires start <= limit when delta > 0: ${start}/${limit}`);
  if (delta < 0 && start < limit)
    throw invalidArgument(`Requires start >= limit when delta < 0: ${start}/${limit}`);
  const isInt = dtype === DataType.DT_INT32 || dtype === DataType.DT_INT64;
  const size = isInt
    ? Math.ceil(Math.abs(limit - start) / Math.abs(delta))
    : Math.ceil(Math.abs((limit - start) / delta));
  if (dtype === DataType.DT_INT64) {
    const out = allocData(dtype, size, [size]) as BigInt64Array;
    for (let i = 0; i < size; i++) out[i] = BigInt(start + i * delta);
    return new Tensor(dtype, [size], out);
  }
  const out = computeBuffer(dtype, size, [size]);
  let v = start;
  for (let i = 0; i < size; i++) {
    (out as Float64Array)[i] = v;
    v += delta;
  }
  return finish(dtype, [size], out);
}

export const rangeConfig: KernelConfig = {
  op: {
    name: "Range",
    inputs: ["start: Tidx", "limit: Tidx", "delta: Tidx"],
    outputs: ["output: Tidx"],
    attrs: [
      "Tidx: {bfloat16, half, float, double, int8, int16, int32, int64, uint16, uint32, uint64} = DT_INT32",
    ],
  },
  kernel: simpleKernel("Range", (ctx) => {
    const [s, l, d] = [ctx.input(0), ctx.input(1), ctx.input(2)];
    for (const [name, t] of [
      ["start", s],
      ["limit", l],
      ["delta", d],
    ] as const) {
      if (t.rank !== 0) throw invalidArgument(`${name} must be a scalar, not shape ${shapeString(t.shape)}`);
    }
    ctx.setOutput(0, range(scalarValue(s), scalarValue(l), scalarValue(d), s.dtype));
  }),
};
