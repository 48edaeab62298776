// TF's ApplyAdagradV2 and ResourceApplyAdagradV2 (core/kernels/training_ops.cc):
//   accum += grad²                 (when update_slots)
//   var -= grad * lr / (sqrt(accum) + epsilon)

import { applyConfigs, type UpdateArgs } from "./util/training-op-helpers.js";

export function adagradV2Update({ n, vars, grad, s, attrs, r }: UpdateArgs): void {
  const [w, a] = vars as [Float64Array, Float64Array];
  const { lr, epsilon } = s as { lr: number; epsilon: number };
  for (let i = 0; i < n; i++) {
    const g = grad[i]!;
    if (attrs.update_slots) a[i] = r(a[i]! + r(g * g));
    w[i] = r(w[i]! - r(r(g * lr) / r(r(Math.sqrt(a[i]!)) + epsilon)));
  }
}

const configs = applyConfigs({
  name: "AdagradV2",
  vars: ["var", "accum"],
  inputs: ["lr", "epsilon", "grad"],
  boolAttrs: ["update_slots: bool = true"],
  update: adagradV2Update,
});

export const applyAdagradV2Config = configs.ref;
export const resourceApplyAdagradV2Config = configs.resource;
