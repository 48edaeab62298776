// A fresh table for an HTTP/2 session's open streams, now and then.
//
// Node's http2 session keeps its open streams in a Map (in the session's internal state): one
// entry in per stream, one out when the stream closes. Such a Map's hash table is replaced by V8
// every few dozen streams, and the replacement is allocated in the generation of the table it
// replaces. While the table is young that costs nothing. But a mark-compact that finds the table
// live may move it to the old generation, and from then on every replaced table is old, and a dead
// old table keeps the streams it held alive through each scavenge until the next mark-compact:
// the stream, its headers (external strings, each holding nghttp2 memory) and whatever the call
// hung on it. A plain node:http2 server under h2load flips into that state about a second in and
// stays there: 1.6 MB promoted per scavenge against 0.15 MB, scavenges of 3.7 ms against 1.7 ms,
// and mark-compacts that spend tens of milliseconds freeing header strings (docs/benchmarks.md,
// "Tables that churn").
//
// So every RENEW_EVERY streams a session gets a new Map with the same entries: young again, and
// its old table is garbage with nothing left to keep alive. The copy holds the streams open at
// that moment (at most the session's concurrent-stream limit). Node reads the Map through the
// session's state object at each use, so the new one serves from the next stream on. The state is
// found by its symbol's description; on a Node whose session keeps no such Map nothing is done.

import type http2 from "node:http2";
import { types } from "node:util";

/** Streams a session opens between two renewals of its table. */
export const RENEW_EVERY = 128;

interface StreamState {
  streams: Map<number, unknown>;
}

/** The session's internal state that holds the streams Map, or undefined when there is none. */
function streamStateOf(session: http2.Http2Session): StreamState | undefined {
  for (const key of Object.getOwnPropertySymbols(session)) {
    if (key.description !== "state") continue;
    const state: unknown = (session as unknown as Record<symbol, unknown>)[key];
    // isMap, not instanceof: Node's internal Maps are its own subclass, cut off from Map.prototype.
    if (typeof state === "object" && state !== null && types.isMap((state as StreamState).streams)) {
      return state as StreamState;
    }
  }
  return undefined;
}

/** Counts `session`'s streams and gives it a fresh streams table every RENEW_EVERY of them. */
export function renewStreamTables(session: http2.Http2Session): () => void {
  const state = streamStateOf(session);
  if (state === undefined) return () => {};
  let opened = 0;
  return () => {
    if (++opened % RENEW_EVERY !== 0) return;
    const table = state.streams;
    const Fresh = table.constructor as new (entries: Iterable<[number, unknown]>) => Map<number, unknown>;
    state.streams = new Fresh(table);
  };
}
