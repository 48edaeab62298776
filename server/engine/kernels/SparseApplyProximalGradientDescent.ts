// TF's SparseApplyProximalGradientDescent and ResourceSparseApplyProximalGradientDescent
// (core/kernels/training_ops.cc), on the rows named by indices, checking each index as it goes:
//   prox = var - grad * alpha
//   var = sign(prox) * max(|prox| - alpha * l1, 0) / (1 + alpha * l2)     (l1 > 0)
//   var = prox / (1 + alpha * l2)                                          (otherwise)
// TF's messages call alpha "lr".

import { proximalGradientDescentUpdate } from "./ApplyProximalGradientDescent.js";
import { sparseApplyConfigs } from "./util/sparse-training-op-helpers.js";

const configs = sparseApplyConfigs({
  name: "ProximalGradientDescent",
  vars: ["var"],
  inputs: ["alpha", "l1", "l2", "grad", "indices"],
  scalars: {
    alpha: { message: "lr is not a scalar: " },
    l1: { message: "l1 regularization strength is not a scalar: " },
    l2: { message: "l2 regularization strength is not a scalar: " },
  },
  innerCheck: true,
  checkInLoop: true,
  update: proximalGradientDescentUpdate,
});

export const sparseApplyProximalGradientDescentConfig = configs.ref;
export const resourceSparseApplyProximalGradientDescentConfig = configs.resource;
