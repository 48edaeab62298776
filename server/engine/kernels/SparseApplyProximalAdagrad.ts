// TF's SparseApplyProximalAdagrad and ResourceSparseApplyProximalAdagrad
// (core/kernels/training_ops.cc), on the rows named by indices, checking each index as it goes:
//   accum += grad²
//   lr_t = lr / sqrt(accum), then the proximal step of SparseApplyProximalGradientDescent with lr_t
// On CPU TF requires lr > 0, l1 >= 0 and l2 >= 0.

import { proximalStep } from "./SparseApplyProximalGradientDescent.js";
import { sparseApplyConfigs } from "./sparse-training-op-helpers.js";
import type { UpdateArgs } from "./training-op-helpers.js";

export function proximalAdagradUpdate({ n, vars, grad, s, r }: UpdateArgs): void {
  const [w, a] = vars as [Float64Array, Float64Array];
  const { lr, l1, l2 } = s as Record<string, number>;
  for (let i = 0; i < n; i++) {
    const g = grad[i]!;
    a[i] = r(a[i]! + r(g * g));
    proximalStep(w, grad, i, r(lr! * r(1 / Math.sqrt(a[i]!))), l1!, l2!, r);
  }
}

const configs = sparseApplyConfigs({
  name: "ProximalAdagrad",
  vars: ["var", "accum"],
  inputs: ["lr", "l1", "l2", "grad", "indices"],
  scalars: {
    lr: { message: "lr is not a positive scalar: ", ok: (v) => v > 0 },
    l1: { message: "l1 regularization strength is not a non-negative scalar: ", ok: (v) => v >= 0 },
    l2: { message: "l2 regularization strength is not a non-negative scalar: ", ok: (v) => v >= 0 },
  },
  innerCheck: true,
  checkInLoop: true,
  update: proximalAdagradUpdate,
});

export const sparseApplyProximalAdagradConfig = configs.ref;
export const resourceSparseApplyProximalAdagradConfig = configs.resource;
