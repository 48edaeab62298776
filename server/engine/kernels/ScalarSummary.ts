// TF's ScalarSummary (core/kernels/summary_op.cc): a serialized Summary proto with one
// Value{tag, simple_value} per element of `tags` and `values` (same shape). TF1 input pipelines
// add one to the graph (tf.compat.v1.train.shuffle_batch / batch report how full their queue is).
// The proto is written directly: Summary.value = 1 (message), Value.tag = 1 (string),
// Value.simple_value = 2 (float, fixed32), as TF serializes them (field order).

import { invalidArgument } from "../framework/errors.js";
import { bfloat16ToFloat, halfToFloat } from "../framework/float16.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
import { sameShape, shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type KernelConfig, simpleKernel } from "./kernel-config.js";
import { numericData } from "./tensor-util.js";

/** A protobuf varint. */
function varint(n: number, out: number[]): void {
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

function valueMessage(tag: Uint8Array, value: number): number[] {
  const out: number[] = [0x0a];
  varint(tag.length, out);
  out.push(...tag);
  const f = new Uint8Array(new Float32Array([value]).buffer);
  out.push(0x15, ...f);
  return out;
}

/** The element as a float (what simple_value holds). */
function elementValue(t: Tensor, i: number): number {
  const d = t.data;
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) return Number(d[i]!);
  if (t.dtype === DataType.DT_HALF) return halfToFloat((d as Uint16Array)[i]!);
  if (t.dtype === DataType.DT_BFLOAT16) return bfloat16ToFloat((d as Uint16Array)[i]!);
  return numericData(t)[i]!;
}

function compute(ctx: OpKernelContext): void {
  const tags = ctx.input(0);
  const values = ctx.input(1);
  if (!sameShape(tags.shape, values.shape)) {
    const single =
      tags.rank === 0 ? ` (tag '${new TextDecoder().decode((tags.data as Uint8Array[])[0])}')` : "";
    throw invalidArgument(
      `tags and values are not the same shape: ${shapeString(tags.shape)} != ${shapeString(values.shape)}${single}`,
    );
  }
  const bytes: number[] = [];
  const tagData = tags.data as Uint8Array[];
  for (let i = 0; i < tags.numElements; i++) {
    const v = valueMessage(tagData[i]!, elementValue(values, i));
    bytes.push(0x0a);
    varint(v.length, bytes);
    bytes.push(...v);
  }
  ctx.setOutput(0, new Tensor(DataType.DT_STRING, [], [Uint8Array.from(bytes)]));
}

export const scalarSummaryConfig: KernelConfig = {
  op: {
    name: "ScalarSummary",
    inputs: ["tags: string", "values: T"],
    outputs: ["summary: string"],
    attrs: ["T: {float,double,int32,uint8,int16,int8,int64,bfloat16,uint16,half,uint32,uint64}"],
  },
  kernel: simpleKernel("ScalarSummary", compute),
};
