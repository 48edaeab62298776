// TF's ResourceApplyKerasMomentum (core/kernels/training_ops.cc; resource variables only, as in TF):
//   accum = accum * momentum - grad * lr
//   var += accum                                       (use_nesterov = false)
//   var += accum * momentum - grad * lr                (use_nesterov = true)

import { applyConfigs, type UpdateArgs } from "./util/training-op-helpers.js";

export function kerasMomentumUpdate({ n, vars, grad, s, attrs, r }: UpdateArgs): void {
  const [v, a] = vars as [Float64Array, Float64Array];
  const { lr, momentum } = s as { lr: number; momentum: number };
  for (let i = 0; i < n; i++) {
    const gl = r(grad[i]! * lr);
    const acc = r(r(a[i]! * momentum) - gl);
    a[i] = acc;
    v[i] = attrs.use_nesterov ? r(v[i]! + r(r(acc * momentum) - gl)) : r(v[i]! + acc);
  }
}

export const resourceApplyKerasMomentumConfig = applyConfigs({
  name: "KerasMomentum",
  vars: ["var", "accum"],
  inputs: ["lr", "grad", "momentum"],
  boolAttrs: ["use_nesterov: bool = false"],
  checks: ["scalar:lr", "same:accum", "same:grad", "scalar:momentum"],
  update: kerasMomentumUpdate,
}).resource;
