// TF's queue kernels' shared parts (core/kernels/queue_op.{h,cc}, resource_op_kernel.h): the
// creating ops (FIFOQueue, PaddingFIFOQueue, RandomShuffleQueue, PriorityQueue and their V2 forms)
// find or make the queue in the device's ResourceMgr, under container/shared_name, and output its
// handle (V2: a DT_RESOURCE handle; the original ops: a Ref(string) holding [container, name]);
// the access ops (enqueue, dequeue, close, size) look the queue up from that handle.
//
// A queue with an empty shared_name is private to its node: TF names it "_<unique id>_<node>" and
// deletes it with the session's kernel. Partitions (and kernels) are made here per step signature,
// so the resource is keyed by the session, which owns it (released when the session closes), and
// the "_<id>_<node>" name TF's messages print is given when the queue is made.

import type { CallerSignal } from "../../framework/call-cancellation.js";
import { invalidArgument } from "../../framework/errors.js";
import {
  type AttrMap,
  getAttrInt,
  getAttrList,
  getAttrString,
  getAttrTypeList,
} from "../../framework/op-def.js";
import type {
  KernelRegistration,
  OpKernelConstruction,
  OpKernelContext,
  RefCell,
} from "../../framework/op-kernel.js";
import { ownBySession } from "../../framework/resource-mgr.js";
import { type ResourceHandle, shapeString, Tensor } from "../../framework/tensor.js";
import { DataType, dataTypeString, isRefType } from "../../framework/types.js";
import { cpuKernel, type KernelConfig } from "./kernel-config.js";
import { type PartialShape, QUEUE_TYPE, type Queue, shapeListString, UNBOUNDED } from "./queue-base.js";
import { lookupResource, resourceHandleInput } from "./step-resources.js";

/** The attrs every queue-creating op has. */
export const QUEUE_ATTRS = [
  "component_types: list(type) >= 1",
  "shapes: list(shape) >= 0 = []",
  "capacity: int = -1",
  "container: string = ''",
  "shared_name: string = ''",
] as const;

/** What a creating node asks for, as its attrs say. */
export interface QueueRequest {
  readonly op: string;
  readonly nodeName: string;
  readonly capacity: number;
  readonly dtypes: readonly DataType[];
  readonly shapes: readonly PartialShape[];
  readonly attrs: AttrMap;
}

/** The shapes attr: dims as numbers, -1 where unknown. */
export function shapesAttr(attrs: AttrMap): PartialShape[] {
  return getAttrList(attrs, "shapes").shape.map((s) =>
    s.unknownRank ? [] : s.dim.map((d) => Number(d.size)),
  );
}

/** Process-wide numbering of private queues, as TF's ResourceMgr::GenerateUniqueId. */
let nextQueueId = 0;

/** The op's queue kind with the V2 suffix dropped ("FIFOQueueV2" → "FIFOQueue"). */
const baseOp = (op: string) => op.replace(/V2$/, "");

/**
 * A creating op's kernel: `make` builds the queue (name given) and `matches` checks a shared
 * queue found under the same name against this node (TF's MatchesNodeDef); `adjust` turns the
 * attrs' request into the queue's (PriorityQueue puts its int64 priority first).
 */
export function queueOpKernel(
  op: string,
  make: (r: QueueRequest, name: string) => Queue,
  matches: (q: Queue, r: QueueRequest) => void = () => {},
  adjust: (r: QueueRequest) => QueueRequest = (r) => r,
): KernelRegistration {
  return cpuKernel(op, (c) => {
    const capacityAttr = getAttrInt(c.attrs, "capacity");
    const request: QueueRequest = adjust({
      op: c.op,
      nodeName: c.nodeName,
      capacity: capacityAttr < 0 ? UNBOUNDED : capacityAttr,
      dtypes: getAttrTypeList(c.attrs, "component_types"),
      shapes: shapesAttr(c.attrs),
      attrs: c.attrs,
    });
    const container = getAttrString(c.attrs, "container");
    const shared = getAttrString(c.attrs, "shared_name");
    const key = shared !== "" ? shared : privateKey(c);
    let refCell: RefCell | undefined;
    // Construction-time checks run once the queue kind's own checks (make) are known to pass.
    make(request, key).validate();
    return {
      compute(ctx) {
        const mgr = ctx.step.resources;
        const cont = container === "" ? mgr.defaultContainer : container;
        const queue = mgr.lookupOrCreate<Queue>(cont, key, QUEUE_TYPE.name, () => {
          const name = shared !== "" ? shared : `_${nextQueueId++}_${c.nodeName}`;
          if (shared === "" && c.sessionHandle !== undefined) {
            ownBySession(mgr, c.sessionHandle, cont, key, QUEUE_TYPE.name);
          }
          return make(request, name);
        });
        // TF checks the node against the queue even right after making it (VerifyResource).
        matchesNodeDef(queue, request, matches);
        if (c.outputTypes[0] !== DataType.DT_RESOURCE) {
          refCell ??= { value: handleStrings(cont, key), name: key };
          ctx.setOutputRef(0, refCell);
          return;
        }
        ctx.setOutput(
          0,
          new Tensor(DataType.DT_RESOURCE, [], [queueHandle(ctx.step.device.name, cont, key)]),
        );
      },
    };
  });
}

function privateKey(c: OpKernelConstruction): string {
  return c.sessionHandle !== undefined
    ? `_${c.sessionHandle}_${c.nodeName}`
    : `_f${nextQueueId++}_${c.nodeName}`;
}

/** QueueBase::MatchesNodeDef*: a shared queue must be what this node would have made. */
function matchesNodeDef(q: Queue, r: QueueRequest, matches: (q: Queue, r: QueueRequest) => void): void {
  if (q.kind !== baseOp(r.op)) throw invalidArgument(`Expected ${q.kind}, found ${r.op}`);
  if (q.capacity !== r.capacity) {
    throw invalidArgument(
      `Shared queue '${q.name}' has capacity ${q.capacity} but requested capacity was ${r.capacity}`,
    );
  }
  matches(q, r);
  const sameTypes = q.dtypes.length === r.dtypes.length && q.dtypes.every((t, i) => t === r.dtypes[i]);
  if (!sameTypes) {
    throw invalidArgument(
      `Shared queue '${q.name}' has component types ${q.dtypes.map(dataTypeString).join(", ")} ` +
        `but requested component types were ${r.dtypes.map(dataTypeString).join(", ")}`,
    );
  }
  const sameShapes =
    q.shapes.length === r.shapes.length &&
    q.shapes.every((s, i) => s.length === r.shapes[i]!.length && s.every((d, j) => d === r.shapes[i]![j]));
  if (!sameShapes) {
    throw invalidArgument(
      `Shared queue '${q.name}' has component shapes ${shapeListString(q.shapes)} ` +
        `but requested component shapes were ${shapeListString(r.shapes)}`,
    );
  }
}

function queueHandle(device: string, container: string, name: string): ResourceHandle {
  return { device, container, name, hashCode: QUEUE_TYPE.hash, maybeTypeName: QUEUE_TYPE.name };
}

const encoder = new TextEncoder();
const utf8 = new TextDecoder();

function handleStrings(container: string, name: string): Tensor {
  return new Tensor(DataType.DT_STRING, [2], [encoder.encode(container), encoder.encode(name)]);
}

/** The queue named by input 0: a resource handle, or the [container, name] of the ref form. */
export function queueInput(ctx: OpKernelContext): Queue {
  const t = ctx.input(0);
  if (t.dtype === DataType.DT_RESOURCE)
    return lookupResource<Queue>(ctx, resourceHandleInput(ctx, 0), QUEUE_TYPE);
  if (t.numElements !== 2) {
    throw invalidArgument(
      `Queue handle must be a 2-element string vector, but had shape: ${shapeString(t.shape)}`,
    );
  }
  const [container, name] = (t.data as Uint8Array[]).map((b) => utf8.decode(b));
  return lookupResource<Queue>(ctx, queueHandle("", container!, name!), QUEUE_TYPE);
}

/**
 * OpKernelContext::MatchSignature: the node's input types must be the handle then `inputs`, and
 * its outputs `outputs` (the queue's component types where the op has them).
 */
export function matchSignature(
  c: OpKernelConstruction,
  inputs: readonly DataType[],
  outputs: readonly DataType[],
): void {
  const handle = isRefType(c.inputTypes[0]!) ? DataType.DT_STRING_REF : DataType.DT_RESOURCE;
  const expectedIn = [handle, ...inputs];
  const same = (a: readonly DataType[], b: readonly DataType[]) =>
    a.length === b.length && a.every((t, i) => t === b[i]);
  if (same(c.inputTypes, expectedIn) && same(c.outputTypes, outputs)) return;
  const list = (ts: readonly DataType[]) => ts.map(dataTypeString).join(", ");
  throw invalidArgument(
    `Signature mismatch, have: ${list(c.inputTypes)}->${list(c.outputTypes)} expected: ${list(expectedIn)}->${list(outputs)}`,
  );
}

/** QueueAccessOpKernel: TF accepts only timeout_ms = -1 (no per-op timeouts). */
export function checkTimeoutAttr(c: OpKernelConstruction): void {
  if (getAttrInt(c.attrs, "timeout_ms") !== -1) throw invalidArgument("Timeout not supported yet.");
}

/** The data inputs after the handle (the components of an enqueue). */
export function componentInputs(ctx: OpKernelContext): Tensor[] {
  const out: Tensor[] = [];
  for (let i = 1; i < ctx.numInputs; i++) out.push(ctx.input(i));
  return out;
}

/**
 * An enqueue op in both forms, `<name>V2` on a resource handle and `<name>` on a Ref(string)
 * handle (EnqueueOp and EnqueueManyOp): check the tuple against the queue's dtypes, then let `put`
 * validate and wait for room, closing (CANCELLED) or the step's cancellation.
 */
export function enqueueOpConfigs(
  name: string,
  put: (queue: Queue, tuple: Tensor[], signal: CallerSignal) => Promise<void>,
): [v2: KernelConfig, ref: KernelConfig] {
  const attrs = ["Tcomponents: list(type) >= 1", "timeout_ms: int = -1"];
  const create = (c: OpKernelConstruction) => {
    checkTimeoutAttr(c);
    return {
      async computeAsync(ctx: OpKernelContext) {
        const queue = queueInput(ctx);
        matchSignature(c, queue.dtypes, []);
        await put(queue, componentInputs(ctx), ctx.step.signal);
      },
    };
  };
  const config = (opName: string, handle: string, isStateful: boolean): KernelConfig => ({
    op: { name: opName, inputs: [`handle: ${handle}`, "components: Tcomponents"], attrs, isStateful },
    kernel: cpuKernel(opName, create),
  });
  return [config(`${name}V2`, "resource", true), config(name, "Ref(string)", false)];
}
