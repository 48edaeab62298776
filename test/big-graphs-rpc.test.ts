// A big graph's request does not hold the RPC thread while it is decoded (docs/architecture.md,
// "Big graphs and the event loop"): the gRPC and the Connect/gRPC-Web fast paths, and connect-es's
// binary protocols behind them, decode a large CreateSession request in slices
// (rpc/graph-requests.ts), so other clients' calls are answered during the decode.
//
// The check is structural, not a timing: the server allows one session and has it already, so the
// big CreateSession is refused (RESOURCE_EXHAUSTED) as soon as the engine sees it, and the time
// between the client's last request byte and that answer is the decode. Another client calls
// ListDevices back to back; its answers that arrive in that window are counted. Decoded in one
// piece, the decode leaves no turn of the event loop for them (one slips in while the last chunks
// are read: 1 answer measured with the one-piece decode on each fast path, 2 through connect-es);
// decoded in slices, every slice boundary is a turn, whatever the load (10-35 answers on the loaded
// machine). Then the same requests, good and damaged, must get the same answers as before, on the
// fast paths and through connect-es (with the fast paths off).

import assert from "node:assert/strict";
import { request } from "node:http";
import { connect } from "node:http2";
import { test } from "node:test";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { GraphDefSchema } from "../gen/tensorflow/core/framework/graph_pb.js";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import { CreateSessionRequestSchema } from "../gen/tensorflow/core/protobuf/master_pb.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, node, tensorValues } from "./support/graphs.js";
import { masterClient, startServer } from "./support/server.js";

const F = DataType.DT_FLOAT;

function chain(n: number): NodeDef[] {
  const nodes: NodeDef[] = [constNode("n0", F, [], [7])];
  for (let i = 1; i < n; i++)
    nodes.push(node(`n${i}`, "Identity", { inputs: [`n${i - 1}`], attrs: { T: attr.type(F) } }));
  return nodes;
}

type Kind = "grpc" | "connect-binary" | "grpc-web";

/** The gRPC and gRPC-Web body: one uncompressed message frame. */
function framed(message: Uint8Array): Buffer {
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}

/** gRPC over its own HTTP/2 connection (the fast path); resolves with the response's headers and trailers. */
function grpcCall(url: string, path: string, message: Uint8Array, onSent: () => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const session = connect(url);
    session.on("error", reject);
    const stream = session.request({
      ":method": "POST",
      ":path": path,
      "content-type": "application/grpc",
      te: "trailers",
    });
    const seen: string[] = [];
    const take = (h: object) => seen.push(JSON.stringify(h));
    stream.on("response", take);
    stream.on("trailers", take);
    stream.on("data", () => {});
    stream.on("error", reject);
    stream.on("close", () => {
      session.close();
      resolve(decodeURIComponent(seen.join(" ")));
    });
    stream.end(framed(message), onSent);
  });
}

/** Connect (binary) or gRPC-Web over HTTP/1.1 (connect-es); resolves with the status, headers and body. */
function http1Call(
  url: string,
  path: string,
  kind: Kind,
  message: Uint8Array,
  onSent: () => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const body = kind === "grpc-web" ? framed(message) : Buffer.from(message);
    const req = request(`${url}${path}`, {
      method: "POST",
      headers: {
        "content-type": kind === "grpc-web" ? "application/grpc-web+proto" : "application/proto",
        "content-length": body.length,
      },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve(
          `${res.statusCode} ${decodeURIComponent(JSON.stringify(res.headers))} ${Buffer.concat(chunks).toString("latin1")}`,
        ),
      );
      res.on("error", reject);
    });
    req.end(body, onSent);
  });
}

const cases = [
  { kind: "grpc", fastPath: true },
  { kind: "connect-binary", fastPath: true },
  { kind: "grpc-web", fastPath: true },
  // Without the fast paths, connect-es serves these (rpc/graph-requests.ts, decodeGraphsInSlices).
  { kind: "connect-binary", fastPath: false },
] as const;

for (const { kind, fastPath } of cases) {
  const path = fastPath ? "fast path" : "connect-es";
  test(`${kind} (${path}): other calls are answered while a 100,000-node CreateSession request is decoded`, {
    timeout: 300_000,
  }, async (t) => {
    const server = await startServer({ fastPath, master: { maxSessions: 1, maxGraphNodes: 1_000_000 } });
    try {
      const client = masterClient("grpc", server.url);
      await client.createSession({ graphDef: graph(constNode("c", F, [], [1])) });
      const bytes = toBinary(
        CreateSessionRequestSchema,
        create(CreateSessionRequestSchema, { graphDef: { node: chain(100_000), versions: { producer: 1 } } }),
      );
      let sent = false;
      let finished = false;
      let answersWhileDecoding = 0;
      const lister = masterClient("grpc", server.url);
      const poller = (async () => {
        while (!finished) {
          await lister.listDevices({});
          if (sent && !finished) answersWhileDecoding++;
        }
      })();
      let sentAt = 0;
      const onSent = () => {
        sent = true;
        sentAt = performance.now();
      };
      const path = "/tensorflow.MasterService/CreateSession";
      const answer =
        kind === "grpc"
          ? await grpcCall(server.url, path, bytes, onSent)
          : await http1Call(server.url, path, kind, bytes, onSent);
      finished = true;
      await poller;
      const line = `${bytes.length} bytes; ${Math.round(performance.now() - sentAt)} ms from the last byte to the answer; ${answersWhileDecoding} ListDevices answers meanwhile`;
      t.diagnostic(line);
      // RESOURCE_EXHAUSTED: the engine saw the whole, decoded request and refused it at once.
      assert.match(answer.replaceAll("%20", " "), /Too many open sessions/);
      assert.ok(answersWhileDecoding >= 5, line);
    } finally {
      await server.close();
    }
  });
}

for (const fastPath of [true, false])
  test(`connect-binary and grpc-web (${fastPath ? "fast path" : "connect-es"}): big CreateSession and ExtendSession requests give the same session and errors`, {
    timeout: 300_000,
  }, async () => {
    const server = await startServer({ fastPath, master: { maxGraphNodes: 1_000_000 } });
    try {
      for (const protocol of ["connect-binary", "grpc-web"] as const) {
        const client = masterClient(protocol, server.url);
        // ~700 KB and ~350 KB: both past the size decoded in slices.
        const created = await client.createSession({
          graphDef: { node: chain(20_000), versions: { producer: 1 } },
        });
        const first = chain(20_000 + 10_000).slice(20_000);
        const extended = await client.extendSession({
          sessionHandle: created.sessionHandle,
          currentGraphVersion: 0n,
          graphDef: { node: first },
        });
        assert.equal(extended.newGraphVersion, 1n);
        const run = await client.runStep({ sessionHandle: created.sessionHandle, fetch: ["n29999"] });
        assert.deepEqual(tensorValues(run.tensor[0]?.tensor), [7]);
        await client.closeSession({ sessionHandle: created.sessionHandle });
      }
      // A request whose graph is damaged inside (a node's length runs past the graph's end): the
      // answer is connect-es's for a request it cannot decode, with fromBinary's words.
      const graphBytes = toBinary(GraphDefSchema, create(GraphDefSchema, { node: chain(20_000) }));
      const damaged = Buffer.concat([graphBytes, Uint8Array.of(0x0a, 0x7f, 0x0a)]);
      const w = new BinaryWriter();
      w.tag(1, WireType.LengthDelimited).bytes(damaged);
      const bytes = w.finish();
      let expected = "";
      try {
        fromBinary(CreateSessionRequestSchema, bytes);
      } catch (e) {
        expected = `parse binary: ${(e as Error).message}`;
      }
      assert.notEqual(expected, "");
      for (const kind of ["connect-binary", "grpc-web"] as const) {
        const answer = await http1Call(
          server.url,
          "/tensorflow.MasterService/CreateSession",
          kind,
          bytes,
          () => {},
        );
        const text = decodeURIComponent(answer.replace(/[^\x20-\x7e]/g, ""));
        assert.ok(text.includes(expected), `${kind}: ${text.slice(0, 400)}`);
        assert.match(text, kind === "grpc-web" ? /grpc-status: 13/ : /"code":"internal"/);
      }
    } finally {
      await server.close();
    }
  });
