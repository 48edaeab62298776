// Real TensorFlow 2.21 in both directions: SavedModels exported by TF at test time
// (test/tf/export_saved_models.py: simple_save with resource variables, Builder with ref variables,
// two MetaGraphs and a main op) are served by tfgate from its file sandbox, and TF's own loader
// (tf.compat.v1.saved_model.loader.load through tf.compat.v1.Session("grpc://…"),
// test/tf/saved_model_client.py) loads them against tfgate, by a path relative to the sandbox root
// and by the root's absolute path.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type RunningServer, startServer } from "./support/server.js";
import { repoRoot, requireTfPython } from "./tf/venv.js";

interface Expected {
  linear: number[][];
  ref_vars: number[];
  keras_export: number[][];
  keras_v1_graph: number[][];
}

const KERAS_X = Array.from({ length: 8 }, (_, i) => i / 8);

function python(exe: string, args: string[]): Promise<string> {
  const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: "2", no_grpc_proxy: "127.0.0.1,localhost" };
  return new Promise((resolve, reject) =>
    execFile(exe, args, { env, timeout: 180_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      error
        ? reject(new Error(`${args[0]} failed: ${error.message}\n${stderr.slice(-4000)}`))
        : resolve(stdout),
    ),
  );
}

const lastLine = (text: string) => text.trim().split("\n").at(-1) ?? "";

let root: string;
let server: RunningServer | undefined;
before(() => {
  root = mkdtempSync(join(tmpdir(), "tfgate-tf-models-"));
});
after(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

test("TF-exported SavedModels are served, and TF's loader.load runs against tfgate", async (t) => {
  const exe = requireTfPython(t);
  if (exe === undefined) return;
  const expected = JSON.parse(
    lastLine(await python(exe, [join(repoRoot, "test", "tf", "export_saved_models.py"), root, "--keras"])),
  ) as Expected;
  const served = await startServer({ master: { files: { root, readOnly: true } } });
  server = served;

  const listed = (await (await fetch(`${served.url}/v1/models`)).json()) as { models: { name: string }[] };
  assert.deepEqual(
    listed.models.map((m) => m.name),
    ["constants", "constants_text", "keras_export", "keras_v1_graph", "linear", "ref_vars"],
  );

  const out = JSON.parse(
    lastLine(
      await python(exe, [
        join(repoRoot, "test", "tf", "saved_model_client.py"),
        `grpc://127.0.0.1:${served.port}`,
        root,
      ]),
    ),
  ) as {
    linear?: { y: number[][] };
    ref_vars?: { y: number[] };
    ref_vars_offset?: { offset: number[]; counter: number };
    error?: { class: string; code: number; message: string };
  };
  assert.equal(out.error, undefined, JSON.stringify(out.error));
  assert.deepEqual(out.linear?.y, expected.linear);
  assert.deepEqual(out.ref_vars?.y, expected.ref_vars);
  assert.deepEqual(out.ref_vars_offset, { offset: [-1], counter: 42 });

  // Keras 3 models, through POST /v1/models/<name>/sessions and RunStep: model.export()'s TF2
  // SavedModel (functions, the restore op inside a function) and a Keras layer in a v1 graph.
  for (const name of ["keras_export", "keras_v1_graph"] as const) {
    const created: Response = await fetch(`${served.url}/v1/models/${name}/sessions`, { method: "POST" });
    const session = (await created.json()) as {
      sessionHandle: string;
      signatures: Record<
        string,
        { inputs: Record<string, { name: string }>; outputs: Record<string, { name: string }> }
      >;
    };
    assert.equal(created.status, 200, `${name}: ${JSON.stringify(session)}`);
    const sig = session.signatures.serving_default!;
    const run: Response = await fetch(`${served.url}/tensorflow.grpc.MasterService/RunStep`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        sessionHandle: session.sessionHandle,
        feed: [
          {
            name: Object.values(sig.inputs)[0]!.name,
            tensor: {
              dtype: "DT_FLOAT",
              tensorShape: { dim: [{ size: "2" }, { size: "4" }] },
              floatVal: KERAS_X,
            },
          },
        ],
        fetch: [Object.values(sig.outputs)[0]!.name],
      }),
    });
    const body = (await run.json()) as { tensor: { tensor: { tensorContent: string } }[] };
    assert.equal(run.status, 200, `${name}: ${JSON.stringify(body)}`);
    const bytes = Buffer.from(body.tensor[0]!.tensor.tensorContent, "base64");
    const got = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    const want = expected[name].flat();
    assert.equal(got.length, want.length, name);
    for (const [i, v] of got.entries()) {
      assert.ok(Math.abs(v - want[i]!) < 1e-5, `${name}[${i}]: ${v} vs ${want[i]}`);
    }
  }
});
