// TF's deprecated StringToHashBucket (core/kernels/string_to_hash_bucket_op.cc,
// tf.strings.to_hash_bucket): TF's own Hash64 (core/lib/hash/hash.cc, a MurmurHash64A with seed
// 0xDECAFCAFFE) of each string modulo num_buckets.

import { getAttrInt } from "../framework/op-def.js";
import { hashBuckets } from "./StringToHashBucketFast.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

const M64 = (1n << 64n) - 1n;
const m = 0xc6a4a7935bd1e995n;

/** MurmurHash64A of `s` with TF's default seed. */
export function tfHash64(s: Uint8Array, seed = 0xdecafcaffen): bigint {
  let h = (seed ^ ((BigInt(s.length) * m) & M64)) & M64;
  const full = s.length - (s.length % 8);
  for (let i = 0; i < full; i += 8) {
    let k = 0n;
    for (let b = 7; b >= 0; b--) k = (k << 8n) | BigInt(s[i + b]!);
    k = (k * m) & M64;
    k ^= k >> 47n;
    k = (k * m) & M64;
    h ^= k;
    h = (h * m) & M64;
  }
  if (full < s.length) {
    for (let b = s.length - 1; b >= full; b--) h ^= BigInt(s[b]!) << BigInt(8 * (b - full));
    h = (h * m) & M64;
  }
  h ^= h >> 47n;
  h = (h * m) & M64;
  return h ^ (h >> 47n);
}

export const stringToHashBucketConfig: KernelConfig = {
  op: {
    name: "StringToHashBucket",
    inputs: ["string_tensor: string"],
    outputs: ["output: int64"],
    attrs: ["num_buckets: int >= 1"],
  },
  kernel: cpuKernel("StringToHashBucket", (c) => {
    const buckets = getAttrInt(c.attrs, "num_buckets");
    return {
      compute: (ctx) =>
        ctx.setOutput(
          0,
          hashBuckets(ctx.input(0), buckets, (s) => tfHash64(s)),
        ),
    };
  }),
};
