// TF's DynamicPartition (core/kernels/dynamic_partition_op.cc): splits data into num_partitions
// outputs by a partition number per leading slice (tf.dynamic_partition; what embedding_lookup on
// a partitioned table uses to route ids to their shards). Each output keeps the slices' order.

import { invalidArgument } from "../framework/errors.js";
import { getAttrInt } from "../framework/op-def.js";
import { numElements, shapeString, Tensor } from "../framework/tensor.js";
import { indexPosition, readIndexValues } from "./GatherNd.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { allocIndexable, lanesOf, storage } from "./util/tensor-util.js";

export function dynamicPartition(data: Tensor, partitions: Tensor, num: number): Tensor[] {
  const lead = partitions.shape;
  if (!lead.every((d, i) => data.shape[i] === d)) {
    throw invalidArgument(
      `data.shape must start with partitions.shape, got data.shape = ${shapeString(data.shape)}, partitions.shape = ${shapeString(lead)}`,
    );
  }
  const parts = readIndexValues(partitions);
  const counts = new Array<number>(num).fill(0);
  parts.forEach((p, i) => {
    if (p < 0 || p >= num) {
      throw invalidArgument(`partitions${indexPosition(lead, i)} = ${p} is not in [0, ${num})`);
    }
    counts[p]!++;
  });
  const inner = data.shape.slice(lead.length);
  const width = numElements(inner) * lanesOf(data.dtype);
  const outs = counts.map((c) => {
    const shape = [c, ...inner];
    return { shape, data: allocIndexable(data.dtype, numElements(shape), shape), next: 0 };
  });
  const src = storage(data);
  parts.forEach((p, i) => {
    const o = outs[p]!;
    for (let k = 0; k < width; k++) o.data[o.next * width + k] = src[i * width + k];
    o.next++;
  });
  return outs.map((o) => new Tensor(data.dtype, o.shape, o.data as unknown as Tensor["data"]));
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
      compute(ctx) {
        dynamicPartition(ctx.input(0), ctx.input(1), num).forEach((t, i) => {
          ctx.setOutput(i, t);
        });
      },
    };
  }),
};
