// Runs web-client/README.md's example as written (in Node, which connect-web supports through
// fetch), against a server on another port: only the server URL is swapped. The example imports
// the package by name, from a project that has it installed (node_modules/@tfgate/web-client).

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { type RunningServer, startServer } from "./support/server.js";
import { repoRoot } from "./tf/venv.js";

const run = promisify(execFile);
let server: RunningServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

test("web-client/README.md's example trains y = 2·x₀ − x₁ + 0.5", async () => {
  const readme = readFileSync(join(repoRoot, "web-client", "README.md"), "utf8");
  const block = /<!-- example:begin -->\s*```ts\n([\s\S]*?)```\s*<!-- example:end -->/.exec(readme)?.[1];
  assert.ok(block, "the example block");
  assert.ok(block.split("\n").filter((l) => l.trim() !== "").length <= 21, "about 20 lines");
  assert.match(block, /from "@tfgate\/web-client";/);
  const code = block.replace("http://127.0.0.1:8080", server.url);
  const dir = mkdtempSync(join(tmpdir(), "tfgate-readme-"));
  try {
    writeFileSync(join(dir, "package.json"), '{"type": "module"}');
    // What `npm install` of the workspace package leaves in a consumer project.
    mkdirSync(join(dir, "node_modules", "@tfgate"), { recursive: true });
    symlinkSync(join(repoRoot, "web-client"), join(dir, "node_modules", "@tfgate", "web-client"), "dir");
    writeFileSync(join(dir, "example.ts"), code);
    // The link resolves to the sources through the package's "tfgate-source" export condition.
    const { stdout } = await run(
      process.execPath,
      ["--conditions=tfgate-source", "--import", "tsx", join(dir, "example.ts")],
      { cwd: repoRoot },
    );
    const m = /^loss (\S+) w (\S+),(\S+) b (\S+)$/m.exec(stdout.trim());
    assert.ok(m, stdout);
    const [loss, w0, w1, b] = m.slice(1).map(Number) as [number, number, number, number];
    assert.ok(loss < 1e-3, `loss ${loss}`);
    assert.ok(Math.abs(w0 - 2) < 0.05 && Math.abs(w1 + 1) < 0.05 && Math.abs(b - 0.5) < 0.05, stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
