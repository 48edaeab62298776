// Step-scoped resources (TF's ScopedStepContainer + MakePerStepResourceHandle + LookupResource,
// core/framework/resource_mgr.h): stacks and TensorArrays live in the per-step container of their
// device's ResourceMgr ("__per_step_<step_id>"), which the worker removes when the step ends. Their
// DT_RESOURCE handles name that container, so a handle fetched in one step finds nothing in the next.

import { alreadyExists, invalidArgument, notFound } from "../../framework/errors.js";
import type { OpKernelContext } from "../../framework/op-kernel.js";
import { type ResourceMgr, stepContainerName } from "../../framework/resource-mgr.js";
import { type ResourceHandle, Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import { validateDevice } from "./variables.js";

/** A resource type: TF's TypeIndex name (as TF's messages print it) and a stand-in hash code. */
export interface ResourceType {
  readonly name: string;
  readonly hash: bigint;
}

/** Creates `resource` under `key` in this step's container; a second create of a key fails like TF's. */
export function createStepResource<T>(
  ctx: OpKernelContext,
  type: ResourceType,
  key: string,
  resource: T,
): void {
  const mgr = ctx.step.resources;
  const container = stepContainerName(ctx.step.stepId);
  if (mgr.lookup<T>(container, key, type.name) !== undefined) {
    throw alreadyExistsError(container, key, type);
  }
  mgr.lookupOrCreate(container, key, type.name, () => resource);
}

/** Returns the resource under `key` in this step's container, creating it with make() when absent. */
export function lookupOrCreateStepResource<T>(
  ctx: OpKernelContext,
  type: ResourceType,
  key: string,
  make: () => T,
): T {
  return ctx.step.resources.lookupOrCreate(stepContainerName(ctx.step.stepId), key, type.name, make);
}

// Unique names (a process-wide counter in each key) make this unreachable in practice, as in TF.
function alreadyExistsError(container: string, key: string, type: ResourceType): Error {
  return alreadyExists(`Resource ${container}/${key}/${type.name}`);
}

/** A scalar DT_RESOURCE tensor naming `key` in this step's container on this device. */
export function stepResourceHandle(ctx: OpKernelContext, type: ResourceType, key: string): Tensor {
  const h: ResourceHandle = {
    device: ctx.step.device.name,
    container: stepContainerName(ctx.step.stepId),
    name: key,
    hashCode: type.hash,
    maybeTypeName: type.name,
  };
  return new Tensor(DataType.DT_RESOURCE, [], [h]);
}

/** The handle in input i (a scalar resource tensor). */
export function resourceHandleInput(ctx: OpKernelContext, i: number): ResourceHandle {
  const h = (ctx.input(i).data as ResourceHandle[])[0];
  if (h === undefined) throw invalidArgument("Expected a scalar resource handle");
  return h;
}

/**
 * TF's LookupResource: checks the handle's device and type, then finds the resource, with TF's
 * INVALID_ARGUMENT / NOT_FOUND texts.
 */
export function lookupResource<T>(ctx: OpKernelContext, h: ResourceHandle, type: ResourceType): T {
  validateDevice(ctx, h);
  if (h.hashCode !== type.hash) {
    throw invalidArgument(
      `Trying to access resource using the wrong type. Expected ${h.maybeTypeName} got ${type.name}`,
    );
  }
  const mgr = ctx.step.resources;
  const r = mgr.lookup<T>(h.container, h.name, type.name);
  if (r === undefined) throw resourceNotFound(mgr, h.container, h.name, type);
  return r;
}

function resourceNotFound(mgr: ResourceMgr, container: string, name: string, type: ResourceType): Error {
  if (!mgr.containers().includes(container)) {
    return notFound(`Container ${container} does not exist. (Could not find resource: ${container}/${name})`);
  }
  return notFound(`Resource ${container}/${name}/${type.name} does not exist.`);
}
