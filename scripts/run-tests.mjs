#!/usr/bin/env node
// `npm test`: runs every *.test.ts under server/, web-client/, bench/ and test/ with Node's own
// test runner, TypeScript loaded through tsx. Node 20's --test does not expand globs itself, so
// the file list is collected here. Extra arguments (e.g. a file path) narrow the run.
//
// `npm run test:unit` (`--unit`): the unit suites only, by directory: tests that sit next to the
// code they test (server/, web-client/ and bench/'s own helpers) run in-process, with no server
// listening, no Python or TensorFlow and no browser, and must stay that way; test/ holds the
// end-to-end and interoperability suites and is left to the full run.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const allRoots = ["server", "web-client", "bench", "test"];
const unitRoots = ["server", "web-client", "bench"];

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "gen") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith(".test.ts")) out.push(relative(root, path));
  }
  return out;
}

const argv = process.argv.slice(2);
const unit = argv.includes("--unit");
const args = argv.filter((a) => a !== "--unit");
if (unit && args.length > 0) {
  console.error("run-tests: --unit selects its own files; pass either --unit or file paths");
  process.exit(2);
}
const roots = unit ? unitRoots : allRoots;
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
