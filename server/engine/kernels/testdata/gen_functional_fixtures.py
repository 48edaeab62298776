#!/usr/bin/env python3
"""Writes functional-fixtures.json: TensorFlow 2.21's results for graphs with functional control flow
(If, StatelessIf, Case, StatelessCase, While, StatelessWhile, and the Optional ops the gradients of
conds inside functions use), read by ../functional-fixtures.test.ts.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_functional_fixtures.py

Each graph runs in a tf.compat.v1 session (tf_fixtures.graph_record) twice: as TF 2.x builds it
(ops marked `_lower_using_switch_merge`, which a session lowers to Switch/Merge/Enter/Exit frames),
and with that mark removed ("<name>_kernels"), so the ops' own kernels run. Raw If/While/Case
built from Defun functions cover what tf.cond does not emit: non-bool predicates (TF's truthiness),
out-of-range Case indices. (A predicate ToBool rejects, such as a half scalar, aborts TF 2.21's whole
process — IfOp reports the error with the synchronous macro — so no fixture records it; tfgate
answers INVALID_ARGUMENT "half cannot be converted to a boolean", TF's text.)

Format: {"tensorflow", "graphs": [{"name", "graph" (GraphDef, base64), "ops", "steps": [...]}]}.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow.python.framework import function  # noqa: E402
from tensorflow.python.ops import gen_functional_ops  # noqa: E402
from tf_fixtures import graph_record  # noqa: E402

v1 = tf.compat.v1
v1.disable_eager_execution()
v1.enable_control_flow_v2()
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "functional-fixtures.json")
graphs = []


def both_ways(name, build):
    """Records the graph as built, then again with `_lower_using_switch_merge` removed."""
    graphs.append(graph_record(name, build))

    def unlowered():
        g = tf.Graph()
        with g.as_default():
            steps = build()
        gd = g.as_graph_def()
        for n in list(gd.node) + [n for f in gd.library.function for n in f.node_def]:
            if "_lower_using_switch_merge" in n.attr:
                del n.attr["_lower_using_switch_merge"]
        tf.import_graph_def(gd, name="")  # no prefix, even inside graph_record's name scope
        cur = v1.get_default_graph()

        def mapped(x):
            return cur.as_graph_element(x.name)

        out = []
        for targets, fetches, *fed in steps:
            feeds = {mapped(k): v for k, v in fed[0].items()} if fed else {}
            out.append(([mapped(t) for t in targets], [mapped(f) for f in fetches], feeds))
        return out

    graphs.append(graph_record(name + "_kernels", unlowered))


def cond_graph():
    x = v1.placeholder(tf.float32, [], name="x")
    v = v1.placeholder(tf.float32, [3], name="v")
    y = tf.cond(x > 0, lambda: x * x, lambda: -x)
    (dy,) = tf.gradients(y, x)
    nested = tf.cond(x > 0, lambda: tf.cond(x > 10, lambda: x * 100, lambda: x + 1), lambda: v[0])
    pair = tf.cond(x < 0, lambda: (x, tf.reduce_sum(v)), lambda: (x * 2, tf.reduce_max(v)))
    vv = np.array([1.0, -2.0, 4.0], np.float32)
    return [([], [y, dy, nested, pair[0], pair[1]], {x: xv, v: vv}) for xv in (3.0, 12.0, -2.0)]


def assert_graph():
    x = v1.placeholder(tf.float32, [], name="x")
    check = tf.debugging.Assert(x > 0, [x], name="positive")
    with tf.control_dependencies([check]):
        guarded = tf.identity(x * 3, name="guarded")
    return [([], [guarded], {x: 2.0}), ([], [guarded], {x: -1.0})]


def while_graph():
    n = v1.placeholder(tf.int32, [], name="n")
    x = v1.placeholder(tf.float32, [], name="x")
    i, acc = tf.while_loop(lambda i, a: i < n, lambda i, a: (i + 1, a * x + 1.0), [0, 0.0])
    (capped,) = tf.while_loop(lambda i: i < 1000, lambda i: i + 2, [0], maximum_iterations=n)

    def outer(i, total):
        _, inner = tf.while_loop(lambda j, t: j < i, lambda j, t: (j + 1, t + tf.cast(j, tf.float32)), [0, 0.0])
        return i + 1, total + inner

    _, nested = tf.while_loop(lambda i, t: i < n, outer, [0, 0.0])
    _, branchy = tf.while_loop(
        lambda i, s: i < n, lambda i, s: (i + 1, tf.cond(tf.equal(i % 2, 0), lambda: s + x, lambda: s * x)), [0, 1.0]
    )
    return [([], [i, acc, capped, nested, branchy], {n: nv, x: 1.5}) for nv in (0, 1, 6)]


def switch_case_graph():
    k = v1.placeholder(tf.int32, [], name="k")
    x = v1.placeholder(tf.float32, [], name="x")
    picked = tf.switch_case(k, [lambda: x + 1, lambda: x * 10, lambda: -x])
    return [([], [picked], {k: kv, x: 2.0}) for kv in (0, 1, 2, 5, -1)]


def raw_functional_ops():
    """If with non-bool predicates, Case by raw index, While with a non-scalar cond result."""

    @function.Defun(tf.float32)
    def double(a):
        return a * 2.0

    @function.Defun(tf.float32)
    def negate(a):
        return -a

    @function.Defun(tf.int32, tf.float32)
    def below_three(i, a):
        return tf.fill([3 - tf.minimum(i, 3)], 1.0)  # non-scalar: true while it has elements

    @function.Defun(tf.int32, tf.float32)
    def step(i, a):
        return i + 1, a * 3.0

    x = v1.placeholder(tf.float32, [], name="x")
    preds = {
        "int": v1.placeholder(tf.int32, [], name="pi"),
        "float": v1.placeholder(tf.float32, [], name="pf"),
        "string": v1.placeholder(tf.string, [], name="ps"),
        "vector": v1.placeholder(tf.float32, [None], name="pv"),
        "int64": v1.placeholder(tf.int64, [], name="pl"),
    }
    outs = {
        k: gen_functional_ops._if(p, [x], [tf.float32], then_branch=double, else_branch=negate, name="if_" + k)[0]
        for k, p in preds.items()
    }
    stateless = gen_functional_ops.stateless_if(
        preds["int"], [x], [tf.float32], then_branch=double, else_branch=negate, name="stateless_if"
    )[0]
    idx = v1.placeholder(tf.int32, [], name="idx")
    case = gen_functional_ops.case(idx, [x], [tf.float32], branches=[double, negate, double], name="case")[0]
    scase = gen_functional_ops.stateless_case(idx, [x], [tf.float32], branches=[negate, double], name="scase")[0]
    loop = gen_functional_ops._while([tf.constant(0), x], cond=below_three, body=step, name="loop")
    sloop = gen_functional_ops.stateless_while([tf.constant(0), x], cond=below_three, body=step, name="sloop")
    feeds = {x: 1.5, preds["float"]: 0.0, preds["string"]: b"", preds["vector"]: [], preds["int64"]: 0}
    steps = []
    for on in (False, True):
        f = dict(feeds)
        f[preds["int"]] = 7 if on else 0
        f[preds["float"]] = -0.5 if on else 0.0
        f[preds["string"]] = b"yes" if on else b""
        f[preds["vector"]] = [0.0, 0.0] if on else []
        f[preds["int64"]] = -3 if on else 0
        steps.append(([], [outs["int"], outs["float"], outs["string"], outs["vector"], outs["int64"], stateless], f))
    for i in (0, 1, 2, 3, -5):
        steps.append(([], [case, scase], {x: 1.5, idx: i}))
    steps.append(([], [loop[0], loop[1], sloop[1]], {x: 1.5}))
    return steps


def optionals():
    """The Optional ops cond gradients inside functions use, raw, and that gradient itself."""
    x = v1.placeholder(tf.float32, [], name="x")
    some = tf.raw_ops.OptionalFromValue(components=[x, x * 2])
    none = tf.raw_ops.OptionalNone()
    has = [tf.raw_ops.OptionalHasValue(optional=some), tf.raw_ops.OptionalHasValue(optional=none)]
    got = tf.raw_ops.OptionalGetValue(optional=some, output_types=[tf.float32] * 2, output_shapes=[[], []])
    bad = tf.raw_ops.OptionalGetValue(optional=none, output_types=[tf.float32], output_shapes=[[]])

    @tf.function
    def f(a):
        return tf.cond(a > 0, lambda: a * a, lambda: tf.sin(a))

    (df,) = tf.gradients(f(x), x)
    return [
        ([], [*has, *got, df], {x: 1.5}),
        ([], [df], {x: -0.5}),
        ([], [bad[0]], {x: 1.0}),
    ]


both_ways("v2_cond", cond_graph)
both_ways("v2_assert", assert_graph)
both_ways("v2_while", while_graph)
both_ways("v2_switch_case", switch_case_graph)
graphs.append(graph_record("raw_functional_ops", raw_functional_ops))
graphs.append(graph_record("optionals", optionals))

with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "graphs": graphs}, f, indent=None, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(graphs)} graphs to {OUT}")
