// A worker's resource directory: which long-lived resources (variables, queues, tables, iterators, …)
// each of its ResourceMgrs holds, kept where a replacement of the worker's thread finds them
// (docs/architecture.md, "Resources that outlive a worker thread"). TF has no counterpart: a
// restarted TF worker has empty containers. tfgate runs many tenants' devices as threads of one
// process, and one tenant's crashing or runaway kernel must not wipe the others' state.
//
// The ResourceMgrs tell the directory which entries steps touched (ResourceMgrObserver). At the end
// of each step (flush) the directory compares each touched entry with what it last recorded —
// cheaply: a variable's held tensor is replaced on every update, a table counts its changes — and
// hands the changed ones, as durable states (kernels/util/durable-resources.ts), to `publish`: the
// worker thread posts them to the master's thread, which keeps the records and gives them to the
// next thread it starts. Large tensors live in SharedArrayBuffers and are shared, not copied.
//
// The bytes recorded count against the server's memory ceiling, in the worker's resource slot
// (framework/memory-ceiling.ts). A step whose new variable values do not fit fails
// RESOURCE_EXHAUSTED and those values are taken back (a new variable is deleted, a reassigned one
// keeps its previous value); queue and table growth, which cannot be taken back, is counted and
// refuses the next allocations instead.

import { resourceExhausted } from "../framework/errors.js";
import type { MemoryCeiling } from "../framework/memory-ceiling.js";
import type { RefCell } from "../framework/op-kernel.js";
import {
  isLost,
  ownBySession,
  ownerOf,
  type ResourceMgr,
  type ResourceMgrObserver,
} from "../framework/resource-mgr.js";
import type { Tensor } from "../framework/tensor.js";
import {
  applyDurableChanges,
  changeMark,
  type DurableChange,
  type DurableRecord,
  durableBytes,
  heldOf,
  progressOf,
  reviveResource,
  sameLayoutValue,
  snapshotResource,
} from "../kernels/util/durable-resources.js";
import { isMemoryCache, reportCompletion } from "../kernels/util/memory-cache.js";
import { isSeedGenerator, reportDraws } from "../kernels/util/seed-generator.js";
import { LEGACY_VAR_TYPE_NAME, VAR_TYPE_NAME, type Var } from "../kernels/util/variables.js";
import { rebuildDataset } from "./dataset-replay.js";

export type { DurableChange, DurableRecord };
export { applyDurableChanges };

export const recordKey = (scope: string, device: string, container: string, typeName: string, name: string) =>
  `${scope}\u0000${device}\u0000${container}\u0000${typeName}\u0000${name}`;

export const tenantScope = (tenant: string) => `t:${tenant}`;
export const sessionScope = (session: string) => `s:${session}`;

/** What the directory last recorded of an entry. */
interface Sent {
  readonly mark: unknown;
  readonly bytes: number;
  readonly owner: string | undefined;
  /** An iterator's elements produced as last recorded (see progressOf). */
  readonly progress?: number | undefined;
  /** The part of `bytes` its thread holds beside the record (see heldOf). */
  readonly held?: number | undefined;
}

interface Touched {
  readonly mgr: ResourceMgr;
  readonly scope: string;
  readonly device: string;
  readonly container: string;
  readonly typeName: string;
  readonly name: string;
}

export interface ResourceDirectory {
  /** The observer of the ResourceMgr of `scope` on `device`. */
  observer(scope: string, device: string, mgr: () => ResourceMgr): ResourceMgrObserver;
  /** Puts back the resources recorded for `scope` on `device` into its new ResourceMgr. */
  restore(mgr: ResourceMgr, scope: string, device: string): void;
  /**
   * Records what changed since the last flush. With `check`, new variable values that would pass
   * the memory ceiling are taken back and RESOURCE_EXHAUSTED is thrown.
   */
  flush(check: boolean): void;
  /** Forgets every resource of `scope` (an isolated session closed). */
  dropScope(scope: string): void;
}

export interface ResourceDirectoryOptions {
  /** Where changed records go (the master's thread); absent: only the memory ceiling is kept. */
  readonly publish?: ((changes: DurableChange[]) => void) | undefined;
  /** The worker's resource slot in the server's memory ceiling; absent: not counted. */
  readonly ceiling?: MemoryCeiling | undefined;
  /** Records a previous thread of this worker published. */
  readonly restored?: readonly DurableRecord[] | undefined;
  /** The devices of the replaced thread, for the texts of what could not be kept. */
  readonly where: string;
}

// long-function: the directory's methods close over its records and touched set; each is short.
export function createResourceDirectory(options: ResourceDirectoryOptions): ResourceDirectory {
  const sent = new Map<string, Sent>();
  const touched = new Map<string, Touched>();
  /** Containers removed since the last flush: scope\0device\0container\0. */
  const cleared = new Set<string>();
  const restored = new Map<string, DurableRecord[]>();
  for (const r of options.restored ?? []) {
    const k = `${r.scope}\u0000${r.device}`;
    restored.set(k, [...(restored.get(k) ?? []), r]);
  }

  const drop = (key: string, changes: DurableChange[]) => {
    const s = sent.get(key);
    if (s === undefined) return;
    sent.delete(key);
    options.ceiling?.release(s.bytes);
    changes.push({ key, record: undefined });
  };

  const dropPrefix = (prefix: string, changes: DurableChange[]) => {
    for (const key of [...sent.keys()]) if (key.startsWith(prefix)) drop(key, changes);
  };

  const publish = (changes: DurableChange[]) => {
    if (changes.length > 0) options.publish?.(changes);
  };

  return {
    observer(scope, device, mgr) {
      return {
        touched(container, typeName, name) {
          if (container.startsWith("__per_step_")) return;
          const key = recordKey(scope, device, container, typeName, name);
          if (!touched.has(key)) touched.set(key, { mgr: mgr(), scope, device, container, typeName, name });
        },
        cleared(container) {
          if (container.startsWith("__per_step_")) return;
          cleared.add(`${scope}\u0000${device}\u0000${container}\u0000`);
        },
      };
    },

    restore(mgr, scope, device) {
      for (const r of restored.get(`${scope}\u0000${device}`) ?? []) {
        const value = reviveResource(r.state, options.where, rebuildDataset);
        if (value instanceof Error) mgr.markLost(r.container, r.name, r.typeName, value);
        else mgr.restore(r.container, r.name, r.typeName, value);
        if (isSeedGenerator(value)) reportDraws(value, mgr, r.container, r.name);
        if (isMemoryCache(value)) reportCompletion(value, mgr, r.container, r.name);
        if (r.owner !== undefined) ownBySession(mgr, r.owner, r.container, r.name, r.typeName);
        const key = recordKey(scope, device, r.container, r.typeName, r.name);
        const progress = progressOf(r.typeName, value);
        const { bytes, held, owner } = r;
        sent.set(key, { mark: changeMark(r.typeName, value), bytes, owner, progress, held });
        // What the old thread held beside the record is gone: the next flush gives it back.
        if ((held ?? 0) > 0) {
          const { container, typeName, name } = r;
          touched.set(key, { mgr, scope, device, container, typeName, name });
        }
      }
      restored.delete(`${scope}\u0000${device}`);
    },

    flush(check) {
      if (touched.size === 0 && cleared.size === 0) return;
      const changes: DurableChange[] = [];
      for (const prefix of cleared) dropPrefix(prefix, changes);
      cleared.clear();
      const batch = [...touched.entries()];
      touched.clear();
      const released = (n: number) => {
        if (n > 0) options.ceiling?.release(n);
      };
      const grown = recordChanges(batch, sent, changes, drop, released);
      try {
        chargeGrowth(grown, options.ceiling, check, sent, changes);
      } finally {
        publish(changes);
      }
    },

    dropScope(scope) {
      const changes: DurableChange[] = [];
      dropPrefix(`${scope}\u0000`, changes);
      // Records of a previous thread whose containers were never made again here go too.
      for (const [k, records] of [...restored]) {
        if (!k.startsWith(`${scope}\u0000`)) continue;
        restored.delete(k);
        for (const r of records) {
          options.ceiling?.release(r.bytes);
          changes.push({
            key: recordKey(r.scope, r.device, r.container, r.typeName, r.name),
            record: undefined,
          });
        }
      }
      for (const key of [...touched.keys()]) if (key.startsWith(`${scope}\u0000`)) touched.delete(key);
      publish(changes);
    },
  };
}

/** A changed entry whose record grew, with what it was before (to take it back). */
interface Growth {
  readonly key: string;
  readonly entry: Touched;
  readonly value: unknown;
  readonly before: Sent | undefined;
  readonly delta: number;
}

/**
 * Records the touched entries that changed; gives back at once what shrank (a drained queue, a
 * shuffle buffer) and returns those whose bytes grew (not yet charged).
 */
function recordChanges(
  batch: readonly [string, Touched][],
  sent: Map<string, Sent>,
  changes: DurableChange[],
  drop: (key: string, changes: DurableChange[]) => void,
  released: (bytes: number) => void,
): Growth[] {
  const grown: Growth[] = [];
  for (const [key, e] of batch) {
    const value = e.mgr.peek(e.container, e.name, e.typeName);
    if (value === undefined) {
      drop(key, changes);
      continue;
    }
    if (isLost(value)) continue;
    const before = sent.get(key);
    const mark = changeMark(e.typeName, value);
    if (before !== undefined && mark !== undefined && mark === before.mark) {
      // The same iterator pass: only its count of elements produced and the bytes it holds travel.
      const progress = progressOf(e.typeName, value);
      const held = heldOf(e.typeName, value);
      if (progress !== before.progress || held !== (before.held ?? 0)) {
        changes.push({ key, produced: progress, held });
        const bytes = before.bytes - (before.held ?? 0) + held;
        sent.set(key, { ...before, progress, held, bytes });
        if (bytes > before.bytes) grown.push({ key, entry: e, value, before, delta: bytes - before.bytes });
        else released(before.bytes - bytes);
      }
      continue;
    }
    const data = before === undefined ? undefined : sameLayoutValue(e.typeName, before.mark, value);
    if (data !== undefined && before !== undefined) {
      changes.push({ key, data });
      sent.set(key, { ...before, mark });
      continue;
    }
    const state = snapshotResource(e.typeName, value);
    const held = heldOf(e.typeName, value);
    const bytes = durableBytes(state) + held;
    const owner = before !== undefined ? before.owner : ownerOf(e.mgr, e.container, e.name, e.typeName);
    const { scope, device, container, typeName, name } = e;
    changes.push({ key, record: { scope, device, container, typeName, name, owner, bytes, held, state } });
    sent.set(key, { mark, bytes, owner, progress: progressOf(e.typeName, value), held });
    const delta = bytes - (before?.bytes ?? 0);
    if (delta > 0) grown.push({ key, entry: e, value, before, delta });
    else released(-delta);
  }
  return grown;
}

/**
 * Charges what the changed records grew by. When checking and the ceiling refuses, variables'
 * new values are taken back (their records too) and RESOURCE_EXHAUSTED is thrown; the rest is
 * counted anyway.
 */
function chargeGrowth(
  grown: readonly Growth[],
  ceiling: MemoryCeiling | undefined,
  check: boolean,
  sent: Map<string, Sent>,
  changes: DurableChange[],
): void {
  if (ceiling === undefined || grown.length === 0) return;
  const total = grown.reduce((a, g) => a + g.delta, 0);
  // Shrinking records were released first, so what grew is checked against what is left.
  if (!check) {
    ceiling.add(total);
    return;
  }
  if (ceiling.tryCharge(total)) return;
  let kept = 0;
  for (const g of grown) {
    if (!takeBack(g, sent, changes)) kept += g.delta;
  }
  ceiling.add(kept);
  const outcome =
    kept === 0
      ? "their new values were not kept"
      : kept === total
        ? "they are kept (what a step added to a queue, table, staging area or dataset buffer cannot " +
          "be taken back) and refuse further allocations until state is freed"
        : "new variable values were not kept; what the step added to queues, tables, staging areas " +
          "or dataset buffers is kept and refuses further allocations until state is freed";
  throw resourceExhausted(
    `OOM when keeping the step's long-lived state: its ${total} bytes would exceed the server's memory ` +
      `ceiling of ${ceiling.limit} bytes (--max-memory-bytes) with what other variables, queues, tables, ` +
      `staging areas, dataset buffers and running steps hold; ${outcome}. Free state (Reset, close sessions) or retry later.`,
  );
}

/** Takes back a variable's new value; false for kinds whose change cannot be undone. */
function takeBack(g: Growth, sent: Map<string, Sent>, changes: DurableChange[]): boolean {
  const { entry: e, before } = g;
  if (e.typeName !== VAR_TYPE_NAME && e.typeName !== LEGACY_VAR_TYPE_NAME) return false;
  if (before === undefined || before.mark === undefined) {
    if (e.typeName === VAR_TYPE_NAME) {
      e.mgr.delete(e.container, e.name, e.typeName);
      sent.delete(g.key);
      replaceChange(changes, g.key, undefined);
      return true;
    }
    (g.value as RefCell).value = undefined;
  } else if (e.typeName === VAR_TYPE_NAME) {
    (g.value as Var).value = before.mark as Tensor;
  } else {
    (g.value as RefCell).value = before.mark as Tensor;
  }
  const state = snapshotResource(e.typeName, g.value);
  sent.set(g.key, { mark: changeMark(e.typeName, g.value), bytes: before?.bytes ?? 0, owner: before?.owner });
  const old = changes.find((c) => c.key === g.key);
  if (old !== undefined && "record" in old && old.record !== undefined) {
    replaceChange(changes, g.key, { ...old.record, bytes: before?.bytes ?? 0, state });
  }
  return true;
}

function replaceChange(changes: DurableChange[], key: string, record: DurableRecord | undefined): void {
  const i = changes.findIndex((c) => c.key === key);
  if (i >= 0) changes[i] = { key, record };
}
