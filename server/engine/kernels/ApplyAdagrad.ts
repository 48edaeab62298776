// TF's ApplyAdagrad and ResourceApplyAdagrad (core/kernels/training_ops.cc):
//   accum += grad²                 (when update_slots)
//   var -= grad * lr * rsqrt(accum)

import { applyConfigs, type UpdateArgs } from "./util/training-op-helpers.js";

export function adagradUpdate({ n, vars, grad, s, attrs, r }: UpdateArgs): void {
  const [w, a] = vars as [Float64Array, Float64Array];
  const lr = s.lr!;
  for (let i = 0; i < n; i++) {
    const g = grad[i]!;
    if (attrs.update_slots) a[i] = r(a[i]! + r(g * g));
    w[i] = r(w[i]! - r(r(g * lr) * r(1 / Math.sqrt(a[i]!))));
  }
}

const configs = applyConfigs({
  name: "Adagrad",
  vars: ["var", "accum"],
  inputs: ["lr", "grad"],
  boolAttrs: ["update_slots: bool = true"],
  update: adagradUpdate,
});

export const applyAdagradConfig = configs.ref;
export const resourceApplyAdagradConfig = configs.resource;
