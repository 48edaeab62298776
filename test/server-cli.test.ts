// The `tfgate` command as a user runs it (a child process): help, bad flags and values, a port in
// use, listening, and a graceful exit on SIGTERM.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import { test } from "node:test";

const runCli = "import { runCli } from './server/main.ts'; await runCli(process.argv.slice(1));";

function tfgate(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", runCli, ...args], {
    cwd: new URL("..", import.meta.url).pathname,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

async function finish(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { code, stdout, stderr };
}

test("--help lists every flag with its environment variable; exit 0", async () => {
  const { code, stdout } = await finish(tfgate(["serve", "--help"]));
  assert.equal(code, 0);
  for (const flag of [
    "--host",
    "--port",
    "--tls-cert",
    "--tls-key",
    "--cors-origin",
    "--max-message-bytes",
    "--log-level",
    "--max-step-bytes",
    "--native-kernels",
    "--no-grpc-fast-path",
    "--no-fast-path",
    "--session-clusters",
    "--session-cluster-hosts",
  ]) {
    assert.ok(stdout.includes(flag), flag);
  }
  assert.match(stdout, /env:\s+TFGATE_PORT/);
  assert.match(stdout, /env:\s+TFGATE_MAX_STEP_BYTES/);
  assert.match(stdout, /env:\s+TFGATE_NATIVE_KERNELS/);
  assert.match(stdout, /choices: "off", "listed", "any", env:\s+TFGATE_SESSION_CLUSTERS/);
  assert.match(stdout, /env:\s+TFGATE_SESSION_CLUSTER_HOSTS/);
});

test("an unknown flag, a bad value, a bad environment variable: a message and exit 1", async () => {
  const cases: [string[], Record<string, string>, RegExp][] = [
    [["serve", "--bogus"], {}, /^tfgate: unknown option '--bogus'/],
    [["serve", "--port", "http"], {}, /^tfgate: option '--port <port>' argument 'http' is invalid/],
    [
      ["serve", "--port", "70000"],
      {},
      /^tfgate: invalid --port \(TFGATE_PORT\): port must be an integer from 0 to 65535/,
    ],
    [
      ["serve"],
      { TFGATE_MAX_MESSAGE_BYTES: "lots" },
      /value 'lots' from env 'TFGATE_MAX_MESSAGE_BYTES' is invalid/,
    ],
    [["serve", "--log-level", "loud"], {}, /argument 'loud' is invalid. Allowed choices are fatal, error/],
    [["serve", "--native-kernels", "maybe"], {}, /argument 'maybe' is invalid. Allowed choices are on, off/],
    [
      ["serve"],
      { TFGATE_SESSION_CLUSTERS: "some" },
      /value 'some' from env 'TFGATE_SESSION_CLUSTERS' is invalid. Allowed choices are off, listed, any/,
    ],
    [["serve", "--tls-cert", "/nonexistent.pem"], {}, /tlsCert and tlsKey must be given together/],
    [
      ["serve", "--max-step-bytes", "4GB"],
      {},
      /^tfgate: option '--max-step-bytes <n>' argument '4GB' is invalid. expected a byte count/,
    ],
    [
      ["serve"],
      { TFGATE_MAX_STEP_BYTES: "0" },
      /env 'TFGATE_MAX_STEP_BYTES' is invalid. expected at least 1 byte/,
    ],
  ];
  await Promise.all(
    cases.map(async ([args, env, message]) => {
      const { code, stderr } = await finish(tfgate(args, env));
      assert.equal(code, 1, args.join(" "));
      assert.match(stderr, message);
    }),
  );
});

test("a port in use: a clear message and exit 1", async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const { code, stderr } = await finish(tfgate(["serve", "--port", String(port), "--log-level", "silent"]));
    assert.equal(code, 1);
    assert.match(stderr, new RegExp(`^tfgate: port ${port} on 127\\.0\\.0\\.1 is already in use`));
  } finally {
    blocker.close();
  }
});

test("serve logs its URL, answers, and exits 0 on SIGTERM", async () => {
  const child = tfgate(["serve"], { TFGATE_PORT: "0" });
  const result = finish(child);
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /tfgate listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.on("close", () => reject(new Error(`exited before listening: ${output}`)));
  });
  const healthz = await fetch(`${url}/healthz`);
  assert.equal(healthz.status, 200);
  child.kill("SIGTERM");
  const { code, stdout } = await result;
  assert.equal(code, 0);
  assert.match(stdout, /SIGTERM: shutting down/);
  assert.match(stdout, /"msg":"shut down"/);
});

test("TFGATE_MAX_STEP_BYTES reaches the workers: a step allocating more fails RESOURCE_EXHAUSTED", async () => {
  const child = tfgate(["serve", "--devices", "CPU:1"], {
    TFGATE_PORT: "0",
    TFGATE_MAX_STEP_BYTES: "1KiB",
  });
  const result = finish(child);
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /tfgate listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.on("close", () => reject(new Error(`exited before listening: ${output}`)));
  });
  try {
    const call = (method: string, body: unknown) =>
      fetch(`${url}/tensorflow.MasterService/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const intConst = (name: string, values: number[]) => ({
      name,
      op: "Const",
      attr: {
        dtype: { type: "DT_INT32" },
        value: { tensor: { dtype: "DT_INT32", tensorShape: { dim: [{ size: "1" }] }, intVal: values } },
      },
    });
    const graphDef = {
      node: [
        intConst("small", [256]),
        intConst("big", [257]),
        {
          name: "one",
          op: "Const",
          attr: { dtype: { type: "DT_FLOAT" }, value: { tensor: { dtype: "DT_FLOAT", floatVal: [1] } } },
        },
        { name: "fits", op: "Fill", input: ["small", "one"], attr: { T: { type: "DT_FLOAT" } } },
        { name: "too_big", op: "Fill", input: ["big", "one"], attr: { T: { type: "DT_FLOAT" } } },
      ],
    };
    const created = await call("CreateSession", { graphDef });
    assert.equal(created.status, 200);
    const { sessionHandle } = (await created.json()) as { sessionHandle: string };
    // 256 floats are exactly 1 KiB; 257 are 4 bytes too many.
    assert.equal((await call("RunStep", { sessionHandle, target: ["fits"] })).status, 200);
    const refused = await call("RunStep", { sessionHandle, target: ["too_big"] });
    const error = (await refused.json()) as { code: string; message: string };
    assert.equal(error.code, "resource_exhausted");
    assert.match(
      error.message,
      /OOM when allocating tensor with shape\[257\] and type float on \/job:localhost/,
    );
    assert.match(
      error.message,
      /per-step memory budget of 1024 bytes by 4 bytes \(raise it with --max-step-bytes\)/,
    );
  } finally {
    child.kill("SIGTERM");
    await result;
  }
});

test("TFGATE_MAX_MEMORY_BYTES and the request rate per principal reach the engine", async () => {
  const child = tfgate(["serve", "--devices", "CPU:1"], {
    TFGATE_PORT: "0",
    TFGATE_MAX_MEMORY_BYTES: "2KiB",
    TFGATE_MAX_REQUESTS_PER_SECOND_PER_PRINCIPAL: "1",
    TFGATE_REQUEST_BURST_PER_PRINCIPAL: "4",
  });
  const result = finish(child);
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /tfgate listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.on("close", () => reject(new Error(`exited before listening: ${output}`)));
  });
  try {
    const call = (method: string, body: unknown) =>
      fetch(`${url}/tensorflow.MasterService/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const intConst = (name: string, values: number[]) => ({
      name,
      op: "Const",
      attr: {
        dtype: { type: "DT_INT32" },
        value: { tensor: { dtype: "DT_INT32", tensorShape: { dim: [{ size: "1" }] }, intVal: values } },
      },
    });
    const graphDef = {
      node: [
        intConst("small", [256]),
        intConst("big", [1024]),
        {
          name: "one",
          op: "Const",
          attr: { dtype: { type: "DT_FLOAT" }, value: { tensor: { dtype: "DT_FLOAT", floatVal: [1] } } },
        },
        { name: "fits", op: "Fill", input: ["small", "one"], attr: { T: { type: "DT_FLOAT" } } },
        { name: "too_big", op: "Fill", input: ["big", "one"], attr: { T: { type: "DT_FLOAT" } } },
      ],
    };
    const created = await call("CreateSession", { graphDef });
    assert.equal(created.status, 200);
    const { sessionHandle } = (await created.json()) as { sessionHandle: string };
    assert.equal((await call("RunStep", { sessionHandle, target: ["fits"] })).status, 200);
    const refused = (await (await call("RunStep", { sessionHandle, target: ["too_big"] })).json()) as {
      code: string;
      message: string;
    };
    assert.equal(refused.code, "resource_exhausted");
    assert.match(refused.message, /the server's memory ceiling of 2048 bytes \(--max-memory-bytes\)/);
    // One token a second, four at most: a few more calls at once run the bucket dry.
    let limited: { code: string; message: string } | undefined;
    for (let i = 0; i < 6 && limited === undefined; i++) {
      const r = await call("ListDevices", {});
      if (r.status !== 200) limited = (await r.json()) as { code: string; message: string };
    }
    assert.equal(limited?.code, "resource_exhausted");
    assert.match(
      limited?.message ?? "",
      /^Too many requests for principal 'anonymous' \(the limit is 1 per second with bursts of 4, --max-requests-per-second-per-principal\)/,
    );
  } finally {
    child.kill("SIGTERM");
    await result;
  }
});

test("--no-fast-path: a Connect call goes through Fastify (reqId req-<n>), by default the fast path (connect-<n>)", async () => {
  for (const [flags, reqId] of [
    [[], /^connect-\d+$/],
    [["--no-fast-path"], /^req-\d+$/],
  ] as const) {
    const child = tfgate(["serve", ...flags], { TFGATE_PORT: "0" });
    const result = finish(child);
    let output = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const match = /tfgate listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.on("close", () => reject(new Error(`exited before listening: ${output}`)));
    });
    const answer = await fetch(`${url}/tensorflow.MasterService/ListDevices`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(answer.status, 200);
    await answer.arrayBuffer();
    child.kill("SIGTERM");
    const { code, stdout } = await result;
    assert.equal(code, 0);
    const line = stdout
      .split("\n")
      .filter((l) => l.includes('"msg":"rpc"'))
      .map((l) => JSON.parse(l) as { reqId?: string })[0];
    assert.match(line?.reqId ?? "", reqId, `${flags.join(" ")}: ${stdout}`);
  }
});
