// ExtendSession's fast path (placeAppended, appendNodeDefs): appending nodes to a placed graph and
// placing only them must give what converting and placing the whole graph again gives (the
// nodes, their ids, edges and devices, and the same errors), whenever appendedNodesAreIndependent
// lets it run; and the cases where a new node could move an old one must be refused.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { NodeDef } from "../../../gen/tensorflow/core/framework/node_def_pb.js";
import { isTfError } from "../framework/errors.js";
import type { Graph } from "../graph/graph.js";
import { appendNodeDefs, convertNodeDefs } from "../graph/graph-constructor.js";
import {
  appendedNodesAreIndependent,
  colocationGroups,
  earlierGeneratorsStay,
  placeAppended,
  placeGraph,
} from "./placer.js";
import {
  add,
  assign,
  c,
  cls,
  cpus4,
  defaultOptions,
  dev,
  ident,
  neg,
  node,
  noop,
  placeholder,
  shape,
  short,
  variable,
} from "./testing.js";

const cpu = (i: number) => `/job:localhost/replica:0/task:0/device:CPU:${i}`;

function groupsOf(g: Graph): Set<string> {
  return new Set(g.nodes.flatMap((n) => colocationGroups(n)));
}

/** Node name → [id, device, inputs as "src:k"] for a whole graph. */
function summary(g: Graph): Record<string, [number, string, string[]]> {
  return Object.fromEntries(
    g.nodes.map((n) => [
      n.name,
      [n.id, short(n.assignedDevice), n.inEdges.map((e) => `${e.src.name}:${e.srcOutput}`)] as [
        number,
        string,
        string[],
      ],
    ]),
  );
}

/**
 * Places `old`, appends `added` and places it on the fast path when the checks let it (`fast`); the
 * graph is left with the new nodes either way (placed only when fast).
 */
function appended(old: readonly NodeDef[], added: readonly NodeDef[]): { fast: boolean; graph: Graph } {
  const g = convertNodeDefs(old);
  placeGraph(g, cpus4, defaultOptions);
  const groups = groupsOf(g);
  const first = g.size;
  appendNodeDefs(g, added);
  if (!appendedNodesAreIndependent(g, first, groups)) return { fast: false, graph: g };
  placeAppended(g, first, cpus4, defaultOptions);
  return { fast: earlierGeneratorsStay(g, first), graph: g };
}

function whole(nodes: readonly NodeDef[]): Graph {
  const g = convertNodeDefs(nodes);
  placeGraph(g, cpus4, defaultOptions);
  return g;
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isTfError(e)) return `${e.code} ${e.message}`;
    throw e;
  }
  return "no error";
}

describe("appending nodes to a placed graph", () => {
  const old = [
    dev(c("a"), cpu(2)),
    placeholder("p"),
    dev(add("s", "a", "p"), cpu(1)),
    neg("n", "s"),
    shape("sh", "n"),
    cls(neg("m", "s"), "s"),
  ];

  test("where the fast path runs, it gives the ids, edges and devices of a whole placement", () => {
    const cases: [NodeDef[], boolean][] = [
      [[neg("x", "s"), dev(add("y", "x", "n"), cpu(3)), c("k"), add("z", "y", "k")], true],
      [[neg("x", "n"), shape("xs", "x"), ident("xi", "x"), neg("xn", "xi"), noop("xo", "^sh")], true],
      [[noop("op", "^n", "^s"), dev(neg("x", "m"), cpu(0)), cls(neg("w", "x"), "x")], true],
      // Earlier generators: `a` asked for CPU:2 and stays there whoever consumes it; `p` followed
      // its consumer to CPU:1 and would move to CPU:0 with a consumer there, so that is refused.
      [[neg("x", "a")], true],
      [[noop("x", "^a")], true],
      [[dev(neg("x", "p"), cpu(1))], true],
      [[neg("x", "p")], false],
      [[dev(neg("x", "p"), cpu(3))], false],
      [[shape("x", "a")], false], // a metadata op would find its generator input unplaced
      // Groups shared with earlier nodes.
      [[cls(neg("y", "s"), "s")], false],
      [[dev(cls(neg("x", "n"), "m"), cpu(3))], false],
    ];
    for (const [added, fast] of cases) {
      const name = added.map((n) => n.name).join(",");
      const result = appended(old, added);
      assert.equal(result.fast, fast, name);
      if (fast) assert.deepEqual(summary(result.graph), summary(whole([...old, ...added])), name);
    }
    // An earlier Identity gaining a consumer: fine while MatchIdentityOperation decides as before.
    const withIdentity = [...old, ident("i", "n")];
    const same = appended(withIdentity, [neg("x", "i")]);
    assert.equal(same.fast, true);
    assert.deepEqual(summary(same.graph), summary(whole([...withIdentity, neg("x", "i")])));
    assert.equal(appended(withIdentity, [dev(neg("x", "i"), cpu(3))]).fast, false);
    assert.equal(appended([...old, variable("v")], [assign("as", "v", "s")]).fast, false);
    // A new node named after an earlier `_class` group would join it.
    assert.equal(appended([...old, cls(neg("q", "n"), "later")], [neg("later", "s")]).fast, false);
  });

  test("conversion errors are the whole graph's, and leave the graph as it was", () => {
    const bad: NodeDef[][] = [
      [neg("x", "nope")],
      [neg("x", "y"), neg("y", "x")],
      [node("x", "NoSuchOp")],
      [neg("x", "s:3")],
      [neg("x", "s"), neg("x", "n")],
      [node("x", "Neg", ["s", "n"], {})],
    ];
    for (const added of bad) {
      const g = convertNodeDefs(old);
      placeGraph(g, cpus4, defaultOptions);
      const before = summary(g);
      const fast = errorOf(() => appendNodeDefs(g, added));
      assert.equal(
        fast,
        errorOf(() => convertNodeDefs([...old, ...added])),
      );
      assert.notEqual(fast, "no error");
      assert.deepEqual(summary(g), before);
    }
  });

  test("a placement error matches the whole graph's; truncate restores the graph", () => {
    const added = [dev(neg("x", "s"), "/device:CPU:9")];
    const g = convertNodeDefs(old);
    placeGraph(g, cpus4, defaultOptions);
    const before = summary(g);
    const groups = groupsOf(g);
    const first = g.size;
    appendNodeDefs(g, added);
    assert.equal(appendedNodesAreIndependent(g, first, groups), true);
    const fast = errorOf(() => placeAppended(g, first, cpus4, defaultOptions));
    assert.equal(
      fast,
      errorOf(() => whole([...old, ...added])),
    );
    g.truncate(first);
    assert.deepEqual(summary(g), before);
    assert.equal(g.find("x"), undefined);
    assert.equal(
      g.nodes.every((n) => n.outEdges.every((e) => e.dst.id < first)),
      true,
    );
  });
});
