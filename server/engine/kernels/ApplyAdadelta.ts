// TF's ApplyAdadelta and ResourceApplyAdadelta (core/kernels/training_ops.cc):
//   accum = accum * rho + grad² * (1 - rho)
//   update = sqrt(accum_update + epsilon) * rsqrt(accum + epsilon) * grad
//   var -= update * lr
//   accum_update = accum_update * rho + update² * (1 - rho)

import { applyConfigs, type UpdateArgs } from "./util/training-op-helpers.js";

export function adadeltaUpdate({ n, vars, grad, s, r }: UpdateArgs): void {
  const [w, a, au] = vars as [Float64Array, Float64Array, Float64Array];
  const { lr, rho, epsilon } = s as Record<string, number>;
  const c = r(1 - rho!);
  for (let i = 0; i < n; i++) {
    const g = grad[i]!;
    const ai = r(r(a[i]! * rho!) + r(r(g * g) * c));
    a[i] = ai;
    const update = r(r(r(Math.sqrt(r(au[i]! + epsilon!))) * r(1 / Math.sqrt(r(ai + epsilon!)))) * g);
    w[i] = r(w[i]! - r(update * lr!));
    au[i] = r(r(au[i]! * rho!) + r(r(update * update) * c));
  }
}

const configs = applyConfigs({
  name: "Adadelta",
  vars: ["var", "accum", "accum_update"],
  inputs: ["lr", "rho", "epsilon", "grad"],
  update: adadeltaUpdate,
});

export const applyAdadeltaConfig = configs.ref;
export const resourceApplyAdadeltaConfig = configs.resource;
