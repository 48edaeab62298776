// The graph builder (web-client/builder.ts) run by the real engine: every gradient the builder emits
// is compared with central finite differences of the same graph's loss, in float64, on graphs with
// fully known shapes (TF's static fast paths) and with an unknown batch dimension (the dynamic
// Shape/BroadcastGradientArgs paths); variables of both kinds train with GradientDescent; node
// names follow TensorFlow's.

import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import type { GraphDef } from "../gen/tensorflow/core/framework/graph_pb.js";
import { createMaster } from "../server/engine/master/master.js";
import {
  DataType,
  differentiableOps,
  fromTensorProto,
  GradientDescent,
  GraphBuilder,
  type Output,
  type Tensor,
  tensor,
  toTensorProto,
} from "../web-client/index.js";
import { openSession } from "./support/session.js";

const F64 = DataType.DT_DOUBLE;
const master = createMaster({ workerThreads: false, cpuDevices: 1 });
after(() => master.close());

/** A session on `graph`, run with feeds and fetches given as tensor names. */
async function session(graph: GraphDef) {
  const s = await openSession(master, graph);
  return {
    async run(feeds: Record<string, Tensor>, fetches: readonly string[], targets: readonly string[] = []) {
      const feed = Object.entries(feeds).map(([name, t]) => ({ name, tensor: toTensorProto(t) }));
      const tensors = await s.fetch(fetches, { feed, target: [...targets] });
      return tensors.map((t) => [...(fromTensorProto(t).values as Float64Array)]);
    },
    close: s.close,
  };
}

/** Deterministic values in [lo, hi) (a tiny LCG: the tests must not depend on Math.random). */
function values(n: number, seed: number, lo = -1, hi = 1): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((s >>> 8) / 2 ** 24) * (hi - lo);
  });
}

interface Input {
  readonly out: Output;
  readonly shape: readonly number[];
  readonly values: number[];
}

/**
 * Checks d(loss)/d(input) from the builder's gradients against central differences of `loss`,
 * for every element of every input. Returns the largest relative error seen.
 */
async function checkGradients(g: GraphBuilder, loss: Output, inputs: readonly Input[], tolerance = 1e-6) {
  const grads = g.gradients(
    loss,
    inputs.map((i) => i.out),
  );
  grads.forEach((gr, k) => {
    assert.ok(gr, `a gradient for ${inputs[k]!.out.name}`);
  });
  const s = await session(g.toGraphDef());
  try {
    const feeds = (vals: readonly number[][]) =>
      Object.fromEntries(
        inputs.map((i, k) => [i.out.name, tensor(Float64Array.from(vals[k]!), i.shape, F64)]),
      );
    const base = inputs.map((i) => [...i.values]);
    const symbolic = await s.run(
      feeds(base),
      grads.map((gr) => gr!.name),
    );
    const h = 1e-6;
    let worst = 0;
    for (let k = 0; k < inputs.length; k++) {
      assert.equal(
        symbolic[k]!.length,
        base[k]!.length,
        `gradient of ${inputs[k]!.out.name} has the input's size`,
      );
      for (let e = 0; e < base[k]!.length; e++) {
        const plus = base.map((v) => [...v]);
        const minus = base.map((v) => [...v]);
        plus[k]![e]! += h;
        minus[k]![e]! -= h;
        const [[lp]] = (await s.run(feeds(plus), [loss.name])) as [[number]];
        const [[lm]] = (await s.run(feeds(minus), [loss.name])) as [[number]];
        const numeric = (lp - lm) / (2 * h);
        const got = symbolic[k]![e]!;
        const err = Math.abs(got - numeric) / Math.max(1, Math.abs(numeric));
        worst = Math.max(worst, err);
        assert.ok(
          err < tolerance,
          `d loss / d ${inputs[k]!.out.name}[${e}]: builder ${got}, finite differences ${numeric}`,
        );
      }
    }
    return worst;
  } finally {
    await s.close();
  }
}

function input(
  g: GraphBuilder,
  name: string,
  shape: readonly number[],
  seed: number,
  declared?: number[],
): Input {
  const n = shape.reduce((a, b) => a * b, 1);
  return { out: g.placeholder(name, F64, declared ?? [...shape]), shape, values: values(n, seed) };
}

describe("gradients match finite differences", () => {
  for (const batch of ["known", "unknown"] as const) {
    const dims = (shape: number[]) => (batch === "known" ? shape : [-1, ...shape.slice(1)]);

    test(`dense layer, bias broadcast, squared error, mean (batch ${batch})`, async () => {
      const g = new GraphBuilder();
      const x = input(g, "x", [4, 3], 1, dims([4, 3]));
      const w = input(g, "w", [3, 2], 2);
      const b = input(g, "b", [2], 3);
      const t = input(g, "t", [4, 2], 4, dims([4, 2]));
      const y = g.add(g.matmul(x.out, w.out), b.out);
      const loss = g.mean(g.square(g.sub(y, t.out)));
      await checkGradients(g, loss, [x, w, b, t]);
    });

    test(`sigmoid, tanh, relu, exp, log, neg, mul, div (batch ${batch})`, async () => {
      const g = new GraphBuilder();
      const x = input(g, "x", [5, 2], 5, dims([5, 2]));
      const w = input(g, "w", [2, 3], 6);
      const h = g.matmul(x.out, w.out);
      const a = g.mul(g.sigmoid(h), g.tanh(h));
      const r = g.relu(g.neg(h));
      const e = g.div(g.exp(a), g.add(g.sigmoid(r), 0.5));
      const loss = g.sum(g.log(g.add(g.square(e), 1)));
      await checkGradients(g, loss, [x, w]);
    });

    test(`softmax cross-entropy: sum over the last axis, mean over the batch (batch ${batch})`, async () => {
      const g = new GraphBuilder();
      const logits = input(g, "logits", [4, 3], 7, dims([4, 3]));
      const labels = g.constant(
        tensor(Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 0.5, 0.5, 0]), [4, 3], F64),
      );
      const ce = g.neg(g.sum(g.mul(labels, g.log(g.softmax(logits.out))), [1]));
      const loss = g.mean(ce);
      await checkGradients(g, loss, [logits]);
    });

    test(`partial reductions with keep_dims, broadcasting on both sides (batch ${batch})`, async () => {
      const g = new GraphBuilder();
      const a = input(g, "a", [3, 1], 8, dims([3, 1]));
      const b = input(g, "b", [1, 4], 9);
      const c = input(g, "c", [], 10);
      const m = g.mul(g.sub(a.out, b.out), c.out); // [3, 4]
      const colMean = g.mean(m, [0], true); // [1, 4]
      const rowSum = g.sum(m, [-1], true); // [3, 1]
      const loss = g.sum(g.square(g.add(g.div(m, g.add(g.square(colMean), 1)), rowSum)));
      await checkGradients(g, loss, [a, b, c]);
    });
  }

  test("matmul with every combination of transposes", async () => {
    for (const [ta, tb] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ] as const) {
      const g = new GraphBuilder();
      const a = input(g, "a", ta ? [3, 2] : [2, 3], 11);
      const b = input(g, "b", tb ? [4, 3] : [3, 4], 12);
      const loss = g.sum(g.square(g.matmul(a.out, b.out, { transposeA: ta, transposeB: tb })));
      await checkGradients(g, loss, [a, b]);
    }
  });

  test("a tensor used twice gets its gradients summed with AddN", async () => {
    const g = new GraphBuilder();
    const x = input(g, "x", [2, 2], 13);
    const loss = g.sum(g.add(g.mul(x.out, x.out), g.exp(x.out)));
    await checkGradients(g, loss, [x]);
    assert.ok(g.toGraphDef().node.some((n) => n.op === "AddN" && n.name === "gradients/AddN"));
  });
});

describe("variables and GradientDescent", () => {
  for (const resource of [false, true]) {
    test(`${resource ? "resource" : "ref"} variables: minimize steps match w - lr * grad`, async () => {
      const g = new GraphBuilder();
      const x = g.placeholder("x", F64, [-1, 2]);
      const t = g.placeholder("t", F64, [-1, 1]);
      const w = g.variable("w", tensor(Float64Array.from([0.5, -0.25]), [2, 1], F64), { resource });
      const b = g.variable("b", tensor(Float64Array.from([0.1]), [1], F64), { resource });
      const loss = g.mean(g.square(g.sub(g.add(g.matmul(x, w), b), t)), undefined, false, "loss");
      const [gw, gb] = g.gradients(loss, [w, b]);
      const train = new GradientDescent(0.1).minimize(loss);
      const init = g.globalVariablesInitializer();
      const s = await session(g.toGraphDef());
      try {
        const xs = [1, 2, -1, 0.5, 3, -2, 0, 1];
        const ts = xs.filter((_, i) => i % 2 === 0).map((a, i) => 2 * a - xs[2 * i + 1]! + 0.3);
        const feeds = {
          "x:0": tensor(Float64Array.from(xs), [4, 2], F64),
          "t:0": tensor(Float64Array.from(ts), [4, 1], F64),
        };
        await s.run({}, [], [init.name]);
        const read = resource ? ["w/Read/ReadVariableOp:0", "b/Read/ReadVariableOp:0"] : ["w:0", "b:0"];
        let [wv, bv] = (await s.run({}, read)) as [number[], number[]];
        let first = Number.NaN;
        let last = Number.NaN;
        for (let step = 0; step < 200; step++) {
          const [l, dw, db] = (await s.run(feeds, [loss.name, gw!.name, gb!.name])) as [
            [number],
            number[],
            number[],
          ];
          await s.run(feeds, [], [train.name]);
          const [nw, nb] = (await s.run({}, read)) as [number[], number[]];
          nw.forEach((v, i) => {
            assert.ok(Math.abs(v - (wv[i]! - 0.1 * dw[i]!)) < 1e-12, `w[${i}] at step ${step}`);
          });
          assert.ok(Math.abs(nb[0]! - (bv[0]! - 0.1 * db[0]!)) < 1e-12, `b at step ${step}`);
          [wv, bv] = [nw, nb];
          if (step === 0) first = l[0];
          last = l[0];
        }
        assert.ok(last < first / 100, `loss fell from ${first} to ${last}`);
        assert.ok(Math.abs(wv[0]! - 2) < 0.05 && Math.abs(wv[1]! + 1) < 0.05, `w ≈ [2, -1]: ${wv}`);
      } finally {
        await s.close();
      }
    });
  }

  test("node names and ops follow TensorFlow's (tf.compat.v1 graph of a linear model)", () => {
    const g = new GraphBuilder();
    const x = g.placeholder("x", DataType.DT_FLOAT, [-1, 2]);
    const w = g.variable("w", [[0], [0]]);
    const y = g.matmul(x, w);
    const loss = g.mean(g.square(y));
    const train = new GradientDescent(0.01).minimize(loss);
    const init = g.globalVariablesInitializer();
    const nodes = new Map(g.toGraphDef().node.map((n) => [n.name, n]));
    const expect = (name: string, op: string, inputs?: string[]) => {
      const n = nodes.get(name);
      assert.ok(n, `node ${name} in ${[...nodes.keys()].join(" ")}`);
      assert.equal(n.op, op, name);
      if (inputs) assert.deepEqual(n.input, inputs, name);
    };
    expect("w", "VariableV2", []);
    expect("w/initial_value", "Const");
    expect("w/Assign", "Assign", ["w", "w/initial_value"]);
    expect("w/read", "Identity", ["w"]);
    expect("MatMul", "MatMul", ["x", "w/read"]);
    expect("Square", "Square", ["MatMul"]);
    expect("Const", "Const");
    expect("Mean", "Mean", ["Square", "Const"]);
    // TF 2.21: the loss's shape is known (scalar), so _DefaultGradYs' shape is a Const.
    expect("gradients/Shape", "Const", []);
    expect("gradients/grad_ys_0/Const", "Const");
    expect("gradients/grad_ys_0", "Fill", ["gradients/Shape", "gradients/grad_ys_0/Const"]);
    expect("gradients/Mean_grad/Reshape", "Reshape", [
      "gradients/grad_ys_0",
      "gradients/Mean_grad/Reshape/shape",
    ]);
    expect("gradients/Mean_grad/Shape", "Shape", ["Square"]);
    expect("gradients/Mean_grad/Tile", "Tile", ["gradients/Mean_grad/Reshape", "gradients/Mean_grad/Shape"]);
    // _MeanGrad's factor: reduce_prod(gather(shape(x), (axes + rank) % rank)).
    expect("gradients/Mean_grad/Shape_1", "Shape", ["Square"]);
    expect("gradients/Mean_grad/Size", "Const", []);
    expect("gradients/Mean_grad/add", "AddV2", ["Const", "gradients/Mean_grad/Size"]);
    expect("gradients/Mean_grad/mod", "FloorMod", ["gradients/Mean_grad/add", "gradients/Mean_grad/Size"]);
    expect("gradients/Mean_grad/GatherV2", "GatherV2", [
      "gradients/Mean_grad/Shape_1",
      "gradients/Mean_grad/mod",
      "gradients/Mean_grad/GatherV2/axis",
    ]);
    expect("gradients/Mean_grad/Prod", "Prod", ["gradients/Mean_grad/GatherV2", "gradients/Mean_grad/Const"]);
    expect("gradients/Mean_grad/Cast", "Cast", ["gradients/Mean_grad/Prod"]);
    expect("gradients/Mean_grad/truediv", "RealDiv", [
      "gradients/Mean_grad/Tile",
      "gradients/Mean_grad/Cast",
    ]);
    // Made under control_dependencies([grad]): the Const waits for the gradient, and the Mul, whose
    // input was made in that block, needs no control input of its own (TF's dominance rule).
    expect("gradients/Square_grad/Const", "Const", ["^gradients/Mean_grad/truediv"]);
    expect("gradients/Square_grad/Mul", "Mul", ["MatMul", "gradients/Square_grad/Const"]);
    expect("gradients/Square_grad/Mul_1", "Mul", [
      "gradients/Mean_grad/truediv",
      "gradients/Square_grad/Mul",
    ]);
    expect("gradients/MatMul_grad/MatMul", "MatMul", ["gradients/Square_grad/Mul_1", "w/read"]);
    expect("gradients/MatMul_grad/MatMul_1", "MatMul", ["x", "gradients/Square_grad/Mul_1"]);
    expect("gradients/MatMul_grad/tuple/group_deps", "NoOp", [
      "^gradients/MatMul_grad/MatMul",
      "^gradients/MatMul_grad/MatMul_1",
    ]);
    expect("gradients/MatMul_grad/tuple/control_dependency_1", "Identity", [
      "gradients/MatMul_grad/MatMul_1",
      "^gradients/MatMul_grad/tuple/group_deps",
    ]);
    expect("GradientDescent/learning_rate", "Const");
    expect("GradientDescent/update_w/ApplyGradientDescent", "ApplyGradientDescent", [
      "w",
      "GradientDescent/learning_rate",
      "gradients/MatMul_grad/tuple/control_dependency_1",
    ]);
    expect("GradientDescent", "NoOp", ["^GradientDescent/update_w/ApplyGradientDescent"]);
    expect("init", "NoOp", ["^w/Assign"]);
    assert.equal(train.name, "GradientDescent");
    assert.equal(init.name, "init");
    const attrs = nodes.get("gradients/MatMul_grad/MatMul")!.attr;
    assert.equal(attrs.transpose_b?.value.value, true);
    assert.equal(attrs.transpose_a?.value.value, false);
  });

  test("name scopes, device scopes, control dependencies and unique names", () => {
    const g = new GraphBuilder();
    const a = g.nameScope("layer", () => g.constant(1, { name: "c" }));
    const b = g.nameScope("layer", () => g.constant(2, { name: "c" }));
    assert.equal(a.op.name, "layer/c");
    assert.equal(b.op.name, "layer_1/c");
    const d = g.device("/device:CPU:1", () => g.controlDependencies([a], () => g.add(a, b)));
    assert.deepEqual(
      d.op.def.input,
      ["layer/c", "layer_1/c"],
      "a dependency that is already an input is dropped",
    );
    const e = g.controlDependencies([d], () => g.neg(b));
    assert.deepEqual(e.op.def.input, ["layer_1/c", "^add"]);
    assert.equal(d.op.def.device, "/device:CPU:1");
    assert.equal(e.op.def.device, "");
    assert.equal(g.neg(b).op.name, "Neg_1");
    // Variables ignore the control dependencies in effect (TF's init_scope).
    const v = g.controlDependencies([e], () => g.variable("v", 1));
    assert.deepEqual(v.initializer.def.input, ["v", "v/initial_value"]);
  });

  test("an op with no gradient function fails naming the op; unrelated variables get none", () => {
    const g = new GraphBuilder();
    const x = g.placeholder("x", DataType.DT_FLOAT, [2]);
    const f = g.addOp("Floor", [x], { attrs: {}, outputs: [[DataType.DT_FLOAT, [2]]] }).outputs[0]!;
    assert.throws(
      () => g.gradients(g.sum(f), [x]),
      /No gradient defined for operation 'Floor' \(op type: Floor\)/,
    );
    const other = g.placeholder("other", DataType.DT_FLOAT, [2]);
    assert.deepEqual(g.gradients(g.sum(x), [other]), [undefined]);
    assert.ok(differentiableOps.includes("MatMul") && differentiableOps.includes("Softmax"));
    assert.throws(
      () => new GradientDescent(0.1).minimize(g.sum(x), { varList: [] }),
      /No gradients provided/,
    );
  });
});
