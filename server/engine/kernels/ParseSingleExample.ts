// TF's ParseSingleExample (core/kernels/example_parsing_ops.cc): placeable so serving graphs can
// be created; tf.Example parsing is not implemented, so it fails with UNIMPLEMENTED when run.

import { unimplemented } from "../framework/errors.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";

export const parseSingleExampleConfig: KernelConfig = {
  op: {
    name: "ParseSingleExample",
    inputs: ["serialized: string", "dense_defaults: Tdense"],
    outputs: [
      "sparse_indices: num_sparse * int64",
      "sparse_values: sparse_types",
      "sparse_shapes: num_sparse * int64",
      "dense_values: Tdense",
    ],
    attrs: [
      "num_sparse: int >= 0",
      "sparse_keys: list(string) >= 0",
      "dense_keys: list(string) >= 0",
      "sparse_types: list({float,int64,string}) >= 0",
      "Tdense: list({float,int64,string}) >= 0",
      "dense_shapes: list(shape) >= 0",
    ],
  },
  kernel: simpleKernel("ParseSingleExample", () => {
    throw unimplemented(
      "ParseSingleExample is not supported by tfgate: tf.Example parsing is not implemented; feed the parsed tensors instead",
    );
  }),
};
