// Top functions of a V8 .cpuprofile (what `node --cpu-prof` writes), by self time and by total
// (inclusive) time, with the share of all non-idle samples. Used to read the server profiles of the
// RunStep benchmark:
//
//   node --import tsx bench/runstep.ts --only "grpc (grpc-js)" --cpu-prof tfgate --duration 10
//   node --import tsx bench/cpuprofile-top.ts bench/results/profiles/tfgate-*.cpuprofile [--top 30]
//       [--filter server/]   (only functions whose URL contains the text, e.g. tfgate's own code)
//
// It also sums self time by where the code lives: an npm package, a tfgate directory
// (server/engine/…, server/rpc, …), Node's own JavaScript (node:…), native code and GC.

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: "string", default: "25" }, filter: { type: "string" } },
});
const top = Number(values.top);

function shortUrl(url: string): string {
  const i = url.indexOf("/node_modules/");
  if (i >= 0) return url.slice(i + "/node_modules/".length);
  const j = url.indexOf("/work/main/");
  if (j >= 0) return url.slice(j + "/work/main/".length);
  return url.replace(/^file:\/\//, "");
}

/** Where a function lives: npm package, tfgate directory, node internals, or a V8 pseudo-frame. */
function area(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("node:")) return "node: (Node's JavaScript)";
  const short = shortUrl(url);
  if (url.includes("/node_modules/")) {
    const parts = short.split("/");
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const parts = short.split("/");
  return parts[0] === "server" && parts[1] === "engine"
    ? parts.slice(0, 3).join("/")
    : parts.slice(0, 2).join("/");
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return url === ""
    ? `${functionName || "(anonymous)"}`
    : `${functionName || "(anonymous)"} ${shortUrl(url)}:${lineNumber + 1}`;
}

for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  // Self time per node, in µs.
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const self = new Map<string, number>();
  const areas = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === "(idle)") {
      idle += us;
      continue;
    }
    all += us;
    const name = label(node);
    areas.set(area(node), (areas.get(area(node)) ?? 0) + us);
    self.set(name, (self.get(name) ?? 0) + us);
    // Inclusive: every distinct function on the stack gets the sample once (recursion counted once).
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (seen.has(l)) continue;
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + us);
    }
  }
  const keep = (name: string) => values.filter === undefined || name.includes(values.filter);
  const print = (title: string, m: Map<string, number>) => {
    console.log(`\n${title}`);
    [...m]
      .filter(([name]) => keep(name))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .forEach(([name, us]) => {
        console.log(
          `${((us / all) * 100).toFixed(1).padStart(6)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`,
        );
      });
  };
  console.log(`${file}: ${(all / 1000).toFixed(0)} ms busy, ${(idle / 1000).toFixed(0)} ms idle`);
  print("self time by area", areas);
  print("self time", self);
  print("total time (inclusive)", total);
}
