// TF's VarIsInitializedOp and DestroyResourceOp (core/kernels/resource_variable_ops.cc).

import { isTfError } from "../framework/errors.js";
import { getAttrBool } from "../framework/op-def.js";
import { scalar } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { cpuKernel, type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { handleFromInput, lookupVar, VAR_TYPE_NAME, varNotFound } from "./util/variables.js";

export const varIsInitializedOpConfig: KernelConfig = {
  op: {
    name: "VarIsInitializedOp",
    inputs: ["resource: resource"],
    outputs: ["is_initialized: bool"],
    isStateful: true,
  },
  kernel: simpleKernel("VarIsInitializedOp", (ctx) => {
    let initialized = false;
    try {
      initialized = lookupVar(ctx, handleFromInput(ctx)).isInitialized;
    } catch (e) {
      if (!isTfError(e)) throw e;
    }
    ctx.setOutput(0, scalar(DataType.DT_BOOL, initialized));
  }),
};

export const destroyResourceOpConfig: KernelConfig = {
  op: {
    name: "DestroyResourceOp",
    inputs: ["resource: resource"],
    attrs: ["ignore_lookup_error: bool = true"],
    isStateful: true,
  },
  kernel: cpuKernel("DestroyResourceOp", (c) => {
    const ignore = getAttrBool(c.attrs, "ignore_lookup_error");
    return {
      compute(ctx) {
        const h = handleFromInput(ctx);
        const mgr = ctx.step.resources;
        const container = h.container === "" ? mgr.defaultContainer : h.container;
        const typeName = h.maybeTypeName !== "" ? h.maybeTypeName : VAR_TYPE_NAME;
        if (!mgr.delete(container, h.name, typeName) && !ignore) throw varNotFound(mgr, container, h.name);
      },
    };
  }),
};
