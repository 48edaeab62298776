// What announcing a larger SETTINGS_MAX_FRAME_SIZE buys (docs/benchmarks.md, "Frame size"): plain
// Node http2 servers, one announcing HTTP/2's default 16 KiB and one the 64 KiB tfgate announces
// (server/net/one-port-server.ts), each receive 4 MiB gRPC bodies from grpcio (TensorFlow's
// transport; bench/tf-peer/grpcio_bodies.py), Node's own http2 client and h2load; per body, the
// `data` chunks counted and, for grpcio, this process's CPU (the servers are its only work: the
// clients are other processes, except Node's, which is not timed). Rounds alternate the two servers.
//
//   node --import tsx bench/frame-size.ts [--rounds 2] [--bodies 300]

import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { median, repoRoot } from "./support.js";

const { values: flags } = parseArgs({
  options: { rounds: { type: "string", default: "2" }, bodies: { type: "string", default: "300" } },
});
const rounds = Number(flags.rounds);
const bodies = Number(flags.bodies);
const bodyBytes = 4 * 1024 * 1024;
const python = join(process.env.TFGATE_TF_VENV ?? join(repoRoot, ".venv-tf"), "bin", "python");

/** A server that joins each body, answers an empty gRPC message and counts the chunks. */
function serve(
  maxFrameSize: number,
): Promise<{ server: http2.Http2Server; port: number; chunks: () => number }> {
  const server = http2.createServer({ settings: { maxFrameSize } });
  let chunks = 0;
  server.on("stream", (stream) => {
    const parts: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => {
      chunks++;
      parts.push(chunk);
    });
    stream.on("end", () => {
      Buffer.concat(parts);
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(Buffer.alloc(5));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, port, chunks: () => chunks });
    }),
  );
}

function grpcio(port: number, count: number): Promise<void> {
  const script = join(repoRoot, "bench", "tf-peer", "grpcio_bodies.py");
  return new Promise((resolve, reject) =>
    execFile(python, [script, String(port), String(count), String(bodyBytes)], (error) =>
      error ? reject(error) : resolve(),
    ),
  );
}

async function nodeClient(port: number): Promise<void> {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  const body = Buffer.alloc(bodyBytes + 5);
  body.writeUInt32BE(bodyBytes, 1);
  const stream = session.request({
    ":method": "POST",
    ":path": "/bench.Bodies/Send",
    "content-type": "application/grpc",
  });
  stream.end(body);
  stream.resume();
  await new Promise((resolve) => stream.on("close", resolve));
  session.close();
}

/** h2load sends one body (asynchronously: the servers run on this very event loop). */
function h2load(port: number, file: string): Promise<void> {
  const args = ["-n", "1", "-c", "1", "-d", file, "-H", "content-type: application/grpc"];
  return new Promise((resolve) =>
    execFile("h2load", [...args, `http://127.0.0.1:${port}/bench.Bodies/Send`], () => resolve()),
  );
}

async function main(): Promise<void> {
  const servers = { "16 KiB": await serve(16 * 1024), "64 KiB": await serve(64 * 1024) };
  const dir = mkdtempSync(join(os.tmpdir(), "tfgate-frame-size-"));
  const file = join(dir, "body.bin");
  writeFileSync(file, Buffer.alloc(bodyBytes + 5));
  try {
    for (const [name, s] of Object.entries(servers)) {
      let before = s.chunks();
      await nodeClient(s.port);
      const node = s.chunks() - before;
      before = s.chunks();
      await h2load(s.port, file);
      console.log(`${name} announced: Node's client ${node} chunks per body, h2load ${s.chunks() - before}`);
    }
    if (!existsSync(python)) {
      console.log(`grpcio: no TensorFlow venv at ${python} (scripts/setup-tf.sh)`);
      return;
    }
    const cpu: Record<string, number[]> = { "16 KiB": [], "64 KiB": [] };
    for (let round = 0; round < rounds; round++) {
      for (const [name, s] of Object.entries(servers)) {
        await grpcio(s.port, Math.ceil(bodies / 10)); // warm-up
        const chunksBefore = s.chunks();
        const usage = process.cpuUsage();
        await grpcio(s.port, bodies);
        const used = process.cpuUsage(usage);
        const perBody = (used.user + used.system) / 1000 / bodies;
        cpu[name]!.push(perBody);
        const chunks = (s.chunks() - chunksBefore) / bodies;
        console.log(
          `round ${round + 1}, ${name} announced: grpcio ${chunks.toFixed(1)} chunks per body, ${perBody.toFixed(2)} ms CPU per body`,
        );
      }
    }
    const [small, large] = [median(cpu["16 KiB"]!), median(cpu["64 KiB"]!)];
    console.log(
      `grpcio, median CPU per 4 MiB body: 64 KiB / 16 KiB = ${(large / small).toFixed(2)} (${large.toFixed(2)} / ${small.toFixed(2)} ms)`,
    );
  } finally {
    for (const s of Object.values(servers)) s.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
