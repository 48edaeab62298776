// TF's LookupTableInsertV2 (core/kernels/lookup_table_op.cc): inserts or overwrites entries of a
// mutable table; HashTables are read-only (UNIMPLEMENTED).

import type { OpKernel, OpKernelConstruction } from "../framework/op-kernel.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { insert, matchSignature, tableInput } from "./util/lookup-table.js";

const create = (c: OpKernelConstruction): OpKernel => ({
  compute(ctx) {
    const table = tableInput(ctx);
    matchSignature(c, table, true, false);
    insert(table, ctx.input(1), ctx.input(2));
  },
});

export const lookupTableInsertV2Config: KernelConfig = {
  op: {
    name: "LookupTableInsertV2",
    inputs: ["table_handle: resource", "keys: Tin", "values: Tout"],
    attrs: ["Tin: type", "Tout: type"],
    isStateful: true,
  },
  kernel: cpuKernel("LookupTableInsertV2", create),
};

/** The original op: the table named by a Ref(string) [container, name]. */
export const lookupTableInsertConfig: KernelConfig = {
  op: {
    name: "LookupTableInsert",
    inputs: ["table_handle: Ref(string)", "keys: Tin", "values: Tout"],
    attrs: ["Tin: type", "Tout: type"],
  },
  kernel: cpuKernel("LookupTableInsert", create),
};
