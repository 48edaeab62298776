// TF's StringToHashBucketFast (core/kernels/string_to_hash_bucket_op.cc,
// tf.strings.to_hash_bucket_fast): FarmHash Fingerprint64 of each string modulo num_buckets.

import { getAttrInt } from "../framework/op-def.js";
import { allocData, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { fingerprint64 } from "./util/farmhash.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

/** Each string's unsigned 64-bit `hash` modulo `buckets`, as an int64 tensor of input's shape. */
export function hashBuckets(input: Tensor, buckets: number, hash: (s: Uint8Array) => bigint): Tensor {
  const src = input.data as Uint8Array[];
  const out = allocData(DataType.DT_INT64, src.length, input.shape) as BigInt64Array;
  const n = BigInt(buckets);
  for (let i = 0; i < src.length; i++) out[i] = hash(src[i]!) % n;
  return new Tensor(DataType.DT_INT64, input.shape, out);
}

export const stringToHashBucketFastConfig: KernelConfig = {
  op: {
    name: "StringToHashBucketFast",
    inputs: ["input: string"],
    outputs: ["output: int64"],
    attrs: ["num_buckets: int >= 1"],
  },
  kernel: cpuKernel("StringToHashBucketFast", (c) => {
    const buckets = getAttrInt(c.attrs, "num_buckets");
    return { compute: (ctx) => ctx.setOutput(0, hashBuckets(ctx.input(0), buckets, fingerprint64)) };
  }),
};
