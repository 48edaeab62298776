// Helpers of the packaging tests (web-client-package, server-package): a copy of this checkout to
// pack from (so a pack's build never writes this repository's dist/ while other tests read it),
// npm run in a clean environment with a time limit, `npm pack` with its file list, free ports, a
// static file server, waiting for a URL, and a child process group that is always stopped.

import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import http from "node:http";
import { type AddressInfo, createServer } from "node:net";
import { dirname, extname, join, resolve } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/**
 * Copies the files of this checkout under `paths` (tracked, or new and not ignored: what a commit
 * would hold, never dist/ or node_modules/) into `dest`, and links `dest/node_modules` to this
 * checkout's, so that scripts run there find tsc and esbuild.
 */
export async function copyCheckout(root: string, dest: string, paths: readonly string[]): Promise<void> {
  const { stdout } = await execFileAsync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ...paths],
    { cwd: root, maxBuffer: 64 << 20 },
  );
  for (const file of stdout.split("\0")) {
    if (file === "" || !existsSync(join(root, file))) continue; // deleted, not yet committed
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    copyFileSync(join(root, file), join(dest, file));
  }
  symlinkSync(join(root, "node_modules"), join(dest, "node_modules"), "dir");
}

/**
 * The environment for npm run in a temporary folder: without the npm_* variables an enclosing
 * `npm test` sets (npm_config_local_prefix would point npm back at this repository).
 */
export function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" };
}

/** Runs `npm args` in `cwd`, failing with its output after `timeoutMs`. */
export async function npm(args: readonly string[], cwd: string, timeoutMs: number): Promise<string> {
  try {
    const { stdout } = await execFileAsync("npm", [...args], {
      cwd,
      env: npmEnv(),
      timeout: timeoutMs,
      killSignal: "SIGKILL",
      maxBuffer: 64 << 20,
    });
    return stdout;
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(" ")} in ${cwd} failed: ${err.message}\n${err.stdout}\n${err.stderr}`);
  }
}

export interface Packed {
  /** Absolute path of the tarball. */
  readonly tarball: string;
  /** Paths inside the package, sorted. */
  readonly files: readonly string[];
}

/** `npm pack` of the package in `dir` (its prepack/prepare scripts build it) into `dest`. */
export async function pack(dir: string, dest: string, timeoutMs: number): Promise<Packed> {
  const out = await npm(["pack", "--json", "--pack-destination", dest], dir, timeoutMs);
  // npm prints the scripts' output before the JSON when they write to stdout.
  const json = JSON.parse(out.slice(out.indexOf("\n[") + 1 || out.indexOf("["))) as {
    filename: string;
    files: { path: string }[];
  }[];
  const [info] = json;
  assert.ok(info, out);
  return { tarball: join(dest, info.filename), files: info.files.map((f) => f.path).sort() };
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Serves the files under `root` on a loopback port. */
export async function serveDirectory(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const types: Record<string, string> = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".wasm": "application/wasm",
  };
  const base = resolve(root);
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const file = resolve(join(base, path === "/" ? "index.html" : path));
    if (!file.startsWith(base) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Polls `url` until it answers (any status) or `timeoutMs` passes; fails early if `alive()` is false. */
export async function waitForUrl(url: string, timeoutMs: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive()) throw new Error(`the process serving ${url} exited`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** A command in its own process group, with its output kept, stopped with its children. */
export class Background {
  readonly child: ChildProcess;
  output = "";
  exited = false;

  constructor(command: string, args: readonly string[], cwd: string) {
    this.child = spawn(command, [...args], { cwd, env: npmEnv(), detached: true, stdio: "pipe" });
    const keep = (b: Buffer) => {
      this.output = (this.output + b.toString()).slice(-20_000);
    };
    this.child.stdout?.on("data", keep);
    this.child.stderr?.on("data", keep);
    this.child.on("exit", () => {
      this.exited = true;
    });
  }

  /** SIGTERM to the group (npx, npm exec and the server), then SIGKILL after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined || this.exited) return;
    const exited = new Promise<void>((r) => this.child.once("exit", () => r()));
    const signal = (s: NodeJS.Signals) => {
      try {
        process.kill(-pid, s);
      } catch {
        // The group is gone already.
      }
    };
    signal("SIGTERM");
    const timer = setTimeout(() => signal("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
    signal("SIGKILL"); // Children that outlived the group leader.
  }
}
