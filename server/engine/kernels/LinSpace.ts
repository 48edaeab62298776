// TF's LinSpace (core/kernels/sequence_ops.cc): `num` evenly spaced values from start to stop,
// computed in the output dtype like TF (step = (stop - start) / (num - 1), last value = stop).

import { invalidArgument } from "../framework/errors.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, FLOAT_TYPES, type KernelConfig } from "./util/kernel-config.js";
import { computeBuffer, finish, scalarValue } from "./util/tensor-util.js";

export function linSpace(dtype: DataType, start: number, stop: number, num: number): Tensor {
  if (num <= 0) throw invalidArgument(`Requires num > 0: ${num}`);
  const r = dtype === DataType.DT_DOUBLE ? (x: number) => x : Math.fround;
  const out = computeBuffer(dtype, num, [num]) as Float32Array | Float64Array;
  if (num === 1) out[0] = start;
  else {
    const step = r(r(stop - start) / (num - 1));
    for (let i = 0; i < num - 1; i++) out[i] = r(start + r(step * i));
    out[num - 1] = stop;
  }
  return finish(dtype, [num], out);
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
        ctx.setOutput(0, linSpace(start.dtype, scalarValue(start), scalarValue(stop), scalarValue(num)));
      },
    };
  }),
};
