// The servers bench/tensor-bytes.ts measures, each in a child process: tfgate (bench/runstep-server.ts
// "tfgate": the real gateway and engine, logging silent) and TF 2.21's own gRPC server
// (bench/tf-peer/tf_server.py), when its venv exists.

import { fork, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { ReadyMessage } from "./runstep-server.js";
import { benchDir, repoRoot, stopChild } from "./support.js";

export interface RunningPeer {
  readonly name: "tfgate" | "tf";
  readonly pid: number;
  /** The one port both serve gRPC (h2c) on. */
  readonly port: number;
  stop(): Promise<void>;
}

const tfPython = join(process.env.TFGATE_TF_VENV ?? join(repoRoot, ".venv-tf"), "bin", "python");

function startTfgate(maxMessageBytes: number, cpuProfDir: string | undefined): Promise<RunningPeer> {
  const execArgv = ["--import", "tsx"];
  if (cpuProfDir !== undefined) execArgv.push("--cpu-prof", "--cpu-prof-dir", cpuProfDir);
  const child = fork(join(benchDir, "runstep-server.ts"), ["tfgate"], {
    execArgv,
    env: { ...process.env, TFGATE_MAX_MESSAGE_BYTES: String(maxMessageBytes) },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`tfgate exited (${code}) before it was ready`));
    child.once("exit", onExit);
    child.once("message", (m: ReadyMessage) => {
      child.off("exit", onExit);
      resolve({
        name: "tfgate",
        pid: m.pid,
        port: m.h2Port,
        stop: () => stopChild(child, () => child.send({ type: "stop" })),
      });
    });
  });
}

function startTf(): Promise<RunningPeer> {
  const child = spawn(tfPython, [join(benchDir, "tf-peer", "tf_server.py")], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "2", no_grpc_proxy: "127.0.0.1,localhost" },
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`tf_server.py exited (${code}) before READY:\n${stderr.slice(-2000)}`));
    child.once("exit", onExit);
    createInterface({ input: child.stdout }).on("line", (line) => {
      const match = /^READY (\d+)$/.exec(line);
      if (match === null) return;
      child.off("exit", onExit);
      resolve({
        name: "tf",
        pid: child.pid!,
        port: Number(match[1]),
        stop: () => stopChild(child, () => child.stdin.end()),
      });
    });
  });
}

/** tfgate, then TF when asked for and installed (a missing venv is said, not hidden). */
export async function startPeers(o: {
  tf: boolean;
  maxMessageBytes: number;
  /** Where tfgate writes its CPU profiles (node --cpu-prof), if anywhere. */
  cpuProfDir?: string | undefined;
}): Promise<RunningPeer[]> {
  const peers = [await startTfgate(o.maxMessageBytes, o.cpuProfDir)];
  if (!o.tf) return peers;
  if (!existsSync(tfPython)) {
    if (process.env.CI === "true") throw new Error(`TF peer missing: ${tfPython}`);
    console.warn(`TF peer skipped: ${tfPython} not found (set TFGATE_TF_VENV)`);
    return peers;
  }
  peers.push(await startTf());
  return peers;
}
