// The web client's module structure: no runtime import cycle among web-client/*.ts (type-only
// imports are erased and do not count; `import { type A }` does, as verbatimModuleSyntax keeps it
// as a side-effect import), and no function longer than 150 lines unless a comment right above it
// says why it is long.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import ts from "typescript";
import { repoRoot } from "./tf/venv.js";

const dir = join(repoRoot, "web-client");
const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
const MAX_FUNCTION_LINES = 150;

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(join(dir, file), "utf8"), ts.ScriptTarget.Latest, true);
}

/** The sibling modules `file` imports or re-exports at run time ("./x.js" → "x.ts"). */
function runtimeImports(sf: ts.SourceFile): string[] {
  const out: string[] = [];
  for (const s of sf.statements) {
    let spec: ts.Expression | undefined;
    if (ts.isImportDeclaration(s) && !s.importClause?.isTypeOnly) spec = s.moduleSpecifier;
    if (ts.isExportDeclaration(s) && !s.isTypeOnly) spec = s.moduleSpecifier;
    if (spec === undefined || !ts.isStringLiteral(spec) || !spec.text.startsWith("./")) continue;
    out.push(spec.text.slice(2).replace(/\.js$/, ".ts"));
  }
  return out;
}

test("web-client has no runtime import cycle", () => {
  const edges = new Map(files.map((f) => [f, runtimeImports(parse(f))]));
  const state = new Map<string, "open" | "done">();
  const cycles: string[] = [];
  const visit = (f: string, path: string[]) => {
    if (state.get(f) === "done") return;
    if (state.get(f) === "open") {
      cycles.push([...path.slice(path.indexOf(f)), f].join(" → "));
      return;
    }
    state.set(f, "open");
    for (const to of edges.get(f) ?? []) visit(to, [...path, f]);
    state.set(f, "done");
  };
  for (const f of files) visit(f, []);
  assert.deepEqual(cycles, []);
  // The builder's parts are separate modules.
  for (const m of ["builder.ts", "attrs.ts", "gradient-table.ts", "gradients.ts", "optimizers.ts"]) {
    assert.ok(files.includes(m), m);
  }
});

test(`no function in web-client is longer than ${MAX_FUNCTION_LINES} lines without saying why`, () => {
  const long: string[] = [];
  for (const f of files) {
    const sf = parse(f);
    const visit = (n: ts.Node) => {
      if (ts.isFunctionLike(n) && "body" in n && n.body !== undefined) {
        const first = sf.getLineAndCharacterOfPosition(n.getStart()).line;
        const last = sf.getLineAndCharacterOfPosition(n.getEnd()).line;
        const comments = ts.getLeadingCommentRanges(sf.text, n.getFullStart()) ?? [];
        const why = comments.some((c) => /\blong\b/i.test(sf.text.slice(c.pos, c.end)));
        if (last - first + 1 > MAX_FUNCTION_LINES && !why)
          long.push(`${f}:${first + 1} (${last - first + 1})`);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  assert.deepEqual(long, []);
});
