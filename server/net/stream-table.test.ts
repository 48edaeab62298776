// renewStreamTables against a real node:http2 session: the table is replaced, and the session
// still knows every open stream (it closes them when it is destroyed).

import assert from "node:assert/strict";
import { once } from "node:events";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { RENEW_EVERY, renewStreamTables } from "./stream-table.js";

/** The Map Node keeps the session's streams in (what the module replaces). */
function streamsMap(session: http2.Http2Session): Map<number, unknown> {
  const key = Object.getOwnPropertySymbols(session).find((k) => k.description === "state")!;
  return (session as unknown as Record<symbol, { streams: Map<number, unknown> }>)[key].streams;
}

test("a session's streams table is renewed and still holds the open streams", async () => {
  const server = http2.createServer();
  const tables = new Set<Map<number, unknown>>();
  let serverSession: http2.Http2Session | undefined;
  server.on("session", (session) => {
    serverSession = session;
    const opened = renewStreamTables(session);
    session.on("stream", (stream: http2.ServerHttp2Stream, headers) => {
      opened();
      tables.add(streamsMap(session));
      // Streams asking to hang stay open; the rest are answered at once.
      if (headers[":path"] === "/hang") return;
      stream.respond({ ":status": 200 });
      stream.end("ok");
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const client = http2.connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  client.on("error", () => {});
  try {
    const hanging = [0, 1, 2].map(() => client.request({ ":path": "/hang" }));
    const closed = hanging.map((s) => {
      s.on("error", () => {});
      return once(s, "close");
    });
    for (let i = 0; i < RENEW_EVERY + 5; i++) {
      const s = client.request({ ":path": "/" });
      s.resume();
      s.end();
      await once(s, "close");
    }
    assert.ok(tables.size >= 2, "the table was replaced");
    assert.equal(streamsMap(serverSession!).size, 3, "the hanging streams are in the current table");
    serverSession!.destroy();
    await Promise.all(closed);
    assert.ok(
      hanging.every((s) => s.rstCode !== undefined || s.destroyed),
      "destroying the session closed its open streams",
    );
  } finally {
    client.destroy();
    server.close();
  }
});

test("a session without a streams table in its state is left alone", () => {
  const fake = new (class extends Object {})() as unknown as http2.Http2Session;
  const opened = renewStreamTables(fake);
  for (let i = 0; i < RENEW_EVERY * 2; i++) opened();
});
