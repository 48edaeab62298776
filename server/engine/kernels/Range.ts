// TF's Range (core/kernels/sequence_ops.cc): [start, start + delta, …) up to limit.

import { invalidArgument } from "../framework/errors.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
import { allocData, type NumericArray, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { computeJob, type ElementJob, encodedOutput, oneLoop, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { computeBuffer, scalarValue } from "./util/tensor-util.js";

/** A number as TF's messages print it (nan, inf). */
function tfNumber(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  return String(v);
}

export function range(start: number, limit: number, delta: number, dtype: DataType): Tensor {
  return runWhole(rangeJob(start, limit, delta, dtype));
}

/**
 * range as an ElementJob (util/element-slices.ts), checked and allocated now. The float values
 * are a running sum, as TF adds delta to the previous value; the sum carries from one range to
 * the next (ranges run in order), so every value is the one a whole run computes.
 */
export function rangeJob(start: number, limit: number, delta: number, dtype: DataType): ElementJob<Tensor> {
  if (delta === 0) throw invalidArgument(`Requires delta != 0: ${tfNumber(delta)}`);
  // Written as TF's checks are (a failed `<=`), so NaN and infinite bounds fail here too.
  if (delta > 0) {
    if (!(start <= limit)) {
      throw invalidArgument(`Requires start <= limit when delta > 0: ${tfNumber(start)}/${tfNumber(limit)}`);
    }
  } else if (!(start >= limit)) {
    throw invalidArgument(`Requires start >= limit when delta < 0: ${tfNumber(start)}/${tfNumber(limit)}`);
  }
  const isInt = dtype === DataType.DT_INT32 || dtype === DataType.DT_INT64;
  const size = isInt
    ? Math.ceil(Math.abs(limit - start) / Math.abs(delta))
    : Math.ceil(Math.abs((limit - start) / delta));
  if (!(size <= 2 ** 63 - 1)) {
    throw invalidArgument("Requires ((limit - start) / delta) <= 9223372036854775807");
  }
  if (dtype === DataType.DT_INT64) {
    const out = allocData(dtype, size, [size]) as BigInt64Array;
    const run = (s: number, e: number) => {
      for (let i = s; i < e; i++) out[i] = BigInt(start + i * delta);
    };
    // A BigInt per element: ~50 ns against ~2 for a plain loop's element.
    return oneLoop(size, run, () => new Tensor(dtype, [size], out), 25);
  }
  const out = computeBuffer(dtype, size, [size]);
  let v = start;
  const run = (s: number, e: number) => {
    for (let i = s; i < e; i++) {
      (out as Float64Array)[i] = v;
      v += delta;
    }
  };
  const encoded = encodedOutput(dtype, [size], out as NumericArray);
  return { passes: [{ n: size, run }, ...encoded.passes], result: encoded.result };
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
  kernel: cpuKernel("Range", () => ({ compute: computeRange })),
};

function computeRange(ctx: OpKernelContext): ReturnType<typeof computeJob> {
  const [s, l, d] = [ctx.input(0), ctx.input(1), ctx.input(2)];
  for (const [name, t] of [
    ["start", s],
    ["limit", l],
    ["delta", d],
  ] as const) {
    if (t.rank !== 0) throw invalidArgument(`${name} must be a scalar, not shape ${shapeString(t.shape)}`);
  }
  return computeJob(ctx, rangeJob(scalarValue(s), scalarValue(l), scalarValue(d), s.dtype));
}
