// The graph builder's TF1 control flow (cond, whileLoop), gradients through cond and the Adam
// optimizer, run by tfgate's engine. Structure is compared node for node (name, op, inputs, the
// attributes that decide behaviour) with what TensorFlow 2.21 builds for the same programs with
// control flow v1 (test/tf/export_builder_reference.py → test/tf/builder-reference.json); values
// with independent JavaScript computations, central finite differences, and TF's Adam trajectory.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, test } from "node:test";
import type { GraphDef } from "../gen/tensorflow/core/framework/graph_pb.js";
import { createMaster } from "../server/engine/master/master.js";
import {
  Adam,
  attr,
  DataType,
  fromTensorProto,
  GradientDescent,
  GraphBuilder,
  type Output,
  type Tensor,
  tensor,
  toTensorProto,
} from "../web-client/index.js";
import { openSession } from "./support/session.js";

interface RefNode {
  readonly name: string;
  readonly op: string;
  readonly input: readonly string[];
  readonly attr: Record<string, string | number | boolean | null>;
}
interface WhileGradRef {
  readonly nodes: readonly RefNode[];
  readonly feeds: { readonly w: number[]; readonly b: number[]; readonly x0: number[]; readonly n: number };
  /** [loss, d loss/d w, d loss/d b, d loss/d x0] as TF computes them. */
  readonly values: readonly (readonly number[])[];
  readonly gradient_ops: readonly string[];
}
interface LossesRef {
  readonly nodes: readonly RefNode[];
  readonly x: number[][];
  readonly t: number[][];
  readonly losses: readonly number[];
}
interface AdamRef {
  readonly nodes: readonly RefNode[];
  readonly x: number[][];
  readonly t: number[][];
  readonly losses: readonly number[];
  readonly w: readonly number[];
  readonly b: readonly number[];
}
const reference = JSON.parse(
  readFileSync(new URL("./tf/builder-reference.json", import.meta.url), "utf8"),
) as {
  readonly graphs: Record<string, readonly RefNode[]>;
  readonly adam: { readonly ref: AdamRef; readonly resource: AdamRef };
  readonly while_grad: Record<"plain" | "cond" | "cond_unknown_shape", WhileGradRef>;
  readonly while_train: Record<"gd" | "adam", LossesRef>;
};

const F32 = DataType.DT_FLOAT;
const F64 = DataType.DT_DOUBLE;
const I32 = DataType.DT_INT32;
const BOOL = DataType.DT_BOOL;

const master = createMaster({ workerThreads: false, cpuDevices: 1 });
after(() => master.close());

/** A session on `graph`; fetched tensors come back as plain numbers. */
async function session(graph: GraphDef) {
  const s = await openSession(master, graph);
  return {
    async run(feeds: Record<string, Tensor>, fetches: readonly string[], targets: readonly string[] = []) {
      const feed = Object.entries(feeds).map(([name, t]) => ({ name, tensor: toTensorProto(t) }));
      const tensors = await s.fetch(fetches, { feed, target: [...targets] });
      return tensors.map((t) =>
        Array.from(fromTensorProto(t).values as ArrayLike<number | bigint | boolean>, Number),
      );
    },
    close: s.close,
  };
}

const scalar = (v: number, dtype: DataType) => tensor([v], [], dtype);

/** The builder's node as the reference JSON writes one (attributes limited to those TF wrote). */
function attrJson(a: { value: { case: string | undefined; value?: unknown } } | undefined): unknown {
  if (a === undefined) return undefined;
  const { case: kind, value } = a.value;
  if (kind === "s") return new TextDecoder().decode(value as Uint8Array);
  if (kind === "i") return Number(value as bigint);
  if (kind === "b" || kind === "f" || kind === "type") return value;
  return null;
}

/** Asserts the builder's graph has exactly TF's nodes: names, ops, inputs and the kept attributes. */
function assertSameGraph(g: GraphBuilder, expected: readonly RefNode[]) {
  const built = new Map(g.toGraphDef().node.map((n) => [n.name, n]));
  const problems: string[] = [];
  for (const want of expected) {
    const got = built.get(want.name);
    if (got === undefined) {
      problems.push(`missing ${want.name} (${want.op} ${want.input.join(",")})`);
      continue;
    }
    if (got.op !== want.op) problems.push(`${want.name}: op ${got.op}, TF ${want.op}`);
    if (got.input.join(",") !== want.input.join(",")) {
      problems.push(`${want.name}: inputs ${got.input.join(",")}, TF ${want.input.join(",")}`);
    }
    for (const [k, v] of Object.entries(want.attr)) {
      if (v === null) continue;
      const mine = attrJson(got.attr[k]);
      const same =
        typeof v === "number" && typeof mine === "number" ? Math.fround(v) === Math.fround(mine) : mine === v;
      if (!same) problems.push(`${want.name}: attr ${k} = ${String(mine)}, TF ${String(v)}`);
    }
  }
  const names = new Set(expected.map((n) => n.name));
  for (const name of built.keys()) if (!names.has(name)) problems.push(`extra ${name}`);
  assert.deepEqual(problems, [], problems.join("\n"));
}

describe("the builder emits what TensorFlow 2.21 emits (control flow v1)", () => {
  test("cond and its gradient", () => {
    const g = new GraphBuilder();
    const x = g.placeholder("x", F32, []);
    const p = g.placeholder("p", BOOL, []);
    const y = g.cond(
      p,
      () => g.mul(x, 2),
      () => g.add(x, 1),
    );
    g.gradients(y, [x]);
    assertSameGraph(g, reference.graphs.cond!);
  });

  test("nested conds, a bool predicate computed from x, a branch returning a captured tensor: gradients", () => {
    const g = new GraphBuilder();
    const p = g.placeholder("p", BOOL, []);
    const x = g.placeholder("x", F64, [3]);
    const w = g.placeholder("w", F64, [3]);
    const q = g.greater(g.sum(x), 0);
    const c = g.cond(
      p,
      () =>
        g.cond(
          q,
          () => g.mul(x, w),
          () => w,
        ),
      () => g.relu(g.sub(x, w)),
    );
    g.gradients(g.sum(g.square(c)), [x, w]);
    assertSameGraph(g, reference.graphs.cond_nested_grad!);
  });

  test("while loop with two loop variables and a captured tensor", () => {
    const g = new GraphBuilder();
    const n = g.placeholder("n", I32, []);
    g.whileLoop(
      (i) => g.binary("Less", i, n, "Less", BOOL),
      (i, s) => [g.add(i, 1), g.add(s!, i)],
      [g.constant(0, { dtype: I32 }), g.constant(0, { dtype: I32 })],
    );
    assertSameGraph(g, reference.graphs.while!);
  });

  test("while loop with maximum_iterations", () => {
    const g = new GraphBuilder();
    const n = g.placeholder("n", I32, []);
    g.whileLoop(
      (i) => g.binary("Less", i, n, "Less", BOOL),
      (i) => g.add(i, 1),
      [g.constant(0, { dtype: I32 })],
      { maximumIterations: 5 },
    );
    assertSameGraph(g, reference.graphs.while_max!);
  });

  test("cond nested in a while loop, capturing loop values and an outside tensor", () => {
    const g = new GraphBuilder();
    const n = g.placeholder("n", I32, []);
    const k = g.placeholder("k", I32, []);
    g.whileLoop(
      (i) => g.binary("Less", i, n, "Less", BOOL),
      (i, s) => [
        g.add(i, 1),
        g.cond(
          g.binary("Less", i, k, "Less", BOOL),
          () => g.add(s!, i),
          () => g.sub(s!, k),
        ),
      ],
      [g.constant(0, { dtype: I32 }), g.constant(0, { dtype: I32 })],
    );
    assertSameGraph(g, reference.graphs.nested!);
  });

  test("ReluGrad, SigmoidGrad, TanhGrad, and partial reductions with DynamicStitch and BroadcastTo", () => {
    const g = new GraphBuilder();
    const x = g.placeholder("x", F32, [-1, 3]);
    const y = g.sum(g.add(g.add(g.relu(x), g.sigmoid(x)), g.tanh(x)));
    const s = g.sum(x, [1], true);
    const m = g.mean(x, [0]);
    g.gradients(g.add(g.add(y, g.sum(s)), g.sum(m)), [x]);
    assertSameGraph(g, reference.graphs.activations!);
  });

  test("GradientDescent on a linear model", () => {
    const g = new GraphBuilder();
    const x = g.placeholder("x", F32, [-1, 2]);
    const w = g.variable("w", [[0], [0]]);
    new GradientDescent(0.01).minimize(g.mean(g.square(g.matmul(x, w))));
    g.globalVariablesInitializer();
    assertSameGraph(g, reference.graphs.linear_gd!);
  });

  test("gradients through a while loop: f_count and b_count loops, stacks, loop-invariant accumulators", () => {
    const g = new GraphBuilder();
    const { loss, w, b, x0 } = whileGradModel(g, "plain", F32);
    g.gradients(loss, [w, b, x0]);
    assertSameGraph(g, reference.while_grad.plain.nodes);
  });

  test("gradients through a cond nested in a while loop: the predicate saved per iteration", () => {
    const g = new GraphBuilder();
    const { loss, w, b, x0 } = whileGradModel(g, "cond", F32);
    g.gradients(loss, [w, b, x0]);
    assertSameGraph(g, reference.while_grad.cond.nodes);
  });

  test("… with shapes unknown statically: zeros shaped from a stack of shapes", () => {
    const g = new GraphBuilder();
    const { loss, w, b, x0 } = whileGradModel(g, "cond", F32, [-1]);
    g.gradients(loss, [w, b, x0]);
    assertSameGraph(g, reference.while_grad.cond_unknown_shape.nodes);
  });

  for (const kind of ["gd", "adam"] as const) {
    test(`${kind === "gd" ? "GradientDescent" : "Adam"} through a while loop`, () => {
      const g = new GraphBuilder();
      whileTrainModel(g, kind);
      assertSameGraph(g, reference.while_train[kind].nodes);
    });
  }

  for (const kind of ["ref", "resource"] as const) {
    test(`Adam (${kind} variables)`, () => {
      const g = new GraphBuilder();
      adamModel(g, kind === "resource");
      assertSameGraph(g, reference.adam[kind].nodes);
    });
  }
});

/**
 * TF's reference models for gradients through a loop (export_builder_reference.py): "plain" runs
 * x ← x·w + b n times, loss = sum(x²); "cond" runs x ← (sum(x) > 0 ? x·w : tanh(x) + b), loss =
 * sum((x·w)²); "two" has a second loop variable whose exit nothing uses: y ← y·w, x ← x + y·b.
 */
function whileGradModel(
  g: GraphBuilder,
  kind: "plain" | "cond" | "two",
  dtype: DataType,
  shape: readonly number[] = [2],
) {
  const w = g.placeholder("w", dtype, shape);
  const b = g.placeholder("b", dtype, shape);
  const x0 = g.placeholder("x0", dtype, shape);
  const n = g.placeholder("n", I32, []);
  const less = (i: Output) => g.binary("Less", i, n, "Less", BOOL);
  const start = g.constant(0, { dtype: I32 });
  let loss: Output;
  if (kind === "plain") {
    const [, x] = g.whileLoop(less, (i, x) => [g.add(i, 1), g.add(g.mul(x!, w), b)], [start, x0]);
    loss = g.sum(g.square(x!));
  } else if (kind === "cond") {
    const [, x] = g.whileLoop(
      less,
      (i, x) => [
        g.add(i, 1),
        g.cond(
          g.greater(g.sum(x!), 0),
          () => g.mul(x!, w),
          () => g.add(g.tanh(x!), b),
        ),
      ],
      [start, x0],
    );
    loss = g.sum(g.square(g.mul(x!, w)));
  } else {
    const [, x] = g.whileLoop(less, (i, x, y) => [g.add(i, 1), g.add(x!, g.mul(y!, b)), g.mul(y!, w)], [
      start,
      x0,
      g.mul(x0, 0.5),
    ]);
    loss = g.sum(g.square(x!));
  }
  return { loss, w, b, x0, n };
}

/**
 * TF's reference models for training through a loop: y ← tanh(y·w + b) 3 times, squared error;
 * GradientDescent(0.5) on ref variables or Adam(0.05) on resource variables.
 */
function whileTrainModel(g: GraphBuilder, kind: "gd" | "adam") {
  const x = g.placeholder("x", F32, [-1, 2]);
  const t = g.placeholder("t", F32, [-1, 2]);
  const resource = kind === "adam";
  const prefix = resource ? "loop_adam_" : "loop_";
  const w = g.variable(`${prefix}w`, [0.9, -0.6], { resource });
  const b = g.variable(`${prefix}b`, [0.05, 0.05], { resource });
  const [, y] = g.whileLoop(
    (i) => g.binary("Less", i, 3, "Less", BOOL),
    (i, y) => [g.add(i, 1), g.tanh(g.add(g.mul(y!, w), b))],
    [g.constant(0, { dtype: I32 }), x],
  );
  const loss = g.mean(g.square(g.sub(y!, t)), undefined, false, "loss");
  const train =
    kind === "gd" ? new GradientDescent(0.5).minimize(loss) : new Adam({ learningRate: 0.05 }).minimize(loss);
  const init = g.globalVariablesInitializer();
  return { loss, train, init };
}

/** TF's reference model for Adam: loss = mean((x·w + b − t)²), Adam(0.1). */
function adamModel(g: GraphBuilder, resource: boolean) {
  const x = g.placeholder("x", F32, [-1, 2]);
  const t = g.placeholder("t", F32, [-1, 1]);
  const w = g.variable("w", [[0.5], [-0.25]], { resource });
  const b = g.variable("b", [0.1], { resource });
  const loss = g.mean(g.square(g.sub(g.add(g.matmul(x, w), b), t)), undefined, false, "loss");
  const train = new Adam({ learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }).minimize(loss);
  const init = g.globalVariablesInitializer();
  return { loss, train, init, w, b };
}

describe("cond runs only the taken branch", () => {
  test("picks the branch the predicate names, for single and several outputs", async () => {
    const g = new GraphBuilder();
    const x = g.placeholder("x", F32, []);
    const p = g.placeholder("p", BOOL, []);
    const y = g.cond(
      p,
      () => g.mul(x, 2),
      () => g.add(x, 1),
    );
    const [a, b] = g.cond(
      p,
      () => [g.square(x), x],
      () => [g.neg(x), g.constant(7)],
      "pair",
    );
    const s = await session(g.toGraphDef());
    try {
      for (const [pv, xv] of [
        [true, 3],
        [false, 3],
        [true, -1.5],
        [false, 0.25],
      ] as const) {
        const feeds = { "x:0": scalar(xv, F32), "p:0": tensor([pv], [], BOOL) };
        const [yv, av, bv] = await s.run(feeds, [y.name, a!.name, b!.name]);
        assert.deepEqual(yv, [pv ? xv * 2 : xv + 1], `y for p=${pv}, x=${xv}`);
        assert.deepEqual(av, [pv ? xv * xv : -xv]);
        assert.deepEqual(bv, [pv ? xv : 7]);
      }
    } finally {
      await s.close();
    }
  });

  test("the untaken branch's nodes are dead: its side effects never happen", async () => {
    const g = new GraphBuilder();
    const x = g.placeholder("x", F32, []);
    const p = g.placeholder("p", BOOL, []);
    const counter = g.variable("counter", 0, { resource: true });
    const y = g.cond(
      p,
      () => g.mul(x, 2),
      () => {
        const bump = g.addOp("AssignAddVariableOp", [counter.handle, g.constant(1)], {
          attrs: { dtype: attr.type(F32) },
          outputs: [],
        });
        return g.controlDependencies([bump], () => g.identity(x));
      },
    );
    const init = g.globalVariablesInitializer();
    const s = await session(g.toGraphDef());
    try {
      await s.run({}, [], [init.name]);
      const run = async (pv: boolean) =>
        (await s.run({ "x:0": scalar(5, F32), "p:0": tensor([pv], [], BOOL) }, [y.name]))[0];
      const count = async () => (await s.run({}, ["counter/Read/ReadVariableOp:0"]))[0];
      for (let i = 0; i < 3; i++) assert.deepEqual(await run(true), [10]);
      assert.deepEqual(await count(), [0], "the false branch's AssignAdd did not run");
      assert.deepEqual(await run(false), [5]);
      assert.deepEqual(await run(false), [5]);
      assert.deepEqual(await count(), [2], "it runs each time the false branch is taken");
    } finally {
      await s.close();
    }
  });
});

describe("whileLoop runs in the engine", () => {
  /** sum of i for i in [start, end) with the loop the builder emits; n is fed. */
  function sumLoop(g: GraphBuilder, start: number) {
    const n = g.placeholder("n", I32, []);
    const [i, s] = g.whileLoop(
      (i) => g.binary("Less", i, n, "Less", BOOL),
      (i, s) => [g.add(i, 1), g.add(s!, i)],
      [g.constant(start, { dtype: I32 }), g.constant(0, { dtype: I32 })],
    );
    return { i: i!, s: s! };
  }

  test("sum of 1..100, and a 10,000-iteration loop", async () => {
    const g = new GraphBuilder();
    const { i, s } = sumLoop(g, 1);
    const sess = await session(g.toGraphDef());
    try {
      for (const end of [101, 10_001]) {
        let expected = 0;
        for (let k = 1; k < end; k++) expected += k;
        const [iv, sv] = await sess.run({ "n:0": scalar(end, I32) }, [i.name, s.name]);
        assert.deepEqual(iv, [end]);
        assert.deepEqual(sv, [expected], `sum of 1..${end - 1}`);
      }
      // A loop whose predicate is false at once runs no iteration.
      assert.deepEqual(await sess.run({ "n:0": scalar(0, I32) }, [i.name, s.name]), [[1], [0]]);
    } finally {
      await sess.close();
    }
  });

  test("maximumIterations stops the loop early", async () => {
    const g = new GraphBuilder();
    const n = g.placeholder("n", I32, []);
    const [i] = g.whileLoop(
      (i) => g.binary("Less", i, n, "Less", BOOL),
      (i) => g.add(i, 1),
      [g.constant(0, { dtype: I32 })],
      { maximumIterations: 5 },
    );
    const s = await session(g.toGraphDef());
    try {
      assert.deepEqual(await s.run({ "n:0": scalar(100, I32) }, [i!.name]), [[5]]);
      assert.deepEqual(await s.run({ "n:0": scalar(3, I32) }, [i!.name]), [[3]]);
    } finally {
      await s.close();
    }
  });

  test("a cond nested in the loop body, capturing loop values and a tensor from outside", async () => {
    const g = new GraphBuilder();
    const n = g.placeholder("n", I32, []);
    const k = g.placeholder("k", I32, []);
    const [, s] = g.whileLoop(
      (i) => g.binary("Less", i, n, "Less", BOOL),
      (i, s) => [
        g.add(i, 1),
        g.cond(
          g.binary("Less", i, k, "Less", BOOL),
          () => g.add(s!, i),
          () => g.sub(s!, k),
        ),
      ],
      [g.constant(0, { dtype: I32 }), g.constant(0, { dtype: I32 })],
    );
    const sess = await session(g.toGraphDef());
    try {
      for (const [nv, kv] of [
        [10, 4],
        [7, 100],
        [20, 0],
      ] as const) {
        let expected = 0;
        for (let i = 0; i < nv; i++) expected = i < kv ? expected + i : expected - kv;
        const [sv] = await sess.run({ "n:0": scalar(nv, I32), "k:0": scalar(kv, I32) }, [s!.name]);
        assert.deepEqual(sv, [expected], `n=${nv} k=${kv}`);
      }
    } finally {
      await sess.close();
    }
  });

  test("a body that changes a loop variable's shape fails as TensorFlow does", () => {
    const g = new GraphBuilder();
    assert.throws(
      () =>
        g.whileLoop(
          (v) => g.greater(g.sum(v), 0),
          () => g.constant([1, 2]),
          [g.constant(1)],
        ),
      /enters the loop with shape \(\), but has shape \(2,\) after one iteration/,
    );
  });

  test("gradients of a loop computing x³ are 3x²; loops nested in loops are refused", async () => {
    const g = new GraphBuilder();
    const x = g.placeholder("x", F32, []);
    const [, y] = g.whileLoop(
      (i) => g.binary("Less", i, 3, "Less", BOOL),
      (i, v) => [g.add(i, 1), g.mul(v!, x)],
      [g.constant(0, { dtype: I32 }), g.constant(1)],
    );
    const [dx] = g.gradients(y!, [x]);
    assert.ok(dx);
    const s = await session(g.toGraphDef());
    try {
      for (const xv of [2, -1.5, 0.5]) {
        const [yv, dv] = await s.run({ "x:0": scalar(xv, F32) }, [y!.name, dx.name]);
        assert.ok(Math.abs(yv![0]! - xv ** 3) < 1e-5, `x³ at ${xv}: ${yv}`);
        assert.ok(Math.abs(dv![0]! - 3 * xv ** 2) < 1e-5, `3x² at ${xv}: ${dv}`);
      }
    } finally {
      await s.close();
    }
    const h = new GraphBuilder();
    const z = h.placeholder("z", F32, []);
    const [, outer] = h.whileLoop(
      (i) => h.binary("Less", i, 2, "Less", BOOL),
      (i, v) => {
        const [, inner] = h.whileLoop(
          (j) => h.binary("Less", j, 2, "Less", BOOL),
          (j, u) => [h.add(j, 1), h.mul(u!, z)],
          [h.constant(0, { dtype: I32 }), v!],
        );
        return [h.add(i, 1), inner!];
      },
      [h.constant(0, { dtype: I32 }), h.constant(1)],
    );
    assert.throws(() => h.gradients(outer!, [z]), /nested in a cond or another while loop are not supported/);
  });
});

describe("gradients through whileLoop match TensorFlow and finite differences", () => {
  const close = (got: number, want: number, tol: number) =>
    Math.abs(got - want) <= tol * Math.max(1, Math.abs(want));

  for (const kind of ["plain", "cond", "cond_unknown_shape"] as const) {
    test(`${kind}: the loss and gradients TensorFlow computes, and the op types of its gradient graph`, async () => {
      const want = reference.while_grad[kind];
      const g = new GraphBuilder();
      const { loss, w, b, x0 } =
        kind === "cond_unknown_shape" ? whileGradModel(g, "cond", F32, [-1]) : whileGradModel(g, kind, F32);
      const marked = new Set(g.toGraphDef().node.map((n) => n.name));
      const grads = g.gradients(loss, [w, b, x0]);
      const ops = g
        .toGraphDef()
        .node.filter((n) => !marked.has(n.name))
        .map((n) => n.op)
        .sort();
      assert.deepEqual(ops, [...want.gradient_ops]);
      const s = await session(g.toGraphDef());
      try {
        const { feeds: f } = want;
        const got = await s.run(
          {
            "w:0": tensor(f.w, [2], F32),
            "b:0": tensor(f.b, [2], F32),
            "x0:0": tensor(f.x0, [2], F32),
            "n:0": scalar(f.n, I32),
          },
          [loss.name, ...grads.map((t) => t!.name)],
        );
        want.values.forEach((values, k) => {
          values.forEach((v, e) => {
            assert.ok(
              close(got[k]![e]!, v, 1e-5),
              `output ${k}[${e}]: builder ${got[k]![e]}, TensorFlow ${v}`,
            );
          });
        });
      } finally {
        await s.close();
      }
    });
  }

  for (const kind of ["plain", "cond", "two"] as const) {
    test(`${kind}: central differences in float64, for 0 to 4 iterations`, async () => {
      const g = new GraphBuilder();
      const { loss, w, b, x0 } = whileGradModel(g, kind, F64);
      const grads = g.gradients(loss, [w, b, x0]);
      const s = await session(g.toGraphDef());
      try {
        const base = [
          [0.9, -0.5],
          [0.1, 0.2],
          [1.0, -2.0],
        ];
        for (const n of [0, 1, 4]) {
          const feeds = (vals: number[][]) => ({
            "w:0": tensor(Float64Array.from(vals[0]!), [2], F64),
            "b:0": tensor(Float64Array.from(vals[1]!), [2], F64),
            "x0:0": tensor(Float64Array.from(vals[2]!), [2], F64),
            "n:0": scalar(n, I32),
          });
          const symbolic = await s.run(
            feeds(base),
            grads.map((t) => t!.name),
          );
          const h = 1e-6;
          for (let k = 0; k < 3; k++) {
            for (let e = 0; e < 2; e++) {
              const plus = base.map((v) => [...v]);
              const minus = base.map((v) => [...v]);
              plus[k]![e]! += h;
              minus[k]![e]! -= h;
              const [[lp]] = (await s.run(feeds(plus), [loss.name])) as [[number]];
              const [[lm]] = (await s.run(feeds(minus), [loss.name])) as [[number]];
              const numeric = (lp - lm) / (2 * h);
              const got = symbolic[k]![e]!;
              assert.ok(
                close(got, numeric, 1e-6),
                `n=${n} d loss/d ${["w", "b", "x0"][k]}[${e}]: builder ${got}, finite differences ${numeric}`,
              );
            }
          }
        }
      } finally {
        await s.close();
      }
    });
  }

  for (const kind of ["gd", "adam"] as const) {
    const name = kind === "gd" ? "GradientDescent (ref variables)" : "Adam (resource variables)";
    test(`${name} through a loop: TensorFlow's losses step by step`, async () => {
      const want = reference.while_train[kind];
      const g = new GraphBuilder();
      const { loss, train, init } = whileTrainModel(g, kind);
      const s = await session(g.toGraphDef());
      try {
        const feeds = { "x:0": tensor(want.x, undefined, F32), "t:0": tensor(want.t, undefined, F32) };
        await s.run({}, [], [init.name]);
        for (let step = 0; step < want.losses.length; step++) {
          const [[l]] = (await s.run(feeds, [loss.name])) as [[number]];
          const expected = want.losses[step]!;
          assert.ok(close(l, expected, 1e-5), `loss before step ${step}: ${l}, TensorFlow ${expected}`);
          await s.run(feeds, [], [train.name]);
        }
        assert.ok(want.losses.at(-1)! < want.losses[0]! / 2, "the loss fell");
      } finally {
        await s.close();
      }
    });
  }
});

describe("gradients through cond match finite differences", () => {
  /** d loss/d inputs from the builder vs central differences of loss, for both predicate values. */
  async function check(build: (g: GraphBuilder, p: Output, x: Output, w: Output) => Output) {
    const g = new GraphBuilder();
    const p = g.placeholder("p", BOOL, []);
    const x = g.placeholder("x", F64, [3]);
    const w = g.placeholder("w", F64, [3]);
    const loss = build(g, p, x, w);
    const [gx, gw] = g.gradients(loss, [x, w]);
    assert.ok(gx && gw, "gradients for x and w");
    const s = await session(g.toGraphDef());
    try {
      const base = [
        [0.3, -0.7, 1.1],
        [0.5, 2, -1.5],
      ];
      for (const pv of [true, false]) {
        const feeds = (vals: number[][]) => ({
          "p:0": tensor([pv], [], BOOL),
          "x:0": tensor(Float64Array.from(vals[0]!), [3], F64),
          "w:0": tensor(Float64Array.from(vals[1]!), [3], F64),
        });
        const symbolic = await s.run(feeds(base), [gx.name, gw.name]);
        const h = 1e-6;
        for (let k = 0; k < 2; k++) {
          for (let e = 0; e < 3; e++) {
            const plus = base.map((v) => [...v]);
            const minus = base.map((v) => [...v]);
            plus[k]![e]! += h;
            minus[k]![e]! -= h;
            const [[lp]] = (await s.run(feeds(plus), [loss.name])) as [[number]];
            const [[lm]] = (await s.run(feeds(minus), [loss.name])) as [[number]];
            const numeric = (lp - lm) / (2 * h);
            const got = symbolic[k]![e]!;
            assert.ok(
              Math.abs(got - numeric) / Math.max(1, Math.abs(numeric)) < 1e-6,
              `p=${pv} d loss/d ${k === 0 ? "x" : "w"}[${e}]: builder ${got}, finite differences ${numeric}`,
            );
          }
        }
      }
    } finally {
      await s.close();
    }
  }

  test("both branches use both inputs", async () => {
    await check((g, p, x, w) =>
      g.sum(
        g.cond(
          p,
          () => g.mul(g.square(x), w),
          () => g.add(g.exp(x), g.mul(x, w)),
        ),
      ),
    );
  });

  test("an input only one branch uses gets zeros from the other; the cond feeds a larger loss", async () => {
    await check((g, p, x, w) => {
      const c = g.cond(
        p,
        () => g.mul(w, 3),
        () => g.tanh(g.mul(g.sigmoid(x), w)),
      );
      return g.add(g.sum(g.mul(c, c)), g.sum(g.mul(x, w)));
    });
  });

  test("nested conds and a branch returning a captured tensor", async () => {
    await check((g, p, x, w) => {
      const q = g.greater(g.sum(x), 0);
      const c = g.cond(
        p,
        () =>
          g.cond(
            q,
            () => g.mul(x, w),
            () => w,
          ),
        () => g.relu(g.sub(x, w)),
      );
      return g.sum(g.square(c));
    });
  });
});

describe("Adam", () => {
  for (const kind of ["ref", "resource"] as const) {
    test(`${kind} variables: losses and final values match TensorFlow's AdamOptimizer step by step`, async () => {
      const want = reference.adam[kind];
      const g = new GraphBuilder();
      const { loss, train, init, w, b } = adamModel(g, kind === "resource");
      const s = await session(g.toGraphDef());
      try {
        const feeds = {
          "x:0": tensor(want.x, undefined, F32),
          "t:0": tensor(want.t, undefined, F32),
        };
        await s.run({}, [], [init.name]);
        for (let step = 0; step < want.losses.length; step++) {
          const [[l]] = (await s.run(feeds, [loss.name])) as [[number]];
          const expected = want.losses[step]!;
          assert.ok(
            Math.abs(l - expected) <= 1e-5 * Math.max(1, Math.abs(expected)),
            `loss before step ${step}: ${l}, TensorFlow ${expected}`,
          );
          await s.run(feeds, [], [train.name]);
        }
        const [wv, bv] = await s.run({}, [w.snapshot.name, b.snapshot.name]);
        wv!.forEach((v, i) => {
          assert.ok(Math.abs(v - want.w[i]!) < 1e-5, `w[${i}] ${v}, TensorFlow ${want.w[i]}`);
        });
        assert.ok(Math.abs(bv![0]! - want.b[0]!) < 1e-5, `b ${bv}, TensorFlow ${want.b}`);
        assert.ok(want.losses.at(-1)! < want.losses[0]! / 10, "the loss fell");
        // beta1_power is beta1^(steps + 1) after `steps` updates.
        const [b1] = await s.run({}, [
          kind === "ref" ? "beta1_power:0" : "beta1_power/Read/ReadVariableOp:0",
        ]);
        assert.ok(Math.abs(b1![0]! - 0.9 ** (want.losses.length + 1)) < 1e-6, `beta1_power ${b1}`);
      } finally {
        await s.close();
      }
    });
  }

  test("slots and beta powers are initialized by globalVariablesInitializer and not trainable", () => {
    const g = new GraphBuilder();
    adamModel(g, false);
    assert.deepEqual(
      g.globalVariables().map((v) => v.name),
      ["w", "b", "beta1_power", "beta2_power", "w/Adam", "w/Adam_1", "b/Adam", "b/Adam_1"],
    );
    assert.deepEqual(
      g.trainableVariables().map((v) => v.name),
      ["w", "b"],
    );
  });
});
