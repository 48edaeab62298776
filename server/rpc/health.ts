// gRPC health checking (grpc.health.v1.Health, https://github.com/grpc/grpc/blob/master/doc/health-checking.md)
// for load balancers, Kubernetes probes and `grpc_health_probe`.
//
// Statuses: "" (the server as a whole) and every served service name start SERVING. Check answers
// one name, NOT_FOUND for a name the server does not know; List answers all of them; Watch sends
// the current status at once and again whenever it changes, SERVICE_UNKNOWN (and stays open) for an
// unknown name. On shutdown every status becomes NOT_SERVING; open Watch streams receive that and
// then end, so a draining server does not wait for watchers to hang up.

import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import {
  type Health,
  type HealthCheckRequest,
  type HealthCheckResponse,
  HealthCheckResponseSchema,
  HealthListResponseSchema,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "../../gen/grpc/health/v1/health_pb.js";

/** The health service of one server. Its methods may be called at any time, from any handler. */
export interface HealthServer {
  /** The Connect implementation of grpc.health.v1.Health. */
  readonly impl: ServiceImpl<typeof Health>;
  /** Sets one service's status (adding the name if new) and notifies its watchers. Ignored after shutdown. */
  setStatus(service: string, status: ServingStatus): void;
  /** The current status of `service`, or undefined for an unknown name. */
  status(service: string): ServingStatus | undefined;
  /** Marks every service NOT_SERVING, sends that to every watcher and ends their streams. Idempotent. */
  shutdown(): void;
}

/** `serviceNames` are the served services' fully qualified names; "" is always added. */
export function createHealthServer(serviceNames: readonly string[]): HealthServer {
  const statuses = new Map<string, ServingStatus>([["", ServingStatus.SERVING]]);
  for (const name of serviceNames) statuses.set(name, ServingStatus.SERVING);
  /** Wakes every waiting watcher; each re-reads the status it watches. */
  const wakers = new Set<() => void>();
  /** Bumped on every change, so a watcher that was busy sending does not miss one. */
  let version = 0;
  let shutDown = false;

  const changed = (): void => {
    version++;
    for (const wake of [...wakers]) wake();
  };

  /** Resolves once anything changed after `seen` (maybe already), or when `signal` aborts. */
  const changedSince = (seen: number, signal: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        wakers.delete(done);
        signal.removeEventListener("abort", done);
        resolve();
      };
      if (version !== seen || signal.aborted) {
        resolve();
        return;
      }
      wakers.add(done);
      signal.addEventListener("abort", done, { once: true });
    });

  const response = (status: ServingStatus): HealthCheckResponse =>
    create(HealthCheckResponseSchema, { status });

  const impl: ServiceImpl<typeof Health> = {
    check(request: HealthCheckRequest) {
      const status = statuses.get(request.service);
      if (status === undefined) {
        throw new ConnectError(`unknown service "${request.service}"`, Code.NotFound);
      }
      return response(status);
    },
    list() {
      const all: Record<string, HealthCheckResponse> = {};
      for (const [name, status] of statuses) all[name] = response(status);
      return create(HealthListResponseSchema, { statuses: all });
    },
    async *watch(request: HealthCheckRequest, context: HandlerContext) {
      let sent: ServingStatus | undefined;
      for (;;) {
        const seen = version;
        const status = statuses.get(request.service) ?? ServingStatus.SERVICE_UNKNOWN;
        if (status !== sent) {
          yield response(status);
          sent = status;
          continue; // re-read: the status may have changed while the message was being sent
        }
        if (shutDown || context.signal.aborted) return;
        await changedSince(seen, context.signal);
        if (context.signal.aborted) return;
      }
    },
  };

  return {
    impl,
    setStatus(service, status) {
      if (shutDown) return;
      statuses.set(service, status);
      changed();
    },
    status: (service) => statuses.get(service),
    shutdown() {
      if (shutDown) return;
      for (const name of statuses.keys()) statuses.set(name, ServingStatus.NOT_SERVING);
      shutDown = true;
      changed();
    },
  };
}
