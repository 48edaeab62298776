// TF's HashTableV2 (core/kernels/lookup_table_op.cc): creates or finds a HashTable, a table an
// initializer fills once (InitializeTableV2 / LookupTableImportV2) and that is read-only after.

import type { KernelConfig } from "./util/kernel-config.js";
import { HASH_TABLE_TYPES, tableOpKernel } from "./util/lookup-table.js";

const attrs = [
  "container: string = ''",
  "shared_name: string = ''",
  "use_node_name_sharing: bool = false",
  "key_dtype: type",
  "value_dtype: type",
];

export const hashTableV2Config: KernelConfig = {
  op: {
    name: "HashTableV2",
    outputs: ["table_handle: resource"],
    attrs,
    isStateful: true,
  },
  kernel: tableOpKernel("HashTableV2", "HashTable", HASH_TABLE_TYPES),
};

/** The original op: the same table, named by a Ref(string) [container, name] instead of a resource. */
export const hashTableConfig: KernelConfig = {
  op: { name: "HashTable", outputs: ["table_handle: Ref(string)"], attrs, isStateful: true },
  kernel: tableOpKernel("HashTable", "HashTable", HASH_TABLE_TYPES),
};
