// TF's StridedSliceGrad (core/kernels/strided_slice_op.cc): the gradient of StridedSlice, which
// TF's autodiff emits for every `x[...]` slice. The output has the sliced tensor's `shape`, is zero
// everywhere and holds `dy` at the positions the slice read.

import { stridesOf } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { allocData, numElements, shapeString, Tensor } from "../framework/tensor.js";
import {
  readSliceSpec,
  readStridedSliceMasks,
  type StridedSliceMasks,
  stridedSlicePlan,
} from "./StridedSlice.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { lanesOf, readInts, storage } from "./util/tensor-util.js";

export function stridedSliceGrad(
  shape: readonly number[],
  begin: readonly number[],
  end: readonly number[],
  strides: readonly number[],
  dy: Tensor,
  m: StridedSliceMasks,
): Tensor {
  const plan = stridedSlicePlan(shape, begin, end, strides, m);
  if (shapeString(plan.final) !== shapeString(dy.shape)) {
    throw invalidArgument(`shape of dy was ${shapeString(dy.shape)} instead of ${shapeString(plan.final)}`);
  }
  // Fresh storage is zero (empty strings for DT_STRING): only the sliced positions are written.
  const out = allocData(dy.dtype, numElements(shape), shape) as unknown as { [i: number]: unknown };
  const lanes = lanesOf(dy.dtype);
  const src = storage(dy);
  const inStrides = stridesOf(shape);
  const outStrides = inStrides.map((s, i) => s * plan.strides[i]!);
  const base = plan.begin.reduce((a, b, i) => a + b * inStrides[i]!, 0);
  const dims = plan.processing;
  const n = dims.reduce((a, b) => a * b, 1);
  const idx = new Array<number>(dims.length).fill(0);
  for (let i = 0; i < n; i++) {
    let o = base;
    for (let d = 0; d < dims.length; d++) o += idx[d]! * outStrides[d]!;
    for (let l = 0; l < lanes; l++) out[o * lanes + l] = src[i * lanes + l];
    for (let d = dims.length - 1; d >= 0; d--) {
      if (++idx[d]! < dims[d]!) break;
      idx[d] = 0;
    }
  }
  return new Tensor(dy.dtype, shape, out as unknown as Tensor["data"]);
}

export const stridedSliceGradConfig: KernelConfig = {
  op: {
    name: "StridedSliceGrad",
    inputs: ["shape: Index", "begin: Index", "end: Index", "strides: Index", "dy: T"],
    outputs: ["output: T"],
    attrs: [
      "T: type",
      "Index: {int32, int64}",
      "begin_mask: int = 0",
      "end_mask: int = 0",
      "ellipsis_mask: int = 0",
      "new_axis_mask: int = 0",
      "shrink_axis_mask: int = 0",
    ],
  },
  kernel: cpuKernel("StridedSliceGrad", (c) => {
    const masks = readStridedSliceMasks(c.attrs);
    return {
      compute(ctx) {
        const shapeT = ctx.input(0);
        if (shapeT.rank !== 1) {
          throw invalidArgument(`shape must be 1-D, got shape.shape = ${shapeString(shapeT.shape)}`);
        }
        const shape = readInts(shapeT);
        numElements(shape); // TF's MakeShape: negative dims and overflow are errors
        const [b, e, s] = readSliceSpec(ctx.input(1), ctx.input(2), ctx.input(3));
        ctx.setOutput(0, stridedSliceGrad(shape, b, e, s, ctx.input(4), masks));
      },
    };
  }),
};
