// TF's CacheDataset and CacheDatasetV2 with an in-memory cache (core/kernels/data/cache_dataset_ops.cc
// MemoryDataset): the first iterator that reads the input to its end fills the cache, and later
// iterators (each repetition of a repeated cached dataset) replay it without running the input
// again. An iterator that stops early leaves the cache empty. A cache file (a non-empty filename)
// needs the operator's file sandbox.
//
// The elements cached count in the server's memory ceiling with the pass of the iterator that read
// them (a `Holding`): the pass keeps the dataset, and so the cache, alive.
//
// CacheDatasetV2 takes a memory-cache resource: a dummy one (what graphs get) means the dataset's
// own cache; an anonymous one (AnonymousMemoryCache) is shared by the datasets given it.

import { unimplemented } from "../framework/errors.js";
import type { OpKernelContext } from "../framework/op-kernel.js";
import { uniqueResourceName } from "../framework/resource-mgr.js";
import { Tensor } from "../framework/tensor.js";
import { DataType } from "../framework/types.js";
import { EMPTY_VARIANT } from "../framework/variant.js";
import {
  arrayIterator,
  Dataset,
  type DatasetIterator,
  datasetInput,
  datasetOp,
  type Element,
  Holding,
  outputSignature,
} from "./util/dataset.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { lookupResource, type ResourceType, resourceHandleInput } from "./util/step-resources.js";

/** TF's MemoryCache: the cached elements once an iterator has read the whole input. */
export interface MemoryCache {
  elements: readonly Element[] | undefined;
  /** How the cached elements are counted (kept with them, so they count as long as they live). */
  holding?: Holding | undefined;
}

/** TF's MemoryCacheManager resource type. */
export const MEMORY_CACHE_RESOURCE: ResourceType = {
  name: "N10tensorflow4data18MemoryCacheManagerE",
  hash: 0x6d65_6d63_6163_6865n,
};

const DUMMY_MEMORY_CACHE_NAME = "DummyMemoryCache";

class CacheDatasetValue extends Dataset {
  readonly name = "CacheDataset";

  constructor(
    private readonly input: Dataset,
    private readonly cache: MemoryCache,
    signature: { dtypes: Dataset["dtypes"]; shapes: Dataset["shapes"] },
  ) {
    super(signature.dtypes, signature.shapes);
  }

  cardinality(): number {
    return this.input.cardinality();
  }

  makeIterator(): DatasetIterator {
    const cached = this.cache.elements;
    if (cached !== undefined) return arrayIterator(cached);
    const input = this.input.makeIterator();
    const seen: Element[] = [];
    const holding = new Holding();
    let done = false;
    return {
      next: async (ictx) => {
        if (done) return undefined;
        const e = await input.next(ictx);
        if (e === undefined) {
          done = true;
          if (this.cache.elements === undefined) {
            this.cache.elements = seen;
            this.cache.holding = holding;
          }
          return undefined;
        }
        seen.push(e);
        holding.change(ictx, e, 1);
        return e;
      },
    };
  }
}

function filenameArgument(ctx: OpKernelContext): void {
  const t = ctx.input(1);
  const name = (t.data as Uint8Array[])[0];
  if (name !== undefined && name.length > 0) {
    throw unimplemented(
      "CacheDataset: caching to a file is not supported; use an in-memory cache (filename '').",
    );
  }
}

const CACHE_ATTRS = [
  "output_types: list(type) >= 1",
  "output_shapes: list(shape) >= 1",
  "metadata: string = ''",
];

export const CacheDatasetKernel = datasetOp(
  {
    name: "CacheDataset",
    inputs: ["input_dataset: variant", "filename: string"],
    outputs: ["handle: variant"],
    attrs: CACHE_ATTRS,
  },
  (c) => {
    const signature = outputSignature(c);
    return (ctx) => {
      const input = datasetInput(ctx, 0);
      filenameArgument(ctx);
      return new CacheDatasetValue(input, { elements: undefined }, signature);
    };
  },
);

export const CacheDatasetV2Kernel = datasetOp(
  {
    name: "CacheDatasetV2",
    inputs: ["input_dataset: variant", "filename: string", "cache: resource"],
    outputs: ["handle: variant"],
    attrs: CACHE_ATTRS,
    isStateful: true,
  },
  (c) => {
    const signature = outputSignature(c);
    return (ctx) => {
      const input = datasetInput(ctx, 0);
      filenameArgument(ctx);
      const h = resourceHandleInput(ctx, 2);
      const cache =
        h.name === DUMMY_MEMORY_CACHE_NAME
          ? { elements: undefined }
          : lookupResource<MemoryCache>(ctx, h, MEMORY_CACHE_RESOURCE);
      return new CacheDatasetValue(input, cache, signature);
    };
  },
);

function cacheHandle(device: string, container: string, name: string): Tensor {
  return new Tensor(
    DataType.DT_RESOURCE,
    [],
    [
      {
        device,
        container,
        name,
        hashCode: MEMORY_CACHE_RESOURCE.hash,
        maybeTypeName: MEMORY_CACHE_RESOURCE.name,
      },
    ],
  );
}

export const DummyMemoryCacheKernel: KernelConfig = {
  op: { name: "DummyMemoryCache", outputs: ["handle: resource"], isStateful: true },
  kernel: simpleKernel("DummyMemoryCache", (ctx) =>
    ctx.setOutput(0, cacheHandle(ctx.step.device.name, "", DUMMY_MEMORY_CACHE_NAME)),
  ),
};

export const AnonymousMemoryCacheKernel: KernelConfig = {
  op: { name: "AnonymousMemoryCache", outputs: ["handle: resource", "deleter: variant"], isStateful: true },
  kernel: simpleKernel("AnonymousMemoryCache", (ctx) => {
    const mgr = ctx.step.resources;
    const name = uniqueResourceName("_AnonymousMemoryCache");
    mgr.lookupOrCreate<MemoryCache>(mgr.defaultContainer, name, MEMORY_CACHE_RESOURCE.name, () => ({
      elements: undefined,
    }));
    ctx.setOutput(0, cacheHandle(ctx.step.device.name, mgr.defaultContainer, name));
    ctx.setOutput(1, new Tensor(DataType.DT_VARIANT, [], [EMPTY_VARIANT]));
  }),
};

export const DeleteMemoryCacheKernel: KernelConfig = {
  op: { name: "DeleteMemoryCache", inputs: ["handle: resource", "deleter: variant"], isStateful: true },
  kernel: simpleKernel("DeleteMemoryCache", (ctx) => {
    const h = resourceHandleInput(ctx, 0);
    lookupResource(ctx, h, MEMORY_CACHE_RESOURCE);
    ctx.step.resources.delete(h.container, h.name, MEMORY_CACHE_RESOURCE.name);
  }),
};
