// TF's MutableHashTableOfTensorsV2 (core/kernels/lookup_table_op.cc): a mutable table whose values
// are vectors of value_shape (what tf.lookup.experimental.MutableHashTable makes for a vector
// default_value); lookups give one vector per key.

import type { KernelConfig } from "./util/kernel-config.js";
import { MUTABLE_HASH_TABLE_TYPES, tableOpKernel } from "./util/lookup-table.js";

const attrs = [
  "container: string = ''",
  "shared_name: string = ''",
  "use_node_name_sharing: bool = false",
  "key_dtype: type",
  "value_dtype: type",
  "value_shape: shape = []",
];

export const mutableHashTableOfTensorsV2Config: KernelConfig = {
  op: {
    name: "MutableHashTableOfTensorsV2",
    outputs: ["table_handle: resource"],
    attrs,
    isStateful: true,
  },
  kernel: tableOpKernel("MutableHashTableOfTensorsV2", "MutableHashTableOfTensors", MUTABLE_HASH_TABLE_TYPES),
};

/** The original op: the same table, named by a Ref(string) [container, name] instead of a resource. */
export const mutableHashTableOfTensorsConfig: KernelConfig = {
  op: {
    name: "MutableHashTableOfTensors",
    outputs: ["table_handle: Ref(string)"],
    attrs,
    isStateful: true,
  },
  kernel: tableOpKernel("MutableHashTableOfTensors", "MutableHashTableOfTensors", MUTABLE_HASH_TABLE_TYPES),
};
