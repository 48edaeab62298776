// A big graph's request sent as JSON (Connect's application/json, curl's way in, and gRPC's and
// gRPC-Web's application/grpc+json and application/grpc-web+json) is read off the RPC thread
// (rpc/json-graph-thread.ts) and its binary form decoded in slices (rpc/graph-requests.ts), so
// other clients' calls are answered while it is read; and it gives the same session, the same
// fetched values and the same errors as the JSON read whole on the RPC thread.
//
// The event-loop check is structural, as in big-graphs-rpc.test.ts: the server allows one session
// and has it, so the big CreateSession is refused as soon as the engine sees it; ListDevices answers
// from another client between the request's last byte and that answer are counted. Read whole on
// the RPC thread, a 100,000-node JSON body leaves no turn of the event loop for them. The body goes
// over HTTP/2, whose flow control holds the client's last write until the server has read nearly
// all of it: over HTTP/1.1 the server is still reading megabytes from the socket after that write,
// and answers other clients in between even when it then parses the body whole.

import assert from "node:assert/strict";
import { request } from "node:http";
import { connect } from "node:http2";
import { after, test } from "node:test";
import { create, fromBinary, fromJsonString, toJsonString } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import { CreateSessionRequestSchema } from "../gen/tensorflow/core/protobuf/master_pb.js";
import { jsonToBinaryOffThread, stopJsonGraphThread } from "../server/rpc/json-graph-thread.js";
import { MasterServiceProtoPath } from "../server/rpc/services.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, node, tensorValues } from "./support/graphs.js";
import { masterClient, startServer } from "./support/server.js";

const F = DataType.DT_FLOAT;
const createPath = "/tensorflow.MasterService/CreateSession";

after(() => stopJsonGraphThread());

function chain(n: number, first = 0): NodeDef[] {
  const nodes: NodeDef[] = [];
  for (let i = first; i < first + n; i++) {
    nodes.push(
      i === 0
        ? constNode("n0", F, [], [7])
        : node(`n${i}`, "Identity", { inputs: [`n${i - 1}`], attrs: { T: attr.type(F) } }),
    );
  }
  return nodes;
}

function createJson(nodes: NodeDef[]): string {
  return toJsonString(
    CreateSessionRequestSchema,
    create(CreateSessionRequestSchema, { graphDef: { node: nodes, versions: { producer: 1 } } }),
  );
}

/** The JSON protocols: Connect's, gRPC's and gRPC-Web's (served by the fast paths). */
type JsonWire = "connect-json" | "grpc-json" | "grpc-web-json";
const wires: readonly JsonWire[] = ["connect-json", "grpc-json", "grpc-web-json"];

/** connect-node's transport for a JSON protocol. */
function jsonTransport(wire: JsonWire, baseUrl: string): Transport {
  switch (wire) {
    case "connect-json":
      return createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: false });
    case "grpc-json":
      return createGrpcTransport({ baseUrl, useBinaryFormat: false });
    case "grpc-web-json":
      return createGrpcWebTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: false });
  }
}

const contentTypes: Readonly<Record<JsonWire, string>> = {
  "connect-json": "application/json",
  "grpc-json": "application/grpc+json",
  "grpc-web-json": "application/grpc-web+json",
};

/** An answer as the client sees it: the status and every header and trailer, and the body. */
interface Answer {
  readonly fields: Record<string, unknown>;
  readonly body: Buffer;
}

/**
 * One unary call with a JSON body; resolves with what the client is told: "<HTTP status> <body>"
 * for Connect, "<grpc-status> <grpc-message, decoded>" for gRPC and gRPC-Web. `onSent` runs once
 * the body's last byte is written. Over HTTP/2 (gRPC always) the stream's flow control keeps that
 * moment close to the server's receipt of the last byte; over HTTP/1.1 several megabytes can still
 * sit in the sockets' buffers then.
 */
async function postJson(
  wire: JsonWire,
  url: string,
  path: string,
  json: string,
  onSent: () => void,
  http: "h1" | "h2" = "h1",
): Promise<string> {
  const bytes = Buffer.from(json);
  const body = wire === "connect-json" ? bytes : frame(bytes);
  const headers = { "content-type": contentTypes[wire] };
  const a =
    http === "h2" || wire === "grpc-json"
      ? await postH2(
          url,
          path,
          { ...headers, ...(wire === "grpc-json" ? { te: "trailers" } : {}) },
          body,
          onSent,
        )
      : await postH1(url, path, headers, body, onSent);
  if (wire === "connect-json") return `${String(a.fields[":status"])} ${a.body.toString("utf8")}`;
  return grpcStatusLine(wire === "grpc-json" ? a.fields : trailerFields(a.body));
}

/** A POST over HTTP/1.1, on a connection of its own. */
function postH1(
  url: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
  onSent: () => void,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, {
      method: "POST",
      headers: { ...headers, "content-length": body.length },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ fields: { ...res.headers, ":status": res.statusCode }, body: Buffer.concat(chunks) }),
      );
      res.on("error", reject);
    });
    req.end(body, onSent);
  });
}

/** A POST over h2c with a raw HTTP/2 client, on a connection of its own. */
function postH2(
  url: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer,
  onSent: () => void,
): Promise<Answer> {
  const session = connect(url);
  return new Promise<Answer>((resolve, reject) => {
    const stream = session.request({ ":method": "POST", ":path": path, ...headers });
    let fields: Record<string, unknown> = {};
    const chunks: Buffer[] = [];
    stream.on("response", (h) => {
      fields = { ...fields, ...h };
    });
    stream.on("trailers", (t) => {
      fields = { ...fields, ...t };
    });
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("error", reject);
    stream.on("close", () => resolve({ fields, body: Buffer.concat(chunks) }));
    stream.end(body, onSent);
  }).finally(() => session.close());
}

function frame(message: Uint8Array): Buffer {
  const out = Buffer.alloc(5 + message.length);
  out.writeUInt32BE(message.length, 1);
  out.set(message, 5);
  return out;
}

/** The fields of a gRPC-Web body's trailer frame. */
function trailerFields(body: Buffer): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let at = 0; at + 5 <= body.length; at += 5 + body.readUInt32BE(at + 1)) {
    if (((body[at] ?? 0) & 0x80) === 0) continue;
    const text = body.subarray(at + 5, at + 5 + body.readUInt32BE(at + 1)).toString();
    for (const line of text.split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) fields[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
  }
  return fields;
}

function grpcStatusLine(fields: Record<string, unknown>): string {
  return `${String(fields["grpc-status"])} ${decodeURIComponent(String(fields["grpc-message"] ?? ""))}`;
}

for (const wire of wires) {
  test(`${wire}: other calls are answered while a 100,000-node CreateSession's JSON is read`, {
    timeout: 300_000,
  }, async (t) => {
    const server = await startServer({ master: { maxSessions: 1, maxGraphNodes: 1_000_000 } });
    try {
      const client = masterClient("grpc", server.url);
      await client.createSession({ graphDef: graph(constNode("c", F, [], [1])) });
      const body = createJson(chain(100_000));
      let sent = false;
      let finished = false;
      let answersWhileReading = 0;
      const lister = masterClient("grpc", server.url);
      const poller = (async () => {
        while (!finished) {
          await lister.listDevices({});
          if (sent && !finished) answersWhileReading++;
        }
      })();
      let sentAt = 0;
      const onSent = () => {
        sent = true;
        sentAt = performance.now();
      };
      const answer = await postJson(wire, server.url, createPath, body, onSent, "h2");
      finished = true;
      await poller;
      const line = `${body.length} bytes of JSON; ${Math.round(performance.now() - sentAt)} ms from the last byte to the answer; ${answersWhileReading} ListDevices answers meanwhile`;
      t.diagnostic(line);
      // RESOURCE_EXHAUSTED: HTTP 429 for Connect, grpc-status 8 for gRPC and gRPC-Web.
      assert.match(
        answer,
        wire === "connect-json" ? /^429 .*Too many open sessions/ : /^8 Too many open sessions/,
      );
      assert.ok(answersWhileReading >= 5, line);
    } finally {
      await server.close();
    }
  });

  test(`${wire}: big CreateSession and ExtendSession requests (a long chain, a 4 MB constant) run as small ones do`, {
    timeout: 300_000,
  }, async () => {
    const server = await startServer({ master: { maxGraphNodes: 1_000_000 } });
    try {
      const client = createClient(MasterServiceProtoPath, jsonTransport(wire, server.url));
      const created = await client.createSession({
        graphDef: { node: chain(20_000), versions: { producer: 1 } },
      });
      const extended = await client.extendSession({
        sessionHandle: created.sessionHandle,
        currentGraphVersion: 0n,
        graphDef: { node: chain(10_000, 20_000) },
      });
      assert.equal(extended.newGraphVersion, 1n);
      const run = await client.runStep({ sessionHandle: created.sessionHandle, fetch: ["n29999"] });
      assert.deepEqual(tensorValues(run.tensor[0]?.tensor), [7]);
      await client.closeSession({ sessionHandle: created.sessionHandle });

      // One NodeDef of many megabytes: a constant whose tensor_content is 4 MB (5.6 MB of base64).
      const values = Array.from({ length: 1 << 20 }, (_, i) => (i % 1000) - 500.25);
      const big = await client.createSession({
        graphDef: { node: [constNode("big", F, [1 << 20], values)], versions: { producer: 1 } },
      });
      const fetched = await client.runStep({ sessionHandle: big.sessionHandle, fetch: ["big"] });
      assert.deepEqual(tensorValues(fetched.tensor[0]?.tensor), values);
      await client.closeSession({ sessionHandle: big.sessionHandle });
    } finally {
      await server.close();
    }
  });

  test(`${wire}: a big request's bad JSON and bad graph get the answers a small one gets`, {
    timeout: 300_000,
  }, async () => {
    const server = await startServer({ master: { maxGraphNodes: 1_000_000 } });
    try {
      const body = createJson(chain(20_000));
      assert.ok(body.length > 512 * 1024);
      // What reading it whole gives: connect-es's invalid_argument with fromJson's text.
      const expectedError = (text: string): string => {
        try {
          fromJsonString(CreateSessionRequestSchema, text, { ignoreUnknownFields: false });
        } catch (e) {
          const message = (e as Error).message;
          return wire === "connect-json"
            ? `400 ${JSON.stringify({ code: "invalid_argument", message })}`
            : `${Code.InvalidArgument} ${message}`;
        }
        throw new Error("the request was expected to be refused");
      };
      const damaged = [
        // An unknown field, deep inside the graph.
        body.replace('"name":"n19000"', '"name":"n19000","bogus":1'),
        // Cut short.
        body.slice(0, body.length - 10),
        // A value of the wrong kind.
        body.replace('"name":"n12345"', '"name":12345'),
      ];
      for (const text of damaged) {
        assert.notEqual(text, body);
        assert.equal(await postJson(wire, server.url, createPath, text, () => {}), expectedError(text));
      }
      // A graph TF refuses: an input naming no node, far down a big graph. TF's code and text.
      const client = createClient(MasterServiceProtoPath, jsonTransport(wire, server.url));
      const nodes = chain(20_000);
      nodes[15_000] = node("n15000", "Identity", { inputs: ["nowhere"], attrs: { T: attr.type(F) } });
      await assert.rejects(client.createSession({ graphDef: { node: nodes, versions: { producer: 1 } } }), {
        message: "[invalid_argument] Node 'n15000': Unknown input node 'nowhere'",
      });
      // The server keeps serving.
      assert.ok((await client.listDevices({})).localDevice.length > 0);
    } finally {
      await server.close();
    }
  });
}

test("the JSON thread reads a copy: the caller's Buffer, a view of a larger one, stays readable", {
  timeout: 120_000,
}, async () => {
  const text = createJson(chain(20_000));
  // A gRPC body: the message after its 5-byte frame header, in one buffer.
  const framed = frame(Buffer.from(text));
  const body = framed.subarray(5);
  const bytes = await jsonToBinaryOffThread(CreateSessionRequestSchema.typeName, body);
  assert.equal(fromBinary(CreateSessionRequestSchema, bytes).graphDef?.node.length, 20_000);
  assert.equal(framed.length, 5 + Buffer.byteLength(text));
  assert.equal(body.toString(), text);
});

test("a JSON read cut short by the thread's end fails INTERNAL, and the next one starts the thread again", {
  timeout: 120_000,
}, async () => {
  const body = new TextEncoder().encode(createJson(chain(20_000)));
  const reading = jsonToBinaryOffThread(CreateSessionRequestSchema.typeName, body);
  const refused = assert.rejects(reading, (e: unknown) => {
    assert.ok(e instanceof ConnectError);
    assert.equal(e.code, Code.Internal);
    assert.match(e.rawMessage, /^the JSON decoding thread stopped/);
    return true;
  });
  await stopJsonGraphThread();
  await refused;
  const bytes = await jsonToBinaryOffThread(CreateSessionRequestSchema.typeName, body);
  assert.equal(fromBinary(CreateSessionRequestSchema, bytes).graphDef?.node.length, 20_000);
});
