// Which resource containers a session's kernels see on a worker (TF's WorkerSession and the
// device's ResourceMgr): an isolated session's own (isolate_session_state), or those its tenant's
// sessions share. A tenant (the caller's principal) is tfgate's namespace on top of TF's: TF's
// sessions all share one set of containers per device; here each tenant has its own.
//
// With a resource directory (resource-directory.ts), every ResourceMgr made here reports to it and
// is refilled from it when made: a replacement worker thread finds each tenant's and each isolated
// session's resources where the replaced thread had them.

import type { Device } from "../device/device-set.js";
import { createResourceMgr, type ResourceMgr } from "../framework/resource-mgr.js";
import { type ResourceDirectory, sessionScope, tenantScope } from "./resource-directory.js";

export interface SessionResources {
  /** The containers `session` uses on `device`. */
  resourcesFor(session: string, device: string): ResourceMgr;
  createSession(session: string, isolate: boolean, tenant: string): void;
  /** Forgets the session; returns the shared containers whose per-session state must be released. */
  deleteSession(session: string): readonly ResourceMgr[];
  /** The tenant's shared containers and those of its isolated sessions, on every device. */
  tenantContainers(tenant: string): readonly ResourceMgr[];
}

export function createSessionResources(
  devices: readonly Device[],
  directory?: ResourceDirectory,
): SessionResources {
  // TF names a device's default container after its job ("localhost" for a local server, "worker"
  // on a /job:worker task); error messages show it.
  const mgrFor = (scope: string, device: Device): ResourceMgr => {
    if (directory === undefined) return createResourceMgr(device.parsed.job);
    let mgr: ResourceMgr | undefined;
    mgr = createResourceMgr(
      device.parsed.job,
      directory.observer(scope, device.name, () => mgr!),
    );
    directory.restore(mgr, scope, device.name);
    return mgr;
  };
  const perDevice = (scope: string) => new Map(devices.map((d) => [d.name, mgrFor(scope, d)]));
  /** Tenant → device → the containers its non-isolated sessions share. */
  const shared = new Map<string, Map<string, ResourceMgr>>();
  /** Isolated sessions: session handle → device → resources. */
  const isolated = new Map<string, Map<string, ResourceMgr>>();
  const tenantOf = new Map<string, string>();
  const sharedOf = (tenant: string): Map<string, ResourceMgr> => {
    let byDevice = shared.get(tenant);
    if (byDevice === undefined) {
      byDevice = perDevice(tenantScope(tenant));
      shared.set(tenant, byDevice);
    }
    return byDevice;
  };
  return {
    resourcesFor: (session, device) =>
      isolated.get(session)?.get(device) ?? sharedOf(tenantOf.get(session) ?? "").get(device)!,
    createSession(session, isolate, tenant) {
      tenantOf.set(session, tenant);
      if (isolate && !isolated.has(session)) isolated.set(session, perDevice(sessionScope(session)));
    },
    deleteSession(session) {
      isolated.delete(session);
      directory?.dropScope(sessionScope(session));
      const tenant = tenantOf.get(session);
      tenantOf.delete(session);
      return tenant === undefined ? [] : [...sharedOf(tenant).values()];
    },
    tenantContainers(tenant) {
      const isolatedOfTenant = [...isolated.entries()]
        .filter(([session]) => tenantOf.get(session) === tenant)
        .flatMap(([, m]) => [...m.values()]);
      return [...sharedOf(tenant).values(), ...isolatedOfTenant];
    },
  };
}
