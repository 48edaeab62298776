// The WorkerService from the command line: `tfgate worker` (a pure worker task) and
// `tfgate serve --worker-port` (the gateway's devices behind a second, gRPC-only port), as child
// processes, and the refusal to serve it unauthenticated beyond loopback.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import { test } from "node:test";
import { ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { WorkerService } from "../gen/tensorflow/core/protobuf/worker_service_tf_pb.js";

const runCli = "import { runCli } from './server/main.ts'; await runCli(process.argv.slice(1));";

function tfgate(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", runCli, ...args], {
    cwd: new URL("..", import.meta.url).pathname,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr!.on("data", (c: Buffer) => {
    out += c.toString();
  });
  return { child, output: () => out };
}

async function until(output: () => string, child: ChildProcess, text: string): Promise<void> {
  for (let i = 0; i < 600 && !output().includes(text); i++) {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(output().includes(text), output());
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  return new Promise((resolve) => child.on("exit", resolve));
}

test("tfgate worker names its devices after --job and --task, serves gRPC only, and stops on SIGTERM", async () => {
  const port = await freePort();
  const { child, output } = tfgate([
    "worker",
    "--port",
    String(port),
    "--job",
    "ps",
    "--task",
    "2",
    "--devices",
    "CPU:1",
  ]);
  try {
    await until(output, child, "serving TensorFlow's WorkerService");
    const c = createClient(WorkerService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` }));
    const { deviceAttributes } = await c.getStatus({});
    assert.deepEqual(
      deviceAttributes.map((d) => d.name),
      ["/job:ps/replica:0/task:2/device:CPU:0"],
    );
    // Connect (which a web page could send) is refused on the worker port: 415, no handler runs.
    const web = createClient(
      WorkerService,
      createConnectTransport({ baseUrl: `http://127.0.0.1:${port}`, httpVersion: "2" }),
    );
    await assert.rejects(
      web.getStatus({}),
      (e: unknown) => e instanceof ConnectError && e.rawMessage === "HTTP 415",
    );
    child.kill("SIGTERM");
    assert.equal(await exited(child), 0);
  } finally {
    child.kill("SIGKILL");
  }
});

test("tfgate worker refuses a non-loopback address without credentials", async () => {
  const { child, output } = tfgate(["worker", "--host", "0.0.0.0", "--port", "0"]);
  assert.equal(await exited(child), 1);
  assert.match(output(), /^tfgate: invalid worker options: .*(token|credential|anonymous)/m);
});

test("serve --worker-port serves the gateway's own devices over TF's WorkerService", async () => {
  const workerPort = await freePort();
  const { child, output } = tfgate([
    "serve",
    "--port",
    "0",
    "--devices",
    "CPU:2",
    "--worker-port",
    String(workerPort),
  ]);
  try {
    await until(output, child, "WorkerService (gRPC) for /job:localhost/replica:0/task:0");
    const c = createClient(WorkerService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${workerPort}` }));
    const { deviceAttributes } = await c.getStatus({});
    assert.deepEqual(
      deviceAttributes.map((d) => d.name),
      ["/job:localhost/replica:0/task:0/device:CPU:0", "/job:localhost/replica:0/task:0/device:CPU:1"],
    );
    child.kill("SIGTERM");
    assert.equal(await exited(child), 0);
  } finally {
    child.kill("SIGKILL");
  }
});

test("serve --worker-port gateway (and --worker-port equal to --port) serve the WorkerService on the gateway's port", async () => {
  for (const choose of ["gateway", "same"] as const) {
    const port = await freePort();
    const { child, output } = tfgate([
      "serve",
      "--port",
      String(port),
      "--devices",
      "CPU:1",
      "--worker-port",
      choose === "gateway" ? "gateway" : String(port),
    ]);
    try {
      await until(output, child, "TensorFlow's WorkerService over gRPC");
      const c = createClient(WorkerService, createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` }));
      const { deviceAttributes } = await c.getStatus({});
      assert.deepEqual(
        deviceAttributes.map((d) => d.name),
        ["/job:localhost/replica:0/task:0/device:CPU:0"],
      );
      child.kill("SIGTERM");
      assert.equal(await exited(child), 0, output());
    } finally {
      child.kill("SIGKILL");
    }
  }
});

test("serve --worker-port refuses a value that is neither a port nor 'gateway'", async () => {
  const { child, output } = tfgate(["serve", "--port", "0", "--worker-port", "gate"]);
  try {
    assert.notEqual(await exited(child), 0);
    assert.match(output(), /--worker-port.*expected a port number or "gateway"/);
  } finally {
    child.kill("SIGKILL");
  }
});
