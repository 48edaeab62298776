// TF's ApplyFtrl and ResourceApplyFtrl (core/kernels/training_ops.cc, functors ApplyFtrl and
// ApplyFtrlMultiplyLinearByLr), with p = -lr_power (sqrt when lr_power = -0.5):
//   new_accum = accum + grad²
//   linear += grad - (new_accum^p - accum^p) / lr * var
//   var = |linear| > l1 ? (l1 * sign(linear) - linear) / (new_accum^p / lr + 2 * l2) : 0
//   accum = new_accum
// multiply_linear_by_lr keeps linear scaled by lr (linear += grad * lr - (…) * var, thresholds
// l1 * lr, denominator new_accum^p + 2 * l2 * lr). ApplyFtrlV2.ts adds l2_shrinkage.

import type { Check, Round, UpdateArgs } from "./util/training-op-helpers.js";
import { applyConfigs } from "./util/training-op-helpers.js";

export interface FtrlOptions {
  readonly multiplyLinearByLr: boolean;
  /** ApplyFtrlV2's l2_shrinkage (grad + 2 * l2_shrinkage * var replaces grad in linear's update). */
  readonly l2Shrinkage?: number;
}

/** One FTRL step over every element (shared by ApplyFtrl and ApplyFtrlV2). */
export function ftrlUpdate(u: UpdateArgs, o: FtrlOptions): void {
  const { n, vars, grad, s, r } = u;
  const [w, accum, linear] = vars as [Float64Array, Float64Array, Float64Array];
  const { lr, l1, l2, lr_power: lrPower } = s as Record<string, number>;
  const p = r(-lrPower!);
  const pow: Round = lrPower === -0.5 ? (x) => r(Math.sqrt(x)) : (x) => r(x ** p);
  const mul = o.multiplyLinearByLr;
  const l1t = mul ? r(l1! * lr!) : l1!;
  const twoL2 = mul ? r(r(2 * l2!) * lr!) : r(2 * l2!);
  for (let i = 0; i < n; i++) {
    const g = grad[i]!;
    const gs = o.l2Shrinkage === undefined ? g : r(g + r(r(2 * o.l2Shrinkage) * w[i]!));
    const a = accum[i]!;
    const newAccum = r(a + r(g * g));
    const dPow = r(pow(newAccum) - pow(a));
    const lin = mul
      ? r(linear[i]! + r(r(gs * lr!) - r(dPow * w[i]!)))
      : r(linear[i]! + r(gs - r(r(dPow / lr!) * w[i]!)));
    linear[i] = lin;
    const x = r(r(l1t * Math.sign(lin)) - lin);
    const y = mul ? r(pow(newAccum) + twoL2) : r(r(pow(newAccum) / lr!) + twoL2);
    w[i] = Math.abs(lin) > l1t ? r(x / y) : 0;
    accum[i] = newAccum;
  }
}

/** ApplyFtrlOp's validation order and texts (lr_power's has no ": ", as in TF). */
export const FTRL_CHECKS: readonly Check[] = [
  "same:accum",
  "same:linear",
  "same:grad",
  "scalar:lr",
  "scalar:l1",
  "scalar:l2",
  "scalar:lr_power",
];
export const FTRL_SCALAR_MESSAGES = {
  l1: "l1 regularization strength is not a scalar: ",
  l2: "l2 regularization strength is not a scalar: ",
  lr_power: "lr_power is not a scalar",
  l2_shrinkage: "l2 shrinkage regularization strength is not a scalar: ",
};

const configs = applyConfigs({
  name: "Ftrl",
  vars: ["var", "accum", "linear"],
  inputs: ["grad", "lr", "l1", "l2", "lr_power"],
  boolAttrs: ["multiply_linear_by_lr: bool = false"],
  checks: FTRL_CHECKS,
  scalarMessages: FTRL_SCALAR_MESSAGES,
  update: (u) => ftrlUpdate(u, { multiplyLinearByLr: u.attrs.multiply_linear_by_lr ?? false }),
});

export const applyFtrlConfig = configs.ref;
export const resourceApplyFtrlConfig = configs.resource;
