// Device threads with onnxruntime-node loaded are stopped safely (worker/thread-worker.ts,
// kernels/util/ort.ts NativeGuard): terminating a thread inside a native call aborts the whole
// process, so each stop waits for the call in flight. Child processes (test/support/
// native-stress.ts) close masters mid-kernel, time steps out, crash threads mid-kernel and exit with
// a kernel running; none may abort. TFGATE_NATIVE_STRESS_ROUNDS raises the rounds (50 before
// changing the native-kernel default). Needs the optional onnxruntime-node: fails under CI=true
// when it is missing.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const child = fileURLToPath(new URL("./support/native-stress.ts", import.meta.url));
const rounds = Number(process.env.TFGATE_NATIVE_STRESS_ROUNDS ?? 6);

function hasOrt(): boolean {
  try {
    createRequire(import.meta.url).resolve("onnxruntime-node");
    return true;
  } catch {
    return false;
  }
}

test("device threads running native kernels stop without aborting the process (close, deadline, crash, exit)", {
  skip: !hasOrt() && process.env.CI !== "true" ? "onnxruntime-node is not installed" : false,
}, async () => {
  assert.ok(hasOrt(), "onnxruntime-node must be installed");
  const result = await new Promise<{
    code: number | null;
    signal: string | null;
    stdout: string;
    stderr: string;
  }>((resolve) => {
    const p = execFile(
      process.execPath,
      ["--import", "tsx", child, String(rounds)],
      { timeout: 900_000, maxBuffer: 1 << 22 },
      (_err, stdout, stderr) => resolve({ code: p.exitCode, signal: p.signalCode, stdout, stderr }),
    );
  });
  assert.doesNotMatch(result.stderr, /Napi::Error|terminate called/, result.stderr);
  assert.equal(result.signal, null, result.stderr);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, new RegExp(`done ${rounds}`));
});
