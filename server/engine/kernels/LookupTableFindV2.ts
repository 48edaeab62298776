// TF's LookupTableFindV2 (core/kernels/lookup_table_op.cc): looks up each key, giving the default
// (one scalar, or one per key) for absent keys; an uninitialized HashTable is FAILED_PRECONDITION.

import type { OpKernel, OpKernelConstruction } from "../framework/op-kernel.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { find, matchSignature, tableInput } from "./util/lookup-table.js";

const create = (c: OpKernelConstruction): OpKernel => ({
  compute(ctx) {
    const table = tableInput(ctx);
    matchSignature(c, table, true, true);
    ctx.setOutput(0, find(table, ctx.input(1), ctx.input(2)));
  },
});

export const lookupTableFindV2Config: KernelConfig = {
  op: {
    name: "LookupTableFindV2",
    inputs: ["table_handle: resource", "keys: Tin", "default_value: Tout"],
    outputs: ["values: Tout"],
    attrs: ["Tin: type", "Tout: type"],
    isStateful: true,
  },
  kernel: cpuKernel("LookupTableFindV2", create),
};

/** The original op: the table named by a Ref(string) [container, name]. */
export const lookupTableFindConfig: KernelConfig = {
  op: {
    name: "LookupTableFind",
    inputs: ["table_handle: Ref(string)", "keys: Tin", "default_value: Tout"],
    outputs: ["values: Tout"],
    attrs: ["Tin: type", "Tout: type"],
  },
  kernel: cpuKernel("LookupTableFind", create),
};
