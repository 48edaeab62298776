// Interop with a real TensorFlow client: test/tf/linear_client.py drives tfgate through
// tf.compat.v1.Session("grpc://…"), i.e. TF's C++ GrpcSession speaking /tensorflow.MasterService/*
// over h2c. It covers CreateSession (graph sent on the first run), RunStep with a fed placeholder,
// a ref variable (VariableV2 initializer, read, AssignAdd), two ExtendSession calls after runs, a
// DT_STRING fetch (tensor_content layout), a 6 MiB feed through Neg to a 6 MiB fetch (grpcio sends
// it in frames as large as tfgate's SETTINGS_MAX_FRAME_SIZE allows) and ListDevices. Every expected
// number is computed here, independently of TensorFlow and of tfgate.
//
// Needs the TensorFlow venv made by scripts/setup-tf.sh (${TFGATE_TF_VENV:-.venv-tf}). Without it
// the test skips, except under CI=true, where .ci/run has run setup-tf.sh and absence is a failure.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { buildApp } from "../server/app.js";
import { resolveServerOptions } from "../server/options.js";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const venv = process.env.TFGATE_TF_VENV ?? join(repoRoot, ".venv-tf");
const python = join(venv, "bin", "python");
const client = join(repoRoot, "test", "tf", "linear_client.py");

const X = [
  [1, 2],
  [3, 4],
  [-1.5, 0.25],
  [0, 0],
];
const W = [
  [1, 2, 3],
  [4, 5, 6],
];
const B = [0.5, -1, 2];
// ASCII, multi-byte UTF-8, empty (a zero varint length), and one long enough (200 bytes) to need a
// two-byte varint length.
const STRINGS = ["hello", "tfgate \u00e9\u00e8", "", "x".repeat(200)];
const CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0";

interface ClientResult {
  tf_version: string;
  y: number[][];
  v_initial: number[];
  v_after_assign_add: number[];
  y2: number[][];
  strings: string[];
  large: { elements: number; sum: number; samples: number[] };
  devices: string[];
  device_details: { name: string; device_type: string; memory_limit_bytes: number; incarnation: string }[];
}

interface ClientRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** x·w + bias, rounded to float32 at every step as TF's float32 MatMul/Add would. */
function linear(x: number[][], w: number[][], bias: number[]): number[][] {
  return x.map((row) =>
    bias.map((bj, j) =>
      Math.fround(row.reduce((acc, xi, i) => Math.fround(acc + Math.fround(xi * w[i]![j]!)), 0) + bj),
    ),
  );
}

function assertClose(actual: number[][] | number[], expected: number[][] | number[], what: string): void {
  const a = actual.flat();
  const e = expected.flat();
  assert.equal(a.length, e.length, `${what}: element count`);
  for (let i = 0; i < e.length; i++) {
    assert.ok(
      Math.abs(a[i]! - e[i]!) <= 1e-5 * Math.max(1, Math.abs(e[i]!)),
      `${what}[${i}]: ${a[i]} ≠ ${e[i]}`,
    );
  }
  assert.deepEqual(
    actual.map((r) => (Array.isArray(r) ? r.length : 1)),
    expected.map((r) => (Array.isArray(r) ? r.length : 1)),
    `${what}: shape`,
  );
}

// Asynchronous on purpose: tfgate runs in this process, so a synchronous spawn would block the very
// event loop that has to answer the client.
function runClient(target: string): Promise<ClientRun> {
  const args = [
    client,
    "--target",
    target,
    "--x",
    JSON.stringify(X),
    "--w",
    JSON.stringify(W),
    "--b",
    JSON.stringify(B),
    "--strings",
    JSON.stringify(STRINGS),
    "--timeout-ms",
    "20000",
  ];
  // gRPC C-core honours http(s)_proxy; a loopback target must never go through a proxy.
  const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: "2", no_grpc_proxy: "127.0.0.1,localhost" };
  return new Promise((resolve) => {
    execFile(python, args, { env, timeout: 120_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

test("a real TensorFlow client (tf.compat.v1.Session over gRPC) runs a linear model on tfgate", async (t) => {
  if (!existsSync(python)) {
    const message = `TensorFlow venv not found: run scripts/setup-tf.sh (looked for ${python})`;
    if (process.env.CI === "true") assert.fail(message);
    t.skip(message);
    return;
  }

  const app = await buildApp(resolveServerOptions({ host: "127.0.0.1", port: 0, logLevel: "silent" }));
  t.after(() => app.close());
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  const port = new URL(address).port;

  const run = await runClient(`grpc://127.0.0.1:${port}`);
  // On failure linear_client.py prints {"phase", "error", "message"} on stderr: the phase names the
  // step (and so the RPC path) that failed.
  assert.equal(run.code, 0, `linear_client.py failed (exit ${run.code}):\n${run.stderr.trim().slice(-4000)}`);
  const result = JSON.parse(run.stdout) as ClientResult;

  await t.test("RunStep with a fed placeholder: y = x·W + b", () => {
    assertClose(result.y, linear(X, W, B), "y");
  });

  await t.test("VariableV2: the initializer ran, a read returns the initial value", () => {
    assertClose(result.v_initial, B, "v");
  });

  await t.test("ExtendSession after a run: AssignAdd returns the updated value", () => {
    assertClose(
      result.v_after_assign_add,
      B.map((bj) => bj + 1),
      "v after assign_add",
    );
  });

  await t.test("ExtendSession again: y2 = x·W + v reads the updated variable", () => {
    assertClose(
      result.y2,
      linear(
        X,
        W,
        B.map((bj) => bj + 1),
      ),
      "y2",
    );
  });

  await t.test("DT_STRING fetch (UTF-8, empty string included)", () => {
    assert.deepEqual(result.strings, STRINGS);
  });

  await t.test("a 6 MiB feed through Neg comes back as a 6 MiB fetch (large bodies both ways)", () => {
    // linear_client.py feeds element i = (i % 4093) - 2046.5; the fetch is its negation.
    const elements = (6 * 1024 * 1024) / 4;
    const fed = (i: number): number => (i % 4093) - 2046.5;
    let sum = 0;
    for (let i = 0; i < elements; i++) sum -= fed(i);
    const samples = [0, 1, 4092, 4093, elements / 2, elements - 1];
    assert.equal(result.large.elements, elements);
    assert.equal(result.large.sum, sum);
    assert.deepEqual(
      result.large.samples,
      samples.map((i) => -fed(i)),
    );
  });

  await t.test("ListDevices names the local CPUs (one per core by default)", () => {
    assert.deepEqual(
      result.devices,
      Array.from({ length: availableParallelism() }, (_, i) => CPU0.replace(/0$/, String(i))),
    );
    assert.equal(result.device_details[0]?.device_type, "CPU");
  });
});
