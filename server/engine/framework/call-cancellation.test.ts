// CallCancellation against AbortController: the same listeners, added, removed and aborted in the
// same order, run the same way.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type AbortListener,
  abortSignalOf,
  CallCancellation,
  type CallerSignal,
  throwIfAborted,
} from "./call-cancellation.js";

/** Runs one scenario on a signal and its abort; what ran, in order, and what the signal said. */
function scenario(signal: CallerSignal, abort: (reason: unknown) => void): unknown[] {
  const ran: unknown[] = [];
  const first = () => ran.push("first");
  const removed = () => ran.push("removed");
  const object = { handleEvent: () => ran.push(`object saw aborted=${signal.aborted}`) };
  const removedMeanwhile = () => ran.push("removed meanwhile");
  const remover = () => {
    ran.push("remover");
    signal.removeEventListener("abort", removedMeanwhile);
  };
  signal.addEventListener("abort", first, { once: true });
  signal.addEventListener("abort", remover);
  signal.addEventListener("abort", removedMeanwhile);
  signal.addEventListener("abort", removed);
  signal.addEventListener("abort", object);
  signal.removeEventListener("abort", removed);
  ran.push(`before: ${signal.aborted} ${String(signal.reason)}`);
  abort("why");
  abort("again");
  signal.addEventListener("abort", () => ran.push("added after"));
  ran.push(`after: ${signal.aborted} ${String(signal.reason)}`);
  return ran;
}

describe("CallCancellation", () => {
  it("runs listeners as an AbortController's signal does", () => {
    const controller = new AbortController();
    const expected = scenario(controller.signal, (r) => controller.abort(r));
    const cancellation = new CallCancellation();
    assert.deepEqual(
      scenario(cancellation, (r) => cancellation.abort(r)),
      expected,
    );
    assert.deepEqual(expected, [
      "before: false undefined",
      "first",
      "remover",
      "object saw aborted=true",
      "after: true why",
    ]);
  });

  it("runs the other listeners when one throws, and throws its error from a microtask", async () => {
    const cancellation = new CallCancellation();
    const ran: string[] = [];
    const thrower: AbortListener = () => {
      throw new Error("listener failed");
    };
    cancellation.addEventListener("abort", thrower);
    cancellation.addEventListener("abort", () => ran.push("second"));
    const queued: (() => void)[] = [];
    const original = globalThis.queueMicrotask;
    globalThis.queueMicrotask = (f) => queued.push(f);
    try {
      cancellation.abort("stop");
    } finally {
      globalThis.queueMicrotask = original;
    }
    assert.deepEqual(ran, ["second"]);
    assert.equal(queued.length, 1);
    assert.throws(queued[0]!, /listener failed/);
  });
});

describe("abortSignalOf", () => {
  it("is an AbortSignal itself, or one linked to a CallCancellation with its reason", () => {
    const real = new AbortController().signal;
    assert.equal(abortSignalOf(real), real);
    const cancellation = new CallCancellation();
    const linked = abortSignalOf(cancellation);
    assert.ok(linked instanceof AbortSignal);
    assert.equal(linked.aborted, false);
    cancellation.abort("deadline");
    assert.equal(linked.aborted, true);
    assert.equal(linked.reason, "deadline");
    const late = abortSignalOf(cancellation);
    assert.equal(late.aborted, true);
    assert.equal(late.reason, "deadline");
  });
});

describe("throwIfAborted", () => {
  it("throws the reason once aborted, as AbortSignal.throwIfAborted does", () => {
    const reason = new Error("step cancelled");
    const controller = new AbortController();
    const cancellation = new CallCancellation();
    for (const signal of [controller.signal, cancellation]) throwIfAborted(signal);
    controller.abort(reason);
    cancellation.abort(reason);
    assert.throws(
      () => controller.signal.throwIfAborted(),
      (e) => e === reason,
    );
    assert.throws(
      () => throwIfAborted(controller.signal),
      (e) => e === reason,
    );
    assert.throws(
      () => throwIfAborted(cancellation),
      (e) => e === reason,
    );
  });
});
