// Static checks over a source tree, with the TypeScript compiler's parser: the runtime import graph
// (for import cycles) and function lengths. Each takes a root directory, so any tree of the repo
// (server/, web-client/) can be held to the same rules.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

/** The .ts files under `root` (node_modules left out). */
export function typeScriptFiles(root: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(root)) {
    if (name === "node_modules") continue;
    const p = join(root, name);
    if (statSync(p).isDirectory()) out.push(...typeScriptFiles(p));
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
}

/**
 * The modules a file loads when it is loaded: static `import` and `export ... from` of relative
 * paths, resolved to .ts files. `import type` and `export type` are left out (erased at compile
 * time); `import { type A }` counts (with verbatimModuleSyntax it stays as `import {} from`).
 * Dynamic import() is left out too: it loads later, so it cannot take part in an initialisation
 * cycle.
 */
function runtimeImports(file: string): string[] {
  const out: string[] = [];
  for (const s of parse(file).statements) {
    let spec: ts.Expression | undefined;
    if (ts.isImportDeclaration(s) && !s.importClause?.isTypeOnly) spec = s.moduleSpecifier;
    else if (ts.isExportDeclaration(s) && !s.isTypeOnly) spec = s.moduleSpecifier;
    if (spec === undefined || !ts.isStringLiteral(spec) || !spec.text.startsWith(".")) continue;
    if (spec.text.endsWith(".js")) out.push(resolve(dirname(file), spec.text.replace(/\.js$/, ".ts")));
  }
  return out;
}

/**
 * The import cycles among the files under `root` (imports leaving `root` are ignored), one per
 * strongly connected component of the runtime import graph, each as a path "a.ts -> b.ts -> a.ts"
 * relative to `root`.
 */
export function importCycles(root: string): string[] {
  const files = typeScriptFiles(root);
  const known = new Set(files);
  const graph = new Map(files.map((f) => [f, runtimeImports(f).filter((d) => known.has(d))]));
  return stronglyConnected(graph)
    .filter((c) => c.length > 1 || graph.get(c[0]!)!.includes(c[0]!))
    .map((c) =>
      shortestCycle(graph, new Set(c), c.sort()[0]!)
        .map((f) => relative(root, f))
        .join(" -> "),
    );
}

/** Tarjan's strongly connected components (iterative, so deep graphs cannot overflow the stack). */
function stronglyConnected(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: [string, number][] = [[start, 0]];
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const [v, i] = frame;
      if (i === 0) {
        index.set(v, index.size);
        low.set(v, index.get(v)!);
        stack.push(v);
        onStack.add(v);
      }
      const deps = graph.get(v)!;
      if (i < deps.length) {
        frame[1]++;
        const w = deps[i]!;
        if (!index.has(w)) work.push([w, 0]);
        else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent[0], Math.min(low.get(parent[0])!, low.get(v)!));
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        components.push(component);
      }
    }
  }
  return components;
}

/** The shortest path from `start` back to itself inside `members` (breadth-first). */
function shortestCycle(
  graph: ReadonlyMap<string, readonly string[]>,
  members: ReadonlySet<string>,
  start: string,
): string[] {
  const from = new Map<string, string>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q]!;
    for (const w of graph.get(v)!) {
      if (!members.has(w)) continue;
      if (w === start) {
        const chain: string[] = [];
        for (let x = v; x !== start; x = from.get(x)!) chain.unshift(x);
        return [start, ...chain, start];
      }
      if (!from.has(w)) {
        from.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

/** The comment that lets a function be long: `// long-function: <why>` directly above it. */
const longFunctionMarker = /^\/\/ long-function: \S/;

/** A function longer than the limit, without the marker comment. */
export interface LongFunction {
  readonly where: string;
  readonly name: string;
  readonly lines: number;
}

/**
 * Functions (declarations, methods, arrows, function expressions) under `root` longer than
 * `maxLines` lines and not marked with `// long-function: <reason>` on the statement, member or
 * property that holds them. Callbacks of describe() are left out: a suite is a list of cases, each
 * its own function.
 */
export function longFunctions(root: string, maxLines: number): LongFunction[] {
  const out: LongFunction[] = [];
  for (const file of typeScriptFiles(root)) {
    const sf = parse(file);
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionLike(n) && "body" in n && n.body !== undefined && !isSuiteCallback(n)) {
        const first = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
        const last = sf.getLineAndCharacterOfPosition(n.end).line;
        if (last - first + 1 > maxLines && !isMarkedLong(sf, n)) {
          out.push({
            where: `${relative(root, file)}:${first + 1}`,
            name: functionName(n),
            lines: last - first + 1,
          });
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

function isSuiteCallback(n: ts.Node): boolean {
  const call = n.parent;
  return (
    call !== undefined &&
    ts.isCallExpression(call) &&
    ts.isIdentifier(call.expression) &&
    (call.expression.text === "describe" || call.expression.text === "suite")
  );
}

/** The node whose leading comments sit directly above a function: its statement, member or property. */
function holder(n: ts.Node): ts.Node {
  let h: ts.Node = n;
  while (
    h.parent !== undefined &&
    !ts.isSourceFile(h.parent) &&
    !ts.isBlock(h.parent) &&
    !ts.isClassLike(h.parent) &&
    !ts.isObjectLiteralExpression(h.parent) &&
    !ts.isModuleBlock(h.parent)
  ) {
    h = h.parent;
  }
  return h;
}

function isMarkedLong(sf: ts.SourceFile, n: ts.Node): boolean {
  const text = sf.getFullText();
  const ranges = ts.getLeadingCommentRanges(text, holder(n).getFullStart()) ?? [];
  return ranges.some((r) => longFunctionMarker.test(text.slice(r.pos, r.end)));
}

function functionName(n: ts.SignatureDeclaration): string {
  if (n.name !== undefined) return n.name.getText();
  const p = n.parent;
  if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p))
    return p.name.getText();
  return "<anonymous>";
}
