// TF's RandomUniform (core/kernels/random_op.cc): uniform [0, 1) values of the given shape. Seeds
// are accepted but the stream is Math.random's, not TF's Philox (values differ from TF's).

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { numElements, shapeString } from "../framework/tensor.js";
import type { DataType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./kernel-config.js";
import { computeBuffer, finish, readInts } from "./tensor-util.js";

export function randomUniform(shape: readonly number[], dtype: DataType) {
  const n = numElements(shape);
  const out = computeBuffer(dtype, n, shape);
  for (let i = 0; i < n; i++) (out as Float64Array)[i] = Math.random();
  return finish(dtype, shape, out);
}

export const randomUniformConfig: KernelConfig = {
  op: {
    name: "RandomUniform",
    inputs: ["shape: T"],
    outputs: ["output: dtype"],
    attrs: ["seed: int = 0", "seed2: int = 0", "dtype: {half, bfloat16, float, double}", "T: {int32, int64}"],
    isStateful: true,
  },
  kernel: cpuKernel("RandomUniform", (c) => {
    checkTypeConstraint(c, "dtype", FLOAT_TYPES);
    const dtype = getAttrType(c.attrs, "dtype");
    return {
      compute(ctx) {
        const s = ctx.input(0);
        if (s.rank !== 1)
          throw invalidArgument(`shape must be a vector of {int32,int64}, got shape ${shapeString(s.shape)}`);
        ctx.setOutput(0, randomUniform(readInts(s), dtype));
      },
    };
  }),
};
