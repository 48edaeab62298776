"""The differential programs: small tf.compat.v1 programs, each run once against a real TensorFlow
server and once against tfgate through the same real TF client (tf.compat.v1.Session("grpc://…"),
i.e. TF's C++ GrpcSession), so every difference is the server's.

Each program is a function `(target: str) -> dict` that builds its own tf.Graph, opens its own
session(s) and returns a JSON-serialisable record of everything observable: fetched values (as
lists, with numpy dtype and shape), and for errors the exception class, `error_code` and message.
`run.py` runs them; `test/tf-differential.test.ts` compares the two records.

Register a program with `@program()`. `expected_to_differ_until="<Op>"` marks a program that needs an
op tfgate does not have yet: the runner still runs it and the test reports it as pending (not hidden).
"""

import math

import numpy as np
import tensorflow as tf
from tensorflow.core.protobuf import config_pb2

v1 = tf.compat.v1
# The programs exercise TF1 control flow (Switch/Merge/Enter/Exit/NextIteration), which is what
# graphs written for tf.compat.v1 sessions contain.
v1.disable_control_flow_v2()

PROGRAMS = {}
# Seconds for GrpcSession's per-call deadline (ConfigProto.operation_timeout_in_ms); a hung step
# fails the program instead of the suite.
DEFAULT_TIMEOUT_MS = 20_000


def program(expected_to_differ_until=None, control_flow_v2=False):
    """Registers a program. `control_flow_v2=True` builds its graphs with TF 2.x's defaults (functional
    If/While with TensorLists, as a tf.compat.v1 program gets unless it disables v2 behaviour)."""

    def register(fn):
        run = fn
        if control_flow_v2:

            def run(target):
                v1.enable_control_flow_v2()
                try:
                    return fn(target)
                finally:
                    v1.disable_control_flow_v2()

        PROGRAMS[fn.__name__] = {"fn": run, "expected_to_differ_until": expected_to_differ_until, "doc": (fn.__doc__ or "").strip()}
        return fn

    return register


# --------------------------------------------------------------------------------------------------
# recording helpers
# --------------------------------------------------------------------------------------------------


def _scalar(x):
    if isinstance(x, (bytes, np.bytes_)):
        return {"bytes": bytes(x).hex()}
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (np.integer, int)):
        return int(x)
    if isinstance(x, (np.floating, float)):
        f = float(x)
        if math.isnan(f):
            return "NaN"
        if math.isinf(f):
            return "Infinity" if f > 0 else "-Infinity"
        return f
    if isinstance(x, (np.complexfloating, complex)):
        return [_scalar(x.real), _scalar(x.imag)]
    return repr(x)


def _nested(x):
    if isinstance(x, list):
        return [_nested(e) for e in x]
    return _scalar(x)


class Plain:
    """Already-JSON data a program wants recorded as is."""

    def __init__(self, data):
        self.data = data


def record(value):
    """A fetched value (numpy array/scalar, None for ops, or a dict/list/tuple of those) as JSON."""
    if value is None:
        return {"none": True}
    if isinstance(value, Plain):
        return value.data
    if isinstance(value, dict):
        return {"dict": {str(k): record(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}}
    if isinstance(value, (list, tuple)):
        return {type(value).__name__: [record(v) for v in value]}
    if isinstance(value, (np.ndarray, np.generic)):
        arr = np.asarray(value)
        items = arr.tolist()
        return {"dtype": str(arr.dtype), "shape": list(arr.shape), "value": _nested(items)}
    if isinstance(value, (bytes, bool, int, float)):
        return {"python": type(value).__name__, "value": _scalar(value)}
    return {"repr": repr(value)}


def error_record(e):
    rec = {"error": type(e).__module__ + "." + type(e).__name__}
    if isinstance(e, tf.errors.OpError):
        rec["error"] = "tf.errors." + type(e).__name__
        rec["code"] = int(e.error_code)
        rec["message"] = e.message
    else:
        rec["message"] = str(e)
    return rec


def cap(fn):
    """Runs fn(); its result as a value record, or what it raised as an error record."""
    try:
        return record(fn())
    except Exception as e:  # noqa: BLE001 - every outcome is data here
        return error_record(e)


def session(target, graph, **config):
    config.setdefault("operation_timeout_in_ms", DEFAULT_TIMEOUT_MS)
    return v1.Session(target, graph=graph, config=v1.ConfigProto(**config))


# --------------------------------------------------------------------------------------------------
# feeds and fetches
# --------------------------------------------------------------------------------------------------


@program()
def placeholders_and_feeds(target):
    """Placeholders of several dtypes and shapes fed and fetched; PlaceholderWithDefault; feeding an
    intermediate tensor (any op output can be fed)."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        s = v1.placeholder(tf.float64, [], name="s")
        i = v1.placeholder(tf.int32, [2], name="i")
        y = tf.add(x * 2.0, 1.0, name="y")
        mid = tf.multiply(x, 3.0, name="mid")
        out = tf.reduce_sum(mid, axis=1, name="out")
        d = v1.placeholder_with_default(tf.constant([7, 8], tf.int32), [2], name="d")
        d2 = tf.identity(d * i, name="d2")
        c = tf.constant(5.0, name="c")
        cc = tf.multiply(c, 2.0, name="cc")
    r = {}
    with session(target, g) as sess:
        xv = np.array([[1, 2, 3], [-1.5, 0.25, 1e-3]], np.float32)
        r["y"] = cap(lambda: sess.run(y, {x: xv}))
        r["scalar_f64"] = cap(lambda: sess.run(s * 3, {s: 2.5}))
        r["empty_batch"] = cap(lambda: sess.run(y, {x: np.zeros([0, 3], np.float32)}))
        r["list_feed_converted"] = cap(lambda: sess.run(y, {x: [[1, 2, 3]]}))
        r["default_unfed"] = cap(lambda: sess.run(d2, {i: [2, 3]}))
        r["default_fed"] = cap(lambda: sess.run(d2, {i: [2, 3], d: [10, 20]}))
        r["feed_intermediate"] = cap(lambda: sess.run(out, {mid: np.ones([2, 3], np.float32)}))
        r["feed_const"] = cap(lambda: sess.run(cc, {c: 4.0}))
        r["feed_by_name"] = cap(lambda: sess.run("y:0", {"x:0": xv}))
        r["unused_feed"] = cap(lambda: sess.run(cc, {x: xv}))
    return r


@program()
def fetch_structures(target):
    """Fetching dicts, lists, tuples, nested structures, duplicates, ops (None) and names."""
    g = tf.Graph()
    with g.as_default():
        a = tf.constant([1.0, 2.0], name="a")
        b = tf.constant([[1, 2], [3, 4]], tf.int32, name="b")
        c = tf.add(a, 1.0, name="c")
        noop = tf.no_op(name="noop")
    r = {}
    with session(target, g) as sess:
        r["dict"] = cap(lambda: sess.run({"a": a, "b": b, "c": c}))
        r["list"] = cap(lambda: sess.run([a, b, c]))
        r["tuple"] = cap(lambda: sess.run((c, a)))
        r["nested"] = cap(lambda: sess.run({"x": [a, (b, c)], "y": {"z": c}}))
        r["duplicates"] = cap(lambda: sess.run([c, c, a, c]))
        r["name_and_tensor"] = cap(lambda: sess.run(["c:0", c, "c"]))
        r["op_target"] = cap(lambda: sess.run(noop))
        r["op_and_tensor"] = cap(lambda: sess.run([noop, c]))
        r["op_by_name"] = cap(lambda: sess.run("noop"))
        r["empty_list"] = cap(lambda: sess.run([]))
    return r


@program()
def dtypes_and_math(target):
    """Values of many dtypes through common kernels: casts, matmul, reductions, gathers, slices."""
    g = tf.Graph()
    with g.as_default():
        m = tf.constant([[1.5, -2.0, 3.25], [0.5, 4.0, -1.0]], tf.float32)
        out = {
            "matmul": tf.matmul(m, m, transpose_b=True),
            "softmax": tf.nn.softmax(m),
            "sigmoid_tanh": tf.stack([tf.sigmoid(m), tf.tanh(m)]),
            "reduce": tf.stack([tf.reduce_sum(m), tf.reduce_mean(m), tf.reduce_max(m), tf.reduce_min(m), tf.reduce_prod(m)]),
            "reduce_axis": tf.reduce_sum(m, axis=0, keepdims=True),
            "argmax": tf.argmax(m, axis=1),
            "f64": tf.cast(m, tf.float64) / 3.0,
            "f16": tf.cast(m, tf.float16) * tf.constant(0.1, tf.float16),
            "int8": tf.cast(tf.constant([-300, -128, 127, 300]), tf.int8),
            "uint8": tf.cast(tf.constant([1.7, 255.0, 3.2]), tf.uint8),
            "int16": tf.constant([1, -2], tf.int16) * 1000,
            "floordiv_mod": tf.stack([tf.math.floordiv([7, -7], [2, 2]), tf.math.floormod([7, -7], [2, 2])]),
            "truncdiv": v1.div(tf.constant([7, -7]), tf.constant([2, 2])),
            "float_div_zero": tf.constant([1.0, -1.0, 0.0]) / 0.0,
            "sqrt_neg_log_zero": tf.stack([tf.sqrt(-1.0), tf.math.log(0.0)]),
            "pow_square": tf.stack([tf.pow(m, 2.0), tf.square(m)]),
            "gather": tf.gather(m, [1, 0, 1]),
            "strided_slice": m[:, ::-2],
            "slice": tf.slice(m, [0, 1], [2, 2]),
            "transpose": tf.transpose(m),
            "concat": tf.concat([m, m], axis=0),
            "tile_expand": tf.tile(tf.expand_dims(m[0], 0), [2, 1]),
            "reshape": tf.reshape(m, [3, 2]),
            "shape_size_rank": tf.stack([tf.size(m), tf.rank(m)]),
            "shape": tf.shape(m),
            "range": tf.range(2, 11, 3),
            "fill": tf.fill([2, 2], 9),
            "relu_relu6": tf.stack([tf.nn.relu(m * 3), tf.nn.relu6(m * 3)]),
            "round_floor_ceil": tf.stack([tf.round(m * 1.5), tf.floor(m * 1.5), tf.math.ceil(m * 1.5)]),
            "maximum_minimum": tf.stack([tf.maximum(m, 0.5), tf.minimum(m, 0.5)]),
            "select": tf.where(m > 0, m, -m),
            "addn": tf.add_n([m, m, m]),
            "bias_add": tf.nn.bias_add(m, [1.0, 2.0, 3.0]),
            "unstack": tf.unstack(m, axis=1),
            "squeeze": tf.squeeze(tf.constant([[[1], [2]]])),
            "exp_abs_neg_sign": tf.stack([tf.exp(m), tf.abs(m), -m, tf.sign(m)]),
            "rsqrt_reciprocal": tf.stack([tf.math.rsqrt(tf.abs(m)), tf.math.reciprocal(m)]),
            "squared_difference": tf.math.squared_difference(m, 1.0),
            "zeros_ones_like": tf.stack([tf.zeros_like(m), tf.ones_like(m)]),
        }
    r = {}
    with session(target, g) as sess:
        for k, t in out.items():
            r[k] = cap(lambda t=t: sess.run(t))
    return r


@program()
def strings(target):
    """DT_STRING: constants (UTF-8, raw bytes, empty, long), string placeholders, StringJoin."""
    g = tf.Graph()
    with g.as_default():
        c = tf.constant([b"hello", "tfgate \u00e9".encode(), b"", b"\xff\x00\x01", b"x" * 300], name="c")
        p = v1.placeholder(tf.string, [None], name="p")
        j = tf.strings.join([p, tf.constant("!")], separator="-", name="j")
        scalar = tf.constant("scalar", name="scalar")
        empty = tf.constant([], tf.string, name="empty")
    r = {}
    with session(target, g) as sess:
        r["const"] = cap(lambda: sess.run(c))
        r["join"] = cap(lambda: sess.run(j, {p: [b"a", b"", "\u00fc".encode()]}))
        r["scalar"] = cap(lambda: sess.run(scalar))
        r["empty"] = cap(lambda: sess.run(empty))
        r["feed_fetched_back"] = cap(lambda: sess.run(j, {p: np.array([b"z" * 200, b"\x80"], object)}))
    return r


@program()
def int64_and_bool(target):
    """int64 beyond 2^53, int64 feeds and arithmetic; bool constants, feeds and logical ops."""
    g = tf.Graph()
    with g.as_default():
        big = tf.constant([2**62 + 1, -(2**63), 2**63 - 1, 9007199254740993], tf.int64, name="big")
        p = v1.placeholder(tf.int64, [None], name="p")
        s = tf.add(p, tf.constant(1, tf.int64), name="s")
        m = tf.multiply(p, p, name="m")
        b = v1.placeholder(tf.bool, [3], name="b")
        logic = tf.stack([tf.logical_and(b, [True, False, True]), tf.logical_or(b, [False, False, True]), tf.logical_not(b)])
        cmp = tf.stack([tf.equal(p, 3), tf.greater(p, 3), tf.less_equal(p, 3)])
        allb = tf.reduce_all(b)
        bconst = tf.constant([[True], [False]])
    r = {}
    with session(target, g) as sess:
        r["big"] = cap(lambda: sess.run(big))
        r["add_mul"] = cap(lambda: sess.run([s, m], {p: [2**40, -3, 3, 2**62]}))
        r["logic"] = cap(lambda: sess.run(logic, {b: [True, True, False]}))
        r["cmp"] = cap(lambda: sess.run(cmp, {p: [1, 3, 5]}))
        r["all"] = cap(lambda: sess.run(allb, {b: [True, True, False]}))
        r["bconst"] = cap(lambda: sess.run(bconst))
    return r


# --------------------------------------------------------------------------------------------------
# variables and training
# --------------------------------------------------------------------------------------------------


@program()
def ref_variables(target):
    """VariableV2 (ref) with initializers; assign, assign_add, assign_sub; reads; is_variable_initialized."""
    g = tf.Graph()
    with g.as_default():
        v = v1.Variable([1.0, 2.0, 3.0], name="v", use_resource=False)
        w = v1.Variable(tf.fill([2, 2], 4), name="w", use_resource=False)
        inited = v1.is_variable_initialized(v)
        assign = v1.assign(v, [10.0, 20.0, 30.0])
        add = v1.assign_add(v, [1.0, 1.0, 1.0])
        sub = v1.assign_sub(w, [[1, 2], [3, 4]])
        init = v1.global_variables_initializer()
    r = {}
    with session(target, g) as sess:
        r["inited_before"] = cap(lambda: sess.run(inited))
        r["init"] = cap(lambda: sess.run(init))
        r["inited_after"] = cap(lambda: sess.run(inited))
        r["read"] = cap(lambda: sess.run([v, w]))
        r["assign"] = cap(lambda: sess.run(assign))
        r["assign_add"] = cap(lambda: sess.run(add))
        r["assign_add_again"] = cap(lambda: sess.run(add))
        r["assign_sub"] = cap(lambda: sess.run(sub))
        r["read_after"] = cap(lambda: sess.run([v, w]))
        r["reinit"] = cap(lambda: sess.run(init))
        r["read_reinit"] = cap(lambda: sess.run(v))
    return r


@program()
def resource_variables(target):
    """Resource variables (VarHandleOp/AssignVariableOp/ReadVariableOp/AssignAddVariableOp)."""
    g = tf.Graph()
    with g.as_default():
        v = v1.Variable([1.0, 2.0], name="rv", use_resource=True)
        add = v.assign_add([0.5, 0.5])
        sub = v.assign_sub([1.0, 1.0])
        assign = v.assign([7.0, 8.0])
        read = v.read_value()
        inited = v.is_initialized()
        init = v1.global_variables_initializer()
    r = {}
    with session(target, g) as sess:
        r["inited_before"] = cap(lambda: sess.run(inited))
        r["init"] = cap(lambda: sess.run(init))
        r["read"] = cap(lambda: sess.run(read))
        r["assign_add"] = cap(lambda: sess.run(add))
        r["assign_sub"] = cap(lambda: sess.run(sub))
        r["assign"] = cap(lambda: sess.run(assign))
        r["read_after"] = cap(lambda: sess.run([read, v.value()]))
    return r


def _linear_regression(target, make_optimizer, use_resource=False, steps=5):
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 2], name="x")
        y = v1.placeholder(tf.float32, [None, 1], name="y")
        w = v1.Variable([[0.1], [-0.2]], name="w", use_resource=use_resource)
        b = v1.Variable([0.0], name="b", use_resource=use_resource)
        pred = tf.matmul(x, w) + b
        loss = tf.reduce_mean(tf.square(pred - y))
        train = make_optimizer().minimize(loss)
        init = v1.global_variables_initializer()
    xv = np.array([[1, 2], [3, 4], [-1, 0.5], [2, -1]], np.float32)
    yv = np.array([[1], [2], [0.5], [-1]], np.float32)
    r = {}
    with session(target, g) as sess:
        r["init"] = cap(lambda: sess.run(init))
        r["losses"] = [cap(lambda: sess.run([train, loss], {x: xv, y: yv})[1]) for _ in range(steps)]
        r["weights"] = cap(lambda: sess.run([w, b]))
        r["final_loss"] = cap(lambda: sess.run(loss, {x: xv, y: yv}))
    return r


@program()
def train_gradient_descent(target):
    """Five steps of GradientDescentOptimizer on a linear model with ref variables."""
    return _linear_regression(target, lambda: v1.train.GradientDescentOptimizer(0.05))


@program()
def train_gradient_descent_resource(target):
    """GradientDescentOptimizer with resource variables (ResourceApplyGradientDescent)."""
    return _linear_regression(target, lambda: v1.train.GradientDescentOptimizer(0.05), use_resource=True)


@program()
def train_momentum(target):
    """MomentumOptimizer (ApplyMomentum, slot variables)."""
    return _linear_regression(target, lambda: v1.train.MomentumOptimizer(0.05, 0.9))


@program()
def train_adam(target):
    """AdamOptimizer (ApplyAdam, beta-power non-slot variables)."""
    return _linear_regression(target, lambda: v1.train.AdamOptimizer(0.1))


@program()
def control_dependencies(target):
    """Reads ordered after assigns with control dependencies; a group of assigns as a target."""
    g = tf.Graph()
    with g.as_default():
        v = v1.Variable(1.0, name="v", use_resource=False)
        inc = v1.assign_add(v, 1.0)
        with tf.control_dependencies([inc]):
            after = tf.identity(v.read_value(), name="after")
            doubled = tf.multiply(tf.constant(2.0), 1.0, name="doubled")
        x = v1.placeholder(tf.float32, [], name="x")
        with tf.control_dependencies([x]):
            dep_on_placeholder = tf.constant(3.0, name="dep_on_placeholder")
        group = tf.group(v1.assign_add(v, 10.0), v1.assign_add(v, 100.0))
    r = {}
    with session(target, g) as sess:
        r["init"] = cap(lambda: sess.run(v.initializer))
        r["after"] = cap(lambda: sess.run(after))
        r["doubled_runs_inc"] = cap(lambda: sess.run(doubled))
        r["read"] = cap(lambda: sess.run(v))
        r["group"] = cap(lambda: sess.run(group))
        r["read_group"] = cap(lambda: sess.run(v))
        r["control_dep_on_fed_placeholder"] = cap(lambda: sess.run(dep_on_placeholder, {x: 1.0}))
        r["control_dep_on_unfed_placeholder"] = cap(lambda: sess.run(dep_on_placeholder))
    return r


@program()
def cond_v1(target):
    """tf.cond with v1 control flow (Switch/Merge), fed predicate, both branches, nested cond."""
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.bool, [], name="p")
        x = v1.placeholder(tf.float32, [2], name="x")
        out = tf.cond(p, lambda: x * 2.0, lambda: x - 1.0, name="c")
        nested = tf.cond(p, lambda: tf.cond(x[0] > 0, lambda: tf.constant(1), lambda: tf.constant(2)), lambda: tf.constant(3))
    r = {}
    with session(target, g) as sess:
        r["true"] = cap(lambda: sess.run(out, {p: True, x: [1.0, 2.0]}))
        r["false"] = cap(lambda: sess.run(out, {p: False, x: [1.0, 2.0]}))
        r["nested_tt"] = cap(lambda: sess.run(nested, {p: True, x: [1.0, 2.0]}))
        r["nested_tf"] = cap(lambda: sess.run(nested, {p: True, x: [-1.0, 2.0]}))
        r["nested_f"] = cap(lambda: sess.run(nested, {p: False, x: [1.0, 2.0]}))
    return r


@program()
def cond_v1_ref_side_effects(target):
    """tf.cond whose branches assign a ref variable (RefSwitch/RefMerge)."""
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.bool, [], name="p")
        v = v1.Variable(0, name="counter", use_resource=False)
        side = tf.cond(p, lambda: v1.assign_add(v, 1), lambda: v1.assign_add(v, 100))
    r = {}
    with session(target, g) as sess:
        r["init"] = cap(lambda: sess.run(v.initializer))
        r["side_effect_t"] = cap(lambda: sess.run(side, {p: True}))
        r["side_effect_f"] = cap(lambda: sess.run(side, {p: False}))
        r["counter"] = cap(lambda: sess.run(v))
    return r


@program()
def while_loop_v1(target):
    """tf.while_loop with v1 control flow: sum 1..n, a loop carrying a vector, nested loops."""
    g = tf.Graph()
    with g.as_default():
        n = v1.placeholder(tf.int32, [], name="n")
        _, total = tf.while_loop(lambda i, s: i <= n, lambda i, s: (i + 1, s + i), [1, 0])
        _, vec = tf.while_loop(lambda i, a: i < 4, lambda i, a: (i + 1, a * 2.0 + 1.0), [0, tf.constant([1.0, -1.0])])

        def outer(i, acc):
            _, inner = tf.while_loop(lambda j, s: j < i, lambda j, s: (j + 1, s + j), [0, 0])
            return i + 1, acc + inner

        _, nested = tf.while_loop(lambda i, acc: i < 5, outer, [0, 0])
    r = {}
    with session(target, g) as sess:
        r["sum_10"] = cap(lambda: sess.run(total, {n: 10}))
        r["sum_0"] = cap(lambda: sess.run(total, {n: 0}))
        r["sum_1000"] = cap(lambda: sess.run(total, {n: 1000}))
        r["vector"] = cap(lambda: sess.run(vec))
        r["nested"] = cap(lambda: sess.run(nested))
    return r


@program()
def random_seeded(target):
    """Seeded RandomUniform (graph seed + op seed): TF's Philox stream is deterministic."""
    g = tf.Graph()
    with g.as_default():
        v1.set_random_seed(42)
        u = v1.random_uniform([2, 3], seed=7)
        ui = v1.random_uniform([4], minval=0, maxval=100, dtype=tf.int32, seed=3)
    r = {}
    with session(target, g) as sess:
        r["uniform_first"] = cap(lambda: sess.run(u))
        r["uniform_second"] = cap(lambda: sess.run(u))
        r["uniform_int"] = cap(lambda: sess.run(ui))
    return r


# --------------------------------------------------------------------------------------------------
# sessions: extend, partial runs, callables, reset, devices
# --------------------------------------------------------------------------------------------------


@program()
def extend_between_runs(target):
    """Ops added to the graph between runs (ExtendSession), state kept across extensions."""
    g = tf.Graph()
    with g.as_default():
        a = tf.constant([1.0, 2.0], name="a")
        v = v1.Variable([0.0, 0.0], name="v", use_resource=False)
    r = {}
    with session(target, g) as sess:
        r["first"] = cap(lambda: sess.run(a))
        r["init"] = cap(lambda: sess.run(v.initializer))
        with g.as_default():
            b = tf.multiply(a, 3.0, name="b")
            inc = v1.assign_add(v, a)
        r["extended"] = cap(lambda: sess.run([b, inc]))
        with g.as_default():
            c = tf.add(b, v, name="c")
            p = v1.placeholder(tf.float32, [2], name="p")
            d = tf.add(c, p, name="d")
        r["extended_again"] = cap(lambda: sess.run([c, d], {p: [0.5, 0.5]}))
        r["old_fetch_after_extend"] = cap(lambda: sess.run(a))
        with g.as_default():
            for k in range(5):
                d = tf.add(d, float(k), name=f"chain{k}")
        r["chain"] = cap(lambda: sess.run(d, {p: [0.0, 1.0]}))
    return r


@program()
def extend_reads_old_resource_variable(target):
    """A resource variable created and initialised by the base graph, then read, updated and
    re-read by ops that later ExtendSession calls add (the handle op stays where it was placed; the
    new ops find the same variable), on one device and pinned to the other."""
    g = tf.Graph()
    with g.as_default():
        v = v1.get_variable("v", initializer=[1.0, 2.0], use_resource=True)
        w = v1.get_variable("w", initializer=[10.0], use_resource=True)
        with tf.device("/cpu:1"):
            u = v1.get_variable("u", initializer=[5.0], use_resource=True)
        init = v1.global_variables_initializer()
    r = {}
    with session(target, g) as sess:
        r["init"] = cap(lambda: sess.run(init))
        with g.as_default():
            read = v.read_value()
            inc = v.assign_add([0.5, 0.5], read_value=True)
        r["read"] = cap(lambda: sess.run(read))
        r["assign_add"] = cap(lambda: sess.run(inc))
        r["read_after"] = cap(lambda: sess.run(read))
        with g.as_default():
            raw_read = tf.raw_ops.ReadVariableOp(resource=w.handle, dtype=tf.float32, name="raw_read")
            with tf.control_dependencies([raw_read]):
                raw_add = tf.raw_ops.AssignAddVariableOp(
                    resource=w.handle, value=tf.constant([1.0]), name="raw_add"
                )
            with tf.device("/cpu:0"):
                cross = tf.add(u.read_value(), 1.0, name="cross_read")
            sub = v.assign_sub([1.0, 1.0])
        r["raw_read"] = cap(lambda: sess.run(raw_read))
        r["raw_add"] = cap(lambda: sess.run(raw_add))
        r["raw_read_after"] = cap(lambda: sess.run(raw_read))
        r["cross_device"] = cap(lambda: sess.run(cross))
        r["assign_sub"] = cap(lambda: sess.run(sub))
        with g.as_default():
            with tf.device("/cpu:1"):
                pinned = tf.raw_ops.ReadVariableOp(resource=v.handle, dtype=tf.float32, name="pinned_read")
        r["read_pinned_elsewhere"] = cap(lambda: sess.run(pinned))
        with g.as_default():
            # A functional If in the extension makes the server rebuild the whole graph (its bodies
            # are lowered into it); the variables must survive that too.
            v1.enable_control_flow_v2()
            try:
                branch = tf.cond(tf.constant(True), lambda: w.read_value() * 2.0, lambda: w.read_value())
            finally:
                v1.disable_control_flow_v2()
        r["after_rebuild"] = cap(lambda: sess.run(branch))
        r["final"] = cap(lambda: sess.run([v.read_value(), w.read_value(), u.read_value()]))
    return r


@program()
def partial_run(target):
    """partial_run_setup + partial_run: incremental feeds/fetches, and every error case."""
    g = tf.Graph()
    with g.as_default():
        a = v1.placeholder(tf.float32, [], name="a")
        b = v1.placeholder(tf.float32, [], name="b")
        c = v1.placeholder(tf.float32, [], name="c")
        r1 = tf.add(a, b, name="r1")
        r2 = tf.multiply(r1, c, name="r2")
        other = tf.constant(5.0, name="other")
    r = {}
    with session(target, g) as sess:
        h = sess.partial_run_setup([r1, r2], [a, b, c])
        r["step1"] = cap(lambda: sess.partial_run(h, r1, {a: 1.0, b: 2.0}))
        r["step2"] = cap(lambda: sess.partial_run(h, r2, {c: 3.0}))
        r["after_complete"] = cap(lambda: sess.partial_run(h, r2, {}))

        h = sess.partial_run_setup([r1, r2], [a, b, c])
        r["fetch_not_in_setup"] = cap(lambda: sess.partial_run(h, other))
        h = sess.partial_run_setup([r1, r2], [a, b, c])
        r["feed_not_in_setup"] = cap(lambda: sess.partial_run(h, r1, {a: 1.0, b: 1.0, other: 1.0}))
        h = sess.partial_run_setup([r1, r2], [a, b, c])
        r["fed_twice_step1"] = cap(lambda: sess.partial_run(h, r1, {a: 1.0, b: 1.0}))
        r["fed_twice"] = cap(lambda: sess.partial_run(h, r2, {a: 1.0, c: 1.0}))
        h = sess.partial_run_setup([r1, r2], [a, b, c])
        r["fetched_twice_step1"] = cap(lambda: sess.partial_run(h, r1, {a: 1.0, b: 1.0}))
        r["fetched_twice"] = cap(lambda: sess.partial_run(h, r1, {c: 1.0}))
        h = sess.partial_run_setup([r1, r2], [a, b, c])
        r["not_computable"] = cap(lambda: sess.partial_run(h, r2, {a: 1.0, b: 1.0}))
        h = sess.partial_run_setup([r1, r2], [a, b, c])
        r["feeds_only_then_fetch_a"] = cap(lambda: sess.partial_run(h, [], {a: 4.0, b: 5.0}))
        r["feeds_only_then_fetch_b"] = cap(lambda: sess.partial_run(h, [r1, r2], {c: 2.0}))
        r["setup_without_fetches"] = cap(lambda: sess.partial_run_setup([], [a]))
        r["unknown_handle"] = cap(lambda: sess.partial_run("12345", r1, {a: 1.0, b: 1.0}))
    return r


@program()
def make_callable(target):
    """sess.make_callable: feed lists, fetch structures, repeated calls, accept_options."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None], name="x")
        k = v1.placeholder(tf.int32, [], name="k")
        y = tf.multiply(x, 2.0, name="y")
        z = tf.add(k, 1, name="z")
        v = v1.Variable(0, name="v", use_resource=False)
        inc = v1.assign_add(v, 1)
    r = {}
    with session(target, g) as sess:
        sess.run(v.initializer)
        f = sess.make_callable([y, z], feed_list=[x, k])
        r["call1"] = cap(lambda: f([1.0, 2.0], 3))
        r["call2"] = cap(lambda: f(np.arange(4, dtype=np.float32), -1))
        single = sess.make_callable(y, feed_list=[x])
        r["single"] = cap(lambda: single([0.5]))
        op_only = sess.make_callable(inc.op)
        r["op_only"] = cap(lambda: [op_only(), op_only()])
        r["read"] = cap(lambda: sess.run(v))
        with_opts = sess.make_callable(y, feed_list=[x], accept_options=True)
        meta = v1.RunMetadata()
        r["with_options"] = cap(lambda: with_opts([3.0], options=v1.RunOptions(), run_metadata=meta))
        r["wrong_arg_count"] = cap(lambda: f([1.0]))
        r["wrong_shape_feed"] = cap(lambda: single([[1.0, 2.0]]))
        r["wrong_dtype_feed"] = cap(lambda: f(np.array([1, 2], np.int32), 3))
    return r


@program()
def callables_from_options(target):
    """sess._make_callable_from_options (MakeCallable/RunCallable/ReleaseCallable), with targets,
    tensor_connection and every error case."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [2], name="x")
        y = tf.multiply(x, 2.0, name="y")
        w = tf.add(y, 1.0, name="w")
        v = v1.Variable(0, name="v", use_resource=False)
        inc = v1.assign_add(v, 5, name="inc")
        src = tf.constant([9.0, 9.0], name="src")
        tf.no_op(name="noop")
    r = {}

    def make(feeds=(), fetches=(), targets=(), connections=(), run_timeout=0):
        opts = config_pb2.CallableOptions()
        opts.feed.extend(feeds)
        opts.fetch.extend(fetches)
        opts.target.extend(targets)
        for frm, to in connections:
            conn = opts.tensor_connection.add()
            conn.from_tensor = frm
            conn.to_tensor = to
        if run_timeout:
            opts.run_options.timeout_in_ms = run_timeout
        return sess._make_callable_from_options(opts)

    with session(target, g) as sess:
        sess.run(v.initializer)
        c = make(["x:0"], ["y:0", "w:0"])
        r["run"] = cap(lambda: c(np.array([1.0, 2.0], np.float32)))
        r["run_again"] = cap(lambda: c(np.array([-1.0, 0.5], np.float32)))
        # Fetching v:0 in the same step as the target that assigns it would race (TF orders them
        # arbitrarily), so the target's effect is read in a separate run.
        t = make([], ["src:0"], ["inc"])
        r["with_target"] = cap(lambda: [t(), t()])
        r["with_target_effect"] = cap(lambda: sess.run(v))
        conn = make([], ["w:0"], [], [("src:0", "y:0")])
        r["tensor_connection"] = cap(lambda: conn())
        r["no_fetch_no_target"] = cap(lambda: make(["x:0"], []))
        r["unknown_fetch"] = cap(lambda: make([], ["nope:0"]))
        r["unknown_feed"] = cap(lambda: make(["nope:0"], ["y:0"]))
        r["unknown_target"] = cap(lambda: make([], [], ["nope"]))
        r["fetch_index_too_large"] = cap(lambda: make([], ["y:3"]))
        r["fetch_op_without_output"] = cap(lambda: make([], ["noop:0"]))
        r["fetch_op_without_output_by_name"] = cap(lambda: make([], ["noop"]))
        r["fed_twice"] = cap(lambda: make(["x:0", "x:0"], ["y:0"]))
        r["fed_and_fetched"] = cap(lambda: make(["x:0"], ["x:0"]))
        r["connection_unknown_node"] = cap(lambda: make([], ["w:0"], [], [("nope:0", "y:0")]))
        r["connection_unknown_edge"] = cap(lambda: make([], ["w:0"], [], [("src:4", "y:0")]))
        r["connection_cycle"] = cap(lambda: make([], ["w:0"], [], [("w:0", "y:0")]))
        r["connection_to_fed"] = cap(lambda: make(["y:0"], ["w:0"], [], [("src:0", "y:0")]))
        r["wrong_shape_feed"] = cap(lambda: c(np.zeros([3], np.float32)))
        r["wrong_dtype_feed"] = cap(lambda: c(np.zeros([2], np.int32)))
        r["run_after_wrong_dtype_feed"] = cap(lambda: c(np.array([3.0, 4.0], np.float32)))
        # Reading the (unfed) placeholder.
        u = make([], ["y:0"])
        r["unfed_placeholder"] = cap(lambda: u())
        timed = make(["x:0"], ["w:0"], [], [], run_timeout=10_000)
        r["run_options_timeout"] = cap(lambda: timed(np.ones([2], np.float32)))
    return r


@program()
def session_reset(target):
    """tf.compat.v1.Session.reset(target): sessions closed, default container cleared."""
    g = tf.Graph()
    with g.as_default():
        v = v1.Variable([3.0], name="reset_v", use_resource=False)
        inc = v1.assign_add(v, [1.0])
        c = tf.constant(1.0, name="c")
    r = {}
    sess = session(target, g)
    r["init"] = cap(lambda: sess.run(v.initializer))
    r["inc"] = cap(lambda: sess.run(inc))
    other = session(target, g)
    r["shared_state_other_session"] = cap(lambda: other.run(v))
    r["reset"] = cap(lambda: v1.Session.reset(target))
    r["old_session_run"] = cap(lambda: sess.run(c))
    r["old_session_close"] = cap(lambda: sess.close())
    r["other_session_run"] = cap(lambda: other.run(c))
    fresh = session(target, g)
    r["fresh_session_uninitialized"] = cap(lambda: fresh.run(v))
    r["fresh_init"] = cap(lambda: fresh.run(v.initializer))
    r["fresh_read"] = cap(lambda: fresh.run(v))
    r["reset_named_container"] = cap(lambda: v1.Session.reset(target, containers=["experiment0"]))
    r["after_named_reset"] = cap(lambda: fresh.run(v))
    r["close_after_reset"] = cap(lambda: fresh.close())
    return r


@program()
def device_placement(target):
    """Ops pinned to two CPU devices (cross-device _Send/_Recv), colocation with a variable, soft and
    hard placement onto a device that does not exist. Needs a server with 2 CPUs (run.py --cpus)."""
    g = tf.Graph()
    with g.as_default():
        with tf.device("/device:CPU:0"):
            a = tf.constant([1.0, 2.0], name="a")
            x = v1.placeholder(tf.float32, [2], name="x")
        with tf.device("/device:CPU:1"):
            b = tf.multiply(a, x, name="b")
            v = v1.Variable([10.0, 20.0], name="v", use_resource=False)
        with tf.device("/device:CPU:0"):
            c = tf.add(b, v, name="c")
            inc = v1.assign_add(v, b, name="inc")
    g2 = tf.Graph()
    with g2.as_default():
        with tf.device("/device:CPU:7"):
            far = tf.constant(3.0, name="far")
        near = tf.multiply(far, 2.0, name="near")
    r = {}
    with session(target, g) as sess:
        r["init"] = cap(lambda: sess.run(v.initializer))
        r["cross_device"] = cap(lambda: sess.run([b, c], {x: [3.0, 4.0]}))
        r["assign_colocated"] = cap(lambda: sess.run(inc, {x: [1.0, 1.0]}))
        r["read"] = cap(lambda: sess.run(v))
    with session(target, g2) as sess:
        r["missing_device_hard"] = cap(lambda: sess.run(near))
    with session(target, g2, allow_soft_placement=True) as sess:
        r["missing_device_soft"] = cap(lambda: sess.run(near))
    return r


@program()
def run_metadata(target):
    """RunOptions FULL_TRACE and output_partition_graphs: which devices report step stats, how many
    partition graphs ran and which ops they hold (timings vary, so only structure is recorded)."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [2], name="x")
        with tf.device("/device:CPU:1"):
            y = tf.multiply(x, 2.0, name="y")
        z = tf.add(y, 1.0, name="z")
    r = {}

    def traced(trace_level, partitions):
        meta = v1.RunMetadata()
        opts = v1.RunOptions(trace_level=trace_level, output_partition_graphs=partitions)
        value = sess.run(z, {x: [1.0, 2.0]}, options=opts, run_metadata=meta)
        return Plain({
            "value": record(value),
            "step_stats_devices": sorted(d.device for d in meta.step_stats.dev_stats),
            "traced_nodes": {
                d.device: sorted(f"{n.node_name} | {n.timeline_label}" for n in d.node_stats) for d in meta.step_stats.dev_stats
            },
            "partition_graphs": sorted(sorted(f"{n.name} = {n.op}({', '.join(n.input)}) @ {n.device}" for n in pg.node) for pg in meta.partition_graphs),
        })

    with session(target, g) as sess:
        r["no_trace"] = cap(lambda: traced(v1.RunOptions.NO_TRACE, False))
        r["full_trace"] = cap(lambda: traced(v1.RunOptions.FULL_TRACE, False))
        r["partition_graphs"] = cap(lambda: traced(v1.RunOptions.NO_TRACE, True))
    return r


@program()
def list_devices(target):
    """sess.list_devices(): names, types and memory limits (incarnations are random: only != 0)."""
    g = tf.Graph()
    with session(target, g) as sess:
        devices = sess.list_devices()
        return {
            "devices": [
                {
                    "name": d.name,
                    "device_type": d.device_type,
                    "memory_limit_bytes": d.memory_limit_bytes,
                    "incarnation_nonzero": d.incarnation != 0,
                }
                for d in devices
            ]
        }


# --------------------------------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------------------------------


@program()
def errors_feeds_and_fetches(target):
    """Unfed placeholders, feed shapes (client-side vs server), unknown fetches, bad feeds."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [2], name="x")
        xs = v1.placeholder(tf.float32, None, name="xs")
        sc = v1.placeholder(tf.int32, [], name="sc")
        y = tf.multiply(x, 2.0, name="y")
        ys = tf.multiply(xs, 2.0, name="ys")
        z = tf.add(sc, 1, name="z")
        p2 = v1.placeholder(tf.float32, [None, 2], name="p2")
        q = tf.reduce_sum(p2, name="q")
    r = {}
    with session(target, g) as sess:
        r["unfed_placeholder_shaped"] = cap(lambda: sess.run(y))
        r["unfed_placeholder_unknown_shape"] = cap(lambda: sess.run(ys))
        r["unfed_placeholder_scalar"] = cap(lambda: sess.run(z))
        r["unfed_placeholder_partial_shape"] = cap(lambda: sess.run(q))
        r["feed_wrong_shape_client"] = cap(lambda: sess.run(y, {x: [1.0, 2.0, 3.0]}))
        r["feed_wrong_rank_client"] = cap(lambda: sess.run(q, {p2: [1.0, 2.0]}))
        r["feed_unconvertible_client"] = cap(lambda: sess.run(y, {x: ["a", "b"]}))
        r["unknown_fetch_name"] = cap(lambda: sess.run("nope:0"))
        r["unknown_feed_name"] = cap(lambda: sess.run(y, {"nope:0": 1.0}))
        r["fetch_none"] = cap(lambda: sess.run(None))
        r["fed_and_fetched_returns_feed"] = cap(lambda: sess.run(x, {x: [5.0, 6.0]}))
        r["fetch_index_too_large"] = cap(lambda: sess.run("y:1"))
        r["ok_after_errors"] = cap(lambda: sess.run(ys, {xs: [[1.0], [2.0]]}))
    return r


@program()
def errors_kernels(target):
    """Kernel errors: incompatible shapes, reshape mismatch, integer division by zero, matmul shapes,
    gather out of range, failing Assert, uninitialized variables."""
    g = tf.Graph()
    with g.as_default():
        a = v1.placeholder(tf.float32, None, name="a")
        b = v1.placeholder(tf.float32, None, name="b")
        added = tf.add(a, b, name="added")
        mm = tf.matmul(a, b, name="mm")
        rs = tf.reshape(a, [4], name="rs")
        i = v1.placeholder(tf.int32, None, name="i")
        j = v1.placeholder(tf.int32, None, name="j")
        fdiv = tf.math.floordiv(i, j, name="fdiv")
        tdiv = v1.div(i, j, name="tdiv")
        fmod = tf.math.floormod(i, j, name="fmod")
        gat = tf.gather(a, i, name="gat")
        asrt = tf.debugging.Assert(tf.reduce_all(a > 0), [a, "must be positive"], name="asrt")
        with tf.control_dependencies([asrt]):
            guarded = tf.identity(a, name="guarded")
        rv = v1.Variable([1.0], name="ref_uninit", use_resource=False)
        resv = v1.Variable([1.0], name="res_uninit", use_resource=True)
        rv_plus = tf.add(rv, 1.0, name="rv_plus")
    r = {}
    with session(target, g) as sess:
        r["incompatible_shapes"] = cap(lambda: sess.run(added, {a: [1.0, 2.0], b: [1.0, 2.0, 3.0]}))
        r["broadcast_ok"] = cap(lambda: sess.run(added, {a: [[1.0], [2.0]], b: [1.0, 2.0, 3.0]}))
        r["matmul_shapes"] = cap(lambda: sess.run(mm, {a: [[1.0, 2.0]], b: [[1.0, 2.0]]}))
        r["matmul_rank"] = cap(lambda: sess.run(mm, {a: [1.0, 2.0], b: [[1.0, 2.0]]}))
        r["reshape_mismatch"] = cap(lambda: sess.run(rs, {a: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]}))
        r["floordiv_by_zero"] = cap(lambda: sess.run(fdiv, {i: [4, 5], j: [2, 0]}))
        r["truncdiv_by_zero"] = cap(lambda: sess.run(tdiv, {i: [4, 5], j: [0, 1]}))
        r["floormod_by_zero"] = cap(lambda: sess.run(fmod, {i: [4, 5], j: [0, 1]}))
        r["gather_out_of_range"] = cap(lambda: sess.run(gat, {a: [1.0, 2.0], i: [0, 5]}))
        r["assert_passes"] = cap(lambda: sess.run(guarded, {a: [1.0, 2.0]}))
        r["assert_fails"] = cap(lambda: sess.run(guarded, {a: [1.0, -2.0]}))
        r["uninitialized_ref"] = cap(lambda: sess.run(rv))
        r["uninitialized_ref_consumer"] = cap(lambda: sess.run(rv_plus))
        r["uninitialized_resource"] = cap(lambda: sess.run(resv.value()))
        r["session_usable_after"] = cap(lambda: sess.run(added, {a: 1.0, b: 2.0}))
    return r


@program()
def timeouts(target):
    """RunOptions.timeout_in_ms with a slow step (a long v1 while loop) → DeadlineExceededError;
    the session stays usable afterwards."""
    g = tf.Graph()
    with g.as_default():
        n = v1.placeholder(tf.int64, [], name="n")
        _, total = tf.while_loop(lambda k, s: k < n, lambda k, s: (k + 1, s + k), [tf.constant(0, tf.int64), tf.constant(0, tf.int64)], parallel_iterations=1)
        quick = tf.constant(1, name="quick")
    r = {}
    with session(target, g) as sess:
        r["fast_with_timeout"] = cap(lambda: sess.run(total, {n: 100}, options=v1.RunOptions(timeout_in_ms=10_000)))
        r["slow_step_timeout"] = cap(lambda: sess.run(total, {n: 10**9}, options=v1.RunOptions(timeout_in_ms=300)))
        r["usable_after"] = cap(lambda: sess.run(quick))
    with session(target, g, operation_timeout_in_ms=300) as sess:
        r["session_operation_timeout"] = cap(lambda: sess.run(total, {n: 10**9}))
        r["session_operation_timeout_usable_after"] = cap(lambda: sess.run(quick))
    return r


# The other program modules (programs_<topic>.py beside this file) register here, before the last
# program below, which must stay last.
def _import_program_modules():
    import glob
    import importlib
    import os.path

    here = os.path.dirname(os.path.abspath(__file__))
    for path in sorted(glob.glob(os.path.join(here, "programs_*.py"))):
        importlib.import_module(os.path.splitext(os.path.basename(path))[0])


_import_program_modules()


@program()
def callable_feed_count_mismatch(target):
    """RunCallable with fewer / more feed values than the callable has feeds. TF's master does not
    check the count: the step waits for a feed that never comes until the deadline (so this runs in
    a session with a 1.5 s operation timeout), and it leaves the TF server with steps that never
    finish, so that a later Session.reset hangs: this program must stay LAST."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [2], name="x")
        y = tf.multiply(x, 2.0, name="y")
    r = {}
    sess = session(target, g, operation_timeout_in_ms=1500)
    opts = config_pb2.CallableOptions()
    opts.feed.append(x.name)
    opts.fetch.append(y.name)
    c = sess._make_callable_from_options(opts)
    r["too_few_feeds"] = cap(lambda: c())
    r["too_many_feeds"] = cap(lambda: c(np.ones([2], np.float32), np.ones([2], np.float32)))
    r["right_count_after"] = cap(lambda: c(np.ones([2], np.float32)))
    del c
    r["close"] = cap(sess.close)
    return r
