// TF's DiagPart (core/kernels/diag_op.cc): the diagonal of a tensor of shape s + s.

import { invalidArgument } from "../framework/errors.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { DIAG_TYPES } from "./Diag.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { lanesOf, storage } from "./util/tensor-util.js";

export function diagPart(t: Tensor): Tensor {
  const rank = t.rank;
  if (rank === 0 || rank % 2 !== 0) {
    // TF's message has a run of spaces from a C++ string continuation; kept so it is searchable.
    throw invalidArgument(
      `The rank of the tensor should be${" ".repeat(42)}even and positive, got shape ${shapeString(t.shape)}`,
    );
  }
  const half = rank / 2;
  for (let i = 0; i < half; i++) {
    if (t.shape[i] !== t.shape[i + half]) {
      throw invalidArgument(
        `Invalid shape ${shapeString(t.shape)}: dimensions ${i} and ${i + half} do not match.`,
      );
    }
  }
  const shape = t.shape.slice(0, half);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = allocData(t.dtype, n, shape);
  const dst = data as unknown as { [i: number]: unknown };
  const src = storage(t);
  const lanes = lanesOf(t.dtype);
  for (let i = 0; i < n; i++)
    for (let l = 0; l < lanes; l++) dst[i * lanes + l] = src[(i * n + i) * lanes + l];
  return new Tensor(t.dtype, shape, data);
}

export const diagPartConfig: KernelConfig = {
  op: { name: "DiagPart", inputs: ["input: T"], outputs: ["diagonal: T"], attrs: [DIAG_TYPES] },
  kernel: simpleKernel("DiagPart", (ctx) => ctx.setOutput(0, diagPart(ctx.input(0)))),
};
