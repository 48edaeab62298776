// TF's SparseApplyProximalAdagrad and ResourceSparseApplyProximalAdagrad
// (core/kernels/training_ops.cc), on the rows named by indices, checking each index as it goes:
//   accum += grad²
//   lr_t = lr / sqrt(accum), then the proximal step with lr_t (ApplyProximalAdagrad.ts)
// On CPU TF requires lr > 0, l1 >= 0 and l2 >= 0.

import {
  PROXIMAL_ADAGRAD_CONDITIONS,
  PROXIMAL_ADAGRAD_MESSAGES,
  proximalAdagradUpdate,
} from "./ApplyProximalAdagrad.js";
import { sparseApplyConfigs } from "./util/sparse-training-op-helpers.js";

const configs = sparseApplyConfigs({
  name: "ProximalAdagrad",
  vars: ["var", "accum"],
  inputs: ["lr", "l1", "l2", "grad", "indices"],
  scalars: {
    lr: { message: PROXIMAL_ADAGRAD_MESSAGES.lr, ok: PROXIMAL_ADAGRAD_CONDITIONS.lr },
    l1: { message: PROXIMAL_ADAGRAD_MESSAGES.l1, ok: PROXIMAL_ADAGRAD_CONDITIONS.l1 },
    l2: { message: PROXIMAL_ADAGRAD_MESSAGES.l2, ok: PROXIMAL_ADAGRAD_CONDITIONS.l2 },
  },
  innerCheck: true,
  checkInLoop: true,
  update: proximalAdagradUpdate,
});

export const sparseApplyProximalAdagradConfig = configs.ref;
export const resourceSparseApplyProximalAdagradConfig = configs.resource;
