// TF's StridedSlice (core/kernels/strided_slice_op.cc, core/util/strided_slice_op.cc): numpy-style
// basic slicing with begin/end/strides and the begin, end, ellipsis, new_axis and shrink_axis masks.
// The sparse spec is expanded to one entry per input dimension (BuildDenseSpec), each dimension is
// canonicalised and clamped, and the result is copied with a strided walk.

import { stridesOf } from "../framework/bcast.js";
import { invalidArgument } from "../framework/errors.js";
import { type AttrMap, getAttrInt } from "../framework/op-def.js";
import { shapeString, type Tensor } from "../framework/tensor.js";
import { computeJob, type ElementJob, runWhole, stridedCopyJob } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { readInts } from "./util/tensor-util.js";

export interface StridedSliceMasks {
  readonly beginMask: number;
  readonly endMask: number;
  readonly ellipsisMask: number;
  readonly newAxisMask: number;
  readonly shrinkAxisMask: number;
}

const NEW_AXIS = -1;
const SHRINK_AXIS = -2;

/** The processing shape, begins, strides and final shape of a strided slice (TF's ValidateStridedSliceOp). */
export function stridedSlicePlan(
  inShape: readonly number[],
  beginIn: readonly number[],
  endIn: readonly number[],
  stridesIn: readonly number[],
  m: StridedSliceMasks,
): { begin: number[]; strides: number[]; processing: number[]; final: number[] } {
  const n = beginIn.length;
  if (endIn.length !== n || stridesIn.length !== n) {
    throw invalidArgument(
      `Expected begin, end, and strides to be 1D equal size tensors, but got shapes [${n}], [${endIn.length}], and [${stridesIn.length}] instead.`,
    );
  }
  let ellipsisMask = m.ellipsisMask;
  let sparseDims = n;
  if ((ellipsisMask & (ellipsisMask - 1)) !== 0) {
    throw invalidArgument("Multiple ellipses in slice spec not allowed");
  }
  // No ellipsis: an implicit one at the end.
  if (ellipsisMask === 0) {
    ellipsisMask |= 1 << sparseDims;
    sparseDims++;
  }
  const rank = inShape.length;
  const begin = new Array<number>(rank).fill(0);
  const end = new Array<number>(rank).fill(0);
  const strides = new Array<number>(rank).fill(1);
  let beginMask = 0;
  let endMask = 0;
  let shrinkMask = 0;
  const gather: number[] = [];
  let full = 0;
  let newAxesAfterEllipsis = 0;
  let seenEllipsis = false;
  for (let i = 0; i < sparseDims; i++) {
    if ((1 << i) & ellipsisMask) seenEllipsis = true;
    else if (seenEllipsis && (1 << i) & m.newAxisMask) newAxesAfterEllipsis++;
  }
  for (let i = 0; i < sparseDims; i++) {
    const bit = 1 << i;
    if (bit & ellipsisMask) {
      const next = Math.min(rank - (sparseDims - i) + 1 + newAxesAfterEllipsis, rank);
      for (; full < next; full++) {
        begin[full] = 0;
        end[full] = 0;
        strides[full] = 1;
        beginMask |= 1 << full;
        endMask |= 1 << full;
        gather.push(full);
      }
    } else if (bit & m.newAxisMask) {
      gather.push(NEW_AXIS);
    } else {
      if (full === rank) {
        throw invalidArgument(`Index out of range using input dim ${full}; input has only ${rank} dims`);
      }
      begin[full] = beginIn[i]!;
      end[full] = endIn[i]!;
      strides[full] = stridesIn[i]!;
      if (m.beginMask & bit) beginMask |= 1 << full;
      if (m.endMask & bit) endMask |= 1 << full;
      if (m.shrinkAxisMask & bit) {
        shrinkMask |= 1 << full;
        gather.push(SHRINK_AXIS);
      } else {
        gather.push(full);
      }
      full++;
    }
  }
  const processing: number[] = [];
  for (let i = 0; i < rank; i++) {
    const s = strides[i]!;
    if (s === 0) throw invalidArgument(`strides[${i}] must be non-zero`);
    const dim = inShape[i]!;
    const shrink = (shrinkMask >> i) & 1;
    const masks = [(beginMask >> i) & 1, (endMask >> i) & 1];
    const valid = s > 0 ? [0, dim] : [-1, dim - 1];
    const canonical = (x: number, c: 0 | 1): number => {
      if (masks[c]) return s > 0 ? valid[c]! : valid[(c + 1) & 1]!;
      const fwd = x < 0 ? dim + x : x;
      return Math.max(valid[0]!, Math.min(fwd, valid[1]!));
    };
    if (shrink) {
      const fwd = begin[i]! < 0 ? dim + begin[i]! : begin[i]!;
      if (fwd < 0 || fwd >= dim) {
        throw invalidArgument(`slice index ${begin[i]} of dimension ${i} out of bounds.`);
      }
      begin[i] = fwd;
      end[i] = fwd + 1;
      if (s < 0) throw invalidArgument("only stride 1 allowed on non-range indexing.");
    } else {
      begin[i] = canonical(begin[i]!, 0);
      end[i] = canonical(end[i]!, 1);
    }
    const len = end[i]! - begin[i]!;
    const size = len === 0 || len < 0 !== s < 0 ? 0 : Math.trunc(len / s) + (len % s !== 0 ? 1 : 0);
    processing.push(size);
  }
  const final: number[] = [];
  for (const g of gather) {
    if (g === NEW_AXIS) final.push(1);
    else if (g >= 0) final.push(processing[g]!);
  }
  return { begin, strides, processing, final };
}

export function stridedSlice(
  x: Tensor,
  begin: readonly number[],
  end: readonly number[],
  strides: readonly number[],
  m: StridedSliceMasks,
): Tensor {
  return runWhole(stridedSliceJob(x, begin, end, strides, m));
}

/** stridedSlice as an ElementJob (util/element-slices.ts): allocated now, copied whole or in slices. */
export function stridedSliceJob(
  x: Tensor,
  begin: readonly number[],
  end: readonly number[],
  strides: readonly number[],
  m: StridedSliceMasks,
): ElementJob<Tensor> {
  const plan = stridedSlicePlan(x.shape, begin, end, strides, m);
  const inStrides = stridesOf(x.shape);
  const offset = plan.begin.reduce((a, b, i) => a + b * inStrides[i]!, 0);
  return stridedCopyJob(
    x,
    inStrides.map((s, i) => s * plan.strides[i]!),
    offset,
    plan.processing,
    plan.final,
  );
}

export const stridedSliceConfig: KernelConfig = {
  op: {
    name: "StridedSlice",
    inputs: ["input: T", "begin: Index", "end: Index", "strides: Index"],
    outputs: ["output: T"],
    attrs: [
      "T: type",
      "Index: {int16, int32, int64}",
      "begin_mask: int = 0",
      "end_mask: int = 0",
      "ellipsis_mask: int = 0",
      "new_axis_mask: int = 0",
      "shrink_axis_mask: int = 0",
    ],
  },
  kernel: cpuKernel("StridedSlice", (c) => {
    const masks = readStridedSliceMasks(c.attrs);
    return {
      compute(ctx) {
        const [b, e, s] = readSliceSpec(ctx.input(1), ctx.input(2), ctx.input(3));
        return computeJob(ctx, stridedSliceJob(ctx.input(0), b, e, s, masks));
      },
    };
  }),
};

/** The five mask attrs of StridedSlice and its gradient. */
export function readStridedSliceMasks(attrs: AttrMap): StridedSliceMasks {
  return {
    beginMask: getAttrInt(attrs, "begin_mask"),
    endMask: getAttrInt(attrs, "end_mask"),
    ellipsisMask: getAttrInt(attrs, "ellipsis_mask"),
    newAxisMask: getAttrInt(attrs, "new_axis_mask"),
    shrinkAxisMask: getAttrInt(attrs, "shrink_axis_mask"),
  };
}

/** begin, end and strides as numbers, after TF's check that they are vectors. */
export function readSliceSpec(b: Tensor, e: Tensor, s: Tensor): [number[], number[], number[]] {
  for (const t of [b, e, s]) {
    if (t.rank !== 1) {
      throw invalidArgument(
        `Expected begin, end, and strides to be 1D equal size tensors, but got shapes ${shapeString(b.shape)}, ${shapeString(e.shape)}, and ${shapeString(s.shape)} instead.`,
      );
    }
  }
  return [readInts(b), readInts(e), readInts(s)];
}
