// TF's ApplyProximalAdagrad and ResourceApplyProximalAdagrad (core/kernels/training_ops.cc):
//   accum += grad²
//   lr_t = lr / sqrt(accum), then ApplyProximalGradientDescent's proximal step with lr_t
// TF requires lr > 0, l1 >= 0 and l2 >= 0.

import { proximalStep } from "./ApplyProximalGradientDescent.js";
import { applyConfigs, type UpdateArgs } from "./util/training-op-helpers.js";

export function proximalAdagradUpdate({ n, vars, grad, s, r }: UpdateArgs): void {
  const [w, a] = vars as [Float64Array, Float64Array];
  const { lr, l1, l2 } = s as Record<string, number>;
  for (let i = 0; i < n; i++) {
    const g = grad[i]!;
    a[i] = r(a[i]! + r(g * g));
    proximalStep(w, grad, i, r(lr! * r(1 / Math.sqrt(a[i]!))), l1!, l2!, r);
  }
}

/** The proximal Adagrad kernels' scalar checks (shared with the sparse ops). */
export const PROXIMAL_ADAGRAD_MESSAGES = {
  lr: "lr is not a positive scalar: ",
  l1: "l1 regularization strength is not a non-negative scalar: ",
  l2: "l2 regularization strength is not a non-negative scalar: ",
};
export const PROXIMAL_ADAGRAD_CONDITIONS = {
  lr: (v: number) => v > 0,
  l1: (v: number) => v >= 0,
  l2: (v: number) => v >= 0,
};

const configs = applyConfigs({
  name: "ProximalAdagrad",
  vars: ["var", "accum"],
  inputs: ["lr", "l1", "l2", "grad"],
  checks: ["same:accum", "scalar:lr", "scalar:l1", "scalar:l2", "same:grad"],
  scalarMessages: PROXIMAL_ADAGRAD_MESSAGES,
  scalarConditions: PROXIMAL_ADAGRAD_CONDITIONS,
  update: proximalAdagradUpdate,
});

export const applyProximalAdagradConfig = configs.ref;
export const resourceApplyProximalAdagradConfig = configs.resource;
