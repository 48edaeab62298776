// TF's InTopKV2 (core/kernels/in_topk_op.cc): whether each row's target class is among its k
// largest predictions, i.e. fewer than k classes score strictly higher. A target out of range or
// any non-finite prediction in the row gives false.

import { invalidArgument } from "../framework/errors.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { readInts } from "./util/tensor-util.js";

export function inTopK(predictions: Tensor, targets: Tensor, kT: Tensor): Tensor {
  if (kT.rank !== 0) throw invalidArgument(`k must be 0-D, got shape ${shapeString(kT.shape)}`);
  if (predictions.rank !== 2) throw invalidArgument("predictions must be 2-dimensional");
  if (targets.rank !== 1) throw invalidArgument("targets must be 1-dimensional");
  const [batch, classes] = predictions.shape as [number, number];
  if (batch !== targets.shape[0]) {
    throw invalidArgument(
      `First dimension of predictions ${batch} must match length of targets ${targets.shape[0]}`,
    );
  }
  const k = readInts(kT)[0]!;
  const p = predictions.data as Float32Array;
  const t = readInts(targets);
  const out = allocData(DataType.DT_BOOL, batch, [batch]) as Uint8Array;
  for (let b = 0; b < batch; b++) {
    const target = t[b]!;
    const row = b * classes;
    if (target < 0 || target >= classes || !Number.isFinite(p[row + target]!)) continue;
    const tp = p[row + target]!;
    let higher = 0;
    let cannotSay = false;
    for (let i = 0; i < classes; i++) {
      const v = p[row + i]!;
      if (!Number.isFinite(v)) {
        cannotSay = true;
        break;
      }
      if (v > tp && ++higher > k) break;
    }
    out[b] = !cannotSay && higher < k ? 1 : 0;
  }
  return new Tensor(DataType.DT_BOOL, [batch], out);
}

export const inTopKV2Config: KernelConfig = {
  op: {
    name: "InTopKV2",
    inputs: ["predictions: float", "targets: T", "k: T"],
    outputs: ["precision: bool"],
    attrs: ["T: {int32, int64} = DT_INT32"],
  },
  kernel: simpleKernel("InTopKV2", (ctx) =>
    ctx.setOutput(0, inTopK(ctx.input(0), ctx.input(1), ctx.input(2))),
  ),
};
