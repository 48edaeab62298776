// TF's ApplyProximalGradientDescent and ResourceApplyProximalGradientDescent
// (core/kernels/training_ops.cc), with the gradient input named delta:
//   prox = var - delta * alpha
//   var = sign(prox) * max(|prox| - alpha * l1, 0) / (1 + alpha * l2)     (l1 > 0)
//   var = prox / (1 + alpha * l2)                                          (otherwise)

import { applyConfigs, type Round, type UpdateArgs } from "./util/training-op-helpers.js";

/** The proximal step shared by the proximal optimizers, given the element's learning rate. */
export function proximalStep(
  w: Float64Array,
  grad: ArrayLike<number>,
  i: number,
  lr: number,
  l1: number,
  l2: number,
  r: Round,
): void {
  const prox = r(w[i]! - r(grad[i]! * lr));
  const denom = r(1 + r(l2 * lr));
  w[i] =
    l1 > 0 ? r(r(Math.sign(prox) * Math.max(r(Math.abs(prox) - r(lr * l1)), 0)) / denom) : r(prox / denom);
}

export function proximalGradientDescentUpdate({ n, vars, grad, s, r }: UpdateArgs): void {
  const [w] = vars as [Float64Array];
  const { alpha, l1, l2 } = s as Record<string, number>;
  for (let i = 0; i < n; i++) proximalStep(w, grad, i, alpha!, l1!, l2!, r);
}

const configs = applyConfigs({
  name: "ProximalGradientDescent",
  vars: ["var"],
  inputs: ["alpha", "l1", "l2", "delta"],
  gradName: "delta",
  scalarMessages: {
    l1: "l1 regularization strength is not a scalar: ",
    l2: "l2 regularization strength is not a scalar: ",
  },
  update: proximalGradientDescentUpdate,
});

export const applyProximalGradientDescentConfig = configs.ref;
export const resourceApplyProximalGradientDescentConfig = configs.resource;
