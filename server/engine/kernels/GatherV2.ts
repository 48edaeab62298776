// TF's GatherV2 (core/kernels/gather_op.cc): slices of params along `axis` picked by indices
// (batch_dims = 0 only). Out-of-range indices are INVALID_ARGUMENT on CPU, as in TF.

import { invalidArgument, unimplemented } from "../framework/errors.js";
import { getAttrInt } from "../framework/op-def.js";
import { numElements, Tensor } from "../framework/tensor.js";
import { indexPosition } from "./GatherNd.js";
import { cpuKernel, type KernelConfig } from "./kernel-config.js";
import { allocIndexable, lanesOf, readInts, storage } from "./tensor-util.js";

export function gather(params: Tensor, indices: Tensor, axisIn: number): Tensor {
  const rank = params.rank;
  if (axisIn < -rank || axisIn >= rank) {
    throw invalidArgument(`Expected axis in the range [${-rank}, ${rank}), but got ${axisIn}`);
  }
  const axis = axisIn < 0 ? axisIn + rank : axisIn;
  const idx = readInts(indices);
  const limit = params.shape[axis]!;
  const outer = params.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = params.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const shape = [...params.shape.slice(0, axis), ...indices.shape, ...params.shape.slice(axis + 1)];
  const lanes = lanesOf(params.dtype);
  idx.forEach((v, i) => {
    if (v < 0 || v >= limit) {
      throw invalidArgument(`indices${indexPosition(indices.shape, i)} = ${v} is not in [0, ${limit})`);
    }
  });
  const out = allocIndexable(params.dtype, numElements(shape), shape);
  const src = storage(params);
  const chunk = inner * lanes;
  let o = 0;
  for (let a = 0; a < outer; a++) {
    for (const v of idx) {
      const base = (a * limit + v) * chunk;
      for (let k = 0; k < chunk; k++) out[o++] = src[base + k];
    }
  }
  return new Tensor(params.dtype, shape, out as unknown as Tensor["data"]);
}

export const gatherV2Config: KernelConfig = {
  op: {
    name: "GatherV2",
    inputs: ["params: Tparams", "indices: Tindices", "axis: Taxis"],
    outputs: ["output: Tparams"],
    attrs: [
      "batch_dims: int = 0",
      "Tparams: type",
      "Tindices: {int16, int32, int64}",
      "Taxis: {int32, int64}",
    ],
  },
  kernel: cpuKernel("GatherV2", (c) => {
    if (getAttrInt(c.attrs, "batch_dims") !== 0)
      throw unimplemented("GatherV2 with batch_dims != 0 is not supported");
    return {
      compute: (ctx) => ctx.setOutput(0, gather(ctx.input(0), ctx.input(1), readInts(ctx.input(2))[0]!)),
    };
  }),
};
