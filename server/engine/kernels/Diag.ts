// TF's Diag (core/kernels/diag_op.cc): a tensor of shape s + s with `diagonal` (shape s) on its
// diagonal and zeros elsewhere.

import { invalidArgument } from "../framework/errors.js";
import { allocData, numElements, Tensor } from "../framework/tensor.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { lanesOf, storage } from "./util/tensor-util.js";

export const DIAG_TYPES = "T: {bfloat16, half, float, double, int32, int64, complex64, complex128}";

export function diag(d: Tensor): Tensor {
  if (d.rank < 1) throw invalidArgument(`Input must be at least rank 1, got 0`);
  const shape = [...d.shape, ...d.shape];
  const n = d.numElements;
  const data = allocData(d.dtype, numElements(shape), shape);
  const dst = data as unknown as { [i: number]: unknown };
  const src = storage(d);
  const lanes = lanesOf(d.dtype);
  for (let i = 0; i < n; i++)
    for (let l = 0; l < lanes; l++) dst[(i * n + i) * lanes + l] = src[i * lanes + l];
  return new Tensor(d.dtype, shape, data);
}

export const diagConfig: KernelConfig = {
  op: { name: "Diag", inputs: ["diagonal: T"], outputs: ["output: T"], attrs: [DIAG_TYPES] },
  kernel: simpleKernel("Diag", (ctx) => ctx.setOutput(0, diag(ctx.input(0)))),
};
