// TensorFlow's ResourceMgr (core/framework/resource_mgr.h): per-device containers of named,
// long-lived resources (variables, …) that outlive steps and, unless sessions are isolated, sessions.
//
// The default container of a worker is "localhost" (what Reset clears when given no names).
//
// A manager may have an observer: the worker's resource directory (worker/resource-directory.ts),
// told which entries a step touched so that it can mirror them where a replacement worker thread
// finds them (docs/architecture.md, "Resources that outlive a worker thread"). An entry restored
// from the directory whose state could not be kept is "lost": any use fails with the error it
// carries, until it is deleted or its container cleaned up.

import { randomBytes } from "node:crypto";
import { SlotMap } from "./slot-table.js";

/**
 * A resource name no other worker thread of this process gives out (anonymous seed generators,
 * memory caches, iterators): a counter alone restarts at 0 on a replacement thread, whose
 * containers already hold the resources restored from its predecessor under such names.
 */
export function uniqueResourceName(prefix: string): string {
  return `${prefix}${THREAD_TAG}_${uniqueIds++}`;
}

const THREAD_TAG = randomBytes(6).toString("hex");
let uniqueIds = 0;

/** Told of every entry looked up, made or deleted, and every container removed. */
export interface ResourceMgrObserver {
  touched(container: string, typeName: string, name: string): void;
  cleared(container: string): void;
}

export interface ResourceMgr {
  /** The container used when a node's `container` attr is empty. */
  readonly defaultContainer: string;
  lookup<T>(container: string, name: string, typeName: string): T | undefined;
  /** Returns the existing resource, or creates it with make(). */
  lookupOrCreate<T>(container: string, name: string, typeName: string, make: () => T): T;
  /** Removes one resource; returns whether it existed. */
  delete(container: string, name: string, typeName: string): boolean;
  /** Removes a whole container (TF's Cleanup). */
  cleanup(container: string): void;
  containers(): string[];
  /** The entry as stored, a lost marker included (see isLost), without telling the observer. */
  peek(container: string, name: string, typeName: string): unknown;
  /** Puts a resource in place as it was before a worker restart (no observer call). */
  restore(container: string, name: string, typeName: string, value: unknown): void;
  /** Marks an entry whose state a worker restart lost: every use throws `error`. */
  markLost(container: string, name: string, typeName: string, error: Error): void;
}

/** The marker of a lost entry (see markLost). */
class Lost {
  constructor(readonly error: Error) {}
}

/** True for what peek returns for a lost entry. */
export function isLost(entry: unknown): boolean {
  return entry instanceof Lost;
}

// long-function: the manager's methods close over its containers; each is a few lines.
export function createResourceMgr(
  defaultContainer = "localhost",
  observer?: ResourceMgrObserver,
): ResourceMgr {
  const containers = new Map<string, Map<string, unknown>>();
  const key = (name: string, typeName: string) => `${typeName}\u0000${name}`;
  const resolve = (c: string) => (c === "" ? defaultContainer : c);
  const live = <T>(r: unknown): T => {
    if (r instanceof Lost) throw r.error;
    return r as T;
  };
  const containerOf = (c: string) => {
    let m = containers.get(c);
    if (!m) {
      m = new Map();
      containers.set(c, m);
    }
    return m;
  };
  return {
    defaultContainer,
    lookup<T>(container: string, name: string, typeName: string): T | undefined {
      const c = resolve(container);
      const r = containers.get(c)?.get(key(name, typeName));
      if (r === undefined) return undefined;
      observer?.touched(c, typeName, name);
      return live<T>(r);
    },
    lookupOrCreate<T>(container: string, name: string, typeName: string, make: () => T): T {
      const c = resolve(container);
      const m = containerOf(c);
      const k = key(name, typeName);
      observer?.touched(c, typeName, name);
      if (m.has(k)) return live<T>(m.get(k));
      const r = make();
      m.set(k, r);
      return r;
    },
    delete(container: string, name: string, typeName: string): boolean {
      const c = resolve(container);
      observer?.touched(c, typeName, name);
      return containers.get(c)?.delete(key(name, typeName)) ?? false;
    },
    cleanup(container: string): void {
      const c = resolve(container);
      observer?.cleared(c);
      containers.delete(c);
    },
    containers(): string[] {
      return [...containers.keys()];
    },
    peek(container, name, typeName) {
      return containers.get(resolve(container))?.get(key(name, typeName));
    },
    restore(container, name, typeName, value) {
      containerOf(resolve(container)).set(key(name, typeName), value);
    },
    markLost(container, name, typeName, error) {
      containerOf(resolve(container)).set(key(name, typeName), new Lost(error));
    },
  };
}

/** The session that owns a resource (see ownBySession); undefined for shared resources. */
export function ownerOf(
  mgr: ResourceMgr,
  container: string,
  name: string,
  typeName: string,
): string | undefined {
  for (const [session, owned] of sessionOwned.get(mgr) ?? []) {
    if (owned.some(([c, n, t]) => c === container && n === name && t === typeName)) return session;
  }
  return undefined;
}

/** Resources owned by one session, per ResourceMgr: (container, name, type) triples. */
const sessionOwned = new WeakMap<ResourceMgr, Map<string, [string, string, string][]>>();

/**
 * Marks a resource as the session's own (TF's resources private to a kernel, which the session's
 * kernels delete when the session closes): releaseSessionResources removes it.
 */
export function ownBySession(
  mgr: ResourceMgr,
  session: string,
  container: string,
  name: string,
  typeName: string,
): void {
  let bySession = sessionOwned.get(mgr);
  if (bySession === undefined) {
    bySession = new Map();
    sessionOwned.set(mgr, bySession);
  }
  let owned = bySession.get(session);
  if (owned === undefined) {
    owned = [];
    bySession.set(session, owned);
  }
  owned.push([container, name, typeName]);
}

/** Deletes the resources `session` owns in `mgr` (when the session closes). */
export function releaseSessionResources(mgr: ResourceMgr, session: string): void {
  const bySession = sessionOwned.get(mgr);
  for (const [container, name, typeName] of bySession?.get(session) ?? []) {
    mgr.delete(container, name, typeName);
  }
  bySession?.delete(session);
}

/**
 * The per-step container's name (TF's ScopedStepContainer: "__per_step_<step_id>"). Kernels that
 * make step-scoped resources (stacks, TensorArrays) create them there; the worker removes the
 * container from every device's ResourceMgr when the step's partitions have finished.
 */
export function stepContainerName(stepId: bigint): string {
  return `__per_step_${stepId}`;
}

/**
 * Tracks, per step, the resource managers its running partitions use, so the step's container is
 * cleaned up once, when the last partition of the step on this worker ends (success or failure).
 */
export interface StepContainers {
  /** A partition of `stepId` starts using `mgr`. */
  acquire(stepId: bigint, mgr: ResourceMgr): void;
  /** A partition of `stepId` has ended; the last one clears the step's container everywhere. */
  release(stepId: bigint): void;
  /** Steps with partitions still running (for tests). */
  readonly size: number;
}

export function createStepContainers(): StepContainers {
  const steps = new SlotMap<bigint, { mgrs: Set<ResourceMgr>; users: number }>();
  return {
    acquire(stepId, mgr) {
      let entry = steps.get(stepId);
      if (entry === undefined) {
        entry = { mgrs: new Set(), users: 0 };
        steps.set(stepId, entry);
      }
      entry.mgrs.add(mgr);
      entry.users++;
    },
    release(stepId) {
      const entry = steps.get(stepId);
      if (entry === undefined || --entry.users > 0) return;
      steps.delete(stepId);
      for (const mgr of entry.mgrs) mgr.cleanup(stepContainerName(stepId));
    },
    get size() {
      return steps.size;
    },
  };
}
