// Variable state shared by the variable kernels: TF's LegacyVar (ref variables, VariableV2) and
// Var (resource variables, VarHandleOp) living in the device's ResourceMgr, and TF's lookup errors.
//
// Values held by variables are immutable tensors; updates replace the held tensor (TF's
// copy-on-write mode), so a tensor a reader already got never changes under it.

import { failedPrecondition, invalidArgument, notFound } from "../../framework/errors.js";
import type { OpKernelContext, RefCell } from "../../framework/op-kernel.js";
import type { ResourceMgr } from "../../framework/resource-mgr.js";
import type { ResourceHandle, Tensor } from "../../framework/tensor.js";
import type { DataType } from "../../framework/types.js";

/** TF's TypeIndex name of LegacyVar (the ref variable resource). */
export const LEGACY_VAR_TYPE_NAME = "N10tensorflow9LegacyVarE";
/** TF's TypeIndex name of Var (the resource variable), as it appears in TF's messages. */
export const VAR_TYPE_NAME = "N10tensorflow3VarE";
/** A stable stand-in for TF's TypeIndex hash code of Var. */
export const VAR_TYPE_HASH = 0x3f2a_9b1c_5d7e_4a61n;

/** Declared shapes of ref variables (VariableV2's `shape` attr), when fully defined. */
const declaredShapes = new WeakMap<RefCell, readonly number[]>();

export function setDeclaredShape(cell: RefCell, shape: readonly number[] | undefined): void {
  if (shape !== undefined) declaredShapes.set(cell, shape);
}

/** The shape a ref variable has before initialisation (TF sets it from the shape attr). */
export function declaredShape(cell: RefCell): readonly number[] | undefined {
  return declaredShapes.get(cell);
}

/** TF's Var: a resource variable. `value` is undefined until the first assignment. */
export interface Var {
  dtype: DataType;
  value: Tensor | undefined;
  isInitialized: boolean;
}

/** The handle a resource-variable op received as input 0. */
export function handleFromInput(ctx: OpKernelContext, i = 0): ResourceHandle {
  const t = ctx.input(i);
  const h = (t.data as ResourceHandle[])[0];
  if (h === undefined) throw invalidArgument("Expected a scalar resource handle");
  return h;
}

/** TF's ValidateDevice + ResourceMgr::DoLookup, with TF's NOT_FOUND texts. */
export function lookupVar(ctx: OpKernelContext, h: ResourceHandle): Var {
  validateDevice(ctx, h);
  const mgr = ctx.step.resources;
  const container = h.container === "" ? mgr.defaultContainer : h.container;
  const v = mgr.lookup<Var>(container, h.name, VAR_TYPE_NAME);
  if (v === undefined) throw varNotFound(mgr, container, h.name);
  return v;
}

/**
 * A resource variable that holds a value: TF creates the Var on its first assignment, so before
 * that the lookup itself fails with TF's NOT_FOUND text.
 */
export function initializedVar(ctx: OpKernelContext, h: ResourceHandle): Var & { value: Tensor } {
  const v = lookupVar(ctx, h);
  if (v.value === undefined) {
    const mgr = ctx.step.resources;
    throw varNotFound(mgr, h.container === "" ? mgr.defaultContainer : h.container, h.name);
  }
  return v as Var & { value: Tensor };
}

export function varNotFound(mgr: ResourceMgr, container: string, name: string): Error {
  if (!mgr.containers().includes(container)) {
    return notFound(`Container ${container} does not exist. (Could not find resource: ${container}/${name})`);
  }
  return notFound(`Resource ${container}/${name}/${VAR_TYPE_NAME} does not exist.`);
}

export function validateDevice(ctx: OpKernelContext, h: ResourceHandle): void {
  if (h.device !== "" && h.device !== ctx.step.device.name) {
    throw invalidArgument(
      `Trying to access resource ${h.name} located in device ${h.device} from device ${ctx.step.device.name}`,
    );
  }
}

/** ReadVariableOp's FAILED_PRECONDITION wrapping of a failed lookup. */
export function couldNotFindVariable(h: ResourceHandle, cause: Error): Error {
  return failedPrecondition(
    `Could not find variable ${h.name}. This could mean that the variable has been deleted. ` +
      `In TF1, it can also mean the variable is uninitialized. Debug info: container=${h.container}, ` +
      `status error message=${cause.message}`,
  );
}
