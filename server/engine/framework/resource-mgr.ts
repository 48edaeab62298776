// TensorFlow's ResourceMgr (core/framework/resource_mgr.h): per-device containers of named,
// long-lived resources (variables, …) that outlive steps and, unless sessions are isolated, sessions.
//
// The default container of a worker is "localhost" (what Reset clears when given no names).

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
}

export function createResourceMgr(defaultContainer = "localhost"): ResourceMgr {
  const containers = new Map<string, Map<string, unknown>>();
  const key = (name: string, typeName: string) => `${typeName}\u0000${name}`;
  const resolve = (c: string) => (c === "" ? defaultContainer : c);
  return {
    defaultContainer,
    lookup<T>(container: string, name: string, typeName: string): T | undefined {
      return containers.get(resolve(container))?.get(key(name, typeName)) as T | undefined;
    },
    lookupOrCreate<T>(container: string, name: string, typeName: string, make: () => T): T {
      const c = resolve(container);
      let m = containers.get(c);
      if (!m) {
        m = new Map();
        containers.set(c, m);
      }
      const k = key(name, typeName);
      if (m.has(k)) return m.get(k) as T;
      const r = make();
      m.set(k, r);
      return r;
    },
    delete(container: string, name: string, typeName: string): boolean {
      return containers.get(resolve(container))?.delete(key(name, typeName)) ?? false;
    },
    cleanup(container: string): void {
      containers.delete(resolve(container));
    },
    containers(): string[] {
      return [...containers.keys()];
    },
  };
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
  const steps = new Map<bigint, { mgrs: Set<ResourceMgr>; users: number }>();
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
