"""Exports what TensorFlow 2.21 builds, in tf.compat.v1 graph mode with control flow v1, for the
graphs test/graph-builder-control-flow.test.ts builds with web-client's GraphBuilder: every node's
name, op, inputs and the attributes that decide behaviour (frames, loop constants, types), plus
Adam's per-step losses on a tiny problem; for gradients through tf.compat.v1.while_loop (TF1's
stacks: StackV2/StackPushV2/StackPopV2, the f_count/b_count loops) also TF's gradient values and
GradientDescent's per-step losses through a loop. Run once; the JSON is committed:

  .venv-tf/bin/python test/tf/export_builder_reference.py > test/tf/builder-reference.json
"""

import json

import numpy as np
import tensorflow as tf

tf.compat.v1.disable_v2_behavior()
tf.compat.v1.disable_control_flow_v2()
v1 = tf.compat.v1

KEPT_ATTRS = ("T", "N", "frame_name", "is_constant", "parallel_iterations", "keep_dims", "use_locking",
              "use_nesterov", "transpose_a", "transpose_b", "dtype", "elem_type")


def attr_json(a):
    kind = a.WhichOneof("value")
    if kind == "s":
        return a.s.decode()
    if kind in ("i", "b", "f", "type"):
        return getattr(a, kind) if kind != "i" else int(a.i)
    return None


def nodes(graph):
    out = []
    for n in graph.as_graph_def().node:
        attrs = {k: attr_json(n.attr[k]) for k in sorted(n.attr) if k in KEPT_ATTRS}
        out.append({"name": n.name, "op": n.op, "input": list(n.input), "attr": attrs})
    return out


def cond_graph():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [], name="x")
        p = v1.placeholder(tf.bool, [], name="p")
        y = v1.cond(p, lambda: x * 2.0, lambda: x + 1.0)
        v1.gradients(y, [x])
    return g


def cond_nested_grad_graph():
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.bool, [], name="p")
        x = v1.placeholder(tf.float64, [3], name="x")
        w = v1.placeholder(tf.float64, [3], name="w")
        q = tf.reduce_sum(x) > 0
        c = v1.cond(p, lambda: v1.cond(q, lambda: x * w, lambda: w), lambda: tf.nn.relu(x - w))
        v1.gradients(tf.reduce_sum(tf.square(c)), [x, w])
    return g


def while_graph():
    g = tf.Graph()
    with g.as_default():
        n = v1.placeholder(tf.int32, [], name="n")
        v1.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + i), [tf.constant(0), tf.constant(0)])
    return g


def while_max_graph():
    g = tf.Graph()
    with g.as_default():
        n = v1.placeholder(tf.int32, [], name="n")
        v1.while_loop(lambda i: i < n, lambda i: i + 1, [tf.constant(0)], maximum_iterations=5)
    return g


def nested_graph():
    g = tf.Graph()
    with g.as_default():
        n = v1.placeholder(tf.int32, [], name="n")
        k = v1.placeholder(tf.int32, [], name="k")

        def body(i, s):
            return i + 1, v1.cond(i < k, lambda: s + i, lambda: s - k)

        v1.while_loop(lambda i, s: i < n, body, [tf.constant(0), tf.constant(0)])
    return g


def activations_graph():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        y = tf.reduce_sum(tf.nn.relu(x) + tf.sigmoid(x) + tf.tanh(x))
        s = tf.reduce_sum(x, axis=1, keepdims=True)
        m = tf.reduce_mean(x, axis=[0])
        v1.gradients(y + tf.reduce_sum(s) + tf.reduce_sum(m), [x])
    return g


X = np.array([[1, 2], [-1, 0.5], [3, -2], [0, 1]], np.float32)
T = np.array([[0.3 + 2 * 1 - 2], [0.3 - 2 - 0.5], [0.3 + 6 + 2], [0.3 - 1]], np.float32)
STEPS = 30


def adam(resource):
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 2], name="x")
        t = v1.placeholder(tf.float32, [None, 1], name="t")
        w = v1.Variable([[0.5], [-0.25]], name="w", use_resource=resource)
        b = v1.Variable([0.1], name="b", use_resource=resource)
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - t), name="loss")
        train = v1.train.AdamOptimizer(0.1, beta1=0.9, beta2=0.999, epsilon=1e-8).minimize(loss)
        init = v1.global_variables_initializer()
    losses = []
    with v1.Session(graph=g) as sess:
        sess.run(init)
        for _ in range(STEPS):
            losses.append(float(sess.run(loss, {x: X, t: T})))
            sess.run(train, {x: X, t: T})
        wv, bv = sess.run([w, b])
    return {
        "nodes": nodes(g),
        "x": X.tolist(),
        "t": T.tolist(),
        "losses": losses,
        "w": wv.ravel().tolist(),
        "b": bv.ravel().tolist(),
    }


def linear_gd():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 2], name="x")
        w = v1.Variable([[0.0], [0.0]], name="w")
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w)))
        v1.train.GradientDescentOptimizer(0.01).minimize(loss)
        v1.global_variables_initializer()
    return g


WHILE_FEEDS = {"w": [0.9, -0.5], "b": [0.1, 0.2], "x0": [1.0, -2.0], "n": 3}


def grad_case(build, shape=(2,)):
    """Nodes, TF's values of [loss, *gradients] for WHILE_FEEDS, and the gradient subgraph's op types
    (`shape` (None,): shapes unknown statically, so zeros for a cond's untaken branch take their
    shape from a stack too)."""
    g = tf.Graph()
    with g.as_default():
        w = v1.placeholder(tf.float32, shape, name="w")
        b = v1.placeholder(tf.float32, shape, name="b")
        x0 = v1.placeholder(tf.float32, shape, name="x0")
        n = v1.placeholder(tf.int32, [], name="n")
        loss = build(w, b, x0, n)
        grads = v1.gradients(loss, [w, b, x0])
    feeds = {w: WHILE_FEEDS["w"], b: WHILE_FEEDS["b"], x0: WHILE_FEEDS["x0"], n: WHILE_FEEDS["n"]}
    with v1.Session(graph=g) as sess:
        values = sess.run([loss, *grads], feeds)
    gradient_ops = sorted(n.op for n in g.as_graph_def().node if n.name.startswith("gradients/"))
    return {
        "nodes": nodes(g),
        "feeds": WHILE_FEEDS,
        "values": [np.asarray(v, np.float64).ravel().tolist() for v in values],
        "gradient_ops": gradient_ops,
    }


def while_grad(w, b, x0, n):
    """x_{k+1} = x_k * w + b for k < n; w and b are captured from outside the loop."""
    _, x = v1.while_loop(lambda i, x: i < n, lambda i, x: (i + 1, x * w + b), [tf.constant(0), x0])
    return tf.reduce_sum(tf.square(x))


def while_cond_grad(w, b, x0, n):
    """A cond inside the loop body, on a predicate of the loop variable; w also used after the loop."""
    def body(i, x):
        return i + 1, v1.cond(tf.reduce_sum(x) > 0, lambda: x * w, lambda: tf.tanh(x) + b)

    _, x = v1.while_loop(lambda i, x: i < n, body, [tf.constant(0), x0])
    return tf.reduce_sum(tf.square(x * w))


def while_train(adam):
    """Training through a loop: y <- tanh(y * w + b), 3 iterations, squared error; GradientDescent
    with ref variables, or Adam with resource variables."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 2], name="x")
        t = v1.placeholder(tf.float32, [None, 2], name="t")
        # Names of their own: the tests share one master, where variables are shared by name.
        prefix = "loop_adam_" if adam else "loop_"
        w = v1.Variable([0.9, -0.6], name=prefix + "w", use_resource=adam)
        b = v1.Variable([0.05, 0.05], name=prefix + "b", use_resource=adam)
        _, y = v1.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, tf.tanh(y * w + b)), [tf.constant(0), x])
        loss = tf.reduce_mean(tf.square(y - t), name="loss")
        if adam:
            train = v1.train.AdamOptimizer(0.05).minimize(loss)
        else:
            train = v1.train.GradientDescentOptimizer(0.5).minimize(loss)
        init = v1.global_variables_initializer()
    losses = []
    with v1.Session(graph=g) as sess:
        sess.run(init)
        for _ in range(STEPS):
            losses.append(float(sess.run(loss, {x: X, t: T2})))
            sess.run(train, {x: X, t: T2})
    return {"nodes": nodes(g), "x": X.tolist(), "t": T2.tolist(), "losses": losses}


T2 = np.array([[0.5, -0.2], [0.1, 0.3], [-0.4, 0.6], [0.2, -0.1]], np.float32)

print(json.dumps({
    "tensorflow": tf.__version__,
    "graphs": {
        "cond": nodes(cond_graph()),
        "cond_nested_grad": nodes(cond_nested_grad_graph()),
        "while": nodes(while_graph()),
        "while_max": nodes(while_max_graph()),
        "nested": nodes(nested_graph()),
        "activations": nodes(activations_graph()),
        "linear_gd": nodes(linear_gd()),
    },
    "adam": {"ref": adam(False), "resource": adam(True)},
    "while_grad": {
        "plain": grad_case(while_grad),
        "cond": grad_case(while_cond_grad),
        "cond_unknown_shape": grad_case(while_cond_grad, (None,)),
    },
    "while_train": {"gd": while_train(False), "adam": while_train(True)},
}, indent=1))
