// ParseExample: declared so TF1 graphs that contain a serving signature can be created and placed;
// it fails with UNIMPLEMENTED only if a step actually runs it. (The checkpoint ops that used to live
// here have their own files: SaveV2.ts, RestoreV2.ts, MergeV2Checkpoints.ts, ShardedFilename.ts.)

import { unimplemented } from "../framework/errors.js";
import type { KernelRegistration } from "../framework/op-kernel.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

function notSupported(op: string, what: string): KernelRegistration {
  return cpuKernel(op, () => ({
    compute() {
      throw unimplemented(`${op} is not supported by tfgate: ${what}`);
    },
  }));
}

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
