// TF's SparseApplyAdagradDA and ResourceSparseApplyAdagradDA (core/kernels/training_ops.cc):
// AdagradDA's update (ApplyAdagradDA.ts) on the rows named by indices, checking each index as it
// goes. The sparse kernel divides by the step count instead of multiplying (the same value, except
// that global_step = 0 gives NaN here and not in the dense op):
//   var = -lr * sign(ga) * max(|ga| / T - l1, 0) / (l2 * lr + sqrt(gga) / T)    (l1 > 0)
//   var = -(ga / T) * lr / (l2 * lr + sqrt(gga) / T)                            (otherwise)

import {
  ADAGRAD_DA_INPUT_TYPES,
  ADAGRAD_DA_SCALAR_MESSAGES,
  ADAGRAD_DA_SHAPE_NAMES,
} from "./ApplyAdagradDA.js";
import { sparseApplyConfigs } from "./util/sparse-training-op-helpers.js";
import type { UpdateArgs } from "./util/training-op-helpers.js";

export function sparseAdagradDAUpdate({ n, vars, grad, s, r }: UpdateArgs): void {
  const [w, ga, gga] = vars as [Float64Array, Float64Array, Float64Array];
  const { lr, l1, l2, global_step: step } = s as Record<string, number>;
  const l2lr = r(l2! * lr!);
  for (let i = 0; i < n; i++) {
    const g = grad[i]!;
    const a = r(ga[i]! + g);
    ga[i] = a;
    gga[i] = r(gga[i]! + r(g * g));
    const denom = r(l2lr + r(r(Math.sqrt(gga[i]!)) / step!));
    w[i] =
      l1! > 0
        ? r(r(r(-lr! * Math.sign(a)) * Math.max(r(r(Math.abs(a) / step!) - l1!), 0)) / denom)
        : r(r(r(-a / step!) * lr!) / denom);
  }
}

const configs = sparseApplyConfigs({
  name: "AdagradDA",
  vars: ["var", "gradient_accumulator", "gradient_squared_accumulator"],
  inputs: ["grad", "indices", "lr", "l1", "l2", "global_step"],
  inputTypes: ADAGRAD_DA_INPUT_TYPES,
  shapeNames: ADAGRAD_DA_SHAPE_NAMES,
  scalars: {
    l1: { message: ADAGRAD_DA_SCALAR_MESSAGES.l1 },
    l2: { message: ADAGRAD_DA_SCALAR_MESSAGES.l2 },
  },
  innerCheck: true,
  checkInLoop: true,
  update: sparseAdagradDAUpdate,
});

export const sparseApplyAdagradDAConfig = configs.ref;
export const resourceSparseApplyAdagradDAConfig = configs.resource;
