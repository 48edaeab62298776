// TF's ShardedFilename (core/kernels/save_op.cc ShardedFilenameOp): "<basename>-<shard>-of-<num>"
// with both numbers printed as printf's %05d.

import { invalidArgument } from "../framework/errors.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { scalarValue } from "./util/tensor-util.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** printf("%05d", v): sign first, then zeros to a width of five. */
export function printf05d(v: number): string {
  const digits = String(Math.abs(v));
  const sign = v < 0 ? "-" : "";
  return sign + digits.padStart(5 - sign.length, "0");
}

export function shardedFilename(basename: Uint8Array, shard: number, numShards: number): Uint8Array {
  return enc.encode(`${dec.decode(basename)}-${printf05d(shard)}-of-${printf05d(numShards)}`);
}

export function checkScalars(ctx: { input(i: number): Tensor }, inputs: readonly string[]): void {
  inputs.forEach((input, i) => {
    const shape = ctx.input(i).shape;
    if (shape.length !== 0)
      throw invalidArgument(`${input} must be a scalar, got shape ${shapeString(shape)}`);
  });
}

export const shardedFilenameConfig: KernelConfig = {
  op: {
    name: "ShardedFilename",
    inputs: ["basename: string", "shard: int32", "num_shards: int32"],
    outputs: ["filename: string"],
  },
  kernel: simpleKernel("ShardedFilename", (ctx) => {
    checkScalars(ctx, ["basename", "shard", "num_shards"]);
    const name = shardedFilename(
      (ctx.input(0).data as Uint8Array[])[0]!,
      scalarValue(ctx.input(1)),
      scalarValue(ctx.input(2)),
    );
    ctx.setOutput(0, new Tensor(DataType.DT_STRING, [], [name]));
  }),
};
