// TF's RandomStandardNormal (core/kernels/random_op.cc, PhiloxRandomOp with NormalDistribution):
// standard normal values by Box-Muller over TF's Philox stream, TF's values for a given seed pair.

import { getAttrType } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./kernel-config.js";
import { normalDistribution, type PhiloxRandom } from "./philox-random.js";
import { fillFloatTensor } from "./RandomUniform.js";
import { generatorFromAttrs, outputShapeFromInput, SEED_ATTRS } from "./random-op.js";

export function randomStandardNormal(gen: PhiloxRandom, shape: readonly number[], dtype: DataType): Tensor {
  return fillFloatTensor(
    gen,
    shape,
    dtype,
    normalDistribution(dtype === DataType.DT_DOUBLE ? "double" : "float"),
  );
}

export const randomStandardNormalConfig: KernelConfig = {
  op: {
    name: "RandomStandardNormal",
    inputs: ["shape: T"],
    outputs: ["output: dtype"],
    attrs: [...SEED_ATTRS, "dtype: {half, bfloat16, float, double}", "T: {int32, int64}"],
    isStateful: true,
  },
  kernel: cpuKernel("RandomStandardNormal", (c) => {
    checkTypeConstraint(c, "dtype", FLOAT_TYPES);
    const dtype = getAttrType(c.attrs, "dtype");
    const generator = generatorFromAttrs(c.attrs);
    return {
      compute(ctx) {
        const shape = outputShapeFromInput(ctx.input(0));
        const n = shape.reduce((a, b) => a * b, 1);
        ctx.setOutput(0, randomStandardNormal(generator.reserveRandomOutputs(n, 256), shape, dtype));
      },
    };
  }),
};
