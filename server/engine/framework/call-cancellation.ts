// A caller's cancellation as the master reads it, and a small object that provides it.
//
// The master needs four things from a caller's signal: whether it aborted, why, and "abort"
// listeners to add and remove (master/master-session.ts). An AbortSignal offers them, and
// connect-es hands one to every call it serves. The fast paths (rpc/unary-call.ts) made their own
// AbortController per call only to hand its signal over, and Node's AbortController is not cheap:
// 3.5–4.8 µs to make one and 2–4 µs more to add and remove a listener, in a warm loop on the
// benchmark VM, where a small RunStep costs the RPC thread about 150 µs in all (docs/benchmarks.md,
// "Caller cancellation"). CallCancellation is that signal without the EventTarget machinery: a flag,
// a reason and a short list of listeners. A step's cancellation on a device thread is one too
// (worker/worker-thread-main.ts): kernels, the executor and the rendezvous read only these four
// members, so a plain step makes no AbortController anywhere; abortSignalOf links a real
// AbortSignal for the few places that need one (Node's APIs, RPC clients).

/** An "abort" listener: a function, or an object whose handleEvent is called (as EventTarget does). */
export type AbortListener = (() => void) | { handleEvent(): void };

/** What the master reads of a caller's cancellation; an AbortSignal is one. */
export interface CallerSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: "abort", listener: AbortListener, options?: { readonly once?: boolean }): void;
  removeEventListener(type: "abort", listener: AbortListener): void;
}

/**
 * A CallerSignal with its abort, as an AbortController and its signal behave for these four
 * members: listeners run once, in the order added, when `abort` is first called; one removed by an
 * earlier listener meanwhile does not run, and one added after that never runs; a listener that
 * throws does not stop the others, and its error is thrown afterwards from a microtask, as
 * EventTarget reports it (an uncaught exception).
 */
export class CallCancellation implements CallerSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: AbortListener[] = [];

  addEventListener(_type: "abort", listener: AbortListener): void {
    if (!this.aborted) this.listeners.push(listener);
  }

  removeEventListener(_type: "abort", listener: AbortListener): void {
    const i = this.listeners.indexOf(listener);
    if (i >= 0) this.listeners.splice(i, 1);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    // A listener removed by an earlier one during this dispatch is not called, as with EventTarget.
    for (const listener of [...this.listeners]) {
      if (!this.listeners.includes(listener)) continue;
      this.removeEventListener("abort", listener);
      try {
        if (typeof listener === "function") listener();
        else listener.handleEvent();
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

/** AbortSignal.throwIfAborted for any CallerSignal: throws its reason once it has aborted. */
export function throwIfAborted(signal: CallerSignal): void {
  if (signal.aborted) throw signal.reason;
}

/**
 * An AbortSignal that aborts when `signal` does, with its reason: `signal` itself when it is one,
 * else a linked one, made for the places that need a real AbortSignal (Node's APIs, RPC clients).
 * Only remote workers ask; a step's path through the device threads never does.
 */
export function abortSignalOf(signal: CallerSignal): AbortSignal {
  if (signal instanceof AbortSignal) return signal;
  const controller = new AbortController();
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
  return controller.signal;
}
