// TF's MaxPool on CPU (core/kernels/maxpooling_op.cc): the maximum over each NHWC window (padding
// never wins), or over a depth window when ksize pools only the channels. NHWC only on CPU.

import { allocData, Tensor, type TensorData } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, T } from "./util/kernel-config.js";
import { getPoolAttrs, maxPoolArgmax, type PoolAttrs, poolGeometry } from "./util/pooling-util.js";
import { finish, isHalfLike, numericData } from "./util/tensor-util.js";

export function maxPool(input: Tensor, a: PoolAttrs): Tensor {
  const g = poolGeometry(input.shape, a);
  const shape = [g.batch, g.outRows, g.outCols, g.outDepth];
  const n = g.batch * g.outRows * g.outCols * g.outDepth;
  const half = isHalfLike(input.dtype);
  const x = (half ? numericData(input) : input.data) as ArrayLike<number>;
  const out = allocData(half ? DataType.DT_FLOAT : input.dtype, n, shape) as unknown as {
    [i: number]: unknown;
  };
  if (half) allocData(input.dtype, n, shape); // budget in the dtype's own size
  if (g.depthWindow > 1) {
    for (let o = 0; o < n; o++) {
      const base = o * g.depthWindow;
      let best = x[base]!;
      for (let k = 1; k < g.depthWindow; k++) if (best < x[base + k]!) best = x[base + k]!;
      out[o] = best;
    }
  } else {
    const arg = maxPoolArgmax(x, g);
    for (let o = 0; o < n; o++) out[o] = x[arg[o]!];
  }
  if (half) return finish(input.dtype, shape, out as unknown as Float32Array);
  return new Tensor(input.dtype, shape, out as unknown as TensorData);
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
    return { compute: (ctx) => ctx.setOutput(0, maxPool(ctx.input(0), a)) };
  }),
};
