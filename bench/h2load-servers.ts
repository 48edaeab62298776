// The three servers bench/h2load.ts loads, each in its own process on loopback so /proc/<pid>/stat
// gives its CPU time alone:
//   tfgate   this checkout as a user runs it: `tfgate serve` (dist/ when built, else the sources
//            through tsx), flags only, no injected parts.
//   tf       TensorFlow 2.21's own gRPC server, tf.distribute.Server (bench/tf-peer/tf_server.py).
//   grpc-js  a plain @grpc/grpc-js server answering RunStep with a fixed response
//            (bench/runstep-server.ts): the ceiling of a Node gRPC server.
// Each child is tied to this process: tfgate and TF exit when their stdin closes (so a benchmark that
// dies leaves nothing running), the grpc-js child when its IPC channel does.

import { type ChildProcess, fork, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { ReadyMessage } from "./runstep-server.js";
import { benchDir, repoRoot, sleep, stopChild } from "./support.js";

export type ServerName = "tfgate" | "tf" | "grpc-js";

export interface BenchServer {
  readonly name: ServerName;
  readonly pid: number;
  /** "http://127.0.0.1:<port>" */
  readonly origin: string;
  /** What ran: "dist", "source (tsx)", the TensorFlow version, "@grpc/grpc-js". */
  readonly detail: string;
  stop(): Promise<void>;
}

const loopback = "127.0.0.1";

/** Keeps the last `limit` characters a stream wrote, for an error message if the child fails. */
function tail(child: ChildProcess, limit = 4000): () => string {
  let text = "";
  const keep = (chunk: Buffer | string) => {
    text = (text + chunk.toString()).slice(-limit);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return () => text;
}

/** A port nothing listens on right now (the OS's pick for port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, loopback, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Newest modification time (ms) of the .ts files under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (name.endsWith(".ts")) newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

/**
 * How tfgate is started: its built CLI when dist/ exists, else the sources through tsx. A dist/ older
 * than the sources is used anyway (the user asked for a build by having one) but named in `warning`.
 */
export function tfgateLaunch(): { execArgv: string[]; module: string; detail: string; warning?: string } {
  const built = join(repoRoot, "dist", "server", "main.js");
  if (!existsSync(built)) {
    return { execArgv: ["--import", "tsx"], module: "./server/main.ts", detail: "source (tsx)" };
  }
  const stale = newestSource(join(repoRoot, "server")) > statSync(built).mtimeMs;
  return {
    execArgv: [],
    module: "./dist/server/main.js",
    detail: "dist",
    ...(stale
      ? { warning: "dist/ is older than server/*.ts: run `npm run build` to measure the sources" }
      : {}),
  };
}

/**
 * `tfgate serve` on a free loopback port with `flags`, started the way bin/tfgate.js starts it
 * (runCli), plus one thing: closing its stdin sends it SIGTERM. Ready once /healthz answers 200.
 */
export async function startTfgate(flags: readonly string[]): Promise<BenchServer> {
  const launch = tfgateLaunch();
  const script =
    `import { runCli } from ${JSON.stringify(launch.module)};` +
    "process.stdin.on('data', () => {}).on('end', () => process.kill(process.pid, 'SIGTERM'));" +
    "await runCli(process.argv.slice(1));";
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        ...launch.execArgv,
        "--input-type=module",
        "-e",
        script,
        "serve",
        "--host",
        loopback,
        "--port",
        String(port),
        ...flags,
      ],
      { cwd: repoRoot, stdio: ["pipe", "pipe", "pipe"] },
    );
    const output = tail(child);
    const origin = `http://${loopback}:${port}`;
    const ready = await untilHealthy(origin, child);
    if (ready) {
      return {
        name: "tfgate",
        pid: child.pid!,
        origin,
        detail: launch.detail,
        stop: () => stopChild(child, () => child.stdin?.end()),
      };
    }
    // Another process took the port between freePort and listen: try another one.
    if (attempt < 3 && /already in use/.test(output())) continue;
    throw new Error(`tfgate did not start (${child.exitCode ?? child.signalCode}):\n${output()}`);
  }
}

/** Polls GET /healthz until it answers 200 (true) or the child exits (false); 180 s at most. */
async function untilHealthy(origin: string, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      const response = await fetch(`${origin}/healthz`);
      await response.arrayBuffer();
      if (response.ok) return true;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  child.kill("SIGKILL");
  return false;
}

/** TensorFlow's own server (bench/tf-peer/tf_server.py), from the venv's python. */
export function startTf(python: string): Promise<BenchServer> {
  const child = spawn(python, [join(benchDir, "tf-peer", "tf_server.py")], {
    stdio: ["pipe", "pipe", "pipe"],
    // gRPC C-core honours http(s)_proxy; a loopback peer must never go through a proxy.
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "2", no_grpc_proxy: "127.0.0.1,localhost" },
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`tf_server.py exited (${code}) before READY:\n${stderr}`));
    child.once("exit", onExit);
    createInterface({ input: child.stdout }).on("line", async (line) => {
      const match = /^READY (\d+)$/.exec(line);
      if (match === null) return;
      child.off("exit", onExit);
      // The version line follows READY on stderr.
      for (let i = 0; i < 50 && !/TensorFlow \S+/.test(stderr); i++) await sleep(20);
      resolve({
        name: "tf",
        pid: child.pid!,
        origin: `http://${loopback}:${match[1]}`,
        detail: `TensorFlow ${/TensorFlow (\S+)/.exec(stderr)?.[1] ?? "(version unknown)"}`,
        stop: () => stopChild(child, () => child.stdin.end()),
      });
    });
  });
}

/** bench/runstep-server.ts's plain grpc-js server, answering every RunStep with `response` (protobuf). */
export function startGrpcJs(response: Uint8Array): Promise<BenchServer> {
  const child = fork(
    join(benchDir, "runstep-server.ts"),
    ["grpc-js", Buffer.from(response).toString("base64")],
    {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    },
  );
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`grpc-js server exited (${code}) before it was ready`));
    child.once("exit", onExit);
    child.once("message", (message: ReadyMessage) => {
      child.off("exit", onExit);
      resolve({
        name: "grpc-js",
        pid: message.pid,
        origin: `http://${loopback}:${message.h2Port}`,
        detail: "@grpc/grpc-js",
        stop: () => stopChild(child, () => child.send({ type: "stop" })),
      });
    });
  });
}
