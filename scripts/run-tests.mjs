#!/usr/bin/env node
// `npm test`: runs every *.test.ts under server/, web-client/ and test/ with Node's own test
// runner, TypeScript loaded through tsx. Node 20's --test does not expand globs itself, so the
// file list is collected here. Extra arguments (e.g. a file path) narrow the run.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const roots = ["server", "web-client", "test"];

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "gen") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith(".test.ts")) out.push(relative(root, path));
  }
  return out;
}

const args = process.argv.slice(2);
const files = args.length > 0 ? args : roots.flatMap((r) => collect(join(root, r), [])).sort();
if (files.length === 0) {
  console.error("run-tests: no test files found");
  process.exit(1);
}
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...files], {
  cwd: root,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
