// TF's Pack (tf.stack) and Unpack (tf.unstack) (core/kernels/pack_op.cc, unpack_op.cc).

import { stridesOf } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { getAttrInt } from "../framework/op-def.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { concatJob } from "./ConcatV2.js";
import {
  computeJob,
  computeJobOutputs,
  doneJob,
  type ElementJob,
  runWhole,
  stridedCopiesJob,
} from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { withShape } from "./util/tensor-util.js";

export function pack(values: readonly Tensor[], axisIn: number): Tensor {
  return runWhole(packJob(values, axisIn));
}

/** pack as an ElementJob (util/element-slices.ts): the concatenation of the inputs given a new axis. */
export function packJob(values: readonly Tensor[], axisIn: number): ElementJob<Tensor> {
  const first = values[0]!;
  const expanded = first.rank + 1;
  if (axisIn < -expanded || axisIn >= expanded) {
    throw invalidArgument(`axis = ${axisIn} not in [${-expanded}, ${expanded})`);
  }
  const axis = axisIn < 0 ? axisIn + expanded : axisIn;
  values.forEach((v, i) => {
    if (shapeString(v.shape) !== shapeString(first.shape)) {
      throw invalidArgument(
        `Shapes of all inputs must match: values[0].shape = ${shapeString(first.shape)} != values[${i}].shape = ${shapeString(v.shape)}`,
      );
    }
  });
  const shape = [...first.shape];
  shape.splice(axis, 0, 1);
  const parts = values.map((v) => withShape(v, shape));
  if (parts.length === 1) return doneJob(parts[0]!);
  return concatJob(parts, axis);
}

export function unpack(value: Tensor, num: number, axisIn: number): Tensor[] {
  return runWhole(unpackJob(value, num, axisIn));
}

/** unpack as an ElementJob (util/element-slices.ts): shape checked and every output allocated now. */
export function unpackJob(value: Tensor, num: number, axisIn: number): ElementJob<Tensor[]> {
  const rank = value.rank;
  if (axisIn < -rank || axisIn >= rank) throw invalidArgument(`axis = ${axisIn} not in [${-rank}, ${rank})`);
  const axis = axisIn < 0 ? axisIn + rank : axisIn;
  if (value.shape[axis] !== num) {
    throw invalidArgument(
      `Input shape axis ${axis} must equal ${num}, got shape ${shapeString(value.shape)}`,
    );
  }
  const outShape = value.shape.filter((_, d) => d !== axis);
  const strides = stridesOf(value.shape);
  const srcStrides = strides.filter((_, d) => d !== axis);
  const parts = Array.from({ length: num }, (_, i) => ({
    srcStrides,
    srcOffset: i * strides[axis]!,
    shape: outShape,
  }));
  return stridedCopiesJob(value, parts);
}

export const packConfig: KernelConfig = {
  op: {
    name: "Pack",
    inputs: ["values: N * T"],
    outputs: ["output: T"],
    attrs: ["N: int >= 1", "T: type", "axis: int = 0"],
  },
  kernel: cpuKernel("Pack", (c) => {
    const axis = getAttrInt(c.attrs, "axis");
    return {
      compute(ctx) {
        return computeJob(
          ctx,
          packJob(
            Array.from({ length: ctx.numInputs }, (_, i) => ctx.input(i)),
            axis,
          ),
        );
      },
    };
  }),
};

export const unpackConfig: KernelConfig = {
  op: {
    name: "Unpack",
    inputs: ["value: T"],
    outputs: ["output: num * T"],
    attrs: ["num: int >= 0", "T: type", "axis: int = 0"],
  },
  kernel: cpuKernel("Unpack", (c) => {
    const num = getAttrInt(c.attrs, "num");
    const axis = getAttrInt(c.attrs, "axis");
    return {
      compute(ctx) {
        return computeJobOutputs(ctx, unpackJob(ctx.input(0), num, axis));
      },
    };
  }),
};
