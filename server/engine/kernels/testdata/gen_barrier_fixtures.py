#!/usr/bin/env python3
"""Writes barrier-fixtures.json: TensorFlow 2.21's results for graphs using barriers (Barrier,
BarrierInsertMany, BarrierTakeMany, BarrierClose, BarrierReadySize, BarrierIncompleteSize, as the
Python Barrier class and raw ops make them), read by ../barrier-fixtures.test.ts.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_barrier_fixtures.py

A barrier lives in a session's resource manager, so every case is a graph run step by step in one
tf.compat.v1 session (tf_fixtures.graph_record). A step either changes a barrier or looks at it,
never both: TF runs unordered ops of one step in any order. A step that waits (a take of no or
fewer than no elements from an empty barrier) ends at its deadline (RunOptions.timeout_in_ms);
waiting that other steps end, and its cancellation, are tested in util/barrier.test.ts and
test/durable-kinds.test.ts. TF aborts its process when a take of fewer than no elements finds a
ready tuple (a negative batch dimension), so no case here does that (util/barrier.test.ts).

Format: {"tensorflow", "graphs": [{"name", "graph" (GraphDef, base64), "ops", "steps": [...]}]}.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402
from tensorflow.python.ops import data_flow_ops, gen_data_flow_ops as gdf  # noqa: E402
from tf_fixtures import graph_record  # noqa: E402

v1 = tf.compat.v1
v1.disable_eager_execution()

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "barrier-fixtures.json")
graphs = []


def barrier_basic():
    b = data_flow_ops.Barrier((tf.float32, tf.string), shapes=((2,), ()), shared_name="bb")
    keys = v1.placeholder(tf.string, [None], name="keys")
    v0 = v1.placeholder(tf.float32, [None, 2], name="v0")
    v1s = v1.placeholder(tf.string, [None], name="v1")
    n = v1.placeholder(tf.int32, [], name="n")
    ins0 = b.insert_many(0, keys, v0)
    ins1 = b.insert_many(1, keys, v1s)
    idx, ks, vals = b.take_many(n)
    sidx, sks, svals = b.take_many(n, allow_small_batch=True)
    sizes = [b.ready_size(), b.incomplete_size()]
    return [
        ([ins0], [], {keys: [b"a", b"b", b"c"], v0: [[1, 2], [3, 4], [5, 6]]}),
        ([], sizes),
        ([ins1], [], {keys: [b"b"], v1s: [b"bee"]}),
        ([ins1], [], {keys: [b"c", b"a"], v1s: [b"sea", b"ay"]}),
        ([], sizes),
        ([], [idx, ks, *vals], {n: 2}),
        ([ins0], [], {keys: [b"d"], v0: [[7, 8]]}),
        ([], sizes),
        ([b.close()], []),
        ([ins0], [], {keys: [b"e"], v0: [[9, 9]]}),
        ([ins0], [], {keys: [b"d"], v0: [[9, 9]]}),
        ([ins1], [], {keys: [b"d"], v1s: [b"dee"]}),
        ([], sizes),
        ([], [sidx, sks, *svals], {n: 5}),
        ([], [idx, ks, *vals], {n: 1}),
        ([b.close()], []),
        ([b.close(cancel_pending_enqueues=True)], []),
        ([ins1], [], {keys: [b"d"], v1s: [b"x"]}),
    ]


def barrier_cancel():
    b = data_flow_ops.Barrier((tf.int32, tf.int32), shapes=((), ()), shared_name="bc")
    keys = v1.placeholder(tf.string, [None], name="keys")
    v = v1.placeholder(tf.int32, [None], name="v")
    n = v1.placeholder(tf.int32, [], name="n")
    ins0 = b.insert_many(0, keys, v)
    ins1 = b.insert_many(1, keys, v)
    idx, ks, vals = b.take_many(n)
    sizes = [b.ready_size(), b.incomplete_size()]
    return [
        ([ins0], [], {keys: [b"x", b"y"], v: [1, 2]}),
        ([ins1], [], {keys: [b"y"], v: [20]}),
        ([ins0], [], {keys: [b"z"], v: [3]}),
        ([ins1], [], {keys: [b"z"], v: [30]}),
        ([b.close(cancel_pending_enqueues=True)], []),
        ([], sizes),
        ([ins1], [], {keys: [b"x"], v: [10]}),
        ([], [idx, ks, *vals], {n: 2}),
        ([], [idx, ks, *vals], {n: 1}),
    ]


def barrier_errors():
    keys = v1.placeholder(tf.string, [None], name="keys")
    h = gdf.barrier([tf.float32], shapes=[[2]], shared_name="be")
    bad_capacity = gdf.barrier([tf.float32], shapes=[[2]], capacity=5, shared_name="be_cap")
    no_shapes = gdf.barrier([tf.float32], shared_name="be_noshape")
    out_of_range = gdf.barrier_insert_many(h, keys, tf.zeros([1, 2]), component_index=3)
    wrong_type = gdf.barrier_insert_many(h, keys, tf.zeros([1, 2], tf.int32), component_index=0)
    empty = gdf.barrier_insert_many(h, keys, tf.zeros([1, 0]), component_index=0)
    wrong_shape = gdf.barrier_insert_many(h, keys, tf.zeros([1, 3]), component_index=0)
    timeout = gdf.barrier_take_many(h, 1, [tf.float32], timeout_ms=5)
    not_scalar = gdf.barrier_take_many(h, [1], [tf.float32])
    sizes = [gdf.barrier_ready_size(h), gdf.barrier_incomplete_size(h)]
    return [
        ([bad_capacity], []),
        ([no_shapes], []),
        ([out_of_range], [], {keys: [b"k"]}),
        ([wrong_type], [], {keys: [b"k"]}),
        ([empty], [], {keys: [b"k"]}),
        ([wrong_shape], [], {keys: [b"k"]}),
        ([], sizes),
        ([], [timeout[0]]),
        ([], [not_scalar[0]]),
    ]


def barrier_take_none():
    """BarrierTakeMany of 0 and of fewer than no elements, open and closed, with and without
    allow_small_batch."""
    b = data_flow_ops.Barrier((tf.float32, tf.float32), shapes=((), ()), shared_name="bn")
    keys = v1.placeholder(tf.string, [None], name="keys")
    v = v1.placeholder(tf.float32, [None], name="v")
    n = v1.placeholder(tf.int32, [], name="n")
    ins0 = b.insert_many(0, keys, v)
    ins1 = b.insert_many(1, keys, v)
    idx, ks, vals = b.take_many(n)
    sidx, sks, svals = b.take_many(n, allow_small_batch=True)
    take, small = [idx, ks, *vals], [sidx, sks, *svals]
    sizes = [b.ready_size(), b.incomplete_size()]
    wait = 200
    return [
        # Open and empty: fewer than no elements wait like any batch not there yet; 0 is empty at once.
        ([], take, {n: -1}, wait),
        ([], small, {n: -3}, wait),
        ([], take, {n: 0}),
        ([], small, {n: 0}),
        ([ins0], [], {keys: [b"i"], v: [1]}),
        ([b.close()], []),
        # Closed with an incomplete key: a full batch may still come, a small one has nothing.
        ([], take, {n: -1}, wait),
        ([], small, {n: -1}),
        ([], take, {n: 0}),
        ([], small, {n: 0}),
        ([ins1], [], {keys: [b"i"], v: [10]}),
        ([], sizes),
        ([], take, {n: 0}),
        ([], take, {n: 1}),
        # Closed and empty: nothing can come.
        ([], take, {n: -1}),
        ([], small, {n: -2}),
        ([], take, {n: 0}),
    ]


for name, build in [
    ("barrier_basic", barrier_basic),
    ("barrier_cancel", barrier_cancel),
    ("barrier_errors", barrier_errors),
    ("barrier_take_none", barrier_take_none),
]:
    graphs.append(graph_record(name, build))
    print(name, [s.get("error", {}).get("message", "ok")[:110] for s in graphs[-1]["steps"]])

with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "graphs": graphs}, f, indent=None, separators=(",", ":"))
print(f"wrote {len(graphs)} graphs to {OUT}")
