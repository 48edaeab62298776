// TF's Barrier, BarrierInsertMany, BarrierTakeMany, BarrierClose, BarrierIncompleteSize and
// BarrierReadySize (core/kernels/barrier_ops.cc) over kernels/util/barrier.ts. The Barrier op
// finds or makes the barrier in the device's ResourceMgr (under shared_name, or a name private to
// the node and owned by its session, as for queues, util/queue-op.ts) and outputs a Ref(string)
// handle, [container, name]; the other ops look the barrier up from it.

import { invalidArgument } from "../framework/errors.js";
import { getAttrBool, getAttrInt, getAttrString, getAttrTypeList } from "../framework/op-def.js";
import type { OpKernelConstruction, OpKernelContext, RefCell } from "../framework/op-kernel.js";
import { ownBySession } from "../framework/resource-mgr.js";
import { shapeString, Tensor } from "../framework/tensor.js";
import { DataType, dataTypeString } from "../framework/types.js";
import { BARRIER_RESOURCE, Barrier } from "./util/barrier.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { shapeListString } from "./util/queue-base.js";
import { checkTimeoutAttr, matchSignature, shapesAttr } from "./util/queue-op.js";
import { lookupResource } from "./util/step-resources.js";

const encoder = new TextEncoder();
const utf8 = new TextDecoder();
let privateIds = 0;

/** TF's VerifyResource: a shared barrier must have the node's types and shapes. */
function verify(
  b: Barrier,
  name: string,
  dtypes: readonly DataType[],
  shapes: readonly (readonly number[])[],
) {
  const types = (ts: readonly DataType[]) => ts.map(dataTypeString).join(", ");
  if (b.dtypes.length !== dtypes.length || b.dtypes.some((t, i) => t !== dtypes[i])) {
    throw invalidArgument(
      `Shared barrier '${name}' has component types ${types(b.dtypes)} but requested component types were ${types(dtypes)}`,
    );
  }
  const same = b.shapes.every(
    (s, i) => s.length === shapes[i]!.length && s.every((d, j) => d === shapes[i]![j]),
  );
  if (!same) {
    throw invalidArgument(
      `Shared barrier '${name}' has component shapes ${shapeListString(b.shapes)} but requested component ` +
        `shapes were ${shapeListString(shapes)}`,
    );
  }
}

function createBarrierOp(c: OpKernelConstruction) {
  const dtypes = getAttrTypeList(c.attrs, "component_types");
  const shapes = shapesAttr(c.attrs) as number[][];
  if (shapes.length !== dtypes.length) throw invalidArgument("All of the component shapes must be specified");
  if (getAttrInt(c.attrs, "capacity") !== -1) {
    throw invalidArgument(
      "Barrier only accepts capacity=-1.  Feed the inputs to your Barrier through a queue to enforce a limited capacity.",
    );
  }
  const container = getAttrString(c.attrs, "container");
  const shared = getAttrString(c.attrs, "shared_name");
  const key = shared !== "" ? shared : `_${c.sessionHandle ?? `f${privateIds++}`}_${c.nodeName}`;
  let cell: RefCell | undefined;
  return {
    compute(ctx: OpKernelContext) {
      const mgr = ctx.step.resources;
      const cont = container === "" ? mgr.defaultContainer : container;
      let name = key;
      const barrier = mgr.lookupOrCreate<Barrier>(cont, key, BARRIER_RESOURCE.name, () => {
        if (shared === "") {
          name = `_${privateIds++}_${c.nodeName}`;
          if (c.sessionHandle !== undefined)
            ownBySession(mgr, c.sessionHandle, cont, key, BARRIER_RESOURCE.name);
        }
        return new Barrier(dtypes, shapes, name);
      });
      verify(barrier, barrier.name, dtypes, shapes);
      const handle = new Tensor(DataType.DT_STRING, [2], [encoder.encode(cont), encoder.encode(key)]);
      cell ??= { value: handle, name: key };
      ctx.setOutputRef(0, cell);
    },
  };
}

/** The barrier named by input 0, a [container, name] string vector. */
function barrierInput(ctx: OpKernelContext): Barrier {
  const t = ctx.input(0);
  if (t.numElements !== 2) {
    throw invalidArgument(
      `Barrier handle must be a 2-element string vector, but had shape: ${shapeString(t.shape)}`,
    );
  }
  const [container, name] = (t.data as Uint8Array[]).map((b) => utf8.decode(b));
  const h = { device: "", container: container!, name: name!, hashCode: BARRIER_RESOURCE.hash };
  return lookupResource<Barrier>(ctx, { ...h, maybeTypeName: BARRIER_RESOURCE.name }, BARRIER_RESOURCE);
}

const scalarInt32 = (n: number) => new Tensor(DataType.DT_INT32, [], Int32Array.of(n));

export const BarrierKernel: KernelConfig = {
  op: {
    name: "Barrier",
    outputs: ["handle: Ref(string)"],
    attrs: [
      "component_types: list(type) >= 1",
      "shapes: list(shape) >= 0 = []",
      "capacity: int = -1",
      "container: string = ''",
      "shared_name: string = ''",
    ],
    isStateful: true,
  },
  kernel: cpuKernel("Barrier", createBarrierOp),
};

export const BarrierInsertManyKernel: KernelConfig = {
  op: {
    name: "BarrierInsertMany",
    inputs: ["handle: Ref(string)", "keys: string", "values: T"],
    attrs: ["T: type", "component_index: int"],
  },
  kernel: cpuKernel("BarrierInsertMany", (c) => {
    const ci = getAttrInt(c.attrs, "component_index");
    return {
      async computeAsync(ctx) {
        const barrier = barrierInput(ctx);
        if (ci >= barrier.dtypes.length) {
          throw invalidArgument(
            `The component ID is out of range ${ci} > num_components (= ${barrier.dtypes.length})`,
          );
        }
        matchSignature(c, [DataType.DT_STRING, barrier.dtypes[ci]!], []);
        await barrier.insertMany(ctx.input(1).data as Uint8Array[], ci, ctx.input(2));
      },
    };
  }),
};

export const BarrierTakeManyKernel: KernelConfig = {
  op: {
    name: "BarrierTakeMany",
    inputs: ["handle: Ref(string)", "num_elements: int32"],
    outputs: ["indices: int64", "keys: string", "values: component_types"],
    attrs: [
      "component_types: list(type) >= 1",
      "allow_small_batch: bool = false",
      "wait_for_incomplete: bool = false",
      "timeout_ms: int = -1",
    ],
  },
  kernel: cpuKernel("BarrierTakeMany", (c) => {
    checkTimeoutAttr(c);
    const allowSmall = getAttrBool(c.attrs, "allow_small_batch");
    return {
      async computeAsync(ctx) {
        const barrier = barrierInput(ctx);
        const n = ctx.input(1);
        if (n.rank !== 0) throw invalidArgument("num_elements must be a scalar.");
        matchSignature(c, [DataType.DT_INT32], [DataType.DT_INT64, DataType.DT_STRING, ...barrier.dtypes]);
        const taken = await barrier.takeMany((n.data as Int32Array)[0]!, allowSmall, ctx.step.signal);
        for (const [i, t] of taken.entries()) ctx.setOutput(i, t);
      },
    };
  }),
};

export const BarrierCloseKernel: KernelConfig = {
  op: {
    name: "BarrierClose",
    inputs: ["handle: Ref(string)"],
    attrs: ["cancel_pending_enqueues: bool = false"],
  },
  kernel: cpuKernel("BarrierClose", (c) => {
    const cancel = getAttrBool(c.attrs, "cancel_pending_enqueues");
    return {
      async computeAsync(ctx) {
        await barrierInput(ctx).close(cancel);
      },
    };
  }),
};

export const BarrierIncompleteSizeKernel: KernelConfig = {
  op: { name: "BarrierIncompleteSize", inputs: ["handle: Ref(string)"], outputs: ["size: int32"] },
  kernel: cpuKernel("BarrierIncompleteSize", () => ({
    compute(ctx) {
      ctx.setOutput(0, scalarInt32(barrierInput(ctx).incompleteSize()));
    },
  })),
};

export const BarrierReadySizeKernel: KernelConfig = {
  op: { name: "BarrierReadySize", inputs: ["handle: Ref(string)"], outputs: ["size: int32"] },
  kernel: cpuKernel("BarrierReadySize", () => ({
    compute(ctx) {
      ctx.setOutput(0, scalarInt32(barrierInput(ctx).readySize()));
    },
  })),
};
