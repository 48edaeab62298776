// TF's VariableV2 and legacy Variable (core/kernels/variable_ops.cc VariableOp): a ref to a mutable
// tensor held in the device's ResourceMgr under (container attr or the default container,
// shared_name or the node name). The variable survives steps; Reset(container) drops it.

import { type AttrMap, getAttrString, getAttrType } from "../framework/op-def.js";
import type { RefCell } from "../framework/op-kernel.js";
import type { ResourceMgr } from "../framework/resource-mgr.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { LEGACY_VAR_TYPE_NAME, setDeclaredShape } from "./util/variables.js";

/** A fully defined shape attr as numbers; undefined for unknown rank or unknown dimensions. */
export function definedShapeAttr(attrs: AttrMap, name: string): number[] | undefined {
  const v = attrs[name];
  if (v === undefined || v.value.case !== "shape" || v.value.value.unknownRank) return undefined;
  const dims = v.value.value.dim.map((d) => Number(d.size));
  return dims.some((d) => d < 0) ? undefined : dims;
}

/** Finds or creates the LegacyVar cell of a variable node. */
export function legacyVar(
  mgr: ResourceMgr,
  container: string,
  name: string,
  shape: readonly number[] | undefined,
): RefCell {
  return mgr.lookupOrCreate<RefCell>(container, name, LEGACY_VAR_TYPE_NAME, () => {
    const cell: RefCell = { value: undefined, name };
    setDeclaredShape(cell, shape);
    return cell;
  });
}

function variableKernel(op: string) {
  return cpuKernel(op, (c) => {
    getAttrType(c.attrs, "dtype");
    const shape = definedShapeAttr(c.attrs, "shape");
    const container = getAttrString(c.attrs, "container");
    const sharedName = getAttrString(c.attrs, "shared_name");
    const name = sharedName !== "" ? sharedName : c.nodeName;
    return {
      compute(ctx) {
        ctx.setOutputRef(0, legacyVar(ctx.step.resources, container, name, shape));
      },
    };
  });
}

const attrs = ["shape: shape", "dtype: type", "container: string = ''", "shared_name: string = ''"];

export const variableV2Config: KernelConfig = {
  op: { name: "VariableV2", outputs: ["ref: Ref(dtype)"], attrs, isStateful: true },
  kernel: variableKernel("VariableV2"),
};

export const variableConfig: KernelConfig = {
  op: { name: "Variable", outputs: ["ref: Ref(dtype)"], attrs, isStateful: true },
  kernel: variableKernel("Variable"),
};
