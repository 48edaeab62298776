// TF's ConjugateTranspose (core/kernels/transpose_op.cc): Transpose, then the complex conjugate
// for complex dtypes (other dtypes are just transposed).

import { invalidArgument } from "../framework/errors.js";
import { shapeString } from "../framework/tensor.js";
import { conj } from "./Conj.js";
import { transpose } from "./Transpose.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { lanesOf, readInts } from "./util/tensor-util.js";

export const conjugateTransposeConfig: KernelConfig = {
  op: {
    name: "ConjugateTranspose",
    inputs: ["x: T", "perm: Tperm"],
    outputs: ["y: T"],
    attrs: ["T: type", "Tperm: {int32, int64} = DT_INT32"],
  },
  kernel: simpleKernel("ConjugateTranspose", (ctx) => {
    const p = ctx.input(1);
    if (p.rank !== 1) throw invalidArgument(`perm must be rank 1, got shape ${shapeString(p.shape)}`);
    const y = transpose(ctx.input(0), readInts(p));
    ctx.setOutput(0, lanesOf(y.dtype) === 2 ? conj(y) : y);
  }),
};
