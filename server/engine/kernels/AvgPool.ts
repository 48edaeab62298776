// TF's AvgPool on CPU (core/kernels/avgpooling_op.cc): the mean over each NHWC window, counting only
// the input elements inside it (padding is excluded from the divisor). NHWC and spatial windows only.

import { invalidArgument, unimplemented } from "../framework/errors.js";
import type { OpKernelConstruction } from "../framework/op-kernel.js";
import type { NumericArray, Tensor } from "../framework/tensor.js";
import { computeJob, decodedInput, type ElementJob, encodedOutput, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { getPoolAttrs, type PoolAttrs, type PoolGeometry, poolGeometry } from "./util/pooling-util.js";
import { computeBuffer } from "./util/tensor-util.js";

export function avgPool(value: Tensor, a: PoolAttrs): Tensor {
  return runWhole(avgPoolJob(value, a));
}

/**
 * avgPool as an ElementJob (util/element-slices.ts): a pass over whole output rows (each window
 * summed by one call in its order), after the half/bfloat16 decoding and before the encoding.
 */
export function avgPoolJob(value: Tensor, a: PoolAttrs): ElementJob<Tensor> {
  const g = avgPoolGeometry(value.shape, a);
  const shape = [g.batch, g.outRows, g.outCols, g.depth];
  const input = decodedInput(value);
  const x = input.data;
  const out = computeBuffer(value.dtype, g.batch * g.outRows * g.outCols * g.depth, shape) as NumericArray;
  const encoded = encodedOutput(value.dtype, shape, out);
  const acc = new Float64Array(g.depth);
  const rows = (r0: number, r1: number) => {
    for (let r = r0; r < r1; r++) {
      const b = Math.floor(r / g.outRows);
      const oh = r - b * g.outRows;
      const h0 = Math.max(0, oh * g.strideRows - g.padTop);
      const h1 = Math.min(g.inRows, oh * g.strideRows - g.padTop + g.windowRows);
      for (let ow = 0; ow < g.outCols; ow++) {
        const w0 = Math.max(0, ow * g.strideCols - g.padLeft);
        const w1 = Math.min(g.inCols, ow * g.strideCols - g.padLeft + g.windowCols);
        acc.fill(0);
        for (let h = h0; h < h1; h++) {
          for (let w = w0; w < w1; w++) {
            const i = ((b * g.inRows + h) * g.inCols + w) * g.depth;
            for (let d = 0; d < g.depth; d++) acc[d]! += x[i + d]!;
          }
        }
        const count = (h1 - h0) * (w1 - w0);
        const o = ((b * g.outRows + oh) * g.outCols + ow) * g.depth;
        for (let d = 0; d < g.depth; d++) out[o + d] = acc[d]! / count;
      }
    }
  };
  const pass = { n: g.batch * g.outRows, run: rows, cost: g.outCols * g.depth * g.windowRows * g.windowCols };
  return { passes: [...input.passes, pass, ...encoded.passes], result: encoded.result };
}

/** PoolParameters plus AvgPool's "spatial only" rule. */
export function avgPoolGeometry(shape: readonly number[], a: PoolAttrs): PoolGeometry {
  const g = poolGeometry(shape, a);
  if (g.depthWindow !== 1) throw unimplemented("Non-spatial pooling is not yet supported. Volunteers? :)");
  return g;
}

/** AvgPool's and AvgPoolGrad's attrs (SAME/VALID only; positive ksize checked at construction). */
export function getAvgPoolAttrs(c: OpKernelConstruction, cpuName: string): PoolAttrs {
  const a = getPoolAttrs(c, cpuName, ["SAME", "VALID"]);
  for (const k of a.ksize)
    if (k <= 0) throw invalidArgument(`ksize must be a positive int32 value, got:${k}`);
  return a;
}

export const avgPoolConfig: KernelConfig = {
  op: {
    name: "AvgPool",
    inputs: ["value: T"],
    outputs: ["output: T"],
    // padding: {'SAME', 'VALID'}; data_format: {'NHWC', 'NCHW'} (string enums in TF).
    attrs: [
      "ksize: list(int) >= 4",
      "strides: list(int) >= 4",
      "padding: {'SAME', 'VALID'}",
      "data_format: {'NHWC', 'NCHW'} = 'NHWC'",
      "T: {half, bfloat16, float, double}",
    ],
  },
  kernel: cpuKernel("AvgPool", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    const a = getAvgPoolAttrs(c, "AvgPoolingOp");
    return { compute: (ctx) => computeJob(ctx, avgPoolJob(ctx.input(0), a)) };
  }),
};
