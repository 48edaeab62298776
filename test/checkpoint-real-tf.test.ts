// Checkpoints in TF's own format between real TensorFlow and tfgate, through TF's own client:
// test/tf/checkpoint_client.py runs tf.compat.v1.train.Saver (plain and sharded) and
// MonitoredTrainingSession against a tfgate started with a files root, and real TF reads what tfgate
// wrote (tf.train.load_checkpoint, a local Saver.restore) and writes what tfgate restores. Variables
// of every dtype, ref and resource, strings, and a partitioned variable
// (fixed_size_partitioner(3)) make the round trip in both directions, in the V2 format and in V1.
//
// Needs the TensorFlow venv (scripts/setup-tf.sh); without it the test skips, except under CI=true.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { buildApp } from "../server/app.js";
import { resolveServerOptions } from "../server/options.js";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const venv = process.env.TFGATE_TF_VENV ?? join(repoRoot, ".venv-tf");
const python = join(venv, "bin", "python");
const client = join(repoRoot, "test", "tf", "checkpoint_client.py");

interface Outcome {
  ok: boolean;
  detail: unknown;
  trace?: string;
}

function runClient(
  target: string,
  root: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: "2", no_grpc_proxy: "127.0.0.1,localhost" };
  return new Promise((resolve) => {
    execFile(
      python,
      [client, "--target", target, "--root", root],
      { env, timeout: 400_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

test("tf.compat.v1.train.Saver and MonitoredTrainingSession checkpoints between real TF and tfgate", async (t) => {
  if (!existsSync(python)) {
    const message = `TensorFlow venv not found: run scripts/setup-tf.sh (looked for ${python})`;
    if (process.env.CI === "true") assert.fail(message);
    t.skip(message);
    return;
  }
  const root = mkdtempSync(join(tmpdir(), "tfgate-ckpt-root-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const app = await buildApp(
    resolveServerOptions({
      host: "127.0.0.1",
      port: 0,
      logLevel: "silent",
      master: { files: { root, readOnly: false } },
    }),
  );
  t.after(() => app.close());
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  const run = await runClient(`grpc://127.0.0.1:${new URL(address).port}`, root);
  assert.equal(run.code, 0, `checkpoint_client.py failed (exit ${run.code}):\n${run.stderr.slice(-4000)}`);
  const { results } = JSON.parse(run.stdout) as { results: Record<string, Outcome> };
  const check = (name: string): Outcome => {
    const r = results[name];
    assert.ok(r, `no result for ${name}`);
    assert.ok(r.ok, `${name}: ${String(r.detail)}\n${r.trace ?? ""}`);
    return r;
  };

  await t.test("tfgate's Saver.save is read by tf.train.load_checkpoint and a local Saver.restore", () => {
    const { detail } = check("tfgate_to_tf") as { detail: { tensors: string[] } };
    for (const name of ["s", "part", "bf16", "c128", "u64", "empty", "global_step"]) {
      assert.ok(detail.tensors.includes(name), `${name} missing from ${detail.tensors}`);
    }
  });
  await t.test("real TF's Saver.save is restored by Saver on tfgate", () => {
    check("tf_to_tfgate");
  });
  await t.test("sharded Saver (MergeV2Checkpoints), max_to_keep and latest_checkpoint", () => {
    const { detail } = check("sharded") as { detail: { kept: string[]; step: number } };
    assert.deepEqual(detail.kept, ["model-2.index", "model-3.index"]);
    assert.equal(detail.step, 3);
  });
  await t.test("V1 Saver (write_version=V1) both ways", () => {
    check("v1");
  });
  await t.test("MonitoredTrainingSession saves and resumes from its checkpoint_dir", () => {
    const { detail } = check("monitored") as { detail: { steps: number[][] } };
    assert.deepEqual(detail.steps, [
      [0, 3],
      [3, 5],
    ]);
  });
  await t.test("no temporary files are left behind", () => {
    const leftovers: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (e.name.includes("tempstate") || e.name.includes("_temp")) leftovers.push(e.name);
      }
    };
    walk(root);
    assert.deepEqual(leftovers, []);
  });
});
