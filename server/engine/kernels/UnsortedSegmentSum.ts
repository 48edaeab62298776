// TF's UnsortedSegmentSum (core/kernels/segment_reduction_ops_impl.h):
// output[segment_ids[i…], …] += data[i…, …], output shape [num_segments] + data.shape[ids.rank:].
// Negative ids are dropped, as in TF; ids ≥ num_segments are INVALID_ARGUMENT. tf.gradients emits
// it for the gradient of GatherV2 with dense gradients and of segment ops.

import { invalidArgument } from "../framework/errors.js";
import { type NumericArray, shapeString, Tensor } from "../framework/tensor.js";
import { DataType, isComplexType } from "../framework/types.js";
import { checkTypeConstraint, cpuKernel, type KernelConfig, NUMBER_TYPES } from "./kernel-config.js";
import { computeBuffer, finish, numericData, readInts } from "./tensor-util.js";

export function unsortedSegmentSum(data: Tensor, segmentIds: Tensor, numSegmentsT: Tensor): Tensor {
  if (numSegmentsT.rank !== 0) {
    throw invalidArgument(`num_segments should be a scalar, not shape ${shapeString(numSegmentsT.shape)}`);
  }
  const ids = readInts(segmentIds);
  const numSegments = readInts(numSegmentsT)[0]!;
  const prefix = segmentIds.shape;
  if (!(prefix.length <= data.rank && prefix.every((d, i) => data.shape[i] === d))) {
    throw invalidArgument(
      `data.shape = ${shapeString(data.shape)} does not start with segment_ids.shape = ${shapeString(prefix)}`,
    );
  }
  if (numSegments < 0) throw invalidArgument(`Input num_segments == ${numSegments} must not be negative.`);
  const inner = data.shape.slice(prefix.length);
  let slice = 1;
  for (const d of inner) slice *= d;
  const outShape = [numSegments, ...inner];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id >= numSegments) {
      throw invalidArgument(`segment_ids[${i}] = ${id} is out of range [0, ${numSegments})`);
    }
  }
  const dt = data.dtype;
  if (dt === DataType.DT_INT64 || dt === DataType.DT_UINT64) {
    const out = Tensor.zeros(dt, outShape);
    const o = out.data as BigInt64Array;
    const a = data.data as BigInt64Array;
    ids.forEach((id, i) => {
      if (id >= 0) for (let j = 0; j < slice; j++) o[id * slice + j]! += a[i * slice + j]!;
    });
    return out;
  }
  if (isComplexType(dt)) {
    const out = Tensor.zeros(dt, outShape);
    const o = out.data as NumericArray;
    const a = data.data as NumericArray;
    const row = 2 * slice;
    ids.forEach((id, i) => {
      if (id >= 0) for (let j = 0; j < row; j++) o[id * row + j]! += a[i * row + j]!;
    });
    return out;
  }
  const o = computeBuffer(dt, numSegments * slice, outShape) as NumericArray;
  const a = numericData(data);
  ids.forEach((id, i) => {
    if (id >= 0) for (let j = 0; j < slice; j++) o[id * slice + j]! += a[i * slice + j]!;
  });
  return finish(dt, outShape, o);
}

export const unsortedSegmentSumConfig: KernelConfig = {
  op: {
    name: "UnsortedSegmentSum",
    inputs: ["data: T", "segment_ids: Tindices", "num_segments: Tnumsegments"],
    outputs: ["output: T"],
    attrs: ["T: numbertype", "Tindices: {int16, int32, int64}", "Tnumsegments: {int32, int64} = DT_INT32"],
  },
  kernel: cpuKernel("UnsortedSegmentSum", (c) => {
    checkTypeConstraint(c, "T", NUMBER_TYPES);
    checkTypeConstraint(c, "Tindices", [DataType.DT_INT32, DataType.DT_INT64]);
    return {
      compute: (ctx) => ctx.setOutput(0, unsortedSegmentSum(ctx.input(0), ctx.input(1), ctx.input(2))),
    };
  }),
};
