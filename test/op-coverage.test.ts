// Every op tfgate registers (the source of docs/ops.md) is exercised against expected values that
// TensorFlow or numpy produced. Coverage is read from the data that carries those
// values, never from test source text:
//   - the kernel fixtures in server/engine/kernels/testdata/*.json (written by the gen_*.py scripts
//     with tf.raw_ops / numpy; each runs through the kernels in a *-fixtures / *-ops test);
//   - the training graphs TensorFlow exported into test/tf/training/ (training.test.ts checks every
//     step's loss against TF's);
//   - the tf-graphs conformance corpus (/work/shared/testdata/tf-graphs: the nodes that the
//     cases.json steps run to produce TF's expected outputs; conformance.test.ts).
// What is left are ops with no value of their own to compare — executor plumbing and stubs that
// refuse to run — listed below with the reason, and checked here by name.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fromText } from "@bufbuild/protobuf/txtpb";
import type { AttrValue } from "../gen/tensorflow/core/framework/attr_value_pb.js";
import { GraphDefSchema } from "../gen/tensorflow/core/framework/graph_pb.js";
import { TfCode, tfCodeName } from "../server/engine/framework/errors.js";
import { lookUpOp, registeredOps } from "../server/engine/framework/op-def.js";
import { findKernel } from "../server/engine/framework/op-kernel.js";
import { Tensor } from "../server/engine/framework/tensor.js";
import { DataType } from "../server/engine/framework/types.js";
import { registerAllKernels } from "../server/engine/kernels/register-all.js";
import { runKernel } from "../server/engine/kernels/testing/testing.js";
import { attr } from "./support/attr.js";
import { testdataDir } from "./support/testdata.js";

const repo = join(import.meta.dirname, "..");
const kernelTestdata = join(repo, "server", "engine", "kernels", "testdata");

/**
 * Ops with no computed value of their own: the executor and partitioner handle them (feeds, fetches,
 * cross-device transfer, control edges), so their behaviour is observed through every graph test.
 * Each must still be registered with a CPU kernel (checked below).
 */
const INFRASTRUCTURE: Readonly<Record<string, string>> = {
  _Arg: "function argument: the function runtime inserts it when it instantiates a function, so every function call in the fixtures (stateful_function, the corpus's simple_function) runs it",
  _Retval: "function result: inserted and collected by the function runtime, like _Arg",
  _Send: "cross-device send: the partitioner inserts it (partition.test.ts, workers.test.ts)",
  _Recv: "cross-device receive and feed: the partitioner inserts it (partition.test.ts, workers.test.ts)",
  _HostSend: "host-memory _Send: the executor treats it as _Send; CPU-only partitions never need it",
  _HostRecv: "host-memory _Recv: the executor treats it as _Recv; CPU-only partitions never need it",
};

/**
 * Ops that are placeable (so graphs that contain them import, place and prune) but refuse to run:
 * tfgate never runs Python, reads tables from files, or parses Examples. (The file and checkpoint
 * ops are covered by checkpoint-fixtures.json; without --files-root they are refused, which
 * test/checkpoint-files.test.ts checks.) Each is run here and must fail with the listed code.
 */
const REFUSES_TO_RUN: Readonly<Record<string, { code: TfCode; reason: string }>> = {
  InitializeTableFromTextFileV2: {
    code: TfCode.PERMISSION_DENIED,
    reason: "never reads the server's filesystem",
  },
  InitializeTableFromTextFile: {
    code: TfCode.PERMISSION_DENIED,
    reason: "never reads the server's filesystem",
  },
  PyFunc: { code: TfCode.UNIMPLEMENTED, reason: "there is no Python interpreter in the server" },
  EagerPyFunc: { code: TfCode.UNIMPLEMENTED, reason: "there is no Python interpreter in the server" },
};

interface Evidence {
  readonly source: string;
  readonly ops: ReadonlySet<string>;
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"));

/** `op` fields of a list of fixture cases. */
function opsOf(cases: unknown): string[] {
  return (cases as { op?: string }[]).flatMap((c) => (typeof c.op === "string" ? [c.op] : []));
}

/** Op names in the kernel fixtures, per file (each file's shape is its generator's). */
function kernelFixtureEvidence(): Evidence[] {
  const out: Evidence[] = [];
  for (const file of readdirSync(kernelTestdata).filter((f) => f.endsWith(".json"))) {
    const data = readJson(join(kernelTestdata, file)) as Record<string, unknown>;
    const ops = new Set<string>();
    if (Array.isArray(data.cases)) {
      for (const op of opsOf(data.cases)) {
        if (file === "training-fixtures.json") {
          // One case per optimizer; training-ops.test.ts runs both the ref and the resource kernel
          // (TF has only a resource kernel for KerasMomentum).
          if (op !== "KerasMomentum") ops.add(`Apply${op}`);
          ops.add(`ResourceApply${op}`);
        } else ops.add(op);
      }
    }
    // numpy-fixtures.json and numpy-compare-activation-shape.json: {binary, unary, reduce, other:
    // [{op, …}], matmul: [MatMul cases]};
    // coverage-fixtures.json: {kernels: [{op, …}], graphs: [{ops: [every op in the graph], …}]}.
    for (const [group, cases] of Object.entries(data)) {
      if (group === "cases" || !Array.isArray(cases)) continue;
      if (group === "matmul") ops.add("MatMul");
      for (const op of opsOf(cases)) ops.add(op);
      for (const c of cases as { ops?: unknown }[]) {
        if (Array.isArray(c.ops)) for (const op of c.ops) ops.add(String(op));
      }
    }
    // tf-strided-slice.json holds StridedSlice cases only ({input, shape, cases: [{begin, end, …}]}).
    if (file === "tf-strided-slice.json") ops.add("StridedSlice");
    out.push({ source: `server/engine/kernels/testdata/${file}`, ops });
  }
  return out;
}

/** Ops of the TF-exported training graphs (their meta JSON lists the graph's op types). */
function trainingEvidence(): Evidence[] {
  const dir = join(repo, "test", "tf", "training");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => ({
      source: `test/tf/training/${f}`,
      ops: new Set((readJson(join(dir, f)) as { ops: string[] }).ops),
    }));
}

interface CorpusStep {
  readonly targets?: string[];
  readonly feeds?: Record<string, unknown>;
  readonly fetches?: string[];
  readonly expect?: Record<string, unknown>;
}

/** The node name of a tensor or control input ("^a", "a:1" → "a"). */
const nodeOf = (input: string): string => input.replace(/^\^/, "").replace(/:\d+$/, "");

/**
 * Ops the corpus steps actually run where TF's expected values check the outcome: the nodes that
 * the fetches with expected values (and the steps' targets) depend on, stopping at fed nodes, plus
 * the bodies of the functions those nodes call. A graph's other nodes (e.g. a saver's SaveV2 that
 * no case runs) are not evidence.
 */
function corpusEvidence(dir: string): Evidence[] {
  const cases = readJson(join(dir, "cases.json")) as { graph: string; name: string; steps: CorpusStep[] }[];
  const out: Evidence[] = [];
  for (const c of cases) {
    const g = fromText(GraphDefSchema, readFileSync(join(dir, c.graph), "utf8"));
    const nodes = new Map(g.node.map((n) => [n.name, n]));
    const functions = new Map((g.library?.function ?? []).map((f) => [f.signature?.name ?? "", f]));
    const ops = new Set<string>();
    const addFunction = (name: string, seen: Set<string>): void => {
      const f = functions.get(name);
      if (f === undefined || seen.has(name)) return;
      seen.add(name);
      for (const n of f.nodeDef) {
        ops.add(n.op);
        addCalls(n.op, Object.values(n.attr), seen);
      }
    };
    const addCalls = (op: string, attrs: AttrValue[], seen: Set<string>): void => {
      addFunction(op, seen);
      for (const a of attrs) if (a.value.case === "func") addFunction(a.value.value.name, seen);
    };
    for (const step of c.steps) {
      const checked = Object.keys(step.expect ?? {}).length > 0 ? (step.fetches ?? []) : [];
      const fed = new Set(Object.keys(step.feeds ?? {}).map(nodeOf));
      const stack = [...checked, ...(step.targets ?? [])].map(nodeOf);
      const visited = new Set<string>();
      while (stack.length > 0) {
        const name = stack.pop()!;
        if (visited.has(name) || fed.has(name)) continue;
        visited.add(name);
        const n = nodes.get(name);
        if (n === undefined) continue;
        ops.add(n.op);
        addCalls(n.op, Object.values(n.attr), new Set());
        stack.push(...n.input.map(nodeOf));
      }
    }
    // Function names are ops of the graph too (a call node's op); only registered ops count.
    for (const name of functions.keys()) ops.delete(name);
    out.push({ source: `tf-graphs/${c.graph} (${c.name})`, ops });
  }
  return out;
}

function allEvidence(): Evidence[] {
  const corpus = testdataDir();
  return [...kernelFixtureEvidence(), ...trainingEvidence(), ...(corpus ? corpusEvidence(corpus) : [])];
}

registerAllKernels();
const registered = registeredOps().map((op) => op.name);

describe("op coverage: every registered op is tested against TensorFlow's values", () => {
  const evidence = allEvidence();
  const covered = new Map<string, string[]>();
  for (const e of evidence) {
    for (const op of e.ops) covered.set(op, [...(covered.get(op) ?? []), e.source]);
  }

  test("every registered op has TF- or numpy-generated expected values, or is on a justified list", (t) => {
    if (testdataDir() === undefined) {
      if (process.env.CI === "true") assert.fail("tf-graphs corpus missing");
      t.skip("tf-graphs corpus not found; control-flow ops are covered only by it");
      return;
    }
    const missing = registered.filter(
      (op) => !covered.has(op) && !(op in INFRASTRUCTURE) && !(op in REFUSES_TO_RUN),
    );
    assert.deepEqual(missing, [], `ops with no independent expected values:\n${missing.join("\n")}`);
  });

  test("the allow-lists name only registered ops that no fixture covers", () => {
    for (const op of [...Object.keys(INFRASTRUCTURE), ...Object.keys(REFUSES_TO_RUN)]) {
      assert.ok(lookUpOp(op), `${op} is not registered`);
      assert.ok(findKernel(op, "CPU"), `${op} has no CPU kernel`);
      assert.ok(
        !covered.has(op),
        `${op} is covered by ${covered.get(op)?.join(", ")}; drop it from the list`,
      );
    }
  });

  test("the evidence names only registered ops (no typo hides a gap)", () => {
    for (const e of evidence) {
      for (const op of e.ops) assert.ok(lookUpOp(op), `${e.source} names ${op}, which is not registered`);
    }
  });
});

const str = (s: string) => new Tensor(DataType.DT_STRING, [], [new TextEncoder().encode(s)]);
const strs = (v: string[]) =>
  new Tensor(
    DataType.DT_STRING,
    [v.length],
    v.map((s) => new TextEncoder().encode(s)),
  );

/** A well-formed call of each op that refuses to run. */
const REFUSAL_CALLS: Readonly<Record<string, Parameters<typeof runKernel>[1]>> = {
  InitializeTableFromTextFileV2: {
    attrs: { key_index: attr.int(-2), value_index: attr.int(-1) },
    inputs: [
      new Tensor(
        DataType.DT_RESOURCE,
        [],
        [{ device: "", container: "", name: "t", hashCode: 0n, maybeTypeName: "" }],
      ),
      str("/etc/passwd"),
    ],
  },
  InitializeTableFromTextFile: {
    attrs: { key_index: attr.int(-2), value_index: attr.int(-1) },
    inputs: [strs(["", "t"]), str("/etc/passwd")],
  },
  PyFunc: {
    attrs: { token: attr.string("pyfunc_0"), Tin: attr.typeList([]), Tout: attr.typeList([]) },
    inputs: [],
  },
  EagerPyFunc: {
    attrs: { token: attr.string("pyfunc_1"), Tin: attr.typeList([]), Tout: attr.typeList([]) },
    inputs: [],
  },
};

test("ControlTrigger runs and produces nothing", async () => {
  const r = await runKernel("ControlTrigger", { nodeName: "trigger" });
  assert.deepEqual(r.outputs, []);
});

describe("ops that refuse to run fail with TF's code for an unsupported capability", () => {
  for (const [op, { code, reason }] of Object.entries(REFUSES_TO_RUN)) {
    test(`${op}: ${tfCodeName(code)} (${reason})`, async () => {
      const call = REFUSAL_CALLS[op];
      assert.ok(call, `no call for ${op}`);
      await assert.rejects(
        runKernel(op, { ...call, nodeName: op }),
        (e: { code: number; message: string }) => {
          assert.equal(e.code, code, e.message);
          return true;
        },
      );
    });
  }
});
