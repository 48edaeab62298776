// The operator's log line of an RPC (server/metrics.ts): a failed call names TF's code and carries
// its status message, bounded to maxLoggedMessageChars, with an assertion's data left out; a RunStep
// whose failure travels in the response body (store_errors_in_response_body, as TF's client asks)
// is logged with that status. No line carries tensor content.

import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { ConnectError } from "@connectrpc/connect";
import type { FastifyInstance } from "fastify";
import { AttrValueSchema } from "../gen/tensorflow/core/framework/attr_value_pb.js";
import { buildApp } from "../server/app.js";
import { maxLoggedMessageChars } from "../server/metrics.js";
import { resolveServerOptions } from "../server/options.js";
import { attr } from "./support/attr.js";
import { constNode, DataType, graph, node, tensorProto } from "./support/graphs.js";
import { masterClient } from "./support/server.js";

/** A number that appears only as tensor content: it must never reach the log. */
const secret = 31_415_926;

interface RpcLine {
  readonly msg: string;
  readonly level: number;
  readonly rpc: string;
  readonly code: string;
  readonly tfCode?: string;
  readonly message?: string;
}

describe("RPC log lines", () => {
  const lines: string[] = [];
  let app: FastifyInstance;
  let client: ReturnType<typeof masterClient>;

  before(async () => {
    app = await buildApp(
      resolveServerOptions({ port: 0, logLevel: "info", master: { workerThreads: false, cpuDevices: 1 } }),
      undefined,
      { write: (line) => void lines.push(line) },
    );
    await app.listen({ port: 0, host: "127.0.0.1" });
    client = masterClient("connect-binary", `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
  });
  after(() => app.close());

  /** The rpc lines logged for `method` since the test began (a line is written when a call closes). */
  async function rpcLines(method: string, from: number): Promise<RpcLine[]> {
    for (let i = 0; i < 100; i++) {
      const found = lines
        .slice(from)
        .map((l) => JSON.parse(l) as RpcLine)
        .filter((l) => l.msg === "rpc" && l.rpc.endsWith(`/${method}`));
      if (found.length > 0) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return [];
  }

  test("a failed call: TF's code name and the message, at info level", async () => {
    const from = lines.length;
    await assert.rejects(client.closeSession({ sessionHandle: "nope" }), ConnectError);
    const [line] = await rpcLines("CloseSession", from);
    assert.ok(line);
    assert.equal(line.level, 30); // pino's info
    assert.equal(line.code, "aborted");
    assert.equal(line.tfCode, "ABORTED");
    assert.match(line.message ?? "", /^Session nope is not found/);
  });

  test("a long message is cut to the bound", async () => {
    const from = lines.length;
    const handle = "h".repeat(3 * maxLoggedMessageChars);
    await assert.rejects(client.closeSession({ sessionHandle: handle }), ConnectError);
    const [line] = await rpcLines("CloseSession", from);
    assert.ok(line?.message);
    assert.ok(line.message.length <= maxLoggedMessageChars + 30, `${line.message.length} chars`);
    assert.ok(line.message.startsWith(`Session ${"h".repeat(100)}`));
    assert.match(line.message, /\.\.\. \[\d+ more chars\]$/);
  });

  test("a RunStep failed in the response body: the body's status, without the assertion's data", async () => {
    const I = DataType.DT_INT32;
    const nodes = [
      constNode("zero", I, [], [0]),
      constNode("one", I, [], [1]),
      node("cond", "Greater", { inputs: ["zero", "one"], attrs: { T: attr.type(I) } }),
      constNode("data", I, [2], [secret, secret + 1]),
      node("assert", "Assert", {
        inputs: ["cond", "data"],
        attrs: {
          T: create(AttrValueSchema, { value: { case: "list", value: { type: [I] } } }),
          summarize: attr.int(3),
        },
      }),
    ];
    const { sessionHandle } = await client.createSession({ graphDef: graph(...nodes) });
    const from = lines.length;
    const res = await client.runStep({
      sessionHandle,
      target: ["assert"],
      feed: [],
      storeErrorsInResponseBody: true,
    });
    assert.equal(res.statusCode, 3);
    assert.ok(res.statusErrorMessage.includes(String(secret)), "the client gets the whole message");
    const [line] = await rpcLines("RunStep", from);
    assert.ok(line);
    assert.equal(line.code, "ok");
    assert.equal(line.tfCode, "INVALID_ARGUMENT");
    assert.match(line.message ?? "", /assertion failed: <data not logged>/);
    assert.match(line.message ?? "", /\{\{node assert\}\}/);
    assert.ok(!lines.slice(from).some((l) => l.includes(String(secret))), "no tensor content in the log");
  });

  test("a fed tensor never reaches the log", async () => {
    const F = DataType.DT_FLOAT;
    const nodes = [node("x", "Placeholder", { attrs: { dtype: attr.type(F) } })];
    const { sessionHandle } = await client.createSession({ graphDef: graph(...nodes) });
    const from = lines.length;
    // A feed of the wrong dtype fails; its values must not appear in the line.
    await client.runStep({
      sessionHandle,
      fetch: ["x:0"],
      feed: [{ name: "x:0", tensor: tensorProto(DataType.DT_INT32, [1], [secret]) }],
      storeErrorsInResponseBody: true,
    });
    const [line] = await rpcLines("RunStep", from);
    assert.ok(line?.tfCode);
    assert.ok(!lines.slice(from).some((l) => l.includes(String(secret))));
  });

  test("a successful call has no failure fields", async () => {
    const from = lines.length;
    await client.listDevices({});
    const [line] = await rpcLines("ListDevices", from);
    assert.ok(line);
    assert.equal(line.code, "ok");
    assert.equal(line.tfCode, undefined);
    assert.equal(line.message, undefined);
  });
});
