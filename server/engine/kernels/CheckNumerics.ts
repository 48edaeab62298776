// TF's CheckNumerics (core/kernels/check_numerics_op.cc): forwards the tensor, or fails with
// INVALID_ARGUMENT "<message> : Tensor had NaN values" (Inf, "Inf and NaN") when it has any.

import { invalidArgument } from "../framework/errors.js";
import { getAttrString } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import { computeJob, decodedInput, type ElementJob, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";

export function checkNumerics(t: Tensor, message: string): Tensor {
  return runWhole(checkNumericsJob(t, message));
}

/**
 * checkNumerics as an ElementJob (util/element-slices.ts): a pass noting NaNs and infinities; the
 * job's result is t, or the error when it held any (so a sliced run fails after its last slice).
 */
export function checkNumericsJob(t: Tensor, message: string): ElementJob<Tensor> {
  let nan = false;
  let inf = false;
  const input = decodedInput(t);
  const x = input.data;
  const scan = (s: number, e: number) => {
    for (let i = s; i < e; i++) {
      const v = x[i]!;
      if (Number.isNaN(v)) nan = true;
      else if (v === Infinity || v === -Infinity) inf = true;
    }
  };
  const result = () => {
    const status = inf && nan ? "Inf and NaN" : inf ? "Inf" : nan ? "NaN" : "";
    if (status) throw invalidArgument(`${message} : Tensor had ${status} values`);
    return t;
  };
  return { passes: [...input.passes, { n: x.length, run: scan }], result };
}

export const checkNumericsConfig: KernelConfig = {
  op: {
    name: "CheckNumerics",
    inputs: ["tensor: T"],
    outputs: ["output: T"],
    attrs: ["T: {bfloat16, half, float, double}", "message: string"],
    isStateful: true,
  },
  kernel: cpuKernel("CheckNumerics", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    const message = getAttrString(c.attrs, "message");
    return { compute: (ctx) => computeJob(ctx, checkNumericsJob(ctx.input(0), message)) };
  }),
};
