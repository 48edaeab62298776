// Long graph passes in slices, so one tenant's big graph never holds the RPC thread
// (docs/architecture.md, "Big graphs and the event loop").
//
// A pass over a whole graph (conversion, placement, pruning, partitioning) is plain synchronous
// code, but one over a million nodes runs for seconds, and while it runs the RPC thread answers
// nobody. Such passes are written as generators that `yield` every few hundred nodes (a `Sliced`
// value). The same pass can then run to the end at once (`runToEnd`: tests, small callers) or in
// slices of a few milliseconds with the event loop running other callers' work in between
// (`runInSlices`: CreateSession, ExtendSession, a first RunStep). A generator rather than an async
// function: no promise per yield, and a yield is only a counter check when no slice boundary is due.

import { setImmediate as nextTurn } from "node:timers/promises";
import { scavengeWhenYoungFull } from "./young-generation.js";

/** A pass that yields between pieces of work and returns T. */
export type Sliced<T> = Generator<void, T, void>;

/** Nodes (or edges) a pass handles between two yields: cheap to check, fine enough to slice at ~1 ms. */
export const YIELD_EVERY = 512;

/** Runs a sliced pass to the end without giving up the thread. */
export function runToEnd<T>(pass: Sliced<T>): T {
  for (;;) {
    const r = pass.next();
    if (r.done) return r.value;
  }
}

/**
 * Default slice: the longest time a pass keeps the thread before letting other work run. 2 ms keeps
 * another client's added wait under 10 ms at p99 with the scavenges below; 4 ms did not, and cost
 * the pass no less wall time (docs/benchmarks.md, "Big graphs").
 */
export const DEFAULT_SLICE_MS = 2;

/**
 * Runs a sliced pass, giving the event loop a turn (setImmediate: after pending I/O) whenever the
 * current slice has run `sliceMs`. After every piece, `betweenPieces` runs: by default a scavenge
 * once the young generation holds what a short pause can copy (young-generation.ts).
 */
export async function runInSlices<T>(
  pass: Sliced<T>,
  sliceMs = DEFAULT_SLICE_MS,
  betweenPieces: () => void = scavengeWhenYoungFull,
): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const r = pass.next();
    if (r.done) return r.value;
    betweenPieces();
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
}

/**
 * Runs every slice of `pass` inside `around` (a scope that must not stay open while other work
 * runs between slices, e.g. withMaxTensorBytes).
 */
export function* scoped<T>(pass: Sliced<T>, around: <R>(f: () => R) => R): Sliced<T> {
  for (;;) {
    const r = around(() => pass.next());
    if (r.done) return r.value;
    yield;
  }
}
