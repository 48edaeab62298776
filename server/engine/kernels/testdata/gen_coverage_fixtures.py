#!/usr/bin/env python3
"""Writes coverage-fixtures.json: TensorFlow 2.21's own results for the ops no other fixture covered
(test/op-coverage.test.ts lists the gaps), read by ../coverage-fixtures.test.ts.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_coverage_fixtures.py

Two kinds of case:

  "kernels": one tf.raw_ops call each (eager, CPU), looped over the dtypes the op registers:
      {"op", "attrs": {name: [kind, value]}, "inputs": [tensor], "outputs": [tensor] | "error":
       {"code", "message"}}
  A tensor is {"dtype": DataType enum, "shape", "values"}: floats as numbers (half and bfloat16 as the
  exact value of the 16-bit float) or "nan"/"inf"/"-inf", int64 as strings, bools as 0/1, strings as
  UTF-8 text. An op TF has no CPU kernel for at a dtype is left out.

  "graphs": ops that only make sense inside a tf.compat.v1 graph (ref and resource variables, TF1
  control flow on refs, functions): the GraphDef (base64) and steps run in order in one
  tf.compat.v1.Session, each with TF's fetched values or its error:
      {"name", "graph", "ops", "steps": [{"targets", "fetches", "feeds"?, "outputs" | "error"}]}
"""

import base64
import json
import math
import os
import re

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tf_fixtures import attr_of, clean, enc, enc_value, graph_record  # noqa: E402,F401
from tensorflow.python.ops import control_flow_ops, gen_resource_variable_ops, state_ops  # noqa: E402

R = tf.raw_ops
v1 = tf.compat.v1
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "coverage-fixtures.json")

f16, bf16, f32, f64 = tf.float16, tf.bfloat16, tf.float32, tf.float64
i32, i64, s, b = tf.int32, tf.int64, tf.string, tf.bool
FLOATS = [f32, f64, f16, bf16]
NUMBERS = [f32, f64, i32, i64, f16, bf16]


kernel_cases = []
# Attrs whose tf.raw_ops keyword differs from the attr name in the GraphDef.
PY_NAMES = {"squeeze_dims": "axis"}


def case(op, inputs, attrs=None, inferred=None):
    """Runs tf.raw_ops.<op>(**inputs, **attrs). `inputs` maps an input name to a tensor or a list of
    tensors (a list input); `inferred` are the attrs TF infers from the inputs, which a GraphDef
    node carries explicitly."""
    attrs = attrs or {}
    try:
        out = getattr(R, op)(**inputs, **{PY_NAMES.get(k, k): v for k, v in attrs.items()})
    except tf.errors.NotFoundError:
        return  # TF has no CPU kernel for this dtype
    except tf.errors.OpError as e:
        out = e
    c = {"op": op, "attrs": {k: attr_of(v) for k, v in {**(inferred or {}), **attrs}.items()}}
    c["inputs"] = [enc(x) for t in inputs.values() for x in (t if isinstance(t, list) else [t])]
    if isinstance(out, tf.errors.OpError):
        c["error"] = {"code": out.error_code, "message": clean(out.message)}
    elif out is None:
        c["outputs"] = []
    elif isinstance(out, (list, tuple)):
        c["outputs"] = [enc(o) for o in out]
    else:
        c["outputs"] = [enc(out)]
    kernel_cases.append(c)


def grid(dtype, shape, lo=-2.0, hi=2.0, seed=0):
    """Multiples of 1/8 in [lo, hi): exact in every float dtype, so all dtypes see the same input."""
    rng = np.random.RandomState(seed)
    vals = rng.randint(int(lo * 8), int(hi * 8), size=shape) / 8.0
    return tf.cast(tf.constant(vals, f64), dtype)


def nonzero(dtype, shape, seed=0):
    rng = np.random.RandomState(seed)
    vals = rng.randint(1, 24, size=shape) / 8.0 * np.where(rng.rand(*shape) < 0.3, -1, 1)
    return tf.cast(tf.constant(vals, f64), dtype)


def positive(dtype, shape, seed=0):
    rng = np.random.RandomState(seed)
    return tf.cast(tf.constant(rng.randint(1, 40, size=shape) / 8.0, f64), dtype)


# --- math ------------------------------------------------------------------------------------------

for dt in NUMBERS:
    case("AddN", {"inputs": [grid(dt, [2, 3], seed=k) for k in range(3)]}, inferred={"T": dt, "N": 3})
case("AddN", {"inputs": [grid(f32, [2, 3]), grid(f32, [3, 2])]}, inferred={"T": f32, "N": 2})

for dt in FLOATS:
    case("Inv", {"x": nonzero(dt, [2, 3])}, inferred={"T": dt})
    case("InvGrad", {"y": nonzero(dt, [5]), "dy": grid(dt, [5], seed=1)}, inferred={"T": dt})
    case("ReciprocalGrad", {"y": nonzero(dt, [5]), "dy": grid(dt, [5], seed=1)}, inferred={"T": dt})
    case("RsqrtGrad", {"y": positive(dt, [5]), "dy": grid(dt, [5], seed=1)}, inferred={"T": dt})
    case("SqrtGrad", {"y": positive(dt, [5]), "dy": grid(dt, [5], seed=1)}, inferred={"T": dt})
for dt in [i32, i64]:
    case("Inv", {"x": tf.constant([1, -1, 2, 5], dt)}, inferred={"T": dt})

for dt in [f32, f64, i32, i64, f16, bf16]:
    for adj_x, adj_y in [(False, False), (True, False), (False, True), (True, True)]:
        x = grid(dt, [2, 3, 2] if adj_x else [2, 2, 3], seed=2)
        y = grid(dt, [2, 4, 3] if adj_y else [2, 3, 4], seed=3)
        case("BatchMatMul", {"x": x, "y": y}, {"adj_x": adj_x, "adj_y": adj_y}, {"T": dt})
    case("BatchMatMulV2", {"x": grid(dt, [2, 1, 2, 3], seed=4), "y": grid(dt, [3, 3, 4], seed=5)}, {}, {"T": dt})
    case("BatchMatMulV2", {"x": grid(dt, [3, 2], seed=4), "y": grid(dt, [2, 3, 2], seed=5)}, {"adj_x": True}, {"T": dt})
case("BatchMatMul", {"x": grid(f32, [2, 2, 3]), "y": grid(f32, [3, 3, 4])}, {}, {"T": f32})
case("BatchMatMulV2", {"x": grid(f32, [2, 2, 3]), "y": grid(f32, [3, 3, 4])}, {}, {"T": f32})
case("BatchMatMulV2", {"x": grid(f32, [2, 2, 3]), "y": grid(f32, [2, 2, 4])}, {}, {"T": f32})

for dt in NUMBERS:
    x = grid(dt, [2, 2, 3], seed=6)
    case("UnsortedSegmentSum", {"data": x, "segment_ids": tf.constant([2, 0]), "num_segments": tf.constant(4)},
         inferred={"T": dt, "Tindices": i32, "Tnumsegments": i32})
    case("UnsortedSegmentSum",
         {"data": x, "segment_ids": tf.constant([[1, -1], [0, 1]], i64), "num_segments": tf.constant(3, i64)},
         inferred={"T": dt, "Tindices": i64, "Tnumsegments": i64})
case("UnsortedSegmentSum", {"data": grid(f32, [3]), "segment_ids": tf.constant([0, 5, 1]), "num_segments": tf.constant(3)},
     inferred={"T": f32, "Tindices": i32, "Tnumsegments": i32})
case("UnsortedSegmentSum", {"data": grid(f32, [3]), "segment_ids": tf.constant([0, 1]), "num_segments": tf.constant(3)},
     inferred={"T": f32, "Tindices": i32, "Tnumsegments": i32})

for dt in [i32, i64, f32, f64]:
    for start, limit, delta in [(0, 5, 1), (3, -4, -2), (1, 10, 3), (2, 2, 1)]:
        case("Range", {"start": tf.constant(start, dt), "limit": tf.constant(limit, dt), "delta": tf.constant(delta, dt)},
             inferred={"Tidx": dt})
case("Range", {"start": tf.constant(0.5), "limit": tf.constant(2.0), "delta": tf.constant(0.25)}, inferred={"Tidx": f32})
case("Range", {"start": tf.constant(0), "limit": tf.constant(5), "delta": tf.constant(0)}, inferred={"Tidx": i32})
case("Range", {"start": tf.constant(0), "limit": tf.constant(5), "delta": tf.constant(-1)}, inferred={"Tidx": i32})

# --- logical and select ----------------------------------------------------------------------------

bx = tf.constant([[True, False, True], [False, False, True]])
by = tf.constant([True, False, False])
case("LogicalAnd", {"x": bx, "y": by})
case("LogicalOr", {"x": bx, "y": by})
case("LogicalAnd", {"x": bx, "y": tf.constant(True)})
case("LogicalNot", {"x": bx})
for op in ["All", "Any"]:
    for axis, keep in [([1], False), ([0], True), ([], False), ([0, 1], False), ([-1], True)]:
        case(op, {"input": bx, "axis": tf.constant(axis, i32)}, {"keep_dims": keep}, {"Tidx": i32})
    case(op, {"input": bx, "axis": tf.constant(1, i64)}, {}, {"Tidx": i64})
    case(op, {"input": bx, "axis": tf.constant([2])}, {}, {"Tidx": i32})

for dt in NUMBERS + [s, b]:
    t = tf.strings.as_string(tf.range(6)) if dt == s else tf.cast(tf.range(6), dt)
    e = tf.strings.as_string(-tf.range(6)) if dt == s else tf.cast(-tf.range(6), dt) if dt != b else tf.zeros([6], b)
    t, e = tf.reshape(t, [2, 3]), tf.reshape(e, [2, 3])
    case("Select", {"condition": bx, "x": t, "y": e}, inferred={"T": dt})
    case("Select", {"condition": tf.constant([False, True]), "x": t, "y": e}, inferred={"T": dt})
    case("SelectV2", {"condition": by, "t": t, "e": e}, inferred={"T": dt})
case("SelectV2", {"condition": tf.constant([[True], [False]]), "t": tf.constant([1.0, 2.0, 3.0]), "e": tf.constant(-1.0)},
     inferred={"T": f32})
case("Select", {"condition": tf.constant([True, False, True]), "x": grid(f32, [2, 3]), "y": grid(f32, [2, 3])},
     inferred={"T": f32})
case("SelectV2", {"condition": tf.constant([True, False]), "t": grid(f32, [2, 3]), "e": grid(f32, [2, 3])},
     inferred={"T": f32})

# --- array -----------------------------------------------------------------------------------------

for dt in [f32, i32, i64, s, b, f16]:
    parts = [tf.strings.as_string(tf.reshape(tf.range(k, k + 4), [2, 2])) if dt == s
             else tf.cast(tf.reshape(tf.range(k, k + 4), [2, 2]) % 2, b) if dt == b
             else tf.cast(tf.reshape(tf.range(k, k + 4), [2, 2]), dt) for k in (0, 10, 20)]
    case("Concat", {"concat_dim": tf.constant(1), "values": parts}, inferred={"T": dt, "N": 3})
    case("Concat", {"concat_dim": tf.constant(-2), "values": parts[:2]}, inferred={"T": dt, "N": 2})
case("Concat", {"concat_dim": tf.constant(2), "values": [grid(f32, [2, 2]), grid(f32, [2, 2])]}, inferred={"T": f32, "N": 2})
case("Concat", {"concat_dim": tf.constant(0), "values": [grid(f32, [2, 2]), grid(f32, [2, 3])]}, inferred={"T": f32, "N": 2})

for op in ["DynamicStitch", "ParallelDynamicStitch"]:
    for dt in [f32, i32, i64, s, f16]:
        d0 = tf.strings.as_string(tf.constant([[1, 2], [3, 4]])) if dt == s else tf.cast([[1, 2], [3, 4]], dt)
        d1 = tf.strings.as_string(tf.constant([[5, 6], [7, 8], [9, 10]])) if dt == s else tf.cast([[5, 6], [7, 8], [9, 10]], dt)
        case(op, {"indices": [tf.constant([0, 4]), tf.constant([1, 2, 4])], "data": [d0, d1]}, inferred={"T": dt, "N": 2})
    case(op, {"indices": [tf.constant([[0], [2]]), tf.constant([1])], "data": [grid(f32, [2, 1, 3]), grid(f32, [1, 3])]},
         inferred={"T": f32, "N": 2})
    case(op, {"indices": [tf.constant([0, 1])], "data": [grid(f32, [3])]}, inferred={"T": f32, "N": 1})
    case(op, {"indices": [tf.constant([0, -1])], "data": [grid(f32, [2])]}, inferred={"T": f32, "N": 1})

for dt in [f32, i32, i64, s, b, f16]:
    x = tf.strings.as_string(tf.reshape(tf.range(6), [2, 3])) if dt == s else tf.cast(tf.reshape(tf.range(6), [2, 3]), dt)
    for axis in [0, 1, -1]:
        case("Unpack", {"value": x}, {"num": int(x.shape[axis]), "axis": axis}, {"T": dt})
case("Unpack", {"value": grid(f32, [2, 3])}, {"num": 2, "axis": 2}, {"T": f32})
case("Unpack", {"value": grid(f32, [2, 3])}, {"num": 3, "axis": 0}, {"T": f32})

for dt in [f32, i32, s, b, f16]:
    x = tf.strings.as_string(tf.zeros([1, 2, 1, 3], i32)) if dt == s else tf.cast(tf.reshape(tf.range(6), [1, 2, 1, 3]), dt)
    case("Squeeze", {"input": x}, {}, {"T": dt})
    case("Squeeze", {"input": x}, {"squeeze_dims": [2]}, {"T": dt})
    case("Squeeze", {"input": x}, {"squeeze_dims": [-4, 2]}, {"T": dt})
case("Squeeze", {"input": grid(f32, [1, 2])}, {"squeeze_dims": [1]}, {"T": f32})
case("Squeeze", {"input": grid(f32, [1, 2])}, {"squeeze_dims": [2]}, {"T": f32})

for dt in NUMBERS + [s, b]:
    x = tf.strings.as_string(tf.reshape(tf.range(6), [3, 2])) if dt == s else tf.cast(tf.reshape(tf.range(6), [3, 2]), dt)
    for out in [i32, i64]:
        case("Size", {"input": x}, {"out_type": out}, {"T": dt})
    case("Rank", {"input": x}, {}, {"T": dt})
    case("Snapshot", {"input": x}, {}, {"T": dt})
    case("StopGradient", {"input": x}, {}, {"T": dt})
    case("PreventGradient", {"input": x}, {"message": "no grad"}, {"T": dt})
    case("PlaceholderWithDefault", {"input": x}, {"shape": tf.TensorShape([3, 2])}, {"dtype": dt})
    if dt not in (s, f16, bf16):
        case("OnesLike", {"x": x}, {}, {"T": dt})
for dt in [f16, bf16, b]:
    case("OnesLike", {"x": tf.zeros([2, 2], dt)}, {}, {"T": dt})
case("Size", {"input": tf.zeros([0, 3])}, {}, {"T": f32})
case("Rank", {"input": tf.constant(1.0)}, {}, {"T": f32})
case("PlaceholderWithDefault", {"input": grid(f32, [3, 2])}, {"shape": tf.TensorShape([None, 2])}, {"dtype": f32})

# --- strings and logging ---------------------------------------------------------------------------

words = tf.constant([["aaa bab", "xyz"], ["", "banana"]])
case("StaticRegexReplace", {"input": words}, {"pattern": "a", "rewrite": "<\\0>", "replace_global": True})
case("StaticRegexReplace", {"input": words}, {"pattern": "a(n?)", "rewrite": "[\\1]", "replace_global": False})
case("StaticRegexReplace", {"input": tf.constant("x1y22z")}, {"pattern": "[0-9]+", "rewrite": "#"})

case("StringJoin", {"inputs": [tf.constant(["a", "b"]), tf.constant("-"), tf.constant(["x", "yz"])]}, {"separator": "/"},
     {"N": 3})
case("StringJoin", {"inputs": [tf.constant(["a", "b"]), tf.constant(["x", "y", "z"])]}, {}, {"N": 2})
case("ShardedFilename", {"basename": tf.constant("model.ckpt"), "shard": tf.constant(3), "num_shards": tf.constant(12)})
for basename, shard, num_shards in [(["a", "b"], [0, 1], 2), (["a"], 0, 2), ("a", [0, 1], 2), ("a", 1, [[2]])]:
    case("ShardedFilename", {"basename": tf.constant(basename), "shard": tf.constant(shard),
                             "num_shards": tf.constant(num_shards)})
case("Assert", {"condition": tf.constant(True), "data": [tf.constant([1, 2])]}, {}, {"T": [i32]})
case("Assert", {"condition": tf.constant(False), "data": [tf.constant("x is"), tf.constant([1.5, 2.0, 3.25])]},
     {"summarize": 2}, {"T": [s, f32]})
case("Assert", {"condition": tf.constant(False), "data": [tf.constant([[1, 2], [3, 4]], i64), tf.constant([True])]},
     {}, {"T": [i64, b]})
for dt in [f32, i32, s]:
    x = tf.strings.as_string(tf.range(3)) if dt == s else tf.cast(tf.range(3), dt)
    case("Print", {"input": x, "data": [tf.constant([7, 8])]}, {"message": "x: ", "summarize": 2}, {"T": dt, "U": [i32]})
case("PrintV2", {"input": tf.constant("logged")}, {})

# --- graphs ----------------------------------------------------------------------------------------

graph_cases = []


def graph_case(name, build):
    graph_cases.append(graph_record(name, build))


def ref_variables():
    v = v1.Variable([1.0, 2.0, 3.0], name="v", use_resource=False)
    w = v1.Variable(np.int64(10), name="w", use_resource=False)
    inited = v1.is_variable_initialized(v)
    sub = state_ops.assign_sub(v, [0.5, 0.25, -1.0])
    sub_int = state_ops.assign_sub(w, np.int64(3))
    init = v1.global_variables_initializer()
    return [([], [inited]), ([init], []), ([], [inited]), ([], [sub]), ([], [sub]), ([], [sub_int])]


def resource_variables():
    v = v1.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], name="v", use_resource=True)
    n = v1.Variable(np.int32(7), name="n", use_resource=True)
    add = v.assign_add([[1.0, 1.0, 1.0], [0.5, 0.5, 0.5]], read_value=False)
    sub = n.assign_sub(2, read_value=False)
    shape32 = gen_resource_variable_ops.variable_shape(v.handle)
    shape64 = gen_resource_variable_ops.variable_shape(v.handle, out_type=tf.int64)
    inited = gen_resource_variable_ops.var_is_initialized_op(v.handle)
    destroy = gen_resource_variable_ops.destroy_resource_op(n.handle, ignore_lookup_error=False)
    init = v1.global_variables_initializer()
    return [([init], []), ([], [shape32, shape64]), ([add], []), ([], [v.read_value()]), ([sub], []), ([sub], []),
            ([], [n.read_value()]), ([destroy], []), ([], [inited]), ([], [n.read_value()])]


def ref_control_flow():
    """TF1 control flow over ref tensors: cond captures a ref variable (RefSwitch); a while loop whose
    loop variable is a ref (RefEnter, RefMerge, RefSwitch, RefNextIteration, RefExit)."""
    v1.disable_control_flow_v2()
    v = v1.Variable([1.0, 2.0], name="v", use_resource=False)
    c = v1.Variable(0.0, name="c", use_resource=False)
    pred = v1.placeholder_with_default(True, [], name="pred")
    picked = v1.cond(pred, lambda: state_ops.assign_add(v, [10.0, 10.0]) * 1.0, lambda: tf.identity(v) * -1.0)
    loop = v1.while_loop(lambda r: r < 5.0, lambda r: state_ops.assign_add(r, 2.0), [c._ref()], back_prop=False)
    merged = control_flow_ops.ref_merge([v._ref(), v._ref()])
    init = v1.global_variables_initializer()
    v1.enable_control_flow_v2()
    return [([init], []), ([], [picked]), ([], [picked]), ([], [loop]), ([], [c.value()]), ([], [merged[0], merged[1]])]


def stateful_function():
    """A tf.function called from a v1 graph that updates a resource variable (StatefulPartitionedCall)."""
    v = v1.Variable(1.5, name="v", use_resource=True)

    @tf.function
    def bump(x):
        v.assign_add(x)
        return v.read_value() * 2.0

    out = bump(tf.constant(0.25))
    init = v1.global_variables_initializer()
    return [([init], []), ([], [out]), ([], [out])]


def placeholder_v2():
    """The deprecated PlaceholderV2, fed and not fed. Python refuses to build it (removed at GraphDef
    version 23), so an old-version GraphDef carrying it is imported, as loading an old model does."""
    old = tf.Graph()
    with old.as_default():
        v1.multiply(v1.placeholder(f32, [2], name="x"), 3.0, name="y")
    gd = old.as_graph_def()
    for n in gd.node:
        if n.op == "Placeholder":
            n.op = "PlaceholderV2"
    gd.versions.producer = 21
    x, y = tf.graph_util.import_graph_def(gd, return_elements=["x:0", "y:0"], name="old")
    return [([], [y], {x: [1.5, -2.0]}), ([], [y])]


graph_case("ref_variables", ref_variables)
graph_case("placeholder_v2", placeholder_v2)
graph_case("resource_variables", resource_variables)
graph_case("ref_control_flow", ref_control_flow)
graph_case("stateful_function", stateful_function)

with open(OUT, "w") as f:
    json.dump({"generator": "server/engine/kernels/testdata/gen_coverage_fixtures.py", "tensorflow": tf.__version__,
               "kernels": kernel_cases, "graphs": graph_cases}, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(kernel_cases)} kernel cases, {len(graph_cases)} graphs to {OUT}")
for g in graph_cases:
    print(g["name"], g["ops"], [st.get("error") for st in g["steps"] if "error" in st])
