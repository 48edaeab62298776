// TF's ApplyRMSProp and ResourceApplyRMSProp (core/kernels/training_ops.cc):
//   ms += (grad² - ms) * (1 - rho)
//   mom = mom * momentum + grad * lr / sqrt(ms + epsilon)
//   var -= mom

import { applyConfigs, type UpdateArgs } from "./util/training-op-helpers.js";

export function rmsPropUpdate({ n, vars, grad, s, r }: UpdateArgs): void {
  const [w, ms, mom] = vars as [Float64Array, Float64Array, Float64Array];
  const { lr, rho, momentum, epsilon } = s as Record<string, number>;
  const c = r(1 - rho!);
  for (let i = 0; i < n; i++) {
    const g = grad[i]!;
    const msi = r(ms[i]! + r(r(r(g * g) - ms[i]!) * c));
    ms[i] = msi;
    const m = r(r(mom[i]! * momentum!) + r(r(g * lr!) / r(Math.sqrt(r(msi + epsilon!)))));
    mom[i] = m;
    w[i] = r(w[i]! - m);
  }
}

const configs = applyConfigs({
  name: "RMSProp",
  vars: ["var", "ms", "mom"],
  inputs: ["lr", "rho", "momentum", "epsilon", "grad"],
  update: rmsPropUpdate,
});

export const applyRMSPropConfig = configs.ref;
export const resourceApplyRMSPropConfig = configs.resource;
