// TF's ApplyAdam and ResourceApplyAdam (core/kernels/training_ops.cc, ApplyAdamNonCuda):
//   alpha = lr * sqrt(1 - beta2_power) / (1 - beta1_power)
//   m += (grad - m) * (1 - beta1)
//   v += (grad² - v) * (1 - beta2)
//   var -= m * alpha / (sqrt(v) + epsilon)                                  (use_nesterov = false)
//   var -= (grad * (1 - beta1) + beta1 * m) * alpha / (sqrt(v) + epsilon)   (use_nesterov = true)

import { applyConfigs, type UpdateArgs } from "./util/training-op-helpers.js";

export function adamUpdate({ n, vars, grad, s, attrs, r }: UpdateArgs): void {
  const [w, m, v] = vars as [Float64Array, Float64Array, Float64Array];
  const { beta1_power: b1p, beta2_power: b2p, lr, beta1, beta2, epsilon } = s as Record<string, number>;
  const alpha = r(r(lr! * r(Math.sqrt(r(1 - b2p!)))) / r(1 - b1p!));
  const c1 = r(1 - beta1!);
  const c2 = r(1 - beta2!);
  for (let i = 0; i < n; i++) {
    const g = grad[i]!;
    const mi = r(m[i]! + r(r(g - m[i]!) * c1));
    const vi = r(v[i]! + r(r(r(g * g) - v[i]!) * c2));
    m[i] = mi;
    v[i] = vi;
    const denom = r(r(Math.sqrt(vi)) + epsilon!);
    const num = attrs.use_nesterov ? r(r(r(g * c1) + r(beta1! * mi)) * alpha) : r(mi * alpha);
    w[i] = r(w[i]! - r(num / denom));
  }
}

const configs = applyConfigs({
  name: "Adam",
  vars: ["var", "m", "v"],
  inputs: ["beta1_power", "beta2_power", "lr", "beta1", "beta2", "epsilon", "grad"],
  boolAttrs: ["use_nesterov: bool = false"],
  update: adamUpdate,
});

export const applyAdamConfig = configs.ref;
export const resourceApplyAdamConfig = configs.resource;
