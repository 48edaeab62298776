// TF's ApplyCenteredRMSProp and ResourceApplyCenteredRMSProp (core/kernels/training_ops.cc):
//   ms += (grad² - ms) * (1 - rho)
//   mg += (grad - mg) * (1 - rho)
//   mom = mom * momentum + grad * lr / sqrt(ms - mg² + epsilon)
//   var -= mom

import { applyConfigs, type UpdateArgs } from "./util/training-op-helpers.js";

export function centeredRMSPropUpdate({ n, vars, grad, s, r }: UpdateArgs): void {
  const [w, mg, ms, mom] = vars as [Float64Array, Float64Array, Float64Array, Float64Array];
  const { lr, rho, momentum, epsilon } = s as Record<string, number>;
  const c = r(1 - rho!);
  for (let i = 0; i < n; i++) {
    const g = grad[i]!;
    const msi = r(ms[i]! + r(r(r(g * g) - ms[i]!) * c));
    const mgi = r(mg[i]! + r(r(g - mg[i]!) * c));
    ms[i] = msi;
    mg[i] = mgi;
    const denom = r(r(msi - r(mgi * mgi)) + epsilon!);
    const m = r(r(mom[i]! * momentum!) + r(r(g * lr!) / r(Math.sqrt(denom))));
    mom[i] = m;
    w[i] = r(w[i]! - m);
  }
}

const configs = applyConfigs({
  name: "CenteredRMSProp",
  vars: ["var", "mg", "ms", "mom"],
  inputs: ["lr", "rho", "momentum", "epsilon", "grad"],
  update: centeredRMSPropUpdate,
});

export const applyCenteredRMSPropConfig = configs.ref;
export const resourceApplyCenteredRMSPropConfig = configs.resource;
