// TF's CacheDataset and CacheDatasetV2 with an in-memory cache (core/kernels/data/cache_dataset_ops.cc
// MemoryDataset): the first iterator that reads the input to its end fills the cache, and later
// iterators (each repetition of a repeated cached dataset) replay it without running the input
// again. An iterator that stops early leaves the cache empty (util/memory-cache.ts). A cache file
// (a non-empty filename) needs the operator's file sandbox.
//
// CacheDatasetV2 takes a memory-cache resource: a dummy one (what graphs get) means the dataset's
// own cache; an anonymous one (AnonymousMemoryCache) is shared by the datasets given it, and
// outlives its worker thread with the other durable resources.
//
// The elements a writer reads count in the server's memory ceiling with its iterator pass (a
// `Holding`). Once they complete a dataset's own cache they go on counting so (the pass keeps the
// dataset, and so the cache, alive); once they complete a shared cache, its durable record counts
// them instead.

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
  type IteratorContext,
  outputSignature,
} from "./util/dataset.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import {
  DUMMY_MEMORY_CACHE_NAME,
  MEMORY_CACHE_RESOURCE,
  MemoryCache,
  reportCompletion,
} from "./util/memory-cache.js";
import { lookupResource, resourceHandleInput } from "./util/step-resources.js";

class CacheDatasetValue extends Dataset {
  readonly name = "CacheDataset";

  /**
   * `shared`: the cache is an AnonymousMemoryCache resource, whose durable record counts its
   * elements once complete; a dataset's own cache counts them with the pass that filled it.
   */
  constructor(
    private readonly input: Dataset,
    private readonly cache: MemoryCache,
    private readonly shared: boolean,
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
    this.cache.writerMade();
    return this.writer();
  }

  /** TF's MemoryWriterIterator: passes the input through, completing the cache at its end. */
  private writer(): DatasetIterator {
    const input = this.input.makeIterator();
    const expected = this.input.cardinality();
    let seen: Element[] | undefined = [];
    const holding = new Holding();
    let placed = false;
    let done = false;
    const finish = (ictx: IteratorContext, elements: Element[]) => {
      seen = undefined;
      const kept = this.cache.complete(elements, ictx.passId);
      // A shared cache's durable record counts the elements from now on; a writer whose cache was
      // completed first keeps nothing.
      if (kept && !this.shared) this.cache.holding = holding;
      else holding.bytes = 0;
    };
    return {
      next: async (ictx) => {
        if (done) return undefined;
        if (!placed && ictx.passId !== undefined) this.cache.writerPlaced(ictx.passId);
        placed = true;
        const e = await input.next(ictx);
        if (e === undefined) {
          done = true;
          if (seen !== undefined) finish(ictx, seen);
          return undefined;
        }
        if (seen !== undefined) {
          seen.push(e);
          holding.change(ictx, e, 1);
          // TF completes the cache as soon as it holds the input's known cardinality.
          if (seen.length === expected) finish(ictx, seen);
        }
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
      return new CacheDatasetValue(input, new MemoryCache(), false, signature);
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
      if (h.name === DUMMY_MEMORY_CACHE_NAME) {
        return new CacheDatasetValue(input, new MemoryCache(), false, signature);
      }
      const cache = lookupResource<MemoryCache>(ctx, h, MEMORY_CACHE_RESOURCE);
      return new CacheDatasetValue(input, cache, true, signature);
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
    const container = mgr.defaultContainer;
    mgr.lookupOrCreate(container, name, MEMORY_CACHE_RESOURCE.name, () => {
      const cache = new MemoryCache();
      reportCompletion(cache, mgr, container, name);
      return cache;
    });
    ctx.setOutput(0, cacheHandle(ctx.step.device.name, container, name));
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
