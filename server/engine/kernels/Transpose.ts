// TF's Transpose (core/kernels/transpose_op.cc): output dimension i is input dimension perm[i].

import { stridesOf } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { computeJob, type ElementJob, runWhole, stridedCopyJob } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { readInts } from "./util/tensor-util.js";

export function transpose(x: Tensor, perm: readonly number[]): Tensor {
  return runWhole(transposeJob(x, perm));
}

/** transpose as an ElementJob (util/element-slices.ts): allocated now, copied whole or in slices. */
export function transposeJob(x: Tensor, perm: readonly number[]): ElementJob<Tensor> {
  const rank = x.rank;
  if (perm.length !== rank) {
    throw invalidArgument(
      `transpose expects a vector of size ${rank}. But input(1) is a vector of size ${perm.length}`,
    );
  }
  const seen = new Array<boolean>(rank).fill(false);
  for (const d of perm) {
    if (d < 0 || d >= rank) throw invalidArgument(`${d} is out of range [0 .. ${rank})`);
    seen[d] = true;
  }
  const missing = seen.indexOf(false);
  if (missing !== -1) throw invalidArgument(`${missing} is missing from {${perm.join(",")}}.`);
  const strides = stridesOf(x.shape);
  const shape = perm.map((d) => x.shape[d]!);
  return stridedCopyJob(
    x,
    perm.map((d) => strides[d]!),
    0,
    shape,
  );
}

export const transposeConfig: KernelConfig = {
  op: {
    name: "Transpose",
    inputs: ["x: T", "perm: Tperm"],
    outputs: ["y: T"],
    attrs: ["T: type", "Tperm: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("Transpose", () => ({
    compute(ctx) {
      const p = ctx.input(1);
      if (p.rank !== 1) throw invalidArgument(`perm must be rank 1, got shape ${shapeString(p.shape)}`);
      return computeJob(ctx, transposeJob(ctx.input(0), readInts(p)));
    },
  })),
};
