"""Programs with TF 2.x control flow, as a tf.compat.v1 program builds it by default: tf.cond and
tf.while_loop (and map_fn, scan, foldl on top of it) become functional If/While ops whose loop
state and gradient accumulators are TensorLists. TF's session lowers them to v1 frames before
placement; so does tfgate."""

import numpy as np
import tensorflow as tf
from programs import cap, program, session

v1 = tf.compat.v1


@program(control_flow_v2=True)
def v2_cond(target):
    """tf.cond: both branches, nested conds, a branch that returns an input unchanged, a cond of a
    non-scalar structure, its gradient, and tf.debugging.Assert (itself a cond in TF 2.x) guarding a
    result through a control dependency."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [], name="x")
        v = v1.placeholder(tf.float32, [3], name="v")
        y = tf.cond(x > 0, lambda: x * x, lambda: -x)
        (dy,) = tf.gradients(y, x)
        nested = tf.cond(x > 0, lambda: tf.cond(x > 10, lambda: x * 100, lambda: x + 1), lambda: v[0])
        passthrough = tf.cond(x > 0, lambda: v, lambda: v * 2)
        pair = tf.cond(x < 0, lambda: (x, tf.reduce_sum(v)), lambda: (x * 2, tf.reduce_max(v)))
        (dv,) = tf.gradients(pair[1] + tf.reduce_sum(passthrough), v)
        check = tf.debugging.Assert(x > 0, [x, v], name="positive")
        with tf.control_dependencies([check]):
            guarded = tf.identity(x * 3, name="guarded")
    r = {}
    with session(target, g) as sess:
        vv = np.array([1.0, -2.0, 4.0], np.float32)
        for label, xv in (("positive", 3.0), ("big", 12.0), ("negative", -2.0)):
            r[label] = cap(lambda xv=xv: sess.run([y, dy, nested, passthrough, pair, dv], {x: xv, v: vv}))
        r["assert_holds"] = cap(lambda: sess.run(guarded, {x: 2.0, v: vv}))
        r["assert_fails"] = cap(lambda: sess.run(guarded, {x: -1.0, v: vv}))
        r["fetch_cond_op_output_by_name"] = cap(lambda: sess.run(y.name, {x: 5.0}))
    return r


@program(control_flow_v2=True)
def v2_while_loop(target):
    """tf.while_loop: a counter, maximum_iterations, shape invariants, a loop that never runs, nested
    loops, a cond inside a loop, and gradients through a loop (TensorList accumulators)."""
    g = tf.Graph()
    with g.as_default():
        n = v1.placeholder(tf.int32, [], name="n")
        x = v1.placeholder(tf.float32, [], name="x")
        i, acc = tf.while_loop(lambda i, a: i < n, lambda i, a: (i + 1, a * x + 1.0), [0, 0.0])
        capped = tf.while_loop(lambda i: i < 1000, lambda i: i + 2, [0], maximum_iterations=n)
        grow = tf.while_loop(
            lambda i, s: i < n,
            lambda i, s: (i + 1, tf.concat([s, [tf.cast(i, tf.float32)]], 0)),
            [0, tf.zeros([0])],
            shape_invariants=[tf.TensorShape([]), tf.TensorShape([None])],
        )

        def outer_body(i, total):
            j, inner = tf.while_loop(lambda j, t: j < i, lambda j, t: (j + 1, t + tf.cast(j, tf.float32)), [0, 0.0])
            return i + 1, total + inner

        _, nested = tf.while_loop(lambda i, t: i < n, outer_body, [0, 0.0])
        _, branchy = tf.while_loop(
            lambda i, s: i < n,
            lambda i, s: (i + 1, tf.cond(tf.equal(i % 2, 0), lambda: s + x, lambda: s * x)),
            [0, 1.0],
        )
        (dacc,) = tf.gradients(acc, x)
        (dbranchy,) = tf.gradients(branchy, x)
    r = {}
    with session(target, g) as sess:
        for label, nv in (("n4", 4), ("n0", 0), ("n7", 7)):
            r[label] = cap(lambda nv=nv: sess.run([i, acc, capped, grow, nested, branchy], {n: nv, x: 1.5}))
            r[label + "_grads"] = cap(lambda nv=nv: sess.run([dacc, dbranchy], {n: nv, x: 1.5}))
    return r


@program(control_flow_v2=True)
def v2_map_fn_scan_foldl(target):
    """map_fn, scan and foldl/foldr over fed tensors (TensorList-backed loops), with gradients, and
    map_fn over a structure."""
    g = tf.Graph()
    with g.as_default():
        m = v1.placeholder(tf.float32, [None, 3], name="m")
        w = v1.placeholder(tf.float32, [3], name="w")
        rows = tf.map_fn(lambda row: tf.reduce_sum(row * w), m)
        squares = tf.map_fn(lambda row: row * row, m)
        pairs = tf.map_fn(lambda t: t[0] * t[1], (m, m * 2), fn_output_signature=tf.float32)
        cums = tf.scan(lambda a, row: a + row, m)
        running = tf.scan(lambda a, row: a * 0.5 + tf.reduce_sum(row), m, initializer=tf.constant(0.0))
        total = tf.foldl(lambda a, row: a + row * w, m, initializer=tf.zeros([3]))
        back = tf.foldr(lambda a, row: a * 2 + row, m, initializer=tf.zeros([3]))
        (dw,) = tf.gradients(tf.reduce_sum(rows) + tf.reduce_sum(total), w)
        (dm,) = tf.gradients(tf.reduce_sum(cums * cums), m)
    r = {}
    with session(target, g) as sess:
        mv = np.array([[1, 2, 3], [4, 5, 6], [-1, 0.5, 2]], np.float32)
        wv = np.array([0.5, -1, 2], np.float32)
        fetches = [rows, squares, pairs, cums, running, total, back, dw, dm]
        r["three_rows"] = cap(lambda: sess.run(fetches, {m: mv, w: wv}))
        r["one_row"] = cap(lambda: sess.run(fetches, {m: mv[:1], w: wv}))
    return r


@program(control_flow_v2=True)
def v2_switch_case_and_resources(target):
    """tf.switch_case (Case), and resource variables read and assigned inside v2 conds and loops."""
    g = tf.Graph()
    with g.as_default():
        k = v1.placeholder(tf.int32, [], name="k")
        x = v1.placeholder(tf.float32, [], name="x")
        picked = tf.switch_case(k, [lambda: x + 1, lambda: x * 10, lambda: -x])
        var = tf.Variable(1.0, name="var")
        bumped = tf.cond(x > 0, lambda: var.assign_add(x), lambda: var.assign(0.0))
        _, summed = tf.while_loop(lambda i, s: i < k, lambda i, s: (i + 1, s + var.read_value()), [0, 0.0])
        init = v1.global_variables_initializer()
    r = {}
    with session(target, g) as sess:
        r["case"] = [cap(lambda kv=kv: sess.run(picked, {k: kv, x: 2.0})) for kv in (0, 1, 2, 7, -1)]
        sess.run(init)
        r["assign_in_cond"] = cap(lambda: sess.run(bumped, {x: 2.5}))
        r["reset_in_cond"] = cap(lambda: sess.run(bumped, {x: -1.0}))
        r["after"] = cap(lambda: sess.run(bumped, {x: 4.0}))
        r["read_in_loop"] = cap(lambda: sess.run(summed, {k: 3}))
    return r


@program(control_flow_v2=True)
def v2_loops_across_devices(target):
    """A v2 while_loop whose body puts nodes on the other device, a loop placed on CPU:1 fed from
    CPU:0, and a cond whose branches use both devices; with gradients."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [2], name="x")
        n = v1.placeholder(tf.int32, [], name="n")

        def body(i, s):
            with tf.device("/cpu:1"):
                t = s * x + 1.0
            return i + 1, t

        _, out = tf.while_loop(lambda i, s: i < n, body, [0, tf.ones([2])])
        with tf.device("/cpu:1"):
            _, out1 = tf.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + x), [0, tf.zeros([2])])

        def on_other():
            with tf.device("/cpu:1"):
                return tf.reduce_sum(x * x)

        c = tf.cond(n > 2, on_other, lambda: tf.reduce_sum(x))
        (dx,) = tf.gradients(tf.reduce_sum(out) + c, x)
    r = {}
    with session(target, g, allow_soft_placement=False, device_count={"CPU": 2}) as sess:
        xv = np.array([0.5, -1.0], np.float32)
        r["n3"] = cap(lambda: sess.run([out, out1, c, dx], {x: xv, n: 3}))
        r["n1"] = cap(lambda: sess.run([out, out1, c, dx], {x: xv, n: 1}))
    return r


@program(control_flow_v2=True)
def v2_errors_in_bodies(target):
    """Errors raised inside v2 branches and loop bodies keep TF's codes: a failing CheckNumerics in a
    loop, an out-of-range gather in a taken branch (an untaken one does not fail), and a loop whose
    maximum_iterations is negative."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [], name="x")
        idx = v1.placeholder(tf.int32, [], name="idx")
        table = tf.constant([1.0, 2.0, 3.0])
        _, bad = tf.while_loop(
            lambda i, s: i < 3, lambda i, s: (i + 1, tf.debugging.check_numerics(s / x, "loop value")), [0, 1.0]
        )
        picked = tf.cond(x > 0, lambda: tf.gather(table, idx), lambda: x)
        limited = tf.while_loop(lambda i: i < 5, lambda i: i + 1, [0], maximum_iterations=idx)
    r = {}
    with session(target, g) as sess:
        r["numerics_ok"] = cap(lambda: sess.run(bad, {x: 2.0}))
        r["numerics_fail"] = cap(lambda: sess.run(bad, {x: 0.0}))
        r["gather_taken"] = cap(lambda: sess.run(picked, {x: 1.0, idx: 7}))
        r["gather_untaken"] = cap(lambda: sess.run(picked, {x: -1.0, idx: 7}))
        r["negative_max_iterations"] = cap(lambda: sess.run(limited, {idx: -2}))
    return r


@program(control_flow_v2=True)
def v2_functions_calling_functions(target):
    """tf.function bodies that call other tf.functions and contain v2 conds and loops, called from a
    graph, from a cond branch and from a loop body, with gradients through the calls."""
    g = tf.Graph()
    with g.as_default():

        @tf.function
        def inner(a):
            return a * 2.0 + 1.0

        @tf.function
        def outer(a):
            looped = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, inner(s)), [0, a])[1]
            return inner(a) + tf.cond(a > 0, lambda: inner(a), lambda: a * a) + looped

        x = v1.placeholder(tf.float32, [], name="x")
        y = outer(x)
        branch = tf.cond(x > 1, lambda: outer(x), lambda: inner(x))
        _, in_loop = tf.while_loop(lambda i, s: i < 2, lambda i, s: (i + 1, outer(s) * 0.01), [0, x])
        (dy,) = tf.gradients(y + branch, x)
    r = {}
    with session(target, g) as sess:
        for label, xv in (("positive", 0.5), ("above_one", 2.0), ("negative", -1.5)):
            r[label] = cap(lambda xv=xv: sess.run([y, branch, in_loop, dy], {x: xv}))
    return r


@program(control_flow_v2=True)
def v2_dynamic_rnn_training(target):
    """tf.compat.v1.nn.dynamic_rnn over a hand-written tanh cell with v2 control flow (a While whose
    state and outputs are TensorLists), trained for a few GradientDescent steps, and a TensorArray
    written in a while_loop, stacked and differentiated."""
    g = tf.Graph()
    with g.as_default():
        v1.set_random_seed(7)
        x = v1.placeholder(tf.float32, [None, 5, 3], name="x")
        y = v1.placeholder(tf.float32, [None, 4], name="y")
        w = v1.get_variable("w", [3 + 4, 4], initializer=v1.constant_initializer(0.1))

        class TanhCell:
            """An RNN cell by duck typing (Keras 3 removed tf.compat.v1's RNNCell base class)."""

            @property
            def state_size(self):
                return 4

            @property
            def output_size(self):
                return 4

            def zero_state(self, batch_size, dtype):
                return tf.zeros([batch_size, 4], dtype)

            def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
                return self.zero_state(batch_size, dtype)

            def __call__(self, inputs, state, scope=None):
                h = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), w))
                return h, h

        outputs, last = v1.nn.dynamic_rnn(TanhCell(), x, dtype=tf.float32)
        loss = tf.reduce_mean(tf.square(last - y)) + 0.01 * tf.reduce_mean(outputs)
        train = v1.train.GradientDescentOptimizer(0.5).minimize(loss)

        n = v1.placeholder(tf.int32, [], name="n")
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        _, ta = tf.while_loop(lambda i, t: i < n, lambda i, t: (i + 1, t.write(i, tf.cast(i, tf.float32) * y[0])), [0, ta])
        stacked = ta.stack()
        (dy,) = tf.gradients(tf.reduce_sum(stacked * stacked), y)
        init = v1.global_variables_initializer()
    r = {}
    xv = np.linspace(-1, 1, 2 * 5 * 3, dtype=np.float32).reshape(2, 5, 3)
    yv = np.array([[0.1, -0.2, 0.3, 0.0], [0.5, 0.5, -0.5, 0.2]], np.float32)
    with session(target, g) as sess:
        sess.run(init)
        r["losses"] = [cap(lambda: sess.run([loss, train], {x: xv, y: yv})[0]) for _ in range(4)]
        r["outputs"] = cap(lambda: sess.run([outputs, last], {x: xv}))
        r["tensor_array"] = cap(lambda: sess.run([stacked, dy], {n: 3, y: yv}))
    return r
