// TensorFlow's local Rendezvous and RendezvousMgr (core/common_runtime/rendezvous_mgr.h): one
// rendezvous per step id, shared by every partition of that step on this worker; the master's
// feeds enter it and its fetches leave it.

import { aborted, cancelled } from "../framework/errors.js";
import type { Rendezvous, RendezvousValue } from "../framework/rendezvous.js";

interface Waiter {
  resolve(v: RendezvousValue): void;
  reject(e: unknown): void;
}

/** An in-process rendezvous. recv() before send() waits; send() twice under one key is ABORTED. */
export function createLocalRendezvous(): Rendezvous {
  const values = new Map<string, RendezvousValue>();
  const waiters = new Map<string, Waiter[]>();
  const consumed = new Set<string>();
  let abortError: Error | undefined;

  return {
    send(key, value) {
      if (abortError) throw abortError;
      if (values.has(key) || consumed.has(key)) {
        throw aborted(`Duplicated send: ${key}`);
      }
      const w = waiters.get(key);
      if (w && w.length > 0) {
        const first = w.shift()!;
        if (w.length === 0) waiters.delete(key);
        consumed.add(key);
        first.resolve(value);
        return;
      }
      values.set(key, value);
    },
    recv(key, signal) {
      if (abortError) return Promise.reject(abortError);
      const v = values.get(key);
      if (v !== undefined) {
        values.delete(key);
        consumed.add(key);
        return Promise.resolve(v);
      }
      return new Promise<RendezvousValue>((resolve, reject) => {
        const waiter: Waiter = { resolve, reject };
        let list = waiters.get(key);
        if (!list) {
          list = [];
          waiters.set(key, list);
        }
        list.push(waiter);
        if (signal) {
          const onAbort = () => {
            const l = waiters.get(key);
            const i = l?.indexOf(waiter) ?? -1;
            if (i >= 0) l!.splice(i, 1);
            reject(signal.reason ?? cancelled("Step was cancelled"));
          };
          if (signal.aborted) onAbort();
          else signal.addEventListener("abort", onAbort, { once: true });
        }
      });
    },
    abort(error) {
      if (abortError) return;
      abortError = error;
      for (const list of waiters.values()) for (const w of list) w.reject(error);
      waiters.clear();
      values.clear();
    },
  };
}

/** Per-step rendezvous table of a worker. */
export interface RendezvousMgr {
  find(stepId: bigint): Rendezvous;
  cleanup(stepId: bigint): void;
  /** Aborts and drops every step's rendezvous (worker shutdown / Reset). */
  abortAll(error: Error): void;
}

export function createRendezvousMgr(): RendezvousMgr {
  const table = new Map<bigint, Rendezvous>();
  return {
    find(stepId) {
      let r = table.get(stepId);
      if (!r) {
        r = createLocalRendezvous();
        table.set(stepId, r);
      }
      return r;
    },
    cleanup(stepId) {
      table.delete(stepId);
    },
    abortAll(error) {
      for (const r of table.values()) r.abort(error);
      table.clear();
    },
  };
}
