// TF's InTopKV2 (core/kernels/in_topk_op.cc): whether each row's target class is among its k
// largest predictions, i.e. fewer than k classes score strictly higher. A target out of range or
// any non-finite prediction in the row gives false.

import { invalidArgument } from "../framework/errors.js";
import { allocData, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { computeJob, type ElementJob, rowPass, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { readInts } from "./util/tensor-util.js";

export function inTopK(predictions: Tensor, targets: Tensor, kT: Tensor): Tensor {
  return runWhole(inTopKJob(predictions, targets, kT));
}

/**
 * inTopK as an ElementJob (util/element-slices.ts): a pass over the predictions counting, per row,
 * the classes that score higher than the target's, in a slot per row (a range may end inside a
 * row); a row that cannot be in the top k (a bad target, a non-finite prediction, k reached) is
 * marked with an infinite count and skipped from then on. Then the verdicts, count < k.
 */
export function inTopKJob(predictions: Tensor, targets: Tensor, kT: Tensor): ElementJob<Tensor> {
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
  const higher = new Float64Array(batch);
  for (let b = 0; b < batch; b++) {
    const target = t[b]!;
    if (target < 0 || target >= classes || !Number.isFinite(p[b * classes + target]!)) {
      higher[b] = Number.POSITIVE_INFINITY;
    }
  }
  const countPass = rowPass(batch * classes, classes, (r, s, e) => {
    let h = higher[r]!;
    if (h > k) return;
    const tp = p[r * classes + t[r]!]!;
    for (let i = s; i < e; i++) {
      const v = p[i]!;
      if (!Number.isFinite(v)) {
        h = Number.POSITIVE_INFINITY;
        break;
      }
      if (v > tp && ++h > k) break;
    }
    higher[r] = h;
  });
  const verdictPass = {
    n: batch,
    run: (s: number, e: number) => {
      for (let b = s; b < e; b++) out[b] = higher[b]! < k ? 1 : 0;
    },
  };
  return { passes: [countPass, verdictPass], result: () => new Tensor(DataType.DT_BOOL, [batch], out) };
}

export const inTopKV2Config: KernelConfig = {
  op: {
    name: "InTopKV2",
    inputs: ["predictions: float", "targets: T", "k: T"],
    outputs: ["precision: bool"],
    attrs: ["T: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("InTopKV2", () => ({
    compute: (ctx) => computeJob(ctx, inTopKJob(ctx.input(0), ctx.input(1), ctx.input(2))),
  })),
};
