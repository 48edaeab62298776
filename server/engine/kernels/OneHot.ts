// TF's OneHot (core/kernels/one_hot_op.cc): on_value where indices[...] == position along a new
// `axis` dimension of size `depth`, off_value elsewhere (out-of-range indices give an all-off row).

import { invalidArgument } from "../framework/errors.js";
import { getAttrInt } from "../framework/op-def.js";
import { allocData, numElements, shapeString, Tensor } from "../framework/tensor.js";
import { computeJob, type ElementJob, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { lanesOf, scalarValue, storage } from "./util/tensor-util.js";

export function oneHot(indices: Tensor, depth: number, on: Tensor, off: Tensor, axisAttr: number): Tensor {
  return runWhole(oneHotJob(indices, depth, on, off, axisAttr));
}

/** oneHot as an ElementJob (util/element-slices.ts): off_value everywhere, then on_value per index. */
export function oneHotJob(
  indices: Tensor,
  depth: number,
  on: Tensor,
  off: Tensor,
  axisAttr: number,
): ElementJob<Tensor> {
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
  const fill = (start: number, end: number) => {
    for (let i = start; i < end; i++) dst[i] = offV[i % lanes];
  };
  const suffix = indices.shape.slice(axis).reduce((a, b) => a * b, 1);
  const idx = indices.data as unknown as { [i: number]: number | bigint };
  // Index k = p·suffix + s, in the order of TF's loops over (p, s).
  const mark = (start: number, end: number) => {
    for (let k = start; k < end; k++) {
      const raw = idx[k]!;
      const v = typeof raw === "bigint" ? Number(raw) : raw;
      if (v >= 0 && v < depth) {
        const s = k % suffix;
        const o = ((k - s) * depth + v * suffix + s) * lanes;
        for (let l = 0; l < lanes; l++) dst[o + l] = onV[l];
      }
    }
  };
  const passes = [
    { n: n * lanes, run: fill },
    { n: indices.numElements, run: mark, cost: lanes },
  ];
  return { passes, result: () => new Tensor(on.dtype, shape, data) };
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
        return computeJob(ctx, oneHotJob(ctx.input(0), scalarValue(depth), on, off, axis));
      },
    };
  }),
};
