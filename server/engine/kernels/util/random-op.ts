// The parts TF's stateful random kernels share (core/kernels/random_op.cc): the output shape from
// the `shape` input (AllocateOutputWithShape) and the per-kernel generator seeded from the
// seed/seed2 attrs (GuardedPhiloxRandom::Init).

import { invalidArgument } from "../../framework/errors.js";
import { type AttrMap, getAttrBigInt, getAttrType } from "../../framework/op-def.js";
import { numElements, shapeString, type Tensor } from "../../framework/tensor.js";
import type { DataType } from "../../framework/types.js";
import { computeJob, type ElementJob } from "./element-slices.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./kernel-config.js";
import { GuardedPhiloxRandom, type PhiloxRandom } from "./philox-random.js";
import { readInts } from "./tensor-util.js";

/** The random ops' common attrs, in REGISTER_OP syntax. */
export const SEED_ATTRS = ["seed: int = 0", "seed2: int = 0"] as const;

/** A generator for one kernel instance: the same (seed, seed2) gives TF's stream, (0, 0) a random one. */
export function generatorFromAttrs(attrs: AttrMap): GuardedPhiloxRandom {
  return new GuardedPhiloxRandom(getAttrBigInt(attrs, "seed"), getAttrBigInt(attrs, "seed2"));
}

/** The output shape given by a `shape` input, validated (negative dims, overflow) before allocating. */
export function outputShapeFromInput(shape: Tensor): number[] {
  if (shape.rank !== 1) {
    throw invalidArgument(`shape must be a vector of {int32,int64}, got shape ${shapeString(shape.shape)}`);
  }
  const dims = readInts(shape);
  numElements(dims);
  return dims;
}

/**
 * The config of a float-valued stateful random op ("shape: T -> output: dtype"; RandomUniform,
 * RandomStandardNormal, TruncatedNormal): each step draws from the kernel's own generator, after
 * reserving 256 samples per output as TF's FillPhiloxRandomTask does; large outputs are filled in
 * slices (util/element-slices.ts).
 */
export function floatRandomOpConfig(
  name: string,
  fill: (gen: PhiloxRandom, shape: readonly number[], dtype: DataType) => ElementJob<Tensor>,
): KernelConfig {
  return {
    op: {
      name,
      inputs: ["shape: T"],
      outputs: ["output: dtype"],
      attrs: [...SEED_ATTRS, "dtype: {half, bfloat16, float, double}", "T: {int32, int64}"],
      isStateful: true,
    },
    kernel: cpuKernel(name, (c) => {
      checkTypeConstraint(c, "dtype", FLOAT_TYPES);
      const dtype = getAttrType(c.attrs, "dtype");
      const generator = generatorFromAttrs(c.attrs);
      return {
        compute(ctx) {
          const shape = outputShapeFromInput(ctx.input(0));
          const n = shape.reduce((a, b) => a * b, 1);
          // The generator moves past this step's block now, whether the fill runs whole or in slices.
          return computeJob(ctx, fill(generator.reserveRandomOutputs(n, 256), shape, dtype));
        },
      };
    }),
  };
}
