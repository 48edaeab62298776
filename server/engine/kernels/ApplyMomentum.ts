// TF's ApplyMomentum and ResourceApplyMomentum (core/kernels/training_ops.cc):
//   accum = accum * momentum + grad
//   var -= accum * lr                                  (use_nesterov = false)
//   var -= grad * lr + accum * momentum * lr           (use_nesterov = true)

import { applyConfigs, type UpdateArgs } from "./util/training-op-helpers.js";

export function momentumUpdate({ n, vars, grad, s, attrs, r }: UpdateArgs): void {
  const [v, a] = vars as [Float64Array, Float64Array];
  const { lr, momentum } = s as { lr: number; momentum: number };
  for (let i = 0; i < n; i++) {
    const g = grad[i]!;
    const acc = r(r(a[i]! * momentum) + g);
    a[i] = acc;
    v[i] = attrs.use_nesterov ? r(v[i]! - r(r(g * lr) + r(r(acc * momentum) * lr))) : r(v[i]! - r(acc * lr));
  }
}

const configs = applyConfigs({
  name: "Momentum",
  vars: ["var", "accum"],
  inputs: ["lr", "grad", "momentum"],
  boolAttrs: ["use_nesterov: bool = false"],
  checks: ["scalar:lr", "same:accum", "same:grad", "scalar:momentum"],
  update: momentumUpdate,
});

export const applyMomentumConfig = configs.ref;
export const resourceApplyMomentumConfig = configs.resource;
