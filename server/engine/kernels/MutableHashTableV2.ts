// TF's MutableHashTableV2 (core/kernels/lookup_table_op.cc): creates or finds a mutable table of
// scalar values (MutableHashTableOfScalars), updated by LookupTableInsertV2 / RemoveV2 / ImportV2.

import type { KernelConfig } from "./util/kernel-config.js";
import { MUTABLE_HASH_TABLE_TYPES, tableOpKernel } from "./util/lookup-table.js";

const attrs = [
  "container: string = ''",
  "shared_name: string = ''",
  "use_node_name_sharing: bool = false",
  "key_dtype: type",
  "value_dtype: type",
];

export const mutableHashTableV2Config: KernelConfig = {
  op: {
    name: "MutableHashTableV2",
    outputs: ["table_handle: resource"],
    attrs,
    isStateful: true,
  },
  kernel: tableOpKernel("MutableHashTableV2", "MutableHashTable", MUTABLE_HASH_TABLE_TYPES),
};

/** The original op: the same table, named by a Ref(string) [container, name] instead of a resource. */
export const mutableHashTableConfig: KernelConfig = {
  op: { name: "MutableHashTable", outputs: ["table_handle: Ref(string)"], attrs, isStateful: true },
  kernel: tableOpKernel("MutableHashTable", "MutableHashTable", MUTABLE_HASH_TABLE_TYPES),
};
