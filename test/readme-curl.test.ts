// The README's curl session, run verbatim (only the port changes) against a real server: what a
// user copies from the README must work and print what the README says.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type RunningServer, startServer } from "./support/server.js";
import { repoRoot } from "./tf/venv.js";

let server: RunningServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server.close();
});

function readmeBlock(marker = "readme-curl"): string {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const m = new RegExp(
    `<!-- ${marker}:begin -->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\`\\s*<!-- ${marker}:end -->`,
  ).exec(readme);
  assert.ok(m, `README has a ${marker} block`);
  return m[1]!;
}

function runScript(script: string): Promise<string> {
  return new Promise<string>((resolve, reject) =>
    execFile("bash", ["-euo", "pipefail", "-c", script], { timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

test("the README's curl session works as printed", async () => {
  const script = readmeBlock().replaceAll("127.0.0.1:8080", `127.0.0.1:${server.port}`);
  assert.ok(!script.includes(":8080"), "every URL was rewritten");
  const out = await new Promise<string>((resolve, reject) =>
    execFile("bash", ["-euo", "pipefail", "-c", script], { timeout: 30_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
  const lines = out.trim().split("\n");
  assert.match(lines[0]!, /^session [0-9a-f]{32}$/);
  assert.equal(
    lines[1],
    '{"tensor":[{"name":"y:0","tensor":{"dtype":"DT_FLOAT","tensorShape":{"dim":[{"size":"1"},{"size":"1"}]},"tensorContent":"AAAwQQ=="}}],"metadata":{}}',
  );
  assert.equal(Buffer.from("AAAwQQ==", "base64").readFloatLE(0), 11);
  assert.equal(lines[2], '{"newGraphVersion":"1"}');
  assert.equal(
    lines[3],
    String.raw`{"code":"invalid_argument","message":"From /job:localhost/replica:0/task:0:\nYou must feed a value for placeholder tensor 'x' with dtype float\n\t [[{{node x}}]]"}`,
  );
  assert.equal(lines[4], "{}");
  assert.equal(lines[5], "{}");
  assert.equal(lines.length, 6);
});

test("the README's ListDevices example answers as shown", async () => {
  const res = await fetch(`${server.url}/tensorflow.grpc.MasterService/ListDevices`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: "{}",
  });
  assert.equal(res.status, 200);
  const body = (await res.json()) as {
    localDevice: { name: string; deviceType: string; memoryLimit: string }[];
  };
  assert.equal(body.localDevice[0]!.name, "/job:localhost/replica:0/task:0/device:CPU:0");
  assert.equal(body.localDevice[0]!.memoryLimit, "268435456");
});

test("the README's SavedModel session works as printed (npm run demo's models/)", async () => {
  const demo = await startServer({ master: { files: { root: join(repoRoot, "models"), readOnly: true } } });
  try {
    const script = readmeBlock("readme-models").replaceAll("127.0.0.1:8080", `127.0.0.1:${demo.port}`);
    assert.ok(!script.includes(":8080"), "every URL was rewritten");
    const lines = (await runScript(script)).trim().split("\n");
    assert.deepEqual(lines, [
      '{"models":[{"name":"digits","file":"saved_model.pb"}]}',
      '{"inputs":{"image":"image:0"},"outputs":{"class":"class:0","probabilities":"probabilities:0"}}',
      "1",
      "{}",
    ]);
  } finally {
    await demo.close();
  }
});
