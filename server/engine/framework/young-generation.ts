// Young-generation collections between the pieces of a big graph's passes (docs/architecture.md,
// "Big graphs and the event loop").
//
// Building a big graph keeps almost everything it allocates, so V8's scavenges, which copy the
// young generation's live objects, are long while it runs: with Node's 16 MB semi-spaces a
// 100,000-node CreateSession pays ~60 scavenges of 9–55 ms each, pauses that every other client of
// the RPC thread waits through. A smaller young generation (`--max-semi-space-size=4`) shortens
// them for the same CPU, but for the whole process, small calls included, whose garbage is
// short-lived and best left to the large young generation. So the sliced passes ask for a
// scavenge themselves between their pieces (every few hundred nodes) once the young generation
// holds more than YOUNG_LIMIT_BYTES: each pause then copies at most that much, a millisecond or
// two. Nothing changes for work outside the sliced passes.
//
// V8 offers a scavenge only through its `gc` extension; turning the flag on while one context is
// made gives that context's function and leaves every other context (workers included) without
// it. If the flag cannot be set, the function is missing and nothing is collected by hand.

import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Young-generation bytes above which a pass asks for a scavenge (a pause of ~1–3 ms). */
export const YOUNG_LIMIT_BYTES = 2 * 1024 * 1024;

/** V8's `gc`: a full collection without options, a scavenge with `{ type: "minor" }`. */
export type GcFunction = (options?: { type: "minor" | "major"; execution: "sync" }) => void;

/** V8's gc extension, made for one private context (see the header); undefined when V8 refuses. */
export function gcExtension(): GcFunction | undefined {
  try {
    setFlagsFromString("--expose-gc");
    const gc: unknown = runInNewContext("typeof gc === 'function' ? gc : undefined");
    return typeof gc === "function" ? (gc as GcFunction) : undefined;
  } catch {
    return undefined;
  } finally {
    setFlagsFromString("--no-expose-gc");
  }
}

let scavenge: GcFunction | undefined | null = null;

function youngBytes(): number {
  for (const s of getHeapSpaceStatistics()) if (s.space_name === "new_space") return s.space_used_size;
  return 0;
}

/**
 * Between two pieces of a pass: scavenges now if the young generation holds more than `limit`
 * bytes, so no pause copies more than that.
 */
export function scavengeWhenYoungFull(limit = YOUNG_LIMIT_BYTES): void {
  if (scavenge === null) scavenge = gcExtension();
  if (scavenge !== undefined && youngBytes() > limit) scavenge({ type: "minor", execution: "sync" });
}

/**
 * Turns off V8's allocation-site pretenuring for the process (its flags are process-wide, so the
 * device threads started after this inherit it). Pretenuring watches each object literal's
 * allocation site and, when nearly everything a site made survived a scavenge, has the site
 * allocate straight into the old generation from then on. A server's sites see two lives: a
 * CreateSession's graph objects live as long as the session, a small call's die within
 * milliseconds, and a site that decoded a big graph keeps allocating in the old generation for
 * every call after it. Those objects are dead long before the next mark-compact, yet any young
 * object they point to survives each scavenge until then. On the RPC thread under 64 small calls
 * in flight pretenuring promoted about 0.74 MB per scavenge against 0.08 MB without it, and made
 * each mark-compact 10-40 ms instead of 4-8 (docs/benchmarks.md, "Tables that churn"). Big graphs
 * lose nothing they need: their passes bound their own scavenges (scavengeWhenYoungFull).
 */
export function turnOffPretenuring(): void {
  setFlagsFromString("--no-allocation-site-pretenuring");
}
