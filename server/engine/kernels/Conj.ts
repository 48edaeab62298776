// TF's Conj (core/kernels/cwise_op_conj.cc): the complex conjugate re - i·im. TF also registers a
// DT_VARIANT kernel (conjugating tensors inside variants); tfgate has no variant tensors.

import { allocData, Tensor } from "../framework/tensor.js";
import { COMPLEX_TYPES, checkTypeConstraint, cpuKernel, type KernelConfig } from "./util/kernel-config.js";

export function conj(x: Tensor): Tensor {
  const a = x.data as Float32Array | Float64Array;
  const out = allocData(x.dtype, x.numElements, x.shape) as Float32Array | Float64Array;
  for (let i = 0; i < a.length; i += 2) {
    out[i] = a[i]!;
    out[i + 1] = -a[i + 1]!;
  }
  return new Tensor(x.dtype, x.shape, out);
}

export const conjConfig: KernelConfig = {
  op: {
    name: "Conj",
    inputs: ["input: T"],
    outputs: ["output: T"],
    attrs: ["T: {complex64, complex128, variant} = DT_COMPLEX64"],
  },
  kernel: cpuKernel("Conj", (c) => {
    checkTypeConstraint(c, "T", COMPLEX_TYPES);
    return { compute: (ctx) => ctx.setOutput(0, conj(ctx.input(0))) };
  }),
};
