#!/usr/bin/env python3
"""Writes staging-fixtures.json: TensorFlow 2.21's results for graphs using staging areas (Stage,
Unstage, StagePeek, StageSize, StageClear) and staging maps (MapStage, MapUnstage, MapPeek,
MapUnstageNoKey, MapSize, MapIncompleteSize, MapClear and their Ordered forms), as the StagingArea
and MapStagingArea classes and raw ops make them, read by ../staging-fixtures.test.ts. An
unordered map's MapUnstageNoKey is only asked when it holds one entry: TF gives its hash map's
order.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_staging_fixtures.py

A staging area lives in a session's resource manager, so every case is a graph run step by step
in one tf.compat.v1 session (tf_fixtures.graph_record). A step either changes an area or looks at
it, never both: TF runs unordered ops of one step in any order. No step here blocks: waiting and its
cancellation are tested in test/durable-kinds.test.ts.

Format: {"tensorflow", "graphs": [{"name", "graph" (GraphDef, base64), "ops", "steps": [...]}]}.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tf_fixtures import graph_record  # noqa: E402

v1 = tf.compat.v1
v1.disable_eager_execution()
raw = tf.raw_ops

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "staging-fixtures.json")
graphs = []
FS = [tf.float32, tf.string]


def fifo_order():
    x = v1.placeholder(tf.float32, [None], name="x")
    s = v1.placeholder(tf.string, [], name="s")
    i = v1.placeholder(tf.int32, [], name="i")
    put = raw.Stage(values=[x, s], shared_name="fifo_order")
    take = raw.Unstage(dtypes=FS, shared_name="fifo_order")
    peek = raw.StagePeek(index=i, dtypes=FS, shared_name="fifo_order")
    size = raw.StageSize(dtypes=[], shared_name="fifo_order")
    clear = raw.StageClear(dtypes=[], shared_name="fifo_order")
    return [
        ([put], [], {x: [1.0, 2.0], s: b"one"}),
        ([put], [], {x: [3.0], s: b"two"}),
        ([put], [], {x: [], s: b""}),
        ([], [size]),
        ([], list(peek), {i: 1}),
        ([], list(peek), {i: 0}),
        ([], list(take)),
        ([], [size]),
        ([], list(take)),
        ([clear], []),
        ([], [size]),
        ([put], [], {x: [5.0], s: b"five"}),
        ([], list(take)),
        ([], [size]),
    ]


def bounds_and_errors():
    x = v1.placeholder(tf.float32, [None], name="x")
    s = v1.placeholder(tf.string, [None], name="s")
    small = raw.Stage(values=[x], shared_name="limited", memory_limit=16)
    strings = raw.Stage(values=[s], shared_name="limited_strings", memory_limit=16)
    both = raw.Stage(values=[x, s], shared_name="mixed")
    one = raw.Unstage(dtypes=[tf.float32], shared_name="mixed")
    wrong = raw.Unstage(dtypes=[tf.int32, tf.string], shared_name="mixed")
    bad_index = raw.StagePeek(index=tf.constant([0]), dtypes=FS, shared_name="mixed")
    size = raw.StageSize(dtypes=[], shared_name="mixed")
    lim_size = raw.StageSize(dtypes=[], shared_name="limited", memory_limit=16)
    return [
        ([small], [], {x: [1.0, 2.0, 3.0, 4.0]}),
        ([], [lim_size]),
        ([small], [], {x: [1.0, 2.0, 3.0, 4.0, 5.0]}),
        ([strings], [], {s: [b"xy", b"z"]}),
        ([both], [], {x: [1.0], s: [b"a"]}),
        ([both], [], {x: [2.0], s: [b"b"]}),
        ([], [size]),
        ([], list(one)),
        ([], [size]),
        ([], list(wrong)),
        ([both], [], {x: [3.0], s: [b"c"]}),
        ([], list(bad_index)),
    ]


def default_names():
    # Without a shared_name each node's area is its own, named after the node.
    a = tf.constant([1, 2])
    put = raw.Stage(values=[a], name="own")
    size = raw.StageSize(dtypes=[], name="other")
    return [([put], []), ([], [size]), ([put], []), ([], [size])]


def staging_area_class():
    from tensorflow.python.ops.data_flow_ops import StagingArea

    area = StagingArea([tf.int64, tf.float32], shapes=[[], [2]], capacity=3, shared_name="cls")
    k = v1.placeholder(tf.int64, [], name="k")
    v = v1.placeholder(tf.float32, [2], name="v")
    put = area.put([k, v])
    got = area.get()
    return [
        ([put], [], {k: 7, v: [0.5, 1.5]}),
        ([put], [], {k: 8, v: [2.5, 3.5]}),
        ([], [area.size()]),
        ([], list(area.peek(1))),
        ([], list(got)),
        ([], [area.size()]),
        ([area.clear()], []),
        ([], [area.size()]),
    ]


MD = [tf.float32, tf.string]


def map_ops(ordered, name):
    p = "OrderedMap" if ordered else "Map"
    op = lambda base, **kw: getattr(raw, p + base)(shared_name=name, **kw)  # noqa: E731
    return op


def map_basic(ordered, name):
    op = map_ops(ordered, name)
    k = v1.placeholder(tf.int64, None, name="k")
    idx = v1.placeholder(tf.int32, [None], name="idx")
    x = v1.placeholder(tf.float32, [None], name="x")
    s = v1.placeholder(tf.string, [], name="s")
    put = op("Stage", key=k, indices=idx, values=[x, s], dtypes=MD)
    put_x = op("Stage", key=k, indices=idx, values=[x], dtypes=MD)
    put_s = op("Stage", key=k, indices=idx, values=[s], dtypes=MD)
    take = op("Unstage", key=k, indices=idx, dtypes=MD)
    take_x = op("Unstage", key=k, indices=idx, dtypes=[tf.float32])
    take_s = op("Unstage", key=k, indices=idx, dtypes=[tf.string])
    peek = op("Peek", key=k, indices=idx, dtypes=MD)
    key, values = op("UnstageNoKey", indices=idx, dtypes=MD)
    nokey = [key, *values]
    size = op("Size", dtypes=MD)
    isize = op("IncompleteSize", dtypes=MD)
    clear = op("Clear", dtypes=MD)
    both = {idx: [0, 1]}
    steps = [
        ([put], [], {k: 7, x: [1.0, 2.0], s: b"seven", **both}),
        ([put], [], {k: 3, x: [3.0], s: b"three", **both}),
        ([put], [], {k: 7, x: [9.0], s: b"again", **both}),
        ([], [size, isize]),
        ([], list(peek), {k: 7, **both}),
        ([], list(take), {k: 3, **both}),
        ([], [size]),
        ([put_x], [], {k: 5, x: [5.0], idx: [0]}),
        ([], [size, isize]),
        ([put_s], [], {k: 5, s: b"five", idx: [1]}),
        ([], [size, isize]),
        ([], list(take_s), {k: 5, idx: [1]}),
        ([], [size]),
        ([], list(take_x), {k: 5, idx: [0]}),
        ([], [size]),
        ([], list(take_s), {k: 7, idx: [1]}),
        ([], list(take_s), {k: 7, idx: [1]}),
        ([], list(take_x), {k: 7, idx: [0]}),
        ([put_x], [], {k: 1, x: [1.0], idx: [0]}),
        ([clear], []),
        ([], [size, isize]),
    ]
    if ordered:
        steps += [
            ([put], [], {k: 20, x: [2.0], s: b"b", **both}),
            ([put], [], {k: -4, x: [-4.0], s: b"a", **both}),
            ([put], [], {k: 11, x: [1.0], s: b"c", **both}),
            ([], list(nokey), both),
            ([], list(nokey), both),
            ([], list(nokey), both),
        ]
    else:
        steps += [([put], [], {k: 20, x: [2.0], s: b"b", **both}), ([], list(nokey), both), ([], [size])]
    return steps


def map_errors(ordered, name):
    op = map_ops(ordered, name)
    k = v1.placeholder(tf.int64, None, name="k")
    idx = v1.placeholder(tf.int32, [None], name="idx")
    x = v1.placeholder(tf.float32, [None], name="x")
    put1 = op("Stage", key=k, indices=idx, values=[x], dtypes=MD)
    put2 = op("Stage", key=k, indices=idx, values=[x, x], dtypes=MD)
    take = op("Unstage", key=k, indices=idx, dtypes=[tf.float32])
    lim = getattr(raw, ("OrderedMap" if ordered else "Map") + "Stage")(
        key=k, indices=idx, values=[x], dtypes=[tf.float32], shared_name=name + "_lim", memory_limit=12)
    wrong = op("Unstage", key=k, indices=idx, dtypes=[tf.int32])
    return [
        ([put2], [], {k: 1, idx: [1, 0], x: [1.0]}),
        ([put2], [], {k: [1, 2], idx: [0, 1], x: [1.0]}),
        ([put1], [], {k: 6, idx: [3], x: [1.0]}),
        ([put1], [], {k: 5, idx: [0], x: [1.0]}),
        ([put1], [], {k: 5, idx: [0], x: [2.0]}),
        ([lim], [], {k: 1, idx: [0], x: [1.0, 2.0, 3.0, 4.0]}),
        ([put2], [], {k: 8, idx: [0, 1], x: [8.0]}),
        ([], list(take), {k: 8, idx: [1]}),
        ([], list(take), {k: 8, idx: [1]}),
        ([], list(wrong), {k: 8, idx: [0]}),
    ]


def map_staging_area_class():
    from tensorflow.python.ops.data_flow_ops import MapStagingArea

    area = MapStagingArea([tf.int32, tf.float32], names=["a", "b"], ordered=True, shared_name="mcls")
    k = v1.placeholder(tf.int64, [], name="k")
    a = v1.placeholder(tf.int32, [], name="a")
    b = v1.placeholder(tf.float32, [], name="b")
    put_a = area.put(k, {"a": a})
    put_b = area.put(k, {"b": b})
    key, got = area.get()
    return [
        ([put_a], [], {k: 2, a: 20}),
        ([put_a], [], {k: 1, a: 10}),
        ([], [area.size(), area.incomplete_size()]),
        ([put_b], [], {k: 2, b: 2.5}),
        ([put_b], [], {k: 1, b: 1.5}),
        ([], [area.size(), area.incomplete_size()]),
        ([], [key, got["a"], got["b"]]),
        ([], list(area.peek(2).values())),
        ([], [area.size()]),
    ]


for name, build in [
    ("map_basic", lambda: map_basic(False, "mb")),
    ("ordered_map_basic", lambda: map_basic(True, "omb")),
    ("map_errors", lambda: map_errors(False, "me")),
    ("ordered_map_errors", lambda: map_errors(True, "ome")),
    ("map_staging_area_class", map_staging_area_class),

    ("fifo_order", fifo_order),
    ("bounds_and_errors", bounds_and_errors),
    ("default_names", default_names),
    ("staging_area_class", staging_area_class),
]:
    graphs.append(graph_record(name, build))
    print(name, [s.get("error", {}).get("message", "ok")[:100] for s in graphs[-1]["steps"]])

with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "graphs": graphs}, f, indent=None, separators=(",", ":"))
print(f"wrote {len(graphs)} graphs to {OUT}")
