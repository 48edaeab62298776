// SavedModels exported by TF 2.21 (test/tf/saved_models, written by test/tf/export_saved_models.py)
// served from the file sandbox: /v1/models lists and describes them, /v1/models/<name>/sessions
// loads one into an ordinary session (CreateSession, the SaverDef's restore op with the checkpoint
// prefix fed, the main op) that RunStep then drives by the signature's tensor names. Hostile model
// names (traversal, symlinks, absolute paths, encoded separators) never leave the sandbox root.

import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { type RunStepRequest, RunStepResponseSchema } from "../gen/tensorflow/core/protobuf/master_pb.js";
import { type AppEngine, buildApp } from "../server/app.js";
import { createMaster } from "../server/engine/master/master.js";
import { resolveServerOptions } from "../server/options.js";
import { type RunningServer, startServer } from "./support/server.js";
import { repoRoot } from "./tf/venv.js";

const fixtures = join(repoRoot, "test", "tf", "saved_models");
const expected = JSON.parse(readFileSync(join(fixtures, "expected.json"), "utf8")) as {
  linear: number[][];
  ref_vars: number[];
};

/** A sandbox root with the fixtures, a nested copy, and links that must not be followed. */
function makeSandbox(): { root: string; outside: string } {
  const base = mkdtempSync(join(tmpdir(), "tfgate-models-"));
  const root = join(base, "root");
  const outside = join(base, "outside");
  for (const name of ["linear", "ref_vars", "constants", "constants_text"])
    cpSync(join(fixtures, name), join(root, name), { recursive: true });
  cpSync(join(fixtures, "constants"), join(root, "nested", "deep", "constants"), { recursive: true });
  cpSync(join(fixtures, "constants"), join(outside, "secret"), { recursive: true });
  mkdirSync(join(root, "empty"));
  cpSync(join(fixtures, "constants"), join(root, ".hidden"), { recursive: true }); // never listed nor served
  mkdirSync(join(root, "broken"));
  writeFileSync(join(root, "broken", "saved_model.pb"), Buffer.from([0xff, 0xff, 0xff]));
  symlinkSync(join(outside, "secret"), join(root, "escape")); // a link out of the root
  symlinkSync(join(root, "constants"), join(root, "alias")); // a link inside the root
  symlinkSync(outside, join(root, "nested", "out"));
  return { root, outside: base };
}

/** A server on the real engine with the sandbox at `filesRoot` (undefined: none configured). */
async function serve(filesRoot: string | undefined): Promise<RunningServer> {
  return startServer(
    filesRoot === undefined ? {} : { master: { files: { root: filesRoot, readOnly: true } } },
  );
}

/** GET or POST with the path sent byte for byte (fetch would normalise "..", "%2e%2e"). */
function raw(
  port: number,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        headers: payload === undefined ? {} : { "content-type": "application/json" },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, json: text === "" ? undefined : JSON.parse(text) }),
        );
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

interface SessionJson {
  sessionHandle: string;
  tags: string[];
  signatures: Record<
    string,
    { inputs: Record<string, { name: string }>; outputs: Record<string, { name: string }> }
  >;
}

async function runStep(
  url: string,
  body: object,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${url}/tensorflow.grpc.MasterService/RunStep`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

interface JsonTensor {
  dtype: string;
  tensorShape?: { dim?: { size: string }[] };
  tensorContent?: string;
}

function floats(t: JsonTensor): number[] {
  const bytes = Buffer.from(t.tensorContent ?? "", "base64");
  return Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
}

/** A DT_STRING tensorContent as TF lays it out: every length (varint), then every string's bytes. */
function strings(t: JsonTensor): string[] {
  const bytes = Buffer.from(t.tensorContent ?? "", "base64");
  const count = (t.tensorShape?.dim ?? []).reduce((n, d) => n * Number(d.size), 1);
  const lengths: number[] = [];
  let at = 0;
  while (lengths.length < count) {
    let n = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++]!;
      n |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    lengths.push(n);
  }
  return lengths.map((n) => {
    const text = bytes.subarray(at, at + n).toString();
    at += n;
    return text;
  });
}

/** The fetched tensors of a RunStep response by name. */
function fetched(json: Record<string, unknown>): Map<string, JsonTensor> {
  const tensors = (json.tensor ?? []) as { name: string; tensor: JsonTensor }[];
  return new Map(tensors.map((t) => [t.name, t.tensor]));
}

describe("SavedModels under --files-root", () => {
  let sandbox: { root: string; outside: string };
  let server: RunningServer;
  before(async () => {
    sandbox = makeSandbox();
    server = await serve(sandbox.root);
  });
  after(async () => {
    await server.close();
    rmSync(sandbox.outside, { recursive: true, force: true });
  });

  test("GET /v1/models lists the SavedModels under the root, following no links", async () => {
    const res = await raw(server.port, "GET", "/v1/models");
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, {
      models: [
        { name: "broken", file: "saved_model.pb" },
        { name: "constants", file: "saved_model.pb" },
        { name: "constants_text", file: "saved_model.pbtxt" },
        { name: "linear", file: "saved_model.pb" },
        { name: "nested/deep/constants", file: "saved_model.pb" },
        { name: "ref_vars", file: "saved_model.pb" },
      ],
    });
  });

  test("GET /v1/models/<name> describes MetaGraphs and signatures", async () => {
    const res = await raw(server.port, "GET", "/v1/models/linear");
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, {
      name: "linear",
      savedModelSchemaVersion: 1,
      hasVariables: true,
      metaGraphs: [
        {
          tags: ["serve"],
          tensorflowVersion: "2.21.0",
          signatures: {
            serving_default: {
              methodName: "tensorflow/serving/predict",
              inputs: { x: { name: "x:0", dtype: "DT_FLOAT", shape: [-1, 2] } },
              outputs: { y: { name: "y:0", dtype: "DT_FLOAT", shape: [-1, 3] } },
            },
          },
        },
      ],
    });
    const nested = await raw(server.port, "GET", "/v1/models/nested/deep/constants");
    assert.equal(nested.status, 200);
    const ref = (await raw(server.port, "GET", "/v1/models/ref_vars")).json as {
      metaGraphs: { tags: string[]; signatures: Record<string, unknown> }[];
    };
    assert.deepEqual(
      ref.metaGraphs.map((m) => [m.tags, Object.keys(m.signatures)]),
      [
        [["serve"], ["offset", "serving_default"]],
        [["serve", "gpu"], ["serving_default"]],
      ],
    );
  });

  test("unknown and malformed models answer 404 / 400 with a message", async () => {
    const missing = await raw(server.port, "GET", "/v1/models/nope");
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, {
      code: "not_found",
      message: 'No SavedModel named "nope" in the model directory',
    });
    assert.equal((await raw(server.port, "GET", "/v1/models/empty")).status, 404);
    const broken = await raw(server.port, "GET", "/v1/models/broken");
    assert.equal(broken.status, 400);
    assert.match(
      (broken.json as { message: string }).message,
      /^Model "broken": saved_model.pb is not a valid SavedModel/,
    );
  });

  test("hostile names never leave the root", async () => {
    const hostile = [
      "/v1/models/../outside/secret",
      "/v1/models/%2e%2e/outside/secret",
      "/v1/models/%2E%2E%2Foutside%2Fsecret",
      "/v1/models/nested/../../outside/secret",
      "/v1/models/nested%2F..%2F..%2Foutside%2Fsecret",
      "/v1/models//etc",
      "/v1/models/%2Fetc",
      `/v1/models/${encodeURIComponent(sandbox.outside)}%2Fsecret`,
      "/v1/models/escape",
      "/v1/models/alias",
      "/v1/models/nested/out/secret",
      "/v1/models/.%2Fconstants",
      "/v1/models/constants%5C..%5C..",
      "/v1/models/constants%00",
      "/v1/models/.hidden",
      "/v1/models/",
    ];
    for (const path of hostile) {
      for (const [method, suffix] of [
        ["GET", ""],
        ["POST", "/sessions"],
      ] as const) {
        const res = await raw(server.port, method, path + suffix, method === "POST" ? {} : undefined);
        assert.ok(
          [400, 403, 404].includes(res.status),
          `${method} ${path}${suffix}: ${res.status} ${JSON.stringify(res.json)}`,
        );
        assert.doesNotMatch(
          JSON.stringify(res.json),
          /"signatures"|"sessionHandle"/,
          `${method} ${path}${suffix}`,
        );
      }
    }
    // A link out of the root is the sandbox's PERMISSION_DENIED; one inside it is still refused.
    const escaping = await raw(server.port, "GET", "/v1/models/escape");
    assert.equal(escaping.status, 403);
    assert.match(
      (escaping.json as { message: string }).message,
      /^Path 'escape' is outside the server's file sandbox/,
    );
    const alias = await raw(server.port, "GET", "/v1/models/alias");
    assert.deepEqual(alias.json, {
      code: "invalid_argument",
      message: 'Model name "alias" passes through a symbolic link, which is not served',
    });
  });

  for (const name of ["constants", "constants_text"]) {
    test(`a model without variables loads and serves its signature end to end (${name})`, async () => {
      const created = await raw(server.port, "POST", `/v1/models/${name}/sessions`, { tags: ["serve"] });
      assert.equal(created.status, 200, JSON.stringify(created.json));
      const s = created.json as SessionJson;
      const sig = s.signatures.serving_default!;
      const run = await runStep(server.url, {
        sessionHandle: s.sessionHandle,
        feed: [
          {
            name: sig.inputs.text!.name,
            tensor: {
              dtype: "DT_STRING",
              tensorShape: { dim: [{ size: "2" }] },
              stringVal: [Buffer.from("tf").toString("base64"), Buffer.from("gate").toString("base64")],
            },
          },
        ],
        fetch: [sig.outputs.upper!.name],
      });
      assert.equal(run.status, 200, JSON.stringify(run.json));
      assert.deepEqual(strings(fetched(run.json).get("upper:0")!), ["TF", "GATE"]);
    });
  }

  test("a simple_save model's variables are restored and its signature runs", async () => {
    const created = await raw(server.port, "POST", "/v1/models/linear/sessions");
    assert.equal(created.status, 200, JSON.stringify(created.json));
    const s = created.json as SessionJson;
    const run = await runStep(server.url, {
      sessionHandle: s.sessionHandle,
      feed: [
        {
          name: s.signatures.serving_default!.inputs.x!.name,
          tensor: {
            dtype: "DT_FLOAT",
            tensorShape: { dim: [{ size: "3" }, { size: "2" }] },
            floatVal: [1, 2, 3, 4, -1.5, 0.25],
          },
        },
      ],
      fetch: [s.signatures.serving_default!.outputs.y!.name],
    });
    assert.equal(run.status, 200, JSON.stringify(run.json));
    assert.deepEqual(floats(fetched(run.json).get("y:0")!), expected.linear.flat());
  });

  test("ref variables, the main op and the tag set choose what runs", async () => {
    const created = await raw(server.port, "POST", "/v1/models/ref_vars/sessions", { tags: ["serve"] });
    assert.equal(created.status, 200, JSON.stringify(created.json));
    const s = created.json as SessionJson;
    const run = await runStep(server.url, {
      sessionHandle: s.sessionHandle,
      fetch: [s.signatures.offset!.outputs.offset!.name, s.signatures.offset!.outputs.counter!.name],
    });
    const out = fetched(run.json);
    assert.deepEqual(floats(out.get("offset/read:0")!), [-1]); // restored, not the initial 0.25
    assert.equal(Buffer.from(out.get("counter/read:0")!.tensorContent!, "base64").readInt32LE(0), 42); // main op ran
    const gpu = await raw(server.port, "POST", "/v1/models/ref_vars/sessions", { tags: ["gpu", "serve"] });
    assert.equal(gpu.status, 200);
    assert.deepEqual(Object.keys((gpu.json as SessionJson).signatures), ["serving_default"]);
    const y = await runStep(server.url, {
      sessionHandle: (gpu.json as SessionJson).sessionHandle,
      feed: [
        {
          name: "x:0",
          tensor: { dtype: "DT_FLOAT", tensorShape: { dim: [{ size: "3" }] }, floatVal: [1, 2, 3] },
        },
      ],
      fetch: ["y:0"],
    });
    assert.deepEqual(floats(fetched(y.json).get("y:0")!), expected.ref_vars);
  });

  test("browsers on an allowed origin may call the models routes (the app's CORS policy)", async () => {
    const preflight = await fetch(`${server.url}/v1/models/constants/sessions`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:5173",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), "http://localhost:5173");
    const list = await fetch(`${server.url}/v1/models`, { headers: { origin: "https://evil.example" } });
    assert.equal(list.headers.get("access-control-allow-origin"), null);
  });

  test("session requests: tags that match no MetaGraph, bad bodies, unknown routes", async () => {
    const noTags = await raw(server.port, "POST", "/v1/models/ref_vars/sessions", { tags: ["train"] });
    assert.equal(noTags.status, 404);
    assert.deepEqual(noTags.json, {
      code: "not_found",
      message: 'Model "ref_vars" has no MetaGraph with tags {train}; its tag sets are: {serve}, {serve, gpu}',
    });
    const badTags = await raw(server.port, "POST", "/v1/models/constants/sessions", { tags: "serve" });
    assert.equal(badTags.status, 400);
    const extra = await raw(server.port, "POST", "/v1/models/constants/sessions", { tag: ["serve"] });
    assert.equal(extra.status, 400);
    assert.match((extra.json as { message: string }).message, /Unknown field "tag"/);
    const badConfig = await raw(server.port, "POST", "/v1/models/constants/sessions", {
      config: { nope: 1 },
    });
    assert.equal(badConfig.status, 400);
    const noVerb = await raw(server.port, "POST", "/v1/models/constants", {});
    assert.equal(noVerb.status, 404);
  });
});

test("without --files-root the models routes say that no model directory is configured", async () => {
  const server = await serve(undefined);
  try {
    for (const [method, path] of [
      ["GET", "/v1/models"],
      ["GET", "/v1/models/linear"],
      ["POST", "/v1/models/linear/sessions"],
    ] as const) {
      const res = await raw(server.port, method, path, method === "POST" ? {} : undefined);
      assert.equal(res.status, 404);
      assert.deepEqual(res.json, {
        code: "not_found",
        message:
          "No model directory is configured: start tfgate with --files-root DIR to serve the SavedModels under DIR",
      });
    }
  } finally {
    await server.close();
  }
});

test("loading runs TF's loader sequence through the master: restore with the prefix fed, then the main op", async () => {
  // The master is wrapped to record RunStep requests; everything else is the real engine.
  const master = createMaster({ workerThreads: false });
  const runs: RunStepRequest[] = [];
  const recording = {
    createSession: master.createSession.bind(master),
    closeSession: master.closeSession.bind(master),
    openSessionCount: master.openSessionCount.bind(master),
    close: master.close.bind(master),
    runStep: async (req: RunStepRequest) => {
      runs.push(req);
      return create(RunStepResponseSchema);
    },
  };
  const { root, outside } = makeSandbox();
  const app = await buildApp(
    resolveServerOptions({ logLevel: "silent", master: { files: { root, readOnly: true } } }),
    { master: recording, masterService: {} } satisfies AppEngine,
  );
  try {
    const res = await app.inject({ method: "POST", url: "/v1/models/ref_vars/sessions", payload: {} });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(
      runs.map((r) => ({
        target: r.target,
        feed: r.feed.map((f) => [f.name, new TextDecoder().decode(f.tensor?.stringVal[0])]),
      })),
      [
        { target: ["save/restore_all"], feed: [["save/Const:0", "ref_vars/variables/variables"]] },
        { target: ["set_counter"], feed: [] },
      ],
    );
  } finally {
    await app.close();
    rmSync(outside, { recursive: true, force: true });
  }
});

test("with --auth-tokens the models routes need a token and the session belongs to its principal", async () => {
  const { root, outside } = makeSandbox();
  const tokensFile = join(outside, "tokens");
  const alice = "alice-token-0123456789abcdef";
  const bob = "bob-token-0123456789abcdef01";
  writeFileSync(tokensFile, `alice ${alice}\nbob ${bob}\n`);
  const server = await startServer({
    auth: { tokensFile, allowAnonymous: "none" },
    master: { files: { root, readOnly: true } },
  });
  const as = (token: string | undefined) => (token === undefined ? {} : { authorization: `Bearer ${token}` });
  try {
    const anonymous = await fetch(`${server.url}/v1/models`);
    assert.equal(anonymous.status, 401);
    const list = await fetch(`${server.url}/v1/models`, { headers: as(alice) });
    assert.equal(list.status, 200);
    const created = await fetch(`${server.url}/v1/models/constants/sessions`, {
      method: "POST",
      headers: as(alice),
    });
    assert.equal(created.status, 200);
    const { sessionHandle } = (await created.json()) as SessionJson;
    const run = (token: string) =>
      fetch(`${server.url}/tensorflow.grpc.MasterService/RunStep`, {
        method: "POST",
        headers: { "content-type": "application/json", ...as(token) },
        body: JSON.stringify({
          sessionHandle,
          feed: [
            {
              name: "text:0",
              tensor: { dtype: "DT_STRING", tensorShape: { dim: [{ size: "1" }] }, stringVal: ["YQ=="] },
            },
          ],
          fetch: ["upper:0"],
        }),
      });
    const own = await run(alice);
    assert.equal(own.status, 200, await own.clone().text());
    assert.deepEqual(strings(fetched((await own.json()) as Record<string, unknown>).get("upper:0")!), ["A"]);
    const other = await run(bob);
    assert.notEqual(other.status, 200); // another principal's session is not there for bob
  } finally {
    await server.close();
    rmSync(outside, { recursive: true, force: true });
  }
});
