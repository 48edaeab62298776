// TF's IteratorResource (core/kernels/data/iterator_ops.{h,cc}): the state of one tf.data iterator,
// kept in the device's ResourceMgr like a variable, so it outlives steps: an initializable iterator
// is (re)started by MakeIterator and read by IteratorGetNext in later steps. Calls on one iterator
// run one at a time, in arrival order (TF holds the iterator's mutex across GetNext).

import { failedPrecondition, outOfRange } from "../../framework/errors.js";
import type { OpKernelConstruction, OpKernelContext } from "../../framework/op-kernel.js";
import { ownBySession, uniqueResourceName } from "../../framework/resource-mgr.js";
import { type ResourceHandle, Tensor } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import type { PartialShape } from "../../framework/variant.js";
import {
  checkpoint,
  type Dataset,
  type DatasetIterator,
  type Element,
  type FunctionScope,
  HeldBytes,
  type IteratorContext,
  verifyShapes,
  verifyTypes,
} from "./dataset.js";
import { type DurablePipeline, durablePipeline } from "./dataset-recipe.js";
import { lookupResource, type ResourceType, resourceHandleInput } from "./step-resources.js";

/** TF's IteratorResource type (its TypeIndex name, as TF's messages print it). */
export const ITERATOR_RESOURCE: ResourceType = {
  name: "N10tensorflow4data16IteratorResourceE",
  hash: 0x6974_6572_6174_6f72n,
};

/**
 * One pass of an iterator as it is kept for a replacement worker thread: how its dataset was made
 * (undefined when it cannot be replayed exactly) and how many elements it has produced. A new
 * object with each MakeIterator; `produced` grows with each element. `held` counts what the pass
 * keeps between GetNexts (shuffle buffers, caches), which the memory ceiling counts with it.
 */
export interface IteratorPass {
  /** Unique across threads; kept with the pass, so a replayed pass has its original's id. */
  readonly id: string;
  readonly pipeline: DurablePipeline | undefined;
  produced: number;
  readonly held: HeldBytes;
}

/** Rebuilds a recorded pipeline's dataset on this thread (worker/dataset-replay.ts). */
export type RebuildDataset = (pipeline: DurablePipeline, ictx: IteratorContext) => Dataset;

/** A pass to take up again on a replacement thread, at its first GetNext. */
interface PendingRestore {
  readonly pass: IteratorPass;
  readonly rebuild: RebuildDataset;
  /** The answer when the rebuild fails (the pass is then lost). */
  readonly error: Error;
}

/** Datasets MakeIterator has started a pass on: another pass on one is not a replay's first. */
const iterated = new WeakSet<Dataset>();

export class IteratorResource {
  /** The current pass; undefined until MakeIterator (or a one-shot iterator's factory) sets one. */
  private iterator: DatasetIterator | undefined;
  /** The functions the current pass has instantiated (new with each MakeIterator, as in TF). */
  private functions: FunctionScope = new Map();
  /** Serialises calls: each waits for the previous one. */
  private tail: Promise<unknown> = Promise.resolve();
  /** A one-shot iterator's factory run, shared by every caller (its failure is kept, as in TF). */
  oneShot: Promise<void> | undefined;
  /** Set on an iterator rebuilt after a worker restart: its position was not kept (see restarted). */
  private lost: Error | undefined;
  /** The current pass as kept for a replacement thread (see IteratorPass). */
  pass: IteratorPass | undefined;
  /** Set on an iterator rebuilt after a worker restart whose pass is taken up again (see restored). */
  private pending: PendingRestore | undefined;

  constructor(
    readonly dtypes: readonly DataType[],
    readonly shapes: readonly PartialShape[],
  ) {}

  /** TF's IteratorResource::SetIteratorFromDataset: checks the dataset's signature, starts a pass. */
  setDataset(ds: Dataset): void {
    verifyTypes(this.dtypes, ds.dtypes);
    verifyShapes(this.shapes, ds.shapes);
    // A dataset's random seed generators advance with each pass, so only its first replays.
    const pipeline = iterated.has(ds) ? undefined : durablePipeline(ds);
    iterated.add(ds);
    const it = ds.makeIterator();
    const start = () => {
      this.iterator = it;
      this.functions = new Map();
      this.lost = undefined;
      this.pending = undefined;
      this.pass = { id: uniqueResourceName("_pass"), pipeline, produced: 0, held: new HeldBytes() };
    };
    // Queued behind a running GetNext, as TF's MakeIterator waits for the iterator's lock.
    this.tail = this.tail.then(start, start);
  }

  get initialized(): boolean {
    return this.iterator !== undefined;
  }

  /**
   * The iterator as a replacement worker thread rebuilds it: its pass is gone, so every GetNext
   * fails with `error` until MakeIterator starts a new pass (a one-shot iterator, which cannot be
   * started again, stays failed).
   */
  static restarted(
    dtypes: readonly DataType[],
    shapes: readonly PartialShape[],
    error: Error,
  ): IteratorResource {
    const r = new IteratorResource(dtypes, shapes);
    r.lost = error;
    r.oneShot = Promise.resolve();
    return r;
  }

  /**
   * The iterator as a replacement worker thread rebuilds it when its pass could be kept: the first
   * GetNext rebuilds the dataset, starts a new pass and skips the elements the old pass had
   * produced (charged to that step, and cancelled with it); if that fails, every GetNext fails with
   * `error` until MakeIterator starts a new pass.
   */
  static restored(
    dtypes: readonly DataType[],
    shapes: readonly PartialShape[],
    pass: IteratorPass,
    rebuild: RebuildDataset,
    error: Error,
  ): IteratorResource {
    const r = new IteratorResource(dtypes, shapes);
    r.pass = pass;
    r.pending = { pass, rebuild, error };
    r.oneShot = Promise.resolve();
    return r;
  }

  /** Takes up a kept pass: a new pass over the rebuilt dataset, moved past what was produced. */
  private async resume(p: PendingRestore, ictx: IteratorContext): Promise<void> {
    const { pipeline, produced, id: passId } = p.pass;
    let it: DatasetIterator;
    try {
      if (pipeline === undefined) throw p.error;
      const ds = p.rebuild(pipeline, { ...ictx, passId });
      verifyTypes(this.dtypes, ds.dtypes);
      verifyShapes(this.shapes, ds.shapes);
      iterated.add(ds);
      it = ds.makeIterator();
    } catch (e) {
      this.pending = undefined;
      this.lost = e === p.error ? p.error : withCause(p.error, e);
      throw this.lost;
    }
    const functions: FunctionScope = new Map();
    const scoped = { ...ictx, functions, held: p.pass.held, passId };
    try {
      for (let i = 0; i < produced; i++) {
        await checkpoint(ictx);
        if ((await it.next(scoped)) === undefined) break;
      }
    } catch (e) {
      // A cancelled step leaves the pass to the next GetNext; anything else loses it.
      if (ictx.step.signal.aborted) throw e;
      this.pending = undefined;
      this.lost = withCause(p.error, e);
      throw this.lost;
    }
    this.iterator = it;
    this.functions = functions;
    this.pending = undefined;
  }

  /** The next element, undefined at the end of the sequence (each call after the end too). */
  getNext(ictx: IteratorContext): Promise<Element | undefined> {
    const run = async (): Promise<Element | undefined> => {
      if (this.pending !== undefined) await this.resume(this.pending, ictx);
      if (this.lost !== undefined) throw this.lost;
      const it = this.iterator;
      if (it === undefined) {
        throw failedPrecondition(
          "GetNext() failed because the iterator has not been initialized. Ensure that you have run " +
            "the initializer operation for this iterator before getting the next element.",
        );
      }
      const pass = this.pass;
      const e = await it.next({ ...ictx, functions: this.functions, held: pass?.held, passId: pass?.id });
      if (e !== undefined && pass !== undefined) pass.produced++;
      return e;
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** The answer for a pass that could not be taken up, saying why the rebuild failed. */
function withCause(error: Error, cause: unknown): Error {
  const why = cause instanceof Error ? cause.message : String(cause);
  return failedPrecondition(`${error.message} (Rebuilding its dataset failed: ${why})`);
}

/** TF's "End of sequence" status of IteratorGetNext. */
export function endOfSequence(): Error {
  return outOfRange("End of sequence");
}

export function iteratorHandle(device: string, container: string, name: string): Tensor {
  const h: ResourceHandle = {
    device,
    container,
    name,
    hashCode: ITERATOR_RESOURCE.hash,
    maybeTypeName: ITERATOR_RESOURCE.name,
  };
  return new Tensor(DataType.DT_RESOURCE, [], [h]);
}

/** The iterator named by resource input i. */
export function iteratorInput(ctx: OpKernelContext, i: number): IteratorResource {
  return lookupIterator(ctx, resourceHandleInput(ctx, i));
}

export function lookupIterator(ctx: OpKernelContext, h: ResourceHandle): IteratorResource {
  return lookupResource<IteratorResource>(ctx, h, ITERATOR_RESOURCE);
}

/**
 * The name of an iterator with no shared_name: TF makes one private to the kernel; a session keeps
 * its kernels, and here kernels are made per step signature, so the name comes from the session,
 * which owns the resource (released when it closes).
 */
export function privateIteratorName(c: OpKernelConstruction): string {
  return c.sessionHandle !== undefined
    ? `_${c.sessionHandle}_${c.nodeName}`
    : `${uniqueResourceName("_")}_${c.nodeName}`;
}

/** Unique names for anonymous iterators (AnonymousIteratorV3). */
export function anonymousIteratorName(): string {
  return uniqueResourceName("_AnonymousIterator");
}

/**
 * Finds or creates the iterator resource (container, name) and outputs its handle; an existing
 * resource must have this node's signature (TF's IteratorHandleOp checks it the same way).
 */
export function iteratorHandleFor(
  ctx: OpKernelContext,
  c: OpKernelConstruction,
  container: string,
  name: string,
  isPrivate: boolean,
  dtypes: readonly DataType[],
  shapes: readonly PartialShape[],
): IteratorResource {
  const mgr = ctx.step.resources;
  const cont = container === "" ? mgr.defaultContainer : container;
  const r = mgr.lookupOrCreate(cont, name, ITERATOR_RESOURCE.name, () => {
    if (isPrivate && c.sessionHandle !== undefined) {
      ownBySession(mgr, c.sessionHandle, cont, name, ITERATOR_RESOURCE.name);
    }
    return new IteratorResource(dtypes, shapes);
  });
  verifyTypes(dtypes, r.dtypes);
  verifyShapes(shapes, r.shapes);
  ctx.setOutput(0, iteratorHandle(ctx.step.device.name, cont, name));
  return r;
}
