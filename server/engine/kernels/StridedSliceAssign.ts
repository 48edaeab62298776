// TF's StridedSliceAssign (core/kernels/strided_slice_op.cc StridedSliceAssignOp): `ref[slice] =
// value` on a ref variable (tf.compat.v1 `var[1:3].assign(x)`), then the ref is the output. The
// value broadcasts to the slice's final shape.

import { broadcastStrides, stridesOf } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import {
  readSliceSpec,
  readStridedSliceMasks,
  type StridedSliceMasks,
  stridedSlicePlan,
} from "./StridedSlice.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { copyTensor, lanesOf, storage } from "./util/tensor-util.js";

export const SLICE_ASSIGN_ATTRS = [
  "T: type",
  "Index: {int32, int64}",
  "begin_mask: int = 0",
  "end_mask: int = 0",
  "ellipsis_mask: int = 0",
  "new_axis_mask: int = 0",
  "shrink_axis_mask: int = 0",
];

/** Whether `from` broadcasts to `to` (numpy rules: right-aligned, equal or 1). */
function broadcastsTo(from: readonly number[], to: readonly number[]): boolean {
  if (from.length > to.length) return false;
  const lead = to.length - from.length;
  return from.every((d, i) => d === to[lead + i] || d === 1);
}

/** A copy of `target` with the strided slice [b:e:s] replaced by `value` (broadcast to it). */
export function sliceAssigned(
  target: Tensor,
  spec: readonly [Tensor, Tensor, Tensor],
  value: Tensor,
  m: StridedSliceMasks,
): Tensor {
  const [b, e, s] = readSliceSpec(spec[0], spec[1], spec[2]);
  const plan = stridedSlicePlan(target.shape, b, e, s, m);
  const out = copyTensor(target);
  const n = plan.processing.reduce((x, y) => x * y, 1);
  if (n === 0) return out;
  if (!broadcastsTo(value.shape, plan.final)) {
    throw invalidArgument(
      `Cannot broadcast input shape ${shapeString(value.shape)} into final shape ${shapeString(plan.final)}`,
    );
  }
  // The value's element for each slice element, walking the final shape in row-major order.
  const vStrides = broadcastStrides(value.shape, plan.final);
  const fin = plan.final;
  const fIdx = new Array<number>(fin.length).fill(0);
  const srcAt = (): number => fIdx.reduce((a, x, d) => a + x * vStrides[d]!, 0);
  const dst = storage(out) as unknown as { [i: number]: unknown };
  const src = storage(value);
  const lanes = lanesOf(target.dtype);
  const inStrides = stridesOf(target.shape);
  const outStrides = inStrides.map((st, i) => st * plan.strides[i]!);
  const base = plan.begin.reduce((a, x, i) => a + x * inStrides[i]!, 0);
  const dims = plan.processing;
  const idx = new Array<number>(dims.length).fill(0);
  for (let i = 0; i < n; i++) {
    let o = base;
    for (let d = 0; d < dims.length; d++) o += idx[d]! * outStrides[d]!;
    const si = srcAt();
    for (let l = 0; l < lanes; l++) dst[o * lanes + l] = src[si * lanes + l];
    for (let d = dims.length - 1; d >= 0; d--) {
      if (++idx[d]! < dims[d]!) break;
      idx[d] = 0;
    }
    for (let d = fin.length - 1; d >= 0; d--) {
      if (++fIdx[d]! < fin[d]!) break;
      fIdx[d] = 0;
    }
  }
  return out;
}

export const stridedSliceAssignConfig: KernelConfig = {
  op: {
    name: "StridedSliceAssign",
    inputs: ["ref: Ref(T)", "begin: Index", "end: Index", "strides: Index", "value: T"],
    outputs: ["output_ref: Ref(T)"],
    attrs: SLICE_ASSIGN_ATTRS,
  },
  kernel: cpuKernel("StridedSliceAssign", (c) => {
    const masks = readStridedSliceMasks(c.attrs);
    return {
      compute(ctx) {
        const cell = ctx.inputRef(0);
        const current = ctx.input(0); // fails on an uninitialised variable, as TF does
        cell.value = sliceAssigned(current, [ctx.input(1), ctx.input(2), ctx.input(3)], ctx.input(4), masks);
        ctx.setOutputRef(0, cell);
      },
    };
  }),
};
