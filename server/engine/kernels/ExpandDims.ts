// TF's ExpandDims and Squeeze (core/kernels/shape_ops.h): insert or remove dimensions of size 1.
// Outputs share the input's storage.

import { invalidArgument } from "../framework/errors.js";
import { getAttrIntList } from "../framework/op-def.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { readInts } from "./util/tensor-util.js";

export function expandDims(x: Tensor, dimIn: number): Tensor {
  const rank = x.rank;
  if (dimIn < -1 - rank || dimIn > rank) {
    throw invalidArgument(`Tried to expand dim index ${dimIn} for tensor with ${rank} dimensions.`);
  }
  const dim = dimIn < 0 ? dimIn + rank + 1 : dimIn;
  const shape = [...x.shape];
  shape.splice(dim, 0, 1);
  return new Tensor(x.dtype, shape, x.data);
}

export function squeeze(x: Tensor, dims: readonly number[]): Tensor {
  const rank = x.rank;
  const wanted = new Set<number>();
  for (const d of dims) {
    if (d < -rank || d >= rank) {
      throw invalidArgument(`Tried to squeeze dim index ${d} for tensor with ${rank} dimensions.`);
    }
    wanted.add(d < 0 ? d + rank : d);
  }
  const shape: number[] = [];
  x.shape.forEach((s, i) => {
    if (wanted.size > 0 && wanted.has(i)) {
      if (s !== 1) throw invalidArgument(`Can not squeeze dim[${i}], expected a dimension of 1, got ${s}`);
    } else if (wanted.size > 0 || s !== 1) {
      shape.push(s);
    }
  });
  return new Tensor(x.dtype, shape, x.data);
}

export const expandDimsConfig: KernelConfig = {
  op: {
    name: "ExpandDims",
    inputs: ["input: T", "dim: Tdim"],
    outputs: ["output: T"],
    attrs: ["T: type", "Tdim: {int32, int64} = DT_INT32"],
  },
  kernel: simpleKernel("ExpandDims", (ctx) => {
    const d = ctx.input(1);
    if (d.numElements !== 1) {
      throw invalidArgument(`'dim' must be a tensor with a single value, got shape ${shapeString(d.shape)}`);
    }
    ctx.setOutput(0, expandDims(ctx.input(0), readInts(d)[0]!));
  }),
};

export const squeezeConfig: KernelConfig = {
  op: {
    name: "Squeeze",
    inputs: ["input: T"],
    outputs: ["output: T"],
    attrs: ["T: type", "squeeze_dims: list(int) >= 0 = []"],
  },
  kernel: cpuKernel("Squeeze", (c) => {
    const dims = getAttrIntList(c.attrs, "squeeze_dims");
    return { compute: (ctx) => ctx.setOutput(0, squeeze(ctx.input(0), dims)) };
  }),
};
