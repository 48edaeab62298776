// TF's MemoryCache (core/kernels/data/cache_ops.{h,cc}): the elements an in-memory CacheDataset
// keeps once an iterator has read its whole input. It is empty until completed, and completed once:
// a writer keeps what it reads to itself and hands it over only at the end of its input (or when it
// has read the input's known cardinality), so a pass given up mid-way leaves nothing in the cache,
// as TF discards a partially written cache.
//
// A cache given to CacheDatasetV2 through an AnonymousMemoryCache resource is shared by the datasets
// given it and outlives its worker thread (docs/architecture.md, "Resources that outlive a worker
// thread"): its completed elements are kept with the other durable resources. An iterator pass over
// such a dataset is replayed on a replacement thread, and its writers become readers there when the
// cache is complete by then; that gives the same elements only if the pass's one writer completed
// the cache itself. So the cache counts the writers it has made and which pass each one serves, and
// remembers the pass it is exact for (`completedFor`).

import type { ResourceMgr } from "../../framework/resource-mgr.js";
import type { Element, Holding } from "./dataset.js";
import type { ResourceType } from "./step-resources.js";

/** TF's MemoryCacheManager resource type. */
export const MEMORY_CACHE_RESOURCE: ResourceType = {
  name: "N10tensorflow4data18MemoryCacheManagerE",
  hash: 0x6d65_6d63_6163_6865n,
};

/** The name in a DummyMemoryCache handle: it names no resource (the dataset makes its own cache). */
export const DUMMY_MEMORY_CACHE_NAME = "DummyMemoryCache";

export class MemoryCache {
  /** The cached elements once complete (TF's IsCompleted), undefined before. */
  elements: readonly Element[] | undefined;
  /** How the elements of a dataset's own cache are counted (kept with them, so they count as long as they live). */
  holding?: Holding | undefined;
  /** The iterator pass whose only writer completed the cache (see the header), if any. */
  completedFor: string | undefined;
  /** Called when the cache is completed (the resource directory records it then). */
  onComplete: (() => void) | undefined;
  /** Writers made while incomplete, and those of them that said which pass they serve, by pass. */
  private writers = 0;
  private placed = 0;
  private readonly byPass = new Map<string, number>();

  constructor(elements?: readonly Element[], completedFor?: string) {
    this.elements = elements;
    this.completedFor = completedFor;
  }

  /** Counts a writer made over the incomplete cache. */
  writerMade(): void {
    this.writers++;
  }

  /** Counts the pass a writer serves (at its first element). */
  writerPlaced(pass: string): void {
    this.placed++;
    this.byPass.set(pass, (this.byPass.get(pass) ?? 0) + 1);
  }

  /**
   * TF's MemoryCache::Complete: keeps `elements` unless the cache is already complete. `pass` is
   * the completing writer's pass: the cache is exact for it when it is that pass's only writer and
   * every writer made says which pass it serves.
   */
  complete(elements: readonly Element[], pass: string | undefined): boolean {
    if (this.elements !== undefined) return false;
    const only = pass !== undefined && this.placed === this.writers && this.byPass.get(pass) === 1;
    this.elements = elements;
    this.completedFor = only ? pass : undefined;
    this.byPass.clear();
    this.onComplete?.();
    return true;
  }
}

export function isMemoryCache(v: unknown): v is MemoryCache {
  return v instanceof MemoryCache;
}

/**
 * Has the completion of a cache kept in `mgr` touch its entry, so the resource directory records
 * the elements (completion happens in a GetNext, in steps that need not look the cache up).
 */
export function reportCompletion(
  cache: MemoryCache,
  mgr: ResourceMgr,
  container: string,
  name: string,
): void {
  cache.onComplete = () => {
    if (mgr.peek(container, name, MEMORY_CACHE_RESOURCE.name) === cache) {
      mgr.lookup(container, name, MEMORY_CACHE_RESOURCE.name);
    }
  };
}
