// TF's ApplyAdagradDA and ResourceApplyAdagradDA (core/kernels/training_ops.cc), Adagrad dual
// averaging with the step count global_step (int64) as T:
//   gradient_accumulator += grad;  gradient_squared_accumulator += grad²
//   var = -lr * sign(ga) * max(|ga| - l1 * T, 0) / (l2 * T * lr + sqrt(gga))   (l1 > 0)
//   var = -ga * lr / (sqrt(gga) + l2 * T * lr)                                   (otherwise)

import { applyConfigs, type UpdateArgs } from "./util/training-op-helpers.js";

export function adagradDAUpdate({ n, vars, grad, s, r }: UpdateArgs): void {
  const [w, ga, gga] = vars as [Float64Array, Float64Array, Float64Array];
  const { lr, l1, l2, global_step: step } = s as Record<string, number>;
  const shrink = r(r(l2! * step!) * lr!);
  const l1t = r(l1! * step!);
  for (let i = 0; i < n; i++) {
    const g = grad[i]!;
    const a = r(ga[i]! + g);
    ga[i] = a;
    gga[i] = r(gga[i]! + r(g * g));
    const denom = r(shrink + r(Math.sqrt(gga[i]!)));
    w[i] =
      l1! > 0
        ? r(r(r(r(-lr! * Math.sign(a)) * Math.max(r(Math.abs(a) - l1t), 0))) / denom)
        : r(r(-a * lr!) / denom);
  }
}

/** AdagradDA's inputs whose dtype is not T. */
export const ADAGRAD_DA_INPUT_TYPES = { global_step: "global_step: int64" };
/** AdagradDA's kernels' texts: shape errors name gradient_accumulator "accum". */
export const ADAGRAD_DA_SHAPE_NAMES = { gradient_accumulator: "accum" };
export const ADAGRAD_DA_SCALAR_MESSAGES = {
  l1: "l1 regularization strength is not a scalar: ",
  l2: "l2 regularization strength is not a scalar: ",
};

const configs = applyConfigs({
  name: "AdagradDA",
  vars: ["var", "gradient_accumulator", "gradient_squared_accumulator"],
  inputs: ["grad", "lr", "l1", "l2", "global_step"],
  inputTypes: ADAGRAD_DA_INPUT_TYPES,
  shapeNames: ADAGRAD_DA_SHAPE_NAMES,
  scalarMessages: ADAGRAD_DA_SCALAR_MESSAGES,
  update: adagradDAUpdate,
});

export const applyAdagradDAConfig = configs.ref;
export const resourceApplyAdagradDAConfig = configs.resource;
