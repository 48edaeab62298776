// TF's MapStage, MapUnstage, MapPeek, MapUnstageNoKey, MapSize, MapIncompleteSize, MapClear and
// their Ordered forms (core/kernels/map_stage_op.cc): the ops of a staging map
// (kernels/util/staging-map.ts), which each finds or makes in the device's ResourceMgr under its
// container attr and its shared_name, or its own node name when that is empty, with the first
// op's dtypes, capacity and memory_limit. The ordered and unordered maps are different resource
// types, as in TF.

import { internal, invalidArgument } from "../framework/errors.js";
import { getAttrInt, getAttrString, getAttrTypeList } from "../framework/op-def.js";
import type { OpKernelConstruction, OpKernelContext } from "../framework/op-kernel.js";
import { Tensor } from "../framework/tensor.js";
import { DataType, dataTypeString } from "../framework/types.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";
import {
  mapKey,
  ORDERED_STAGING_MAP_RESOURCE,
  STAGING_MAP_RESOURCE,
  StagingMap,
} from "./util/staging-map.js";

/** The attrs of every staging-map op, in TF's order; `dtypes` as the op declares it. */
const mapAttrs = (dtypes: string, ...more: string[]) => [
  "capacity: int >= 0 = 0",
  "memory_limit: int >= 0 = 0",
  dtypes,
  ...more,
  "container: string = ''",
  "shared_name: string = ''",
];

/** How a node finds its staging map: made on first use, then looked up each run. */
function mapOf(c: OpKernelConstruction, ordered: boolean): (ctx: OpKernelContext) => StagingMap {
  const capacity = getAttrInt(c.attrs, "capacity");
  const memoryLimit = getAttrInt(c.attrs, "memory_limit");
  const dtypes = getAttrTypeList(c.attrs, "dtypes");
  const container = getAttrString(c.attrs, "container");
  const shared = getAttrString(c.attrs, "shared_name");
  const name = shared !== "" ? shared : c.nodeName;
  const type = ordered ? ORDERED_STAGING_MAP_RESOURCE : STAGING_MAP_RESOURCE;
  return (ctx) =>
    ctx.step.resources.lookupOrCreate(
      container,
      name,
      type.name,
      () => new StagingMap(ordered, dtypes, capacity, memoryLimit),
    );
}

function indicesInput(ctx: OpKernelContext, i: number): number[] {
  return [...(ctx.input(i).data as Int32Array)];
}

/** Outputs taken components from output `first` on; each must have the node's declared dtype. */
function setComponents(
  c: OpKernelConstruction,
  ctx: OpKernelContext,
  ts: readonly Tensor[],
  first: number,
): void {
  const dtypes = getAttrTypeList(c.attrs, "dtypes");
  if (ts.length !== dtypes.length) {
    throw invalidArgument(`output/indices size mismatch: ${ts.length} vs. ${dtypes.length}`);
  }
  ts.forEach((t, i) => {
    if (t.dtype !== dtypes[i]) {
      throw internal(
        `Output ${first + i} of type ${dataTypeString(t.dtype)} does not match declared output type ` +
          `${dataTypeString(dtypes[i]!)} for node {{node ${c.nodeName}}}`,
      );
    }
    ctx.setOutput(first + i, t);
  });
}

/** The op of one kind (ordered or not): "Map…" or "OrderedMap…". */
const opName = (ordered: boolean, base: string) => (ordered ? `Ordered${base}` : base);

function stageKernel(ordered: boolean): KernelConfig {
  const name = opName(ordered, "MapStage");
  return {
    op: {
      name,
      inputs: ["key: int64", "indices: int32", "values: fake_dtypes"],
      attrs: mapAttrs("dtypes: list(type)", "fake_dtypes: list(type) >= 1"),
      isStateful: true,
    },
    kernel: cpuKernel(name, (c) => {
      const map = mapOf(c, ordered);
      return {
        async computeAsync(ctx) {
          const key = mapKey(ctx.input(0));
          const values: Tensor[] = [];
          for (let i = 2; i < ctx.numInputs; i++) values.push(ctx.input(i));
          await map(ctx).put(key, indicesInput(ctx, 1), values, ctx.step.signal);
        },
      };
    }),
  };
}

function takeKernel(ordered: boolean, base: "MapUnstage" | "MapPeek"): KernelConfig {
  const name = opName(ordered, base);
  return {
    op: {
      name,
      inputs: ["key: int64", "indices: int32"],
      outputs: ["values: dtypes"],
      attrs: mapAttrs("dtypes: list(type) >= 1"),
      isStateful: true,
    },
    kernel: cpuKernel(name, (c) => {
      const map = mapOf(c, ordered);
      const copy = base === "MapPeek";
      return {
        async computeAsync(ctx) {
          const key = mapKey(ctx.input(0));
          const taken = await map(ctx).take(key, indicesInput(ctx, 1), copy, ctx.step.signal);
          setComponents(c, ctx, taken, 0);
        },
      };
    }),
  };
}

function takeAnyKernel(ordered: boolean): KernelConfig {
  const name = opName(ordered, "MapUnstageNoKey");
  return {
    op: {
      name,
      inputs: ["indices: int32"],
      outputs: ["key: int64", "values: dtypes"],
      attrs: mapAttrs("dtypes: list(type) >= 1"),
      isStateful: true,
    },
    kernel: cpuKernel(name, (c) => {
      const map = mapOf(c, ordered);
      return {
        async computeAsync(ctx) {
          const [key, taken] = await map(ctx).takeAny(indicesInput(ctx, 0), ctx.step.signal);
          ctx.setOutput(0, new Tensor(DataType.DT_INT64, [], BigInt64Array.of(key)));
          setComponents(c, ctx, taken, 1);
        },
      };
    }),
  };
}

function sizeKernel(ordered: boolean, base: "MapSize" | "MapIncompleteSize"): KernelConfig {
  const name = opName(ordered, base);
  return {
    op: { name, outputs: ["size: int32"], attrs: mapAttrs("dtypes: list(type)"), isStateful: true },
    kernel: cpuKernel(name, (c) => {
      const map = mapOf(c, ordered);
      return {
        compute(ctx) {
          const m = map(ctx);
          const n = base === "MapSize" ? m.size() : m.incompleteSize();
          ctx.setOutput(0, new Tensor(DataType.DT_INT32, [], Int32Array.of(n)));
        },
      };
    }),
  };
}

function clearKernel(ordered: boolean): KernelConfig {
  const name = opName(ordered, "MapClear");
  return {
    op: { name, attrs: mapAttrs("dtypes: list(type)"), isStateful: true },
    kernel: cpuKernel(name, (c) => {
      const map = mapOf(c, ordered);
      return {
        compute(ctx) {
          map(ctx).clear();
        },
      };
    }),
  };
}

export const MapStageKernel = stageKernel(false);
export const MapUnstageKernel = takeKernel(false, "MapUnstage");
export const MapPeekKernel = takeKernel(false, "MapPeek");
export const MapUnstageNoKeyKernel = takeAnyKernel(false);
export const MapSizeKernel = sizeKernel(false, "MapSize");
export const MapIncompleteSizeKernel = sizeKernel(false, "MapIncompleteSize");
export const MapClearKernel = clearKernel(false);
export const OrderedMapStageKernel = stageKernel(true);
export const OrderedMapUnstageKernel = takeKernel(true, "MapUnstage");
export const OrderedMapPeekKernel = takeKernel(true, "MapPeek");
export const OrderedMapUnstageNoKeyKernel = takeAnyKernel(true);
export const OrderedMapSizeKernel = sizeKernel(true, "MapSize");
export const OrderedMapIncompleteSizeKernel = sizeKernel(true, "MapIncompleteSize");
export const OrderedMapClearKernel = clearKernel(true);
