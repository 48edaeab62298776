// The durable form of a device's long-lived resources (TF's ResourceBase subclasses kept in a
// ResourceMgr): what a worker thread mirrors to the master's thread so that a replacement thread
// rebuilds the same variables, queues, tables, iterators and seed generators (docs/architecture.md, "Resources that outlive a
// worker thread"). TF has no such thing: a restarted TF worker starts with empty containers, and
// clients rebuild state from checkpoints. Here many tenants share one process, so one tenant's
// crashing or runaway kernel must not wipe everyone's state.
//
// A durable state is a structured-clone-able plain object. Tensor storage crosses as the worker
// protocol sends it (worker/wire.ts): storage of 64 KiB and more lives in a SharedArrayBuffer and
// is shared, not copied, and since held values are immutable (variables replace their tensor on
// every update, see variables.ts) the shared bytes are exactly the variable's value.
//
// An iterator keeps its signature and, when its dataset can be replayed exactly, its pass: how the
// dataset was made (dataset-recipe.ts) and how many elements it produced; a replacement thread
// rebuilds the dataset and skips those elements. Otherwise GetNext fails FAILED_PRECONDITION after
// a restart until MakeIterator starts a new pass. A seed generator keeps its seeds and how far its
// stream went; a barrier its flags, insertion index, incomplete tuples and ready queue; a staging
// area its bounds and tuples; a staging map its bounds, complete and incomplete tuples and TF's byte
// count; a memory cache (AnonymousMemoryCache) its elements once complete, and the pass it is exact
// for (memory-cache.ts). Kinds with no durable form (stacks, TensorArrays outside a step) come back
// "lost": every use fails ABORTED saying the worker was restarted.

import { aborted, failedPrecondition } from "../../framework/errors.js";
import type { RefCell } from "../../framework/op-kernel.js";
import { crossingStorage, stringBytes, Tensor, type TensorData } from "../../framework/tensor.js";
import { DataType } from "../../framework/types.js";
import {
  dataFromWire,
  dataToWire,
  type PartialShape as IteratorShape,
  type WireVariant,
} from "../../framework/variant.js";
import { BARRIER_RESOURCE, Barrier, type BarrierState } from "./barrier.js";
import { HeldBytes } from "./dataset.js";
import { type DurablePipeline, pipelineBytes } from "./dataset-recipe.js";
import { ITERATOR_RESOURCE, IteratorResource, type RebuildDataset } from "./iterator-resource.js";
import { LOOKUP_TABLE_TYPE, type LookupTable } from "./lookup-table.js";
import { MEMORY_CACHE_RESOURCE, MemoryCache } from "./memory-cache.js";
import { new64 } from "./philox-random.js";
import {
  FifoQueue,
  PaddingFifoQueue,
  PriorityQueue,
  QUEUE_TYPE,
  type Queue,
  RandomShuffleQueue,
  type Tuple,
} from "./queue-base.js";
import {
  SEED_GENERATOR_RESOURCE,
  type SeedGenerator,
  type SeedGeneratorState,
  seedGeneratorFrom,
} from "./seed-generator.js";
import { STAGING_AREA_RESOURCE, StagingArea } from "./staging-area.js";
import {
  type MapTuple,
  ORDERED_STAGING_MAP_RESOURCE,
  STAGING_MAP_RESOURCE,
  StagingMap,
} from "./staging-map.js";
import {
  declaredShape,
  LEGACY_VAR_TYPE_NAME,
  setDeclaredShape,
  VAR_TYPE_NAME,
  type Var,
} from "./variables.js";

type TableElem = number | bigint | Uint8Array;

/** A tensor as it crosses threads (the worker protocol's form, worker/wire.ts). */
export interface DurableTensor {
  readonly dtype: DataType;
  readonly shape: readonly number[];
  readonly data: TensorData | unknown;
}

const toWireTensor = (t: Tensor): DurableTensor =>
  t.dtype === DataType.DT_VARIANT
    ? { dtype: t.dtype, shape: t.shape, data: dataToWire(t) }
    : { dtype: t.dtype, shape: t.shape, data: crossingStorage(t.data) };

const fromWireTensor = (w: DurableTensor): Tensor =>
  w.dtype === DataType.DT_VARIANT
    ? dataFromWire(w.dtype, w.shape, w.data)
    : new Tensor(w.dtype, w.shape, w.data as TensorData);

type WireTensor = DurableTensor;

export type DurableState =
  | {
      readonly kind: "var";
      readonly dtype: DataType;
      readonly value: WireTensor | undefined;
      readonly isInitialized: boolean;
    }
  | {
      readonly kind: "ref";
      readonly name: string;
      readonly value: WireTensor | undefined;
      readonly declaredShape: readonly number[] | undefined;
    }
  | {
      readonly kind: "queue";
      readonly queueKind: string;
      readonly capacity: number;
      readonly dtypes: readonly DataType[];
      readonly shapes: readonly (readonly number[])[];
      readonly name: string;
      readonly closed: boolean;
      readonly elements: readonly (readonly WireTensor[])[];
      readonly shuffle?: { readonly minAfterDequeue: number; readonly seed: bigint; readonly seed2: bigint };
    }
  | {
      readonly kind: "table";
      readonly tableKind: LookupTable["kind"];
      readonly keyDtype: DataType;
      readonly valueDtype: DataType;
      readonly valueShape: readonly number[];
      readonly initialized: boolean;
      readonly entries: readonly (readonly [TableElem, readonly TableElem[]])[];
    }
  | {
      readonly kind: "iterator";
      readonly dtypes: readonly DataType[];
      readonly shapes: readonly IteratorShape[];
      /** The pass to take up again (how its dataset was made, elements produced), if any. */
      readonly pass?: {
        readonly id: string;
        readonly pipeline: DurablePipeline | undefined;
        readonly produced: number;
      };
    }
  | { readonly kind: "seedGenerator"; readonly generator: SeedGeneratorState }
  | {
      readonly kind: "stagingArea";
      readonly capacity: number;
      readonly memoryLimit: number;
      readonly tuples: readonly (readonly WireTensor[])[];
    }
  | {
      readonly kind: "barrier";
      readonly name: string;
      readonly dtypes: readonly DataType[];
      readonly shapes: readonly (readonly number[])[];
      readonly state: Omit<BarrierState, "incomplete" | "ready">;
      readonly incomplete: readonly {
        readonly key: Uint8Array;
        readonly index: bigint;
        readonly components: readonly (WireTensor | null)[];
      }[];
      readonly ready: readonly (readonly WireTensor[])[];
    }
  | {
      readonly kind: "stagingMap";
      readonly ordered: boolean;
      readonly dtypes: readonly DataType[];
      readonly capacity: number;
      readonly memoryLimit: number;
      readonly complete: readonly (readonly [bigint, readonly (WireTensor | null)[]])[];
      readonly incomplete: readonly (readonly [bigint, readonly (WireTensor | null)[]])[];
      /** TF's own byte count, which decides when a put waits (staging-map.ts). */
      readonly bytes: number;
    }
  | {
      readonly kind: "memoryCache";
      /** The cached elements once complete; an incomplete cache keeps none (TF discards them). */
      readonly elements: readonly (readonly WireTensor[])[] | undefined;
      readonly completedFor: string | undefined;
    }
  | { readonly kind: "lost"; readonly typeName: string };

/** One resource as the master's thread keeps it for a replacement thread. */
export interface DurableRecord {
  /** "t:<tenant>" for a tenant's shared containers, "s:<session>" for an isolated session's. */
  readonly scope: string;
  readonly device: string;
  readonly container: string;
  readonly typeName: string;
  readonly name: string;
  /** The session whose closing deletes the resource (TF's kernel-private resources). */
  readonly owner: string | undefined;
  /** What the memory ceiling counts for it: its state's bytes and `held`. */
  readonly bytes: number;
  /** Bytes its thread holds beside the state (an iterator pass's buffers and caches, see heldOf). */
  readonly held?: number | undefined;
  readonly state: DurableState;
}

/**
 * A record to keep (`record`) or to drop (undefined) under `key`; or, for a variable whose new
 * value has the dtype and shape of the recorded one (every training step), only the value's
 * storage (`data`): a structured clone of one typed array costs a fraction of a whole record's.
 */
export type DurableChange =
  | { readonly key: string; readonly record: DurableRecord | undefined }
  | { readonly key: string; readonly data: TensorData }
  | { readonly key: string; readonly produced: number | undefined; readonly held: number };

/** Applies changes to the records a master's thread keeps for a worker. */
export function applyDurableChanges(
  records: Map<string, DurableRecord>,
  changes: readonly DurableChange[],
): void {
  for (const c of changes) {
    if ("produced" in c) {
      const r = records.get(c.key);
      if (r !== undefined && r.state.kind === "iterator") {
        const bytes = r.bytes - (r.held ?? 0) + c.held;
        const { pass } = r.state;
        const state =
          pass !== undefined && c.produced !== undefined
            ? { ...r.state, pass: { ...pass, produced: c.produced } }
            : r.state;
        records.set(c.key, { ...r, bytes, held: c.held, state });
      }
    } else if ("data" in c) {
      const r = records.get(c.key);
      if (
        r !== undefined &&
        (r.state.kind === "var" || r.state.kind === "ref") &&
        r.state.value !== undefined
      ) {
        records.set(c.key, { ...r, state: { ...r.state, value: { ...r.state.value, data: c.data } } });
      }
    } else if (c.record === undefined) records.delete(c.key);
    else records.set(c.key, c.record);
  }
}

/**
 * The new storage of a variable whose value changed but kept its dtype and shape (see
 * DurableChange), or undefined when the whole record must go.
 */
export function sameLayoutValue(typeName: string, before: unknown, value: unknown): TensorData | undefined {
  if (!(before instanceof Tensor)) return undefined;
  let now: Tensor | undefined;
  if (typeName === VAR_TYPE_NAME) now = (value as Var).value;
  else if (typeName === LEGACY_VAR_TYPE_NAME) now = (value as RefCell).value;
  if (now === undefined || now.dtype !== before.dtype || !ArrayBuffer.isView(now.data)) return undefined;
  if (now.shape.length !== before.shape.length || now.shape.some((d, i) => d !== before.shape[i]))
    return undefined;
  return crossingStorage(now.data);
}

/**
 * What of a resource tells whether it changed since it was last mirrored: the held tensor of a
 * variable (replaced on every update), a table's version; undefined where every touch may have
 * changed it (queues).
 */
export function changeMark(typeName: string, value: unknown): unknown {
  switch (typeName) {
    case VAR_TYPE_NAME: {
      const v = value as Var;
      return v.isInitialized ? (v.value ?? v.dtype) : undefined;
    }
    case LEGACY_VAR_TYPE_NAME:
      return (value as RefCell).value;
    case LOOKUP_TABLE_TYPE.name:
      return (value as LookupTable).version;
    case ITERATOR_RESOURCE.name:
      return (value as IteratorResource).pass ?? ITERATOR_RESOURCE;
    case QUEUE_TYPE.name:
    case STAGING_AREA_RESOURCE.name:
    case STAGING_MAP_RESOURCE.name:
    case ORDERED_STAGING_MAP_RESOURCE.name:
    case BARRIER_RESOURCE.name:
      return undefined;
    case SEED_GENERATOR_RESOURCE.name:
      return (value as SeedGenerator).state.pairs;
    case MEMORY_CACHE_RESOURCE.name:
      // Completed once, with a new array: until then nothing of it is kept.
      return (value as MemoryCache).elements ?? MEMORY_CACHE_RESOURCE;
    default:
      return typeName;
  }
}

const wire = (t: Tensor | undefined) => (t === undefined ? undefined : toWireTensor(t));

/**
 * How far a resource whose change mark did not change has gone since (an iterator's elements
 * produced in its pass): recorded as a number, not a whole record. Undefined for other kinds.
 */
export function progressOf(typeName: string, value: unknown): number | undefined {
  return typeName === ITERATOR_RESOURCE.name ? (value as IteratorResource).pass?.produced : undefined;
}

/**
 * Bytes a resource holds on its thread beyond its durable state, counted in the memory ceiling
 * with it: an iterator pass's shuffle buffers and in-memory caches (IteratorPass.held).
 */
export function heldOf(typeName: string, value: unknown): number {
  return typeName === ITERATOR_RESOURCE.name ? ((value as IteratorResource).pass?.held.bytes ?? 0) : 0;
}

/** The durable state of one resource. */
export function snapshotResource(typeName: string, value: unknown): DurableState {
  switch (typeName) {
    case VAR_TYPE_NAME: {
      const v = value as Var;
      return { kind: "var", dtype: v.dtype, value: wire(v.value), isInitialized: v.isInitialized };
    }
    case LEGACY_VAR_TYPE_NAME: {
      const cell = value as RefCell;
      return { kind: "ref", name: cell.name, value: wire(cell.value), declaredShape: declaredShape(cell) };
    }
    case QUEUE_TYPE.name:
      return snapshotQueue(value as Queue);
    case LOOKUP_TABLE_TYPE.name: {
      const t = value as LookupTable;
      return {
        kind: "table",
        tableKind: t.kind,
        keyDtype: t.keyDtype,
        valueDtype: t.valueDtype,
        valueShape: t.valueShape,
        initialized: t.initialized,
        entries: [...t.entries.values()].map((e) => [e.key, e.value] as const),
      };
    }
    case ITERATOR_RESOURCE.name: {
      const r = value as IteratorResource;
      const pass = r.pass && { id: r.pass.id, pipeline: r.pass.pipeline, produced: r.pass.produced };
      return { kind: "iterator", dtypes: r.dtypes, shapes: r.shapes, ...(pass ? { pass } : {}) };
    }
    case SEED_GENERATOR_RESOURCE.name:
      return { kind: "seedGenerator", generator: (value as SeedGenerator).state };
    case STAGING_AREA_RESOURCE.name: {
      const a = value as StagingArea;
      const tuples = a.stored().map((tuple) => tuple.map(toWireTensor));
      return { kind: "stagingArea", capacity: a.capacity, memoryLimit: a.memoryLimit, tuples };
    }
    case STAGING_MAP_RESOURCE.name:
    case ORDERED_STAGING_MAP_RESOURCE.name:
      return snapshotStagingMap(value as StagingMap);
    case BARRIER_RESOURCE.name:
      return snapshotBarrier(value as Barrier);
    case MEMORY_CACHE_RESOURCE.name: {
      const c = value as MemoryCache;
      const elements = c.elements?.map((e) => e.map(toWireTensor));
      return { kind: "memoryCache", elements, completedFor: c.completedFor };
    }
    default:
      return { kind: "lost", typeName };
  }
}

function snapshotBarrier(b: Barrier): DurableState {
  const { incomplete, ready, ...state } = b.stored();
  return {
    kind: "barrier",
    name: b.name,
    dtypes: b.dtypes,
    shapes: b.shapes,
    state,
    incomplete: incomplete.map((e) => ({
      key: e.key,
      index: e.index,
      components: e.components.map((t) => (t === undefined ? null : toWireTensor(t))),
    })),
    ready: ready.map((tuple) => tuple.map(toWireTensor)),
  };
}

function reviveBarrier(s: Extract<DurableState, { kind: "barrier" }>): Barrier {
  const b = new Barrier(s.dtypes, s.shapes, s.name);
  b.adopt({
    ...s.state,
    incomplete: s.incomplete.map((e) => ({
      key: e.key,
      index: e.index,
      components: e.components.map((t) => (t === null ? undefined : fromWireTensor(t))),
    })),
    ready: s.ready.map((tuple) => tuple.map(fromWireTensor)),
  });
  return b;
}

type MapEntries = readonly (readonly [bigint, readonly (WireTensor | null)[]])[];

function snapshotStagingMap(m: StagingMap): DurableState {
  const { complete, incomplete, bytes } = m.stored();
  const wire = (entries: readonly [bigint, MapTuple][]): MapEntries =>
    entries.map(([k, tuple]) => [k, tuple.map((t) => (t === undefined ? null : toWireTensor(t)))] as const);
  const { ordered, dtypes, capacity, memoryLimit } = m;
  return {
    kind: "stagingMap",
    ordered,
    dtypes,
    capacity,
    memoryLimit,
    complete: wire(complete),
    incomplete: wire(incomplete),
    bytes,
  };
}

function reviveStagingMap(s: Extract<DurableState, { kind: "stagingMap" }>): StagingMap {
  const m = new StagingMap(s.ordered, s.dtypes, s.capacity, s.memoryLimit);
  const back = (entries: MapEntries): [bigint, MapTuple][] =>
    entries.map(([k, tuple]) => [k, tuple.map((t) => (t === null ? undefined : fromWireTensor(t)))]);
  m.adopt({ complete: back(s.complete), incomplete: back(s.incomplete), bytes: s.bytes });
  return m;
}

function snapshotQueue(q: Queue): DurableState {
  const shuffle =
    q instanceof RandomShuffleQueue
      ? { minAfterDequeue: q.minAfterDequeue, seed: q.seed, seed2: q.seed2 }
      : undefined;
  return {
    kind: "queue",
    queueKind: q.kind,
    capacity: q.capacity,
    dtypes: q.dtypes,
    shapes: q.shapes,
    name: q.name,
    closed: q.closed,
    elements: q.stored().map((tuple) => tuple.map(toWireTensor)),
    ...(shuffle ? { shuffle } : {}),
  };
}

/**
 * Bytes a tensor's value holds: string payloads by their length, a variant's TensorLists and
 * Optionals by the tensors they hold (and 8 bytes an element besides), other objects 8 bytes each.
 */
function tensorBytes(t: WireTensor | undefined): number {
  if (t === undefined) return 0;
  const d = t.data;
  if (ArrayBuffer.isView(d)) return d.byteLength;
  if (t.dtype === DataType.DT_STRING) return stringBytes(t as Tensor);
  if (t.dtype === DataType.DT_VARIANT && Array.isArray(d)) {
    return d.reduce((sum: number, v: WireVariant) => sum + 8 + wireVariantBytes(v), 0);
  }
  const n = t.shape.reduce((a, b) => a * b, 1);
  return 8 * n;
}

function wireVariantBytes(v: WireVariant): number {
  switch (v.kind) {
    case "TensorList":
      return v.tensors.reduce((sum, e) => sum + 8 + (e === null ? 0 : tensorBytes(e as WireTensor)), 0);
    case "Optional":
      return (v.values ?? []).reduce((sum, e) => sum + tensorBytes(e as WireTensor), 0);
    default:
      return 0;
  }
}

function elemBytes(e: TableElem): number {
  return e instanceof Uint8Array ? e.byteLength + 16 : 8;
}

/** The bytes a durable state holds, as the server's memory ceiling counts them. */
export function durableBytes(s: DurableState): number {
  switch (s.kind) {
    case "var":
    case "ref":
      return tensorBytes(s.value);
    case "queue":
      return s.elements.reduce((sum, tuple) => sum + tuple.reduce((a, t) => a + tensorBytes(t), 0), 0);
    case "stagingArea":
      return s.tuples.reduce((sum, tuple) => sum + tuple.reduce((a, t) => a + tensorBytes(t), 0), 0);
    case "barrier":
      return (
        s.incomplete.reduce(
          (sum, e) =>
            sum + 8 + e.key.byteLength + e.components.reduce((a, t) => a + tensorBytes(t ?? undefined), 0),
          0,
        ) + s.ready.reduce((sum, tuple) => sum + tuple.reduce((a, t) => a + tensorBytes(t), 0), 0)
      );
    case "stagingMap":
      return [...s.complete, ...s.incomplete].reduce(
        (sum, [, tuple]) => sum + 8 + tuple.reduce((a, t) => a + tensorBytes(t ?? undefined), 0),
        0,
      );
    case "table":
      return s.entries.reduce(
        (sum, [k, v]) => sum + elemBytes(k) + v.reduce((a: number, e) => a + elemBytes(e), 0),
        0,
      );
    case "iterator":
      return s.pass?.pipeline === undefined ? 0 : pipelineBytes(s.pass.pipeline);
    case "memoryCache":
      return (s.elements ?? []).reduce((sum, e) => sum + e.reduce((a, t) => a + tensorBytes(t), 0), 0);
    default:
      return 0;
  }
}

/** Why a rebuilt resource could not keep its state (`where`: the replaced thread's devices). */
export function restartedIteratorError(where: string): Error {
  return failedPrecondition(
    `The worker thread for ${where} was replaced (it crashed, or a cancelled step's kernel did not stop), ` +
      "and this iterator's position could not be kept. Run its initializer (MakeIterator) again to start a new pass.",
  );
}

function lostError(where: string, typeName: string): Error {
  return aborted(
    `The worker thread for ${where} was replaced (it crashed, or a cancelled step's kernel did not stop), ` +
      `and this resource (${typeName}) could not be kept. Reset its container or close the session to make it again.`,
  );
}

/**
 * A rebuilt resource, or an Error for one to mark lost (see ResourceMgr.markLost). `rebuild` makes
 * an iterator's dataset again from its recipe; without it, iterators lose their position.
 */
export function reviveResource(s: DurableState, where: string, rebuild?: RebuildDataset): unknown {
  switch (s.kind) {
    case "var":
      return { dtype: s.dtype, value: s.value && fromWireTensor(s.value), isInitialized: s.isInitialized };
    case "ref": {
      const cell: RefCell = { value: s.value && fromWireTensor(s.value), name: s.name };
      setDeclaredShape(cell, s.declaredShape);
      return cell;
    }
    case "queue":
      return reviveQueue(s);
    case "table":
      return {
        kind: s.tableKind,
        keyDtype: s.keyDtype,
        valueDtype: s.valueDtype,
        valueShape: s.valueShape,
        initialized: s.initialized,
        entries: new Map(s.entries.map(([key, value]) => [mapKeyOf(key), { key, value: [...value] }])),
        version: 0,
      } satisfies LookupTable;
    case "iterator": {
      const error = restartedIteratorError(where);
      if (s.pass?.pipeline === undefined || rebuild === undefined) {
        return IteratorResource.restarted(s.dtypes, s.shapes, error);
      }
      const { id, pipeline, produced } = s.pass;
      const pass = { id, pipeline, produced, held: new HeldBytes() };
      return IteratorResource.restored(s.dtypes, s.shapes, pass, rebuild, error);
    }
    case "seedGenerator":
      return seedGeneratorFrom(s.generator);
    case "stagingArea": {
      const area = new StagingArea(s.capacity, s.memoryLimit);
      area.adopt(s.tuples.map((tuple) => tuple.map(fromWireTensor)));
      return area;
    }
    case "stagingMap":
      return reviveStagingMap(s);
    case "barrier":
      return reviveBarrier(s);
    case "memoryCache":
      return new MemoryCache(
        s.elements?.map((e) => e.map(fromWireTensor)),
        s.completedFor,
      );
    case "lost":
      return lostError(where, s.typeName);
  }
}

/** The table's map key of an element (as lookup-table.ts keys its entries). */
function mapKeyOf(e: TableElem): number | bigint | string {
  return e instanceof Uint8Array ? Buffer.from(e.buffer, e.byteOffset, e.length).toString("latin1") : e;
}

function reviveQueue(s: Extract<DurableState, { kind: "queue" }>): Queue {
  const { capacity, dtypes, shapes, name } = s;
  let q: Queue;
  if (s.queueKind === "PaddingFIFOQueue") q = new PaddingFifoQueue(capacity, dtypes, shapes, name);
  else if (s.queueKind === "PriorityQueue") q = new PriorityQueue(capacity, dtypes, shapes, name);
  else if (s.shuffle !== undefined) {
    const { minAfterDequeue, seed, seed2 } = s.shuffle;
    q = new RandomShuffleQueue(capacity, dtypes, shapes, name, minAfterDequeue, seed, seed2, new64);
  } else q = new FifoQueue(capacity, dtypes, shapes, name);
  q.adopt(
    s.elements.map((tuple): Tuple => tuple.map(fromWireTensor)),
    s.closed,
  );
  return q;
}
