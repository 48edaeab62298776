// TF's MaxPool on CPU (core/kernels/maxpooling_op.cc): the maximum over each NHWC window (padding
// never wins), or over a depth window when ksize pools only the channels. NHWC only on CPU.

import { allocData, type NumericArray, type Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import {
  computeJob,
  decodedInput,
  type ElementJob,
  type ElementPass,
  encodedOutput,
  runWhole,
} from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { getPoolAttrs, maxPoolArgmaxRows, type PoolAttrs, poolGeometry } from "./util/pooling-util.js";
import { isHalfLike } from "./util/tensor-util.js";

export function maxPool(input: Tensor, a: PoolAttrs): Tensor {
  return runWhole(maxPoolJob(input, a));
}

/**
 * maxPool as an ElementJob (util/element-slices.ts): the argmax of each window in passes over whole
 * output rows (a window is always scanned by one call), then the outputs.
 */
export function maxPoolJob(input: Tensor, a: PoolAttrs): ElementJob<Tensor> {
  const g = poolGeometry(input.shape, a);
  const shape = [g.batch, g.outRows, g.outCols, g.outDepth];
  const n = g.batch * g.outRows * g.outCols * g.outDepth;
  const half = isHalfLike(input.dtype);
  const decoded = half ? decodedInput(input) : { data: input.data as NumericArray, passes: [] };
  const x = decoded.data as ArrayLike<number>;
  const out = allocData(half ? DataType.DT_FLOAT : input.dtype, n, shape) as unknown as NumericArray;
  if (half) allocData(input.dtype, n, shape); // budget in the dtype's own size
  const encoded = encodedOutput(input.dtype, shape, out);
  const passes: ElementPass[] = [...decoded.passes];
  if (g.depthWindow > 1) {
    const run = (s: number, e: number) => {
      for (let o = s; o < e; o++) {
        const base = o * g.depthWindow;
        let best = x[base]!;
        for (let k = 1; k < g.depthWindow; k++) if (best < x[base + k]!) best = x[base + k]!;
        out[o] = best;
      }
    };
    passes.push({ n, run, cost: g.depthWindow });
  } else {
    const arg = new Int32Array(n).fill(-1);
    passes.push({
      n: g.batch * g.outRows,
      run: (s, e) => maxPoolArgmaxRows(x, g, arg, s, e),
      cost: g.outCols * g.depth * g.windowRows * g.windowCols,
    });
    passes.push({
      n,
      run: (s, e) => {
        for (let o = s; o < e; o++) out[o] = x[arg[o]!]!;
      },
    });
  }
  return { passes: [...passes, ...encoded.passes], result: encoded.result };
}

export const MAX_POOL_TYPES = [
  T.half,
  T.bfloat16,
  T.float,
  T.double,
  T.int32,
  T.int64,
  T.uint8,
  T.int16,
  T.int8,
  T.uint16,
];

export const maxPoolConfig: KernelConfig = {
  op: {
    name: "MaxPool",
    inputs: ["input: T"],
    outputs: ["output: T"],
    // padding: {'SAME', 'VALID', 'EXPLICIT'}; data_format: {'NHWC', 'NCHW', 'NCHW_VECT_C'} (string
    // enums in TF, checked by getPoolAttrs).
    attrs: [
      "T: {half, bfloat16, float, double, int32, int64, uint8, int16, int8, uint16, qint8} = float",
      "ksize: list(int) >= 4",
      "strides: list(int) >= 4",
      "padding: {'SAME', 'VALID', 'EXPLICIT'}",
      "explicit_paddings: list(int) = []",
      "data_format: {'NHWC', 'NCHW', 'NCHW_VECT_C'} = 'NHWC'",
    ],
  },
  kernel: cpuKernel("MaxPool", (c) => {
    checkTypeConstraint(c, "T", MAX_POOL_TYPES);
    const a = getPoolAttrs(c, "MaxPoolingOp", ["SAME", "VALID", "EXPLICIT"], ["NHWC", "NCHW", "NCHW_VECT_C"]);
    return { compute: (ctx) => computeJob(ctx, maxPoolJob(ctx.input(0), a)) };
  }),
};
