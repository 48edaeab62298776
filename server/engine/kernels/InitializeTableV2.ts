// TF's InitializeTableV2 (core/kernels/lookup_table_init_op.cc): fills a HashTable from a vector of
// keys and a vector of values, once; running it again with as many entries is accepted.

import type { OpKernel, OpKernelConstruction } from "../framework/op-kernel.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import {
  checkInitArguments,
  initializableTableInput,
  initialize,
  matchSignature,
} from "./util/lookup-table.js";

const create = (c: OpKernelConstruction): OpKernel => ({
  compute(ctx) {
    const table = initializableTableInput(ctx);
    matchSignature(c, table, true, false);
    const keys = ctx.input(1);
    const values = ctx.input(2);
    checkInitArguments(keys, values);
    initialize(table, keys, values);
  },
});

export const initializeTableV2Config: KernelConfig = {
  op: {
    name: "InitializeTableV2",
    inputs: ["table_handle: resource", "keys: Tkey", "values: Tval"],
    attrs: ["Tkey: type", "Tval: type"],
    isStateful: true,
  },
  kernel: cpuKernel("InitializeTableV2", create),
};

/** The original op: the table named by a Ref(string) [container, name]. */
export const initializeTableConfig: KernelConfig = {
  op: {
    name: "InitializeTable",
    inputs: ["table_handle: Ref(string)", "keys: Tkey", "values: Tval"],
    attrs: ["Tkey: type", "Tval: type"],
  },
  kernel: cpuKernel("InitializeTable", create),
};
