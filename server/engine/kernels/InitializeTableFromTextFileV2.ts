// TF's InitializeTableFromTextFileV2 (core/kernels/lookup_table_init_op.cc): placeable so graphs
// holding it (tf.lookup.TextFileInitializer) can be created, but refused when run: no tfgate op
// reads the server's filesystem.

import { permissionDenied } from "../framework/errors.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";

const attrs = [
  "key_index: int >= -2",
  "value_index: int >= -2",
  "vocab_size: int >= -1 = -1",
  "delimiter: string = '\\t'",
  "offset: int = 0",
];

function refusal(op: string) {
  return simpleKernel(op, () => {
    throw permissionDenied(
      `${op} is not allowed: tfgate ops never read the server's filesystem; ` +
        "initialize the table from tensors (tf.lookup.KeyValueTensorInitializer) instead",
    );
  });
}

export const initializeTableFromTextFileV2Config: KernelConfig = {
  op: {
    name: "InitializeTableFromTextFileV2",
    inputs: ["table_handle: resource", "filename: string"],
    attrs,
    isStateful: true,
  },
  kernel: refusal("InitializeTableFromTextFileV2"),
};

/** The original op (a Ref(string) table handle), refused alike. */
export const initializeTableFromTextFileConfig: KernelConfig = {
  op: {
    name: "InitializeTableFromTextFile",
    inputs: ["table_handle: Ref(string)", "filename: string"],
    attrs,
  },
  kernel: refusal("InitializeTableFromTextFile"),
};
