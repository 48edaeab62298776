// TF's Stage, Unstage, StagePeek, StageSize and StageClear (core/kernels/stage_op.cc): the ops of a
// staging area (kernels/util/staging-area.ts), which each finds or makes in the device's
// ResourceMgr under its container attr and its shared_name, or its own node name when that is
// empty (TF's ContainerInfo with the node name as default): the Python StagingArea gives all its
// ops one shared_name. The area is made with the first op's capacity and memory_limit.

import { internal, invalidArgument } from "../framework/errors.js";
import { getAttrInt, getAttrString, getAttrTypeList } from "../framework/op-def.js";
import type { OpKernelConstruction, OpKernelContext } from "../framework/op-kernel.js";
import { Tensor } from "../framework/tensor.js";
import { DataType, dataTypeString } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import { STAGING_AREA_RESOURCE, type StagedTuple, StagingArea } from "./util/staging-area.js";

/** The attrs of every staging-area op, in TF's order; `dtypes` as the op declares it. */
const stageAttrs = (dtypes: string) => [
  "capacity: int >= 0 = 0",
  "memory_limit: int >= 0 = 0",
  dtypes,
  "container: string = ''",
  "shared_name: string = ''",
];

/** How a node finds its staging area: made on first use, then looked up each run. */
function areaOf(c: OpKernelConstruction): (ctx: OpKernelContext) => StagingArea {
  const capacity = getAttrInt(c.attrs, "capacity");
  const memoryLimit = getAttrInt(c.attrs, "memory_limit");
  const container = getAttrString(c.attrs, "container");
  const shared = getAttrString(c.attrs, "shared_name");
  const name = shared !== "" ? shared : c.nodeName;
  return (ctx) => {
    const mgr = ctx.step.resources;
    return mgr.lookupOrCreate(
      container,
      name,
      STAGING_AREA_RESOURCE.name,
      () => new StagingArea(capacity, memoryLimit),
    );
  };
}

/** Outputs a taken or peeked tuple, which must match the node's dtypes as TF's executor checks. */
function setTuple(c: OpKernelConstruction, ctx: OpKernelContext, tuple: StagedTuple): void {
  const dtypes = getAttrTypeList(c.attrs, "dtypes");
  if (tuple.length !== dtypes.length) {
    throw invalidArgument(`Mismatch stage/unstage: ${tuple.length} vs. ${dtypes.length}`);
  }
  tuple.forEach((t, i) => {
    if (t.dtype !== dtypes[i]) {
      throw internal(
        `Output ${i} of type ${dataTypeString(t.dtype)} does not match declared output type ` +
          `${dataTypeString(dtypes[i]!)} for node {{node ${c.nodeName}}}`,
      );
    }
    ctx.setOutput(i, t);
  });
}

export const StageKernel: KernelConfig = {
  op: {
    name: "Stage",
    inputs: ["values: dtypes"],
    attrs: stageAttrs("dtypes: list(type) >= 1"),
    isStateful: true,
  },
  kernel: cpuKernel("Stage", (c) => {
    const area = areaOf(c);
    return {
      async computeAsync(ctx) {
        const tuple: Tensor[] = [];
        for (let i = 0; i < ctx.numInputs; i++) tuple.push(ctx.input(i));
        await area(ctx).put(tuple, ctx.step.signal);
      },
    };
  }),
};

export const UnstageKernel: KernelConfig = {
  op: {
    name: "Unstage",
    outputs: ["values: dtypes"],
    attrs: stageAttrs("dtypes: list(type) >= 1"),
    isStateful: true,
  },
  kernel: cpuKernel("Unstage", (c) => {
    const area = areaOf(c);
    return {
      async computeAsync(ctx) {
        setTuple(c, ctx, await area(ctx).get(ctx.step.signal));
      },
    };
  }),
};

export const StagePeekKernel: KernelConfig = {
  op: {
    name: "StagePeek",
    inputs: ["index: int32"],
    outputs: ["values: dtypes"],
    attrs: stageAttrs("dtypes: list(type) >= 1"),
    isStateful: true,
  },
  kernel: cpuKernel("StagePeek", (c) => {
    const area = areaOf(c);
    return {
      async computeAsync(ctx) {
        const index = ctx.input(0);
        if (index.rank !== 0) throw invalidArgument("index must be scalar");
        // TF reads the index into a size_t: a negative one waits for an element that never comes.
        const at = (index.data as Int32Array)[0]!;
        setTuple(c, ctx, await area(ctx).peek(at < 0 ? Number.MAX_SAFE_INTEGER : at, ctx.step.signal));
      },
    };
  }),
};

export const StageSizeKernel: KernelConfig = {
  op: {
    name: "StageSize",
    outputs: ["size: int32"],
    attrs: stageAttrs("dtypes: list(type)"),
    isStateful: true,
  },
  kernel: cpuKernel("StageSize", (c) => {
    const area = areaOf(c);
    return {
      compute(ctx) {
        ctx.setOutput(0, new Tensor(DataType.DT_INT32, [], Int32Array.of(area(ctx).size())));
      },
    };
  }),
};

export const StageClearKernel: KernelConfig = {
  op: {
    name: "StageClear",
    attrs: stageAttrs("dtypes: list(type)"),
    isStateful: true,
  },
  kernel: cpuKernel("StageClear", (c) => {
    const area = areaOf(c);
    return {
      compute(ctx) {
        area(ctx).clear();
      },
    };
  }),
};
