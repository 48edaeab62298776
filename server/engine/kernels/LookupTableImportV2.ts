// TF's LookupTableImportV2 (core/kernels/lookup_table_op.cc): replaces a mutable table's contents,
// or initializes a HashTable (what tf.lookup.KeyValueTensorInitializer runs in TF 2.21).

import type { OpKernel, OpKernelConstruction } from "../framework/op-kernel.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { importValues, matchSignature, tableInput } from "./util/lookup-table.js";

const create = (c: OpKernelConstruction): OpKernel => ({
  compute(ctx) {
    const table = tableInput(ctx);
    matchSignature(c, table, true, false);
    importValues(table, ctx.input(1), ctx.input(2));
  },
});

export const lookupTableImportV2Config: KernelConfig = {
  op: {
    name: "LookupTableImportV2",
    inputs: ["table_handle: resource", "keys: Tin", "values: Tout"],
    attrs: ["Tin: type", "Tout: type"],
    isStateful: true,
  },
  kernel: cpuKernel("LookupTableImportV2", create),
};

/** The original op: the table named by a Ref(string) [container, name]. */
export const lookupTableImportConfig: KernelConfig = {
  op: {
    name: "LookupTableImport",
    inputs: ["table_handle: Ref(string)", "keys: Tin", "values: Tout"],
    attrs: ["Tin: type", "Tout: type"],
  },
  kernel: cpuKernel("LookupTableImport", create),
};
