// TF's OneHot (core/kernels/one_hot_op.cc): on_value where indices[...] == position along a new
// `axis` dimension of size `depth`, off_value elsewhere (out-of-range indices give an all-off row).

import { invalidArgument } from "../framework/errors.js";
import { getAttrInt } from "../framework/op-def.js";
import { allocData, numElements, shapeString, Tensor } from "../framework/tensor.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { lanesOf, scalarValue, storage } from "./util/tensor-util.js";

export function oneHot(indices: Tensor, depth: number, on: Tensor, off: Tensor, axisAttr: number): Tensor {
  const rank = indices.rank;
  if (!(axisAttr === -1 || (axisAttr >= 0 && axisAttr < rank + 1))) {
    throw invalidArgument(`Expected axis to be -1 or between [0, ${rank + 1}).  But received: ${axisAttr}`);
  }
  if (depth < 0) throw invalidArgument(`depth must be non-negative, got: ${depth}`);
  const axis = axisAttr === -1 ? rank : axisAttr;
  const shape = [...indices.shape];
  shape.splice(axis, 0, depth);
  const n = numElements(shape);
  const data = allocData(on.dtype, n, shape);
  const dst = data as unknown as { [i: number]: unknown };
  const lanes = lanesOf(on.dtype);
  const onV = storage(on);
  const offV = storage(off);
  for (let i = 0; i < n * lanes; i++) dst[i] = offV[i % lanes];
  const prefix = indices.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const suffix = indices.shape.slice(axis).reduce((a, b) => a * b, 1);
  const idx = indices.data;
  for (let p = 0; p < prefix; p++) {
    for (let s = 0; s < suffix; s++) {
      const raw = (idx as unknown as { [i: number]: number | bigint })[p * suffix + s]!;
      const v = typeof raw === "bigint" ? Number(raw) : raw;
      if (v >= 0 && v < depth) {
        const o = (p * depth + v) * suffix + s;
        for (let l = 0; l < lanes; l++) dst[o * lanes + l] = onV[l];
      }
    }
  }
  return new Tensor(on.dtype, shape, data);
}

export const oneHotConfig: KernelConfig = {
  op: {
    name: "OneHot",
    inputs: ["indices: TI", "depth: int32", "on_value: T", "off_value: T"],
    outputs: ["output: T"],
    attrs: ["axis: int = -1", "T: type", "TI: {uint8, int8, int32, int64} = DT_INT64"],
  },
  kernel: cpuKernel("OneHot", (c) => {
    const axis = getAttrInt(c.attrs, "axis");
    return {
      compute(ctx) {
        const depth = ctx.input(1);
        const on = ctx.input(2);
        const off = ctx.input(3);
        if (depth.rank !== 0)
          throw invalidArgument(`depth must be a scalar, but got: ${shapeString(depth.shape)}`);
        if (on.rank !== 0)
          throw invalidArgument(`on_value must be a scalar, but got: ${shapeString(on.shape)}`);
        if (off.rank !== 0)
          throw invalidArgument(`off_value must be a scalar, but got: ${shapeString(off.shape)}`);
        ctx.setOutput(0, oneHot(ctx.input(0), scalarValue(depth), on, off, axis));
      },
    };
  }),
};
