// What the operator allows each principal beyond TF's own limits (docs/security.md): which ops a
// graph may hold, how many sessions and concurrent steps a principal may have, and how long a step
// may run. TF's master has none of these; refusals name the flag that set them.

import type { GraphDef } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import { permissionDenied, resourceExhausted } from "../framework/errors.js";

export interface OpPolicy {
  /** Only these ops (undefined: every op). */
  readonly allow: readonly string[] | undefined;
  /** Never these ops. */
  readonly deny: readonly string[];
}

/**
 * Refuses a graph holding an op the policy forbids, in its nodes or in any function of its library
 * (If, While, PartitionedCall and datasets run those bodies). A node whose op names a library
 * function is a call, checked through the function's body.
 */
export function checkOpPolicy(graphDef: GraphDef, policy: OpPolicy): void {
  if (policy.allow === undefined && policy.deny.length === 0) return;
  const allow = policy.allow === undefined ? undefined : new Set(policy.allow);
  const deny = new Set(policy.deny);
  const functions = new Set((graphDef.library?.function ?? []).map((f) => f.signature?.name ?? ""));
  const check = (op: string, node: string, where: string) => {
    if (functions.has(op)) return;
    if (deny.has(op) || (allow !== undefined && !allow.has(op))) {
      throw permissionDenied(
        `Op '${op}' (node '${node}'${where}) is not allowed on this server (${deny.has(op) ? "--ops-deny" : "--ops-allow"})`,
      );
    }
  };
  for (const n of graphDef.node) check(n.op, n.name, "");
  for (const f of graphDef.library?.function ?? []) {
    for (const n of f.nodeDef) check(n.op, n.name, ` in function '${f.signature?.name ?? ""}'`);
  }
}

export interface PrincipalQuotas {
  /** Throws RESOURCE_EXHAUSTED when `principal` already has its most sessions open. */
  admitSession(principal: string, open: number): void;
  /** Counts a step of `principal` until the returned function is called; throws over the quota. */
  beginStep(principal: string): () => void;
}

export function createPrincipalQuotas(maxSessions: number, maxConcurrentSteps: number): PrincipalQuotas {
  const running = new Map<string, number>();
  return {
    admitSession(principal, open) {
      if (open >= maxSessions) {
        throw resourceExhausted(
          `Too many open sessions for principal '${principal}' (the limit is ${maxSessions}, ` +
            "--max-sessions-per-principal); close some sessions first",
        );
      }
    },
    beginStep(principal) {
      const n = running.get(principal) ?? 0;
      if (maxConcurrentSteps > 0 && n >= maxConcurrentSteps) {
        throw resourceExhausted(
          `Too many concurrent steps for principal '${principal}' (the limit is ${maxConcurrentSteps}, ` +
            "--max-concurrent-steps-per-principal)",
        );
      }
      running.set(principal, n + 1);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        const left = (running.get(principal) ?? 1) - 1;
        if (left === 0) running.delete(principal);
        else running.set(principal, left);
      };
    },
  };
}

/**
 * A step's timeout in ms (0 = none): RunOptions.timeout_in_ms when positive (TF ignores the rest), else the session's
 * ConfigProto.operation_timeout_in_ms (as TF's DirectSession applies it; its gRPC master ignores
 * it, which leaves a browser-facing server open to steps that never end), else the server's
 * --max-step-ms, which is also the ceiling of the other two.
 *
 * A call whose own deadline comes no later (`callDeadlineMs`, the ms it has left) needs no step
 * timer: its deadline ends the step, and the caller sees gRPC's DEADLINE_EXCEEDED "Deadline
 * Exceeded" as a TF client does. (TF's GrpcSession sets the call deadline to timeout_in_ms, and
 * the client's timer, started first, always wins against the master's.) gRPC rounds the deadline
 * up when it encodes grpc-timeout (Python's client sends 1.5 s as "1510m"), so a call deadline up
 * to 2% (at least 20 ms) past the step's is the same deadline.
 */
export function stepTimeoutMs(
  requested: bigint | undefined,
  sessionDefault: bigint,
  maxStepMs: number,
  callDeadlineMs?: number,
): number {
  const asked = Number(requested ?? 0n);
  const fallback = Number(sessionDefault);
  const chosen = asked > 0 ? asked : fallback > 0 ? fallback : maxStepMs;
  const timeout = maxStepMs > 0 ? Math.min(chosen || maxStepMs, maxStepMs) : chosen;
  const sameDeadline = callDeadlineMs !== undefined && callDeadlineMs <= timeout + Math.max(20, timeout / 50);
  return timeout > 0 && sameDeadline ? 0 : timeout;
}
