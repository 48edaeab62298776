// A client that goes away cancels its step, on every protocol: the step below waits on an empty
// queue forever, so only the disconnect can end it.

import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { connect } from "node:http2";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { create, fromBinary, toBinary, toJsonString } from "@bufbuild/protobuf";
import type { FastifyInstance } from "fastify";
import { AttrValueSchema } from "../gen/tensorflow/core/framework/attr_value_pb.js";
import { RunOptionsSchema } from "../gen/tensorflow/core/protobuf/config_pb.js";
import {
  CreateSessionRequestSchema,
  RunStepRequestSchema,
  RunStepResponseSchema,
} from "../gen/tensorflow/core/protobuf/master_pb.js";
import { buildApp } from "../server/app.js";
import { resolveServerOptions } from "../server/options.js";
import { DataType, graph, node } from "./support/graphs.js";

const floatList = create(AttrValueSchema, { value: { case: "list", value: { type: [DataType.DT_FLOAT] } } });
const blockingGraph = graph(
  node("q", "FIFOQueueV2", { attrs: { component_types: floatList } }),
  node("take", "QueueDequeueV2", { inputs: ["q"], attrs: { component_types: floatList } }),
);

let app: FastifyInstance;
let port: number;
const rpcLines: { rpc: string; code: string; tfCode?: string }[] = [];
const waiters: (() => void)[] = [];

before(async () => {
  app = await buildApp(resolveServerOptions({ port: 0, logLevel: "info" }), undefined, {
    write(line: string) {
      const entry = JSON.parse(line) as { msg?: string; rpc: string; code: string };
      if (entry.msg !== "rpc") return;
      rpcLines.push(entry);
      for (const w of waiters.splice(0)) w();
    },
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  port = (app.server.address() as AddressInfo).port;
});
after(() => app.close());

/** Resolves with the log entry of the next RunStep to finish, or rejects after `ms`. */
function nextRunStepLog(ms: number): Promise<{ code: string }> {
  const seen = rpcLines.length;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no RunStep ended within ${ms} ms`)), ms);
    const check = () => {
      const hit = rpcLines.slice(seen).find((l) => l.rpc.endsWith("/RunStep"));
      if (hit) {
        clearTimeout(timer);
        resolve(hit);
      } else waiters.push(check);
    };
    check();
  });
}

async function createSessionJson(): Promise<string> {
  const body = toJsonString(
    CreateSessionRequestSchema,
    create(CreateSessionRequestSchema, { graphDef: blockingGraph }),
  );
  const res = await fetch(`http://127.0.0.1:${port}/tensorflow.MasterService/CreateSession`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  return ((await res.json()) as { sessionHandle: string }).sessionHandle;
}

const grpcFrame = (b: Uint8Array) => {
  const f = Buffer.alloc(5 + b.length);
  f.writeUInt32BE(b.length, 1);
  Buffer.from(b).copy(f, 5);
  return f;
};

describe("a client that disconnects cancels its step", () => {
  test("gRPC over h2c: the connection is destroyed mid-step", async () => {
    const sessionHandle = await createSessionJson();
    const session = connect(`http://127.0.0.1:${port}`);
    const stream = session.request({
      ":method": "POST",
      ":path": "/tensorflow.MasterService/RunStep",
      "content-type": "application/grpc",
      te: "trailers",
    });
    stream.on("error", () => {});
    stream.end(
      grpcFrame(
        toBinary(RunStepRequestSchema, create(RunStepRequestSchema, { sessionHandle, fetch: ["take:0"] })),
      ),
    );
    await new Promise((r) => setTimeout(r, 500));
    const ended = nextRunStepLog(10_000);
    session.destroy();
    assert.equal((await ended).code, "canceled");
  });

  test("Connect over HTTP/1.1: the socket is destroyed mid-step", async () => {
    const sessionHandle = await createSessionJson();
    const req = httpRequest(`http://127.0.0.1:${port}/tensorflow.MasterService/RunStep`, {
      method: "POST",
      headers: { "content-type": "application/json" },
    });
    req.on("error", () => {});
    req.end(JSON.stringify({ sessionHandle, fetch: ["take:0"] }));
    await new Promise((r) => setTimeout(r, 500));
    const ended = nextRunStepLog(10_000);
    req.destroy();
    assert.equal((await ended).code, "canceled");
  });
});

describe("a call deadline and a step timeout of the same length", () => {
  // TF's GrpcSession gives the call the deadline timeout_in_ms; its client's timer starts first, so
  // a TF client always sees gRPC's "Deadline Exceeded", never the master's step timeout. The server
  // must answer the same however the two timers race.
  test('the step ends with DEADLINE_EXCEEDED "Deadline Exceeded", in the body or the trailers', async () => {
    const sessionHandle = await createSessionJson();
    const session = connect(`http://127.0.0.1:${port}`);
    try {
      for (let i = 0; i < 3; i++) {
        const stream = session.request({
          ":method": "POST",
          ":path": "/tensorflow.MasterService/RunStep",
          "content-type": "application/grpc",
          te: "trailers",
          // Rounded up, as gRPC encodes deadlines (Python's client sends 1.5 s as "1510m").
          "grpc-timeout": "204m",
        });
        const request = create(RunStepRequestSchema, {
          sessionHandle,
          fetch: ["take:0"],
          storeErrorsInResponseBody: true,
          options: create(RunOptionsSchema, { timeoutInMs: 200n }),
        });
        stream.end(grpcFrame(toBinary(RunStepRequestSchema, request)));
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        const trailers = await new Promise<Record<string, unknown>>((resolve, reject) => {
          stream.on("trailers", resolve);
          stream.on("error", reject);
        });
        const body = Buffer.concat(chunks);
        if (trailers["grpc-status"] === "0") {
          const res = fromBinary(RunStepResponseSchema, body.subarray(5));
          assert.deepEqual([res.statusCode, res.statusErrorMessage], [4, "Deadline Exceeded"]);
        } else {
          assert.deepEqual([trailers["grpc-status"], trailers["grpc-message"]], ["4", "Deadline Exceeded"]);
        }
      }
    } finally {
      session.destroy();
    }
  });
});
