// TF's LinSpace (core/kernels/sequence_ops.cc): `num` evenly spaced values from start to stop,
// computed in the output dtype like TF (step = (stop - start) / (num - 1), last value = stop).

import { invalidArgument } from "../framework/errors.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { computeJob, type ElementJob, encodedOutput, runWhole } from "./util/element-slices.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { computeBuffer, scalarValue } from "./util/tensor-util.js";

export function linSpace(dtype: DataType, start: number, stop: number, num: number): Tensor {
  return runWhole(linSpaceJob(dtype, start, stop, num));
}

/** linSpace as an ElementJob (util/element-slices.ts): every value from its own index. */
export function linSpaceJob(dtype: DataType, start: number, stop: number, num: number): ElementJob<Tensor> {
  if (num <= 0) throw invalidArgument(`Requires num > 0: ${num}`);
  const r = dtype === DataType.DT_DOUBLE ? (x: number) => x : Math.fround;
  const out = computeBuffer(dtype, num, [num]) as Float32Array | Float64Array;
  const step = r(r(stop - start) / (num - 1));
  const run = (s: number, e: number) => {
    for (let i = s; i < e; i++) out[i] = num === 1 ? start : i === num - 1 ? stop : r(start + r(step * i));
  };
  const encoded = encodedOutput(dtype, [num], out);
  return { passes: [{ n: num, run }, ...encoded.passes], result: encoded.result };
}

export const linSpaceConfig: KernelConfig = {
  op: {
    name: "LinSpace",
    inputs: ["start: T", "stop: T", "num: Tidx"],
    outputs: ["output: T"],
    attrs: ["T: {bfloat16, half, float, double}", "Tidx: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("LinSpace", (c) => {
    checkTypeConstraint(c, "T", FLOAT_TYPES);
    return {
      compute(ctx) {
        const [start, stop, num] = [ctx.input(0), ctx.input(1), ctx.input(2)];
        if (start.rank !== 0)
          throw invalidArgument(`start must be a scalar, not shape ${shapeString(start.shape)}`);
        if (stop.rank !== 0)
          throw invalidArgument(`stop must be a scalar, not shape ${shapeString(stop.shape)}`);
        if (num.rank !== 0)
          throw invalidArgument(`num must be a scalar, not shape ${shapeString(num.shape)}`);
        return computeJob(
          ctx,
          linSpaceJob(start.dtype, scalarValue(start), scalarValue(stop), scalarValue(num)),
        );
      },
    };
  }),
};
