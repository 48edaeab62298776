// TF's TruncatedNormal (core/kernels/random_op.cc, PhiloxRandomOp with TruncatedNormalDistribution):
// standard normals with |x| < 2, redrawn otherwise; each output group of 4 (2 for double) reads its
// own 256-sample region of the stream, as TF's variable-samples fill does.

import { getAttrType } from "../framework/op-def.js";
import type { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./kernel-config.js";
import { type PhiloxRandom, truncatedNormalDistribution } from "./philox-random.js";
import { fillFloatTensor } from "./RandomUniform.js";
import { generatorFromAttrs, outputShapeFromInput, SEED_ATTRS } from "./random-op.js";

export function truncatedNormal(gen: PhiloxRandom, shape: readonly number[], dtype: DataType): Tensor {
  return fillFloatTensor(
    gen,
    shape,
    dtype,
    truncatedNormalDistribution(dtype === DataType.DT_DOUBLE ? "double" : "float"),
  );
}

export const truncatedNormalConfig: KernelConfig = {
  op: {
    name: "TruncatedNormal",
    inputs: ["shape: T"],
    outputs: ["output: dtype"],
    attrs: [...SEED_ATTRS, "dtype: {half, bfloat16, float, double}", "T: {int32, int64}"],
    isStateful: true,
  },
  kernel: cpuKernel("TruncatedNormal", (c) => {
    checkTypeConstraint(c, "dtype", FLOAT_TYPES);
    const dtype = getAttrType(c.attrs, "dtype");
    const generator = generatorFromAttrs(c.attrs);
    return {
      compute(ctx) {
        const shape = outputShapeFromInput(ctx.input(0));
        const n = shape.reduce((a, b) => a * b, 1);
        ctx.setOutput(0, truncatedNormal(generator.reserveRandomOutputs(n, 256), shape, dtype));
      },
    };
  }),
};
