// `tfgate graphdef`: a GraphDef exported from Python (.pbtxt/.pb) becomes the JSON a curl user
// sends to CreateSession; and the web client's parseGraphDef reads all three formats.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fromJsonString, toBinary } from "@bufbuild/protobuf";
import { GraphDefSchema } from "../gen/tensorflow/core/framework/graph_pb.js";
import { detectGraphDefFormat, formatGraphDef, parseGraphDef } from "../web-client/graphdef-io.js";
import { startServer } from "./support/server.js";
import { requireTestdata } from "./support/testdata.js";
import { repoRoot } from "./tf/venv.js";

const runCli = "import { runCli } from './server/main.ts'; await runCli(process.argv.slice(1));";
const cli = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", runCli, ...args],
      { cwd: repoRoot },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

test("tfgate graphdef turns a TF .pbtxt into a CreateSession body that a server accepts", async (t) => {
  const dir = requireTestdata(t);
  if (dir === undefined) return;
  const out = await cli(["graphdef", "--create-session", join(dir, "add_int32.pbtxt")]);
  assert.equal(out.code, 0, out.stderr);
  const server = await startServer({ master: { cpuDevices: 1 } });
  try {
    const created = await fetch(`${server.url}/tensorflow.MasterService/CreateSession`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: out.stdout,
    });
    assert.equal(created.status, 200);
    const { sessionHandle } = (await created.json()) as { sessionHandle: string };
    const ran = await fetch(`${server.url}/tensorflow.MasterService/RunStep`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sessionHandle, fetch: ["x_y_sum:0"] }),
    });
    const body = (await ran.json()) as { tensor: { tensor: { tensorContent: string } }[] };
    assert.equal(Buffer.from(body.tensor[0]!.tensor.tensorContent, "base64").readInt32LE(0), 3);
  } finally {
    await server.close();
  }
});

test("tfgate graphdef reports an unreadable file and exits non-zero", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "tfgate-graphdef-"));
  try {
    writeFileSync(join(tmp, "bad.pbtxt"), "node { name: 'a' op: 'Const' bogus: 1 }");
    const out = await cli(["graphdef", join(tmp, "bad.pbtxt")]);
    assert.notEqual(out.code, 0);
    assert.match(out.stderr, /tfgate: cannot read GraphDef from .*bad\.pbtxt/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test("parseGraphDef reads binary, text and JSON and detects which", (t) => {
  const dir = requireTestdata(t);
  if (dir === undefined) return;
  const text = readFileSync(join(dir, "while_loop_concat.pbtxt"), "utf8");
  const g = parseGraphDef(text);
  assert.ok(g.node.length > 10);
  const bin = toBinary(GraphDefSchema, g);
  assert.equal(detectGraphDefFormat(bin), "binary");
  assert.equal(parseGraphDef(bin).node.length, g.node.length);
  const json = formatGraphDef(g, "json") as string;
  assert.equal(detectGraphDefFormat(new TextEncoder().encode(json)), "json");
  assert.equal(fromJsonString(GraphDefSchema, json).node.length, g.node.length);
  assert.equal(parseGraphDef(formatGraphDef(g, "text")).node.length, g.node.length);
  assert.throws(() => parseGraphDef("node { name: 1 }", "text"));
});
