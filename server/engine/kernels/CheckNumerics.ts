// TF's CheckNumerics (core/kernels/check_numerics_op.cc): forwards the tensor, or fails with
// INVALID_ARGUMENT "<message> : Tensor had NaN values" (Inf, "Inf and NaN") when it has any.

import { invalidArgument } from "../framework/errors.js";
import { getAttrString } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { numericData } from "./util/tensor-util.js";

export function checkNumerics(t: Tensor, message: string): Tensor {
  let nan = false;
  let inf = false;
  for (const v of numericData(t)) {
    if (Number.isNaN(v)) nan = true;
    else if (v === Infinity || v === -Infinity) inf = true;
  }
  const status = inf && nan ? "Inf and NaN" : inf ? "Inf" : nan ? "NaN" : "";
  if (status) throw invalidArgument(`${message} : Tensor had ${status} values`);
  return t;
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
    return { compute: (ctx) => ctx.setOutput(0, checkNumerics(ctx.input(0), message)) };
  }),
};
