// A big graph's request sent as JSON (Connect's application/json, curl's way in) is read off the RPC
// thread (rpc/json-graph-thread.ts) and its binary form decoded in slices (rpc/graph-requests.ts),
// so other clients' calls are answered while it is read; and it gives the same session, the same
// fetched values and the same errors as the JSON read whole on the RPC thread.
//
// The event-loop check is structural, as in big-graphs-rpc.test.ts: the server allows one session
// and has it, so the big CreateSession is refused as soon as the engine sees it; ListDevices answers
// from another client between the request's last byte and that answer are counted. Read whole on
// the RPC thread, a 100,000-node JSON body leaves no turn of the event loop for them.

import assert from "node:assert/strict";
import { request } from "node:http";
import { after, test } from "node:test";
import { create, fromBinary, fromJsonString, toJsonString } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import { CreateSessionRequestSchema } from "../gen/tensorflow/core/protobuf/master_pb.js";
import { jsonToBinaryOffThread, stopJsonGraphThread } from "../server/rpc/json-graph-thread.js";
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

/** A Connect unary JSON call over HTTP/1.1; resolves with the status and the body. */
function connectJson(url: string, path: string, body: string, onSent: () => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const bytes = Buffer.from(body);
    const req = request(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": bytes.length },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(`${res.statusCode} ${Buffer.concat(chunks).toString("utf8")}`));
      res.on("error", reject);
    });
    req.end(bytes, onSent);
  });
}

test("connect-json: other calls are answered while a 100,000-node CreateSession's JSON is read", {
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
    const answer = await connectJson(server.url, createPath, body, () => {
      sent = true;
      sentAt = performance.now();
    });
    finished = true;
    await poller;
    const line = `${body.length} bytes of JSON; ${Math.round(performance.now() - sentAt)} ms from the last byte to the answer; ${answersWhileReading} ListDevices answers meanwhile`;
    t.diagnostic(line);
    assert.match(answer, /^429 .*Too many open sessions/);
    assert.ok(answersWhileReading >= 5, line);
  } finally {
    await server.close();
  }
});

test("connect-json: big CreateSession and ExtendSession requests (a long chain, a 4 MB constant) run as small ones do", {
  timeout: 300_000,
}, async () => {
  const server = await startServer({ master: { maxGraphNodes: 1_000_000 } });
  try {
    const client = masterClient("connect-json", server.url);
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

test("connect-json: a big request's bad JSON and bad graph get the answers a small one gets", {
  timeout: 300_000,
}, async () => {
  const server = await startServer({ master: { maxGraphNodes: 1_000_000 } });
  try {
    const body = createJson(chain(20_000));
    assert.ok(body.length > 512 * 1024);
    // What reading it whole gives (connect-es's invalid_argument with fromJson's text).
    const expectedError = (text: string): string => {
      try {
        fromJsonString(CreateSessionRequestSchema, text, { ignoreUnknownFields: false });
      } catch (e) {
        return JSON.stringify({ code: "invalid_argument", message: (e as Error).message });
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
      const answer = await connectJson(server.url, createPath, text, () => {});
      assert.equal(answer, `400 ${expectedError(text)}`);
    }
    // A graph TF refuses: an input naming no node, far down a big graph. TF's code and text.
    const client = masterClient("connect-json", server.url);
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
