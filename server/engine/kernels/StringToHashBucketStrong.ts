// TF's StringToHashBucketStrong (core/kernels/string_to_hash_bucket_op.cc,
// tf.strings.to_hash_bucket_strong): keyed SipHash-2-4 of each string modulo num_buckets; the
// key attr is two int64s taken as the unsigned 64-bit key words.

import { invalidArgument } from "../framework/errors.js";
import { getAttrInt, getAttrList } from "../framework/op-def.js";
import { hashBuckets } from "./StringToHashBucketFast.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { sipHash24 } from "./util/siphash.js";

export const stringToHashBucketStrongConfig: KernelConfig = {
  op: {
    name: "StringToHashBucketStrong",
    inputs: ["input: string"],
    outputs: ["output: int64"],
    attrs: ["num_buckets: int >= 1", "key: list(int)"],
  },
  kernel: cpuKernel("StringToHashBucketStrong", (c) => {
    const buckets = getAttrInt(c.attrs, "num_buckets");
    const key = getAttrList(c.attrs, "key").i;
    // TF checks the key when it builds the kernel, so every run of the node fails.
    if (key.length !== 2) throw invalidArgument("Key must have 2 elements");
    const [k0, k1] = [BigInt.asUintN(64, key[0]!), BigInt.asUintN(64, key[1]!)];
    return {
      compute: (ctx) =>
        ctx.setOutput(
          0,
          hashBuckets(ctx.input(0), buckets, (s) => sipHash24(k0, k1, s)),
        ),
    };
  }),
};
