// TF's InitializeTableFromTextFileV2 (core/kernels/lookup_table_init_op.cc): placeable so graphs
// holding it (tf.lookup.TextFileInitializer) can be created, but refused when run: no tfgate op
// reads the server's filesystem.

import { permissionDenied } from "../framework/errors.js";
import { type KernelConfig, simpleKernel } from "./kernel-config.js";

export const initializeTableFromTextFileV2Config: KernelConfig = {
  op: {
    name: "InitializeTableFromTextFileV2",
    inputs: ["table_handle: resource", "filename: string"],
    attrs: [
      "key_index: int >= -2",
      "value_index: int >= -2",
      "vocab_size: int >= -1 = -1",
      "delimiter: string = '\\t'",
      "offset: int = 0",
    ],
    isStateful: true,
  },
  kernel: simpleKernel("InitializeTableFromTextFileV2", () => {
    throw permissionDenied(
      "InitializeTableFromTextFileV2 is not allowed: tfgate ops never read the server's filesystem; " +
        "initialize the table from tensors (tf.lookup.KeyValueTensorInitializer) instead",
    );
  }),
};
