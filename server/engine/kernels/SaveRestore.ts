// TF's checkpoint ops (core/kernels/save_restore_v2_ops.cc) and ParseExample: declared so TF1
// graphs that contain a Saver or a serving signature can be created and placed. ShardedFilename is
// implemented; the rest fail with UNIMPLEMENTED only if a step actually runs them (tfgate has no
// checkpoint file system).

import { invalidArgument, unimplemented } from "../framework/errors.js";
import type { KernelRegistration } from "../framework/op-kernel.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { scalarValue } from "./util/tensor-util.js";

function notSupported(op: string, what: string): KernelRegistration {
  return cpuKernel(op, () => ({
    compute() {
      throw unimplemented(`${op} is not supported by tfgate: ${what}`);
    },
  }));
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** TF's ShardedFilename: "<basename>-<shard %05d>-of-<num_shards %05d>". */
export function shardedFilename(basename: Uint8Array, shard: number, numShards: number): Uint8Array {
  const pad = (v: number) => String(v).padStart(5, "0");
  return enc.encode(`${dec.decode(basename)}-${pad(shard)}-of-${pad(numShards)}`);
}

export const shardedFilenameConfig: KernelConfig = {
  op: {
    name: "ShardedFilename",
    inputs: ["basename: string", "shard: int32", "num_shards: int32"],
    outputs: ["filename: string"],
  },
  kernel: simpleKernel("ShardedFilename", (ctx) => {
    ["basename", "shard", "num_shards"].forEach((input, i) => {
      const shape = ctx.input(i).shape;
      if (shape.length !== 0)
        throw invalidArgument(`${input} must be a scalar, got shape ${shapeString(shape)}`);
    });
    const name = shardedFilename(
      (ctx.input(0).data as Uint8Array[])[0]!,
      scalarValue(ctx.input(1)),
      scalarValue(ctx.input(2)),
    );
    ctx.setOutput(0, new Tensor(DataType.DT_STRING, [], [name]));
  }),
};

export const saveV2Config: KernelConfig = {
  op: {
    name: "SaveV2",
    inputs: ["prefix: string", "tensor_names: string", "shape_and_slices: string", "tensors: dtypes"],
    attrs: ["dtypes: list(type) >= 1"],
    isStateful: true,
  },
  kernel: notSupported("SaveV2", "checkpoints cannot be written"),
};

export const restoreV2Config: KernelConfig = {
  op: {
    name: "RestoreV2",
    inputs: ["prefix: string", "tensor_names: string", "shape_and_slices: string"],
    outputs: ["tensors: dtypes"],
    attrs: ["dtypes: list(type) >= 1"],
    isStateful: true,
  },
  kernel: notSupported("RestoreV2", "checkpoints cannot be read"),
};

export const mergeV2CheckpointsConfig: KernelConfig = {
  op: {
    name: "MergeV2Checkpoints",
    inputs: ["checkpoint_prefixes: string", "destination_prefix: string"],
    attrs: ["delete_old_dirs: bool = true", "allow_missing_files: bool = false"],
    isStateful: true,
  },
  kernel: notSupported("MergeV2Checkpoints", "checkpoints cannot be written"),
};

export const parseExampleConfig: KernelConfig = {
  op: {
    name: "ParseExample",
    inputs: [
      "serialized: string",
      "names: string",
      "sparse_keys: Nsparse * string",
      "dense_keys: Ndense * string",
      "dense_defaults: Tdense",
    ],
    outputs: [
      "sparse_indices: Nsparse * int64",
      "sparse_values: sparse_types",
      "sparse_shapes: Nsparse * int64",
      "dense_values: Tdense",
    ],
    attrs: [
      "Nsparse: int >= 0",
      "Ndense: int >= 0",
      "sparse_types: list({float,int64,string}) >= 0",
      "Tdense: list({float,int64,string}) >= 0",
      "dense_shapes: list(shape) >= 0",
    ],
  },
  kernel: notSupported(
    "ParseExample",
    "tf.Example parsing is not implemented; feed the parsed tensors instead",
  ),
};
