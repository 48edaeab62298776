// TF's Shape, Size and Rank (core/kernels/shape_ops.h): a tensor's shape, element count and rank.

import { invalidArgument } from "../framework/errors.js";
import { getAttrType } from "../framework/op-def.js";
import { scalar, type Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { intVector } from "./util/tensor-util.js";

const INT32_MAX = 2 ** 31 - 1;

export function shapeOf(x: Tensor, outType: DataType = DataType.DT_INT32): Tensor {
  if (outType === DataType.DT_INT32) {
    x.shape.forEach((d, i) => {
      if (d > INT32_MAX) throw invalidArgument(`Shape output type is 32-bit  but dim ${i} is ${d}`);
    });
  }
  return intVector(outType, x.shape);
}

export function sizeOf(x: Tensor, outType: DataType = DataType.DT_INT32): Tensor {
  const n = x.numElements;
  if (outType === DataType.DT_INT32 && n > INT32_MAX) {
    throw invalidArgument(`Number of elements was larger than representable by 32-bit output type`);
  }
  return outType === DataType.DT_INT64 ? scalar(outType, BigInt(n)) : scalar(outType, n);
}

export const shapeConfig: KernelConfig = {
  op: {
    name: "Shape",
    inputs: ["input: T"],
    outputs: ["output: out_type"],
    attrs: ["T: type", "out_type: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("Shape", (c) => {
    const outType = getAttrType(c.attrs, "out_type");
    return { compute: (ctx) => ctx.setOutput(0, shapeOf(ctx.input(0), outType)) };
  }),
};

export const sizeConfig: KernelConfig = {
  op: {
    name: "Size",
    inputs: ["input: T"],
    outputs: ["output: out_type"],
    attrs: ["T: type", "out_type: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("Size", (c) => {
    const outType = getAttrType(c.attrs, "out_type");
    return { compute: (ctx) => ctx.setOutput(0, sizeOf(ctx.input(0), outType)) };
  }),
};

export const rankConfig: KernelConfig = {
  op: { name: "Rank", inputs: ["input: T"], outputs: ["output: int32"], attrs: ["T: type"] },
  kernel: simpleKernel("Rank", (ctx) => ctx.setOutput(0, scalar(DataType.DT_INT32, ctx.input(0).rank))),
};

/** ShapeN: the shapes of N tensors at once (TF's autodiff emits it for Conv2D's backprop sizes). */
export const shapeNConfig: KernelConfig = {
  op: {
    name: "ShapeN",
    inputs: ["input: N * T"],
    outputs: ["output: N * out_type"],
    attrs: ["N: int >= 1", "T: type", "out_type: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("ShapeN", (c) => {
    const outType = getAttrType(c.attrs, "out_type");
    return {
      compute: (ctx) => {
        for (let i = 0; i < ctx.numInputs; i++) ctx.setOutput(i, shapeOf(ctx.input(i), outType));
      },
    };
  }),
};
