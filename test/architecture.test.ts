// Architecture rules (docs/architecture.md): the engine knows nothing of HTTP, Fastify, Connect or the
// RPC layer; the web client never imports server code; main.ts is the only file that reads argv;
// server/ has no import cycles and no function over 150 lines unless a comment says why.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { importCycles, longFunctions } from "./support/source-checks.js";
import { repoRoot } from "./tf/venv.js";

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (name.endsWith(".ts")) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [
    ...text.matchAll(/(?:import|export)[^"']*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g),
  ].map((m) => m[1] ?? m[2]!);
}

test("server/engine imports neither Fastify, Connect, nor the RPC layer", () => {
  const bad: string[] = [];
  for (const f of sources(join(repoRoot, "server", "engine"))) {
    for (const spec of imports(f)) {
      if (/^fastify|^@fastify\/|^@connectrpc\/|(^|\/)rpc\/|\/app\.js$|\/main\.js$/.test(spec)) {
        bad.push(`${relative(repoRoot, f)} imports ${spec}`);
      }
    }
  }
  assert.deepEqual(bad, []);
});

test("web-client never imports server code or Node built-ins", () => {
  const bad: string[] = [];
  for (const f of sources(join(repoRoot, "web-client"))) {
    for (const spec of imports(f)) {
      if (spec.includes("/server/") || spec.startsWith("node:") || spec === "fastify") {
        bad.push(`${relative(repoRoot, f)} imports ${spec}`);
      }
    }
  }
  assert.deepEqual(bad, []);
});

test("only server/main.ts reads process.argv or the environment", () => {
  const bad: string[] = [];
  for (const f of [...sources(join(repoRoot, "server")), ...sources(join(repoRoot, "web-client"))]) {
    if (f.endsWith(".test.ts") || f.endsWith(join("server", "main.ts"))) continue;
    const text = readFileSync(f, "utf8");
    if (/process\.argv|process\.env/.test(text)) bad.push(relative(repoRoot, f));
  }
  assert.deepEqual(bad, []);
});

// Trees held to the two rules below (web-client/ joins once its own cycle is gone).
const checkedTrees = ["server"];

for (const tree of checkedTrees) {
  test(`${tree}/ has no import cycles (runtime imports; import type left out)`, () => {
    assert.deepEqual(importCycles(join(repoRoot, tree)), []);
  });

  test(`${tree}/ has no function over 150 lines without a "// long-function: <reason>" comment`, () => {
    const found = longFunctions(join(repoRoot, tree), 150).map(
      (f) => `${f.where} ${f.name} (${f.lines} lines)`,
    );
    assert.deepEqual(found, []);
  });
}
