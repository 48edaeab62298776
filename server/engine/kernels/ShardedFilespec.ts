// TF's ShardedFilespec (core/kernels/save_op.cc ShardedFilespecOp): the glob naming every shard,
// "<basename>-?????-of-<num_shards %05d>".

import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { checkScalars, printf05d } from "./ShardedFilename.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { scalarValue } from "./util/tensor-util.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

export const shardedFilespecConfig: KernelConfig = {
  op: {
    name: "ShardedFilespec",
    inputs: ["basename: string", "num_shards: int32"],
    outputs: ["filename: string"],
  },
  kernel: simpleKernel("ShardedFilespec", (ctx) => {
    checkScalars(ctx, ["basename", "num_shards"]);
    const base = dec.decode((ctx.input(0).data as Uint8Array[])[0]!);
    const spec = `${base}-?????-of-${printf05d(scalarValue(ctx.input(1)))}`;
    ctx.setOutput(0, new Tensor(DataType.DT_STRING, [], [enc.encode(spec)]));
  }),
};
