// TF's DynamicPartition (core/kernels/dynamic_partition_op.cc): splits data into num_partitions
// outputs by a partition number per leading slice (tf.dynamic_partition; what embedding_lookup on
// a partitioned table uses to route ids to their shards). Each output keeps the slices' order.
// Over large tensors the copy runs in slices (docs/architecture.md, "Long kernels in slices").

import { invalidArgument } from "../framework/errors.js";
import { getAttrInt } from "../framework/op-def.js";
import { numElements, shapeString, Tensor } from "../framework/tensor.js";
import { indexPosition, readIndexValues } from "./GatherNd.js";
import { computeJobOutputs, type ElementJob, runWhole } from "./util/element-slices.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { allocIndexable, lanesOf, storage } from "./util/tensor-util.js";

export function dynamicPartition(data: Tensor, partitions: Tensor, num: number): Tensor[] {
  return runWhole(dynamicPartitionJob(data, partitions, num));
}

/**
 * dynamicPartition as an ElementJob (util/element-slices.ts): every partition number is checked
 * and each slice's place in its output found up front, the outputs allocated; one pass then copies
 * the slices in order over any range of data's values, and the outputs are made when it ends.
 */
export function dynamicPartitionJob(data: Tensor, partitions: Tensor, num: number): ElementJob<Tensor[]> {
  const lead = partitions.shape;
  if (!lead.every((d, i) => data.shape[i] === d)) {
    throw invalidArgument(
      `data.shape must start with partitions.shape, got data.shape = ${shapeString(data.shape)}, partitions.shape = ${shapeString(lead)}`,
    );
  }
  const parts = readIndexValues(partitions);
  const counts = new Array<number>(num).fill(0);
  const place = new Float64Array(parts.length);
  parts.forEach((p, i) => {
    if (p < 0 || p >= num) {
      throw invalidArgument(`partitions${indexPosition(lead, i)} = ${p} is not in [0, ${num})`);
    }
    place[i] = counts[p]!++;
  });
  const inner = data.shape.slice(lead.length);
  const width = numElements(inner) * lanesOf(data.dtype);
  const outs = counts.map((c) => {
    const shape = [c, ...inner];
    return { shape, data: allocIndexable(data.dtype, numElements(shape), shape) };
  });
  const src = storage(data);
  const run = (start: number, end: number) => {
    for (let i = start; i < end; ) {
      const r = Math.floor(i / width);
      const k0 = i - r * width;
      const k1 = Math.min(width, k0 + (end - i));
      const dst = outs[parts[r]!]!.data;
      const [to, from] = [place[r]! * width, r * width];
      for (let k = k0; k < k1; k++) dst[to + k] = src[from + k];
      i += k1 - k0;
    }
  };
  const result = () => outs.map((o) => new Tensor(data.dtype, o.shape, o.data as unknown as Tensor["data"]));
  return { passes: [{ n: parts.length * width, run }], result };
}

export const dynamicPartitionConfig: KernelConfig = {
  op: {
    name: "DynamicPartition",
    inputs: ["data: T", "partitions: int32"],
    outputs: ["outputs: num_partitions * T"],
    attrs: ["num_partitions: int >= 1", "T: type"],
  },
  kernel: cpuKernel("DynamicPartition", (c) => {
    const num = getAttrInt(c.attrs, "num_partitions");
    return {
      compute: (ctx) => computeJobOutputs(ctx, dynamicPartitionJob(ctx.input(0), ctx.input(1), num)),
    };
  }),
};
