// TensorFlow's local Rendezvous and RendezvousMgr (core/common_runtime/rendezvous_mgr.h): one
// rendezvous per step id, shared by every partition of that step on this worker; the master's
// feeds enter it and its fetches leave it.

import type { CallerSignal } from "../framework/call-cancellation.js";
import { aborted, cancelled } from "../framework/errors.js";
import type { Rendezvous, RendezvousValue } from "../framework/rendezvous.js";
import { SlotMap } from "../framework/slot-table.js";

interface Waiter {
  resolve(v: RendezvousValue): void;
  reject(e: unknown): void;
}

/** Where a rendezvous gets values whose sender lives on another worker (TF's RecvTensor). */
export type RemoteRecv = (key: string, signal: AbortSignal) => Promise<RendezvousValue>;

/** The send device of a rendezvous key ("<send_device>;<incarnation>;<recv_device>;<name>;<frame>:<iter>"). */
export function sendDeviceOfKey(key: string): string {
  const i = key.indexOf(";");
  return i < 0 ? key : key.slice(0, i);
}

/** The recv device of a rendezvous key (its third field). */
export function recvDeviceOfKey(key: string): string {
  const a = key.indexOf(";");
  const b = key.indexOf(";", a + 1);
  const c = key.indexOf(";", b + 1);
  return a < 0 || b < 0 || c < 0 ? key : key.slice(b + 1, c);
}

export interface LocalRendezvousOptions {
  /** True when the device's _Send nodes run on this worker. */
  readonly isLocalDevice?: (device: string) => boolean;
  readonly remoteRecv?: RemoteRecv;
  /**
   * Hands a value whose recv device is on another worker straight to that worker (true), instead
   * of keeping it here until that worker asks for it (false). Local devices share a process, as
   * TF's do its intra-process rendezvous: pushing at send time means the receiver never waits for
   * this worker's thread to come back from a long kernel to answer a RecvTensor.
   */
  readonly remoteSend?: (key: string, value: RendezvousValue) => boolean;
  /** True when values from this send device are pushed here, so a recv waits locally for them. */
  readonly pushedFrom?: (device: string) => boolean;
}

/**
 * A worker's rendezvous for one step. recv() before send() waits; send() twice under one key is
 * ABORTED. A recv whose sender is on another worker is fetched from there (remoteRecv); abort()
 * fails local and remote waits alike.
 */
export function createLocalRendezvous(rOptions: LocalRendezvousOptions = {}): Rendezvous {
  // One controller per remote recv (not one per step): whoever serves it may listen on the signal,
  // and a long loop makes one remote recv per iteration.
  const remoteCalls = new Set<AbortController>();
  const values = new Map<string, RendezvousValue>();
  const waiters = new Map<string, Waiter[]>();
  const consumed = new Set<string>();
  /** Waiters (→ their key) that each recv signal cancels. */
  const cancellable = new Map<CallerSignal, Map<Waiter, string>>();
  const dropWaiter = (key: string, waiter: Waiter) => {
    const l = waiters.get(key);
    const i = l?.indexOf(waiter) ?? -1;
    if (i >= 0) l!.splice(i, 1);
    if (l?.length === 0) waiters.delete(key);
  };
  let abortError: Error | undefined;
  /** A value from this send device is fetched from its worker (not local, not pushed here). */
  const isPulled = (sendDevice: string) =>
    !rOptions.isLocalDevice!(sendDevice) && !rOptions.pushedFrom?.(sendDevice);

  return {
    send(key, value) {
      if (abortError) throw abortError;
      if (values.has(key) || consumed.has(key)) {
        throw aborted(`Duplicated send: ${key}`);
      }
      const remote =
        rOptions.remoteSend !== undefined &&
        rOptions.isLocalDevice !== undefined &&
        !rOptions.isLocalDevice(recvDeviceOfKey(key));
      if (remote && rOptions.remoteSend!(key, value)) {
        consumed.add(key);
        return;
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
      if (rOptions.remoteRecv && rOptions.isLocalDevice && isPulled(sendDeviceOfKey(key))) {
        const call = new AbortController();
        remoteCalls.add(call);
        return rOptions.remoteRecv(key, call.signal).finally(() => remoteCalls.delete(call));
      }
      const v = values.get(key);
      if (v !== undefined) {
        values.delete(key);
        consumed.add(key);
        return Promise.resolve(v);
      }
      return new Promise<RendezvousValue>((resolve, reject) => {
        const waiter: Waiter = {
          resolve(v) {
            if (signal) cancellable.get(signal)?.delete(waiter);
            resolve(v);
          },
          reject(e) {
            if (signal) cancellable.get(signal)?.delete(waiter);
            reject(e);
          },
        };
        let list = waiters.get(key);
        if (!list) {
          list = [];
          waiters.set(key, list);
        }
        list.push(waiter);
        if (signal) {
          if (signal.aborted) {
            dropWaiter(key, waiter);
            reject(signal.reason ?? cancelled("Step was cancelled"));
            return;
          }
          // One abort listener per signal, not per recv: a loop makes one recv per iteration on
          // the same step signal, and per-recv listeners would pile up (and slow each other).
          let set = cancellable.get(signal);
          if (!set) {
            const mine = new Map<Waiter, string>();
            cancellable.set(signal, mine);
            set = mine;
            signal.addEventListener(
              "abort",
              () => {
                cancellable.delete(signal);
                for (const [w, k] of mine) {
                  dropWaiter(k, w);
                  w.reject(signal.reason ?? cancelled("Step was cancelled"));
                }
              },
              { once: true },
            );
          }
          set.set(waiter, key);
        }
      });
    },
    abort(error) {
      if (abortError) return;
      abortError = error;
      for (const call of remoteCalls) call.abort(error);
      remoteCalls.clear();
      for (const list of waiters.values()) for (const w of list) w.reject(error);
      waiters.clear();
      values.clear();
    },
  };
}

/** Per-step rendezvous table of a worker. */
export interface RendezvousMgr {
  find(stepId: bigint): Rendezvous;
  /**
   * A value another worker pushed for one of this worker's recvs. Dropped when the step is over
   * here already (or failed), so a late push cannot bring a step's rendezvous back.
   */
  deliver(stepId: bigint, key: string, value: RendezvousValue): void;
  cleanup(stepId: bigint): void;
  /** Aborts and drops every step's rendezvous (worker shutdown / Reset). */
  abortAll(error: Error): void;
}

export interface RendezvousMgrOptions {
  readonly isLocalDevice?: (device: string) => boolean;
  /** Fetches a value from the worker that owns the key's send device. */
  readonly remoteRecv?: (stepId: bigint, key: string, signal: AbortSignal) => Promise<RendezvousValue>;
  /** Pushes a value to the worker that owns the key's recv device (see LocalRendezvousOptions). */
  readonly remoteSend?: (stepId: bigint, key: string, value: RendezvousValue) => boolean;
  readonly pushedFrom?: (device: string) => boolean;
}

/** How many finished step ids a worker remembers, to drop late pushes for them. */
const finishedStepsKept = 4096;

export function createRendezvousMgr(options: RendezvousMgrOptions = {}): RendezvousMgr {
  // A SlotMap: an entry per step, holding the step's values until it ends (framework/slot-table.ts).
  const table = new SlotMap<bigint, Rendezvous>();
  const finished = new Set<bigint>();
  const { remoteRecv, remoteSend } = options;
  const find = (stepId: bigint): Rendezvous => {
    let r = table.get(stepId);
    if (!r) {
      r = createLocalRendezvous({
        ...(options.isLocalDevice ? { isLocalDevice: options.isLocalDevice } : {}),
        ...(remoteRecv
          ? { remoteRecv: (key: string, signal: AbortSignal) => remoteRecv(stepId, key, signal) }
          : {}),
        ...(remoteSend
          ? { remoteSend: (key: string, value: RendezvousValue) => remoteSend(stepId, key, value) }
          : {}),
        ...(options.pushedFrom ? { pushedFrom: options.pushedFrom } : {}),
      });
      table.set(stepId, r);
    }
    return r;
  };
  return {
    find,
    deliver(stepId, key, value) {
      if (finished.has(stepId)) return;
      try {
        find(stepId).send(key, value);
      } catch {
        // The step failed here (its rendezvous is aborted): the value has nowhere to go.
      }
    },
    cleanup(stepId) {
      table.delete(stepId);
      finished.add(stepId);
      if (finished.size > finishedStepsKept) finished.delete(finished.values().next().value!);
    },
    abortAll(error) {
      for (const r of table.values()) r.abort(error);
      table.clear();
    },
  };
}
