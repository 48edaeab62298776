// A big graph's request does not hold the RPC thread while it is decoded (docs/architecture.md,
// "Big graphs and the event loop"): the gRPC path decodes a large CreateSession request in slices
// (rpc/graph-requests.ts), so other clients' calls are answered during the decode.
//
// The check is structural, not a timing: the server allows one session and has it already, so the
// big CreateSession is refused (RESOURCE_EXHAUSTED) as soon as the engine sees it, and the time
// between the client's last request byte and that answer is the decode. Another client calls
// ListDevices back to back; its answers that arrive in that window are counted. Decoded in one
// piece, the decode leaves no turn of the event loop for them (at most one or two slip in while the
// last chunks are read); decoded in slices, every slice boundary is a turn, whatever the load.

import assert from "node:assert/strict";
import { connect } from "node:http2";
import { test } from "node:test";
import { create, toBinary } from "@bufbuild/protobuf";
import type { NodeDef } from "../gen/tensorflow/core/framework/node_def_pb.js";
import { CreateSessionRequestSchema } from "../gen/tensorflow/core/protobuf/master_pb.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, node } from "./support/graphs.js";
import { masterClient, startServer } from "./support/server.js";

const F = DataType.DT_FLOAT;

function chain(n: number): NodeDef[] {
  const nodes: NodeDef[] = [constNode("n0", F, [], [7])];
  for (let i = 1; i < n; i++)
    nodes.push(node(`n${i}`, "Identity", { inputs: [`n${i - 1}`], attrs: { T: attr.type(F) } }));
  return nodes;
}

/** Sends one gRPC request over its own HTTP/2 connection; resolves with grpc-status and grpc-message. */
function grpcCall(
  url: string,
  path: string,
  message: Uint8Array,
  onSent: () => void,
): Promise<{ status: string | undefined; message: string | undefined }> {
  return new Promise((resolve, reject) => {
    const session = connect(url);
    session.on("error", reject);
    const stream = session.request({
      ":method": "POST",
      ":path": path,
      "content-type": "application/grpc",
      te: "trailers",
    });
    let status: string | undefined;
    let text: string | undefined;
    const take = (h: Record<string, unknown>) => {
      if (h["grpc-status"] !== undefined) status = String(h["grpc-status"]);
      if (h["grpc-message"] !== undefined) text = decodeURIComponent(String(h["grpc-message"]));
    };
    stream.on("response", take);
    stream.on("trailers", take);
    stream.on("data", () => {});
    stream.on("error", reject);
    stream.on("close", () => {
      session.close();
      resolve({ status, message: text });
    });
    const frame = Buffer.alloc(5 + message.length);
    frame.writeUInt32BE(message.length, 1);
    frame.set(message, 5);
    stream.end(frame, onSent);
  });
}

test("the gRPC path answers other calls while it decodes a 100,000-node CreateSession request", {
  timeout: 300_000,
}, async (t) => {
  const server = await startServer({ master: { maxSessions: 1, maxGraphNodes: 1_000_000 } });
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
    const t0 = performance.now();
    let sentAt = 0;
    const answer = await grpcCall(server.url, "/tensorflow.MasterService/CreateSession", bytes, () => {
      sent = true;
      sentAt = performance.now();
    });
    finished = true;
    await poller;
    const line = `${bytes.length} bytes; ${Math.round(performance.now() - sentAt)} ms from the last byte to the answer (${Math.round(sentAt - t0)} ms sending); ${answersWhileDecoding} ListDevices answers meanwhile`;
    t.diagnostic(line);
    // RESOURCE_EXHAUSTED: the engine saw the whole, decoded request and refused it at once.
    assert.equal(answer.status, "8", `${answer.status} ${answer.message}`);
    assert.match(answer.message ?? "", /Too many open sessions/);
    assert.ok(answersWhileDecoding >= 5, line);
  } finally {
    await server.close();
  }
});
