// TF's Complex (core/kernels/cwise_op_complex.cc): real + i·imag from two broadcasting real
// tensors (float -> complex64, double -> complex128).

import { broadcastShapes, broadcastStrides, forEachBroadcastRun } from "../framework/bcast.js";
import { allocData, Tensor } from "../framework/tensor.js";
import type { DataType } from "../framework/types.js";
import { checkComplexPair } from "./util/complex-parts.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export function complex(re: Tensor, im: Tensor, outDtype: DataType): Tensor {
  const shape = broadcastShapes(re.shape, im.shape);
  const n = shape.reduce((a, b) => a * b, 1);
  const out = allocData(outDtype, n, shape) as Float32Array | Float64Array;
  const a = re.data as Float32Array | Float64Array;
  const b = im.data as Float32Array | Float64Array;
  const as = broadcastStrides(re.shape, shape);
  const bs = broadcastStrides(im.shape, shape);
  forEachBroadcastRun(shape, as, bs, (o, ai, bi, count, aStep, bStep) => {
    for (let j = 0; j < count; j++) {
      out[2 * (o + j)] = a[ai + j * aStep]!;
      out[2 * (o + j) + 1] = b[bi + j * bStep]!;
    }
  });
  return new Tensor(outDtype, shape, out);
}

export const complexConfig: KernelConfig = {
  op: {
    name: "Complex",
    inputs: ["real: T", "imag: T"],
    outputs: ["out: Tout"],
    attrs: ["T: {float, double} = DT_FLOAT", "Tout: {complex64, complex128} = DT_COMPLEX64"],
  },
  kernel: cpuKernel("Complex", (c) => {
    const outDtype = checkComplexPair(c, "Tout", "T");
    return { compute: (ctx) => ctx.setOutput(0, complex(ctx.input(0), ctx.input(1), outDtype)) };
  }),
};
