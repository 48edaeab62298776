// TF's AvgPoolGrad on CPU (core/kernels/avgpooling_op.cc, AvgPoolingGradOp): spreads each gradient
// evenly over the input elements of its window, with TF's GetBroadcastSize window clipping.

import { invalidArgument } from "../framework/errors.js";
import { type NumericArray, shapeString, type Tensor } from "../framework/tensor.js";
import { avgPoolGeometry, getAvgPoolAttrs } from "./AvgPool.js";
import { makeShape } from "./util/conv-util.js";
import {
  computeJob,
  decodedInput,
  type ElementJob,
  type ElementPass,
  encodedOutput,
  runWhole,
} from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import type { PoolAttrs } from "./util/pooling-util.js";
import { computeBuffer, readInts } from "./util/tensor-util.js";

/** TF's GetBroadcastSize: the input range [start, start + size) an output index spreads to. */
function broadcastRange(
  index: number,
  inSize: number,
  ksize: number,
  stride: number,
  pad: number,
): [number, number] {
  let start = index * stride;
  let size = ksize;
  if (start < pad) {
    size = ksize + start - pad;
    start = 0;
  } else {
    start -= pad;
  }
  if (start + ksize > inSize) size = Math.min(inSize - start, ksize);
  return [start, size];
}

export function avgPoolGrad(origInputShape: Tensor, grad: Tensor, a: PoolAttrs): Tensor {
  return runWhole(avgPoolGradJob(origInputShape, grad, a));
}

/**
 * avgPoolGrad as an ElementJob (util/element-slices.ts): shapes checked now; the gradients spread
 * in a pass over whole rows of grad in row-major order, so every input element takes its shares in
 * the order of one run however the rows are cut; then the float64 sums stored.
 */
export function avgPoolGradJob(origInputShape: Tensor, grad: Tensor, a: PoolAttrs): ElementJob<Tensor> {
  if (origInputShape.rank !== 1 || origInputShape.numElements !== 4) {
    throw invalidArgument("out_backprop must be 1-dimensional and 4 elements");
  }
  if (grad.rank !== 4) throw invalidArgument("out_backprop must be 4-dimensional");
  const sizes = readInts(origInputShape);
  for (const d of sizes) if (d < 0) throw invalidArgument(`Expected a non-negative size, got ${d}`);
  const shape = makeShape(sizes);
  const g = avgPoolGeometry(shape, a);
  const [gb, gRows, gCols, gDepth] = grad.shape as [number, number, number, number];
  if (gb !== g.batch || gDepth !== g.depth) {
    throw invalidArgument(
      `Expected grad shape to be ${shapeString([g.batch, g.outRows, g.outCols, g.depth])}, but got ${shapeString(grad.shape)}`,
    );
  }
  const n = g.batch * g.inRows * g.inCols * g.depth;
  const dy = decodedInput(grad);
  const acc = new Float64Array(n);
  const out = computeBuffer(grad.dtype, n, shape) as NumericArray;
  const encoded = encodedOutput(grad.dtype, shape, out);
  // Row `row` of grad: image row / gRows, grad row row % gRows.
  const spread = (row0: number, row1: number) => {
    for (let row = row0; row < row1; row++) {
      const b = Math.floor(row / gRows);
      const [r0, rs] = broadcastRange(row - b * gRows, g.inRows, g.windowRows, g.strideRows, g.padTop);
      for (let c = 0; c < gCols; c++) {
        const [c0, cs] = broadcastRange(c, g.inCols, g.windowCols, g.strideCols, g.padLeft);
        if (rs <= 0 || cs <= 0) continue;
        const coeff = 1 / (rs * cs);
        const src = (row * gCols + c) * g.depth;
        for (let h = r0; h < r0 + rs; h++) {
          for (let w = c0; w < c0 + cs; w++) {
            const dst = ((b * g.inRows + h) * g.inCols + w) * g.depth;
            for (let d = 0; d < g.depth; d++) acc[dst + d]! += dy.data[src + d]! * coeff;
          }
        }
      }
    }
  };
  const store = (s: number, e: number) => {
    for (let i = s; i < e; i++) out[i] = acc[i]!;
  };
  const passes: ElementPass[] = [
    ...dy.passes,
    { n: gb * gRows, run: spread, cost: gCols * g.depth * g.windowRows * g.windowCols },
    { n, run: store },
    ...encoded.passes,
  ];
  return { passes, result: encoded.result };
}

export const avgPoolGradConfig: KernelConfig = {
  op: {
    name: "AvgPoolGrad",
    inputs: ["orig_input_shape: int32", "grad: T"],
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
  kernel: cpuKernel("AvgPoolGrad", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    const a = getAvgPoolAttrs(c, "AvgPoolingGradOp");
    return { compute: (ctx) => computeJob(ctx, avgPoolGradJob(ctx.input(0), ctx.input(1), a)) };
  }),
};
