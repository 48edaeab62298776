// Real TensorFlow cluster tasks for tests and benchmarks: each task is a tf.distribute.Server in
// a Python child process (test/tf/cluster_worker.py) on a loopback port, stopped by closing its
// standard input (or killed, to show a task dying).

import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const venv = process.env.TFGATE_TF_VENV ?? join(repoRoot, ".venv-tf");
export const tfPython = join(venv, "bin", "python");
const workerScript = join(repoRoot, "test", "tf", "cluster_worker.py");

/** gRPC C-core honours http(s)_proxy; loopback targets must never go through one. */
export const tfEnv = { ...process.env, TF_CPP_MIN_LOG_LEVEL: "2", no_grpc_proxy: "127.0.0.1,localhost" };

/** Whether the TF venv exists; under CI=true its absence fails the caller instead of skipping. */
export function tfAvailable(): { ok: true } | { ok: false; message: string } {
  if (existsSync(tfPython)) return { ok: true };
  const message = `TensorFlow venv not found: run scripts/setup-tf.sh (looked for ${tfPython})`;
  if (process.env.CI === "true") assert.fail(message);
  return { ok: false, message };
}

/** A loopback port the OS says is free now (a cluster needs its addresses before its tasks start). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface TfTask {
  readonly job: string;
  readonly task: number;
  readonly process: ChildProcess;
  /** Stops the task gracefully (closes its stdin) and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills the task at once (SIGKILL), as a crash would, and waits for it to exit. */
  kill(): Promise<void>;
}

/** Starts one task of `cluster` (TF's ClusterSpec dictionary) and waits until it serves. */
export function startTfTask(
  cluster: Record<string, readonly string[]>,
  job: string,
  task: number,
  readyTimeoutMs = 120_000,
): Promise<TfTask> {
  const child = spawn(
    tfPython,
    [workerScript, "--cluster", JSON.stringify(cluster), "--job", job, "--task", String(task)],
    { env: tfEnv, stdio: ["pipe", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const handle: TfTask = {
    job,
    task,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.stdin.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`TF task /job:${job}/task:${task} did not start in time:\n${stderr}`));
    }, readyTimeoutMs);
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("READY")) {
        clearTimeout(timer);
        resolve(handle);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`TF task /job:${job}/task:${task} exited (${code}) before serving:\n${stderr}`));
    });
  });
}

export interface PythonRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a Python script of the TF venv asynchronously (tfgate may be serving in this process). */
export function runTfPython(args: readonly string[], timeoutMs = 300_000): Promise<PythonRun> {
  return new Promise((resolve) => {
    execFile(
      tfPython,
      [...args],
      { env: tfEnv, timeout: timeoutMs, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
