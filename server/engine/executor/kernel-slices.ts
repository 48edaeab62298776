// How the executor runs a sliced kernel (a kernel whose compute returned KernelSlices, see
// framework/op-kernel.ts). TF runs a long kernel on one of many inter-op threads and lets the
// others carry on; a device worker here has one thread, so a long kernel is cut into slices and
// the thread is handed back between them: other steps' nodes, cancellation messages and timers
// (step deadlines) get their turn, and a cancelled step stops within one slice instead of holding
// the thread until the kernel ends (docs/architecture.md, "Sliced kernels").
//
// The first slices run inline, as a synchronous kernel would: a kernel that finishes within
// INLINE_BUDGET_MS costs nothing more than before. Past that it continues as an async kernel, one
// SLICE_BUDGET_MS slice per turn of the event loop.

import type { KernelSlices } from "../framework/op-kernel.js";

/** How long a sliced kernel may run inline before it continues between other work (ms). */
export const INLINE_BUDGET_MS = 10;

/** How long one turn of a sliced kernel runs before the thread is handed back (ms). */
export const SLICE_BUDGET_MS = 10;

/**
 * Runs slices until the kernel is done (true), `budgetMs` has passed (false) or a slice yielded a
 * promise to wait for (that promise).
 */
export function runSlices(slices: KernelSlices, budgetMs: number): boolean | Promise<unknown> {
  const start = performance.now();
  while (true) {
    const r = slices.next();
    if (r.done) return true;
    if (r.value !== undefined) return r.value;
    if (performance.now() - start >= budgetMs) return false;
  }
}

/** One turn of the event loop: after pending I/O (other steps' messages, cancellations) runs. */
export function nextTurn(run: () => void): void {
  setImmediate(run);
}
