// TF's SoftsignGrad (core/kernels/softsign_op.h): gradients / (1 + |features|)².

import type { Tensor } from "../framework/tensor.js";
import { activationGradConfig, type ElementWiseFns, sameShapeBinaryOp } from "./util/binary-elementwise.js";
import { FLOAT_TYPES } from "./util/kernel-config.js";

export const softsignGradFns: ElementWiseFns = {
  float: (g, x) => {
    const d = 1 + Math.abs(x);
    return g / (d * d);
  },
};

export function softsignGrad(gradients: Tensor, features: Tensor): Tensor {
  return sameShapeBinaryOp("SoftsignGrad", gradients, features, softsignGradFns);
}

export const softsignGradConfig = activationGradConfig(
  "SoftsignGrad",
  "features",
  "T: {half, bfloat16, float, double}",
  FLOAT_TYPES,
  [],
  () => softsignGradFns,
);
