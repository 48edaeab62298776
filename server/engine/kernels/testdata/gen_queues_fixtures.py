#!/usr/bin/env python3
"""Writes queues-fixtures.json: TensorFlow 2.21's results for graphs using TF1 queues (FIFOQueue,
PaddingFIFOQueue, RandomShuffleQueue, PriorityQueue, their V2 ops and the original ref-typed ones,
QueueEnqueue*/QueueDequeue*/QueueClose/QueueSize/QueueIsClosed), read by ../queues-fixtures.test.ts.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_queues_fixtures.py

Queues live in a session's resource manager, so every case is a graph run step by step in one
tf.compat.v1 session (tf_fixtures.graph_record). Every queue has a shared_name, so TF's messages
name it the same way in both runs (a private queue is "_<process-wide id>_<node>"). No step here
blocks: waiting, timeouts and cancellation are tested in test/queues.test.ts.

Format: {"tensorflow", "graphs": [{"name", "graph" (GraphDef, base64), "ops", "steps": [...]}]}.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow.python.ops import gen_data_flow_ops as gdf  # noqa: E402
from tf_fixtures import graph_record  # noqa: E402

v1 = tf.compat.v1
v1.disable_eager_execution()

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "queues-fixtures.json")
graphs = []


def fifo_basic():
    q = tf.queue.FIFOQueue(5, [tf.float32, tf.int32], shapes=[[2], []], shared_name="fifo_basic")
    n = v1.placeholder(tf.int32, [], name="n")
    return [
        ([q.enqueue(([1.0, 2.0], 7))], []),
        ([q.enqueue_many(([[3.0, 4.0], [5.0, 6.0], [7.0, 8.0]], [8, 9, 10]))], []),
        ([], [q.size()]),
        ([], list(q.dequeue())),
        ([], list(q.dequeue_many(n)), {n: 2}),
        ([], list(q.dequeue_many(n)), {n: 0}),
        ([], [q.is_closed(), q.size()]),
        ([q.close()], []),
        ([], [q.is_closed()]),
        ([q.enqueue(([0.0, 0.0], 0))], []),
        ([], list(q.dequeue_many(n)), {n: 2}),
        ([], list(q.dequeue_up_to(n)), {n: 3}),
        ([], list(q.dequeue())),
        ([], list(q.dequeue_up_to(n)), {n: 1}),
        ([], list(q.dequeue_many(n)), {n: 0}),
        ([q.close()], []),
        ([q.close(cancel_pending_enqueues=True)], []),
    ]


def fifo_dtypes():
    types = [tf.string, tf.int64, tf.bool, tf.float64, tf.complex64, tf.int8, tf.uint8, tf.int16, tf.half]
    q = tf.queue.FIFOQueue(10, types, shapes=[[2]] * len(types), shared_name="fifo_dtypes")
    vals = [
        np.array([[b"a", b"bc"], [b"", b"xyz"]], object),
        np.array([[2**40, -1], [0, 5]], np.int64),
        np.array([[True, False], [False, True]]),
        np.array([[1.5, -2.25], [1e300, -0.0]]),
        np.array([[1 + 2j, 3 - 4j], [0j, -1j]], np.complex64),
        np.array([[-128, 127], [0, 1]], np.int8),
        np.array([[255, 0], [1, 2]], np.uint8),
        np.array([[-32768, 32767], [0, 3]], np.int16),
        np.array([[0.5, -1.0], [65504.0, 0.0]], np.float16),
    ]
    return [
        ([q.enqueue_many(vals)], []),
        ([], list(q.dequeue())),
        ([q.enqueue_many(vals)], []),
        ([], list(q.dequeue_many(3))),
    ]


def fifo_unshaped():
    """No declared shapes: elements of any shape; DequeueMany is refused."""
    q = tf.queue.FIFOQueue(4, [tf.int32, tf.float32], shared_name="fifo_unshaped")
    a = v1.placeholder(tf.int32, None, name="a")
    b = v1.placeholder(tf.float32, None, name="b")
    return [
        ([q.enqueue((a, b))], [], {a: [1, 2, 3], b: [[1.0], [2.0]]}),
        ([q.enqueue((a, b))], [], {a: 5, b: 2.5}),
        ([], list(q.dequeue())),
        ([], list(q.dequeue())),
        ([], list(q.dequeue_many(1))),
        ([], list(q.dequeue_up_to(1))),
        ([q.enqueue_many((a, b))], [], {a: [1, 2], b: [1.0, 2.0, 3.0]}),
        ([q.enqueue_many((a, b))], [], {a: [[1, 2], [3, 4]], b: [1.0, 2.0]}),
        ([], [q.size()]),
        ([q.enqueue_many((a, b))], [], {a: np.zeros([0, 3], np.int32), b: np.zeros([0], np.float32)}),
        ([], [q.size()]),
    ]


def fifo_errors():
    q = tf.queue.FIFOQueue(3, [tf.float32], shapes=[[2]], shared_name="fifo_errors")
    x = v1.placeholder(tf.float32, None, name="x")
    n = v1.placeholder(tf.int32, [], name="n")
    deq = q.dequeue_many(n)
    return [
        ([q.enqueue(x)], [], {x: [1.0, 2.0, 3.0]}),
        ([q.enqueue(x)], [], {x: 1.0}),
        ([q.enqueue_many(x)], [], {x: [[1.0, 2.0, 3.0]]}),
        ([q.enqueue_many(x)], [], {x: [1.0, 2.0]}),
        ([], [deq], {n: -1}),
        ([q.enqueue_many(x)], [], {x: [[1.0, 2.0], [3.0, 4.0]]}),
        ([], [deq], {n: 2}),
        ([], [q.size()]),
    ]


def capacity_and_shared():
    """A full queue's size, a second node naming the same shared queue (matching and not)."""
    q = tf.queue.FIFOQueue(2, [tf.int32], shapes=[[]], shared_name="shared_q")
    same = tf.queue.FIFOQueue(2, [tf.int32], shapes=[[]], shared_name="shared_q", name="same")
    cap = tf.queue.FIFOQueue(3, [tf.int32], shapes=[[]], shared_name="shared_q", name="cap")
    typ = tf.queue.FIFOQueue(2, [tf.float32], shapes=[[]], shared_name="shared_q", name="typ")
    shp = tf.queue.FIFOQueue(2, [tf.int32], shapes=[[1]], shared_name="shared_q", name="shp")
    kind = tf.queue.RandomShuffleQueue(2, 0, [tf.int32], shapes=[[]], shared_name="shared_q", name="kind")
    unb = tf.queue.FIFOQueue(-5, [tf.int32], shapes=[[]], shared_name="unbounded_q", name="unb")
    unb2 = tf.queue.FIFOQueue(4, [tf.int32], shapes=[[]], shared_name="unbounded_q", name="unb2")
    return [
        ([q.enqueue_many([[1, 2]])], []),
        ([], [same.size(), same.dequeue()]),
        ([], [cap.size()]),
        ([], [typ.size()]),
        ([], [shp.size()]),
        ([], [kind.size()]),
        ([unb.enqueue_many([list(range(6))])], [unb.size()]),
        ([], [unb2.size()]),
    ]


def padding():
    q = tf.queue.PaddingFIFOQueue(10, [tf.int32, tf.string, tf.float32], shapes=[[None], [None, 2], []],
                                  shared_name="padding")
    a = v1.placeholder(tf.int32, [None], name="a")
    b = v1.placeholder(tf.string, [None, 2], name="b")
    c = v1.placeholder(tf.float32, [], name="c")
    bad = v1.placeholder(tf.int32, None, name="bad")
    bb = v1.placeholder(tf.string, None, name="bb")
    cc = v1.placeholder(tf.float32, None, name="cc")
    n = v1.placeholder(tf.int32, [], name="n")
    s = np.array([[b"p", b"q"]], object)
    return [
        ([q.enqueue((a, b, c))], [], {a: [1, 2, 3], b: s, c: 1.0}),
        ([q.enqueue((a, b, c))], [], {a: [4], b: np.array([[b"r", b"s"], [b"t", b"u"], [b"v", b"w"]], object), c: 2.0}),
        ([q.enqueue((a, b, c))], [], {a: np.zeros([0], np.int32), b: np.zeros([0, 2], object), c: 3.0}),
        ([q.enqueue((a, b, c))], [], {a: [7, 8], b: s, c: 4.0}),
        ([], list(q.dequeue_many(n)), {n: 3}),
        ([], list(q.dequeue_many(n)), {n: 0}),
        ([q.enqueue((bad, b, c))], [], {bad: [[1]], b: s, c: 0.0}),
        ([q.enqueue_many((bad, bb, cc))], [], {bad: [[1], [2]], bb: np.array([[[b"a", b"b"]], [[b"c", b"d"]]], object), cc: [5.0, 6.0]}),
        ([q.enqueue_many((bad, bb, cc))], [], {bad: [[1], [2]], bb: np.array([[b"a", b"b"], [b"c", b"d"]], object), cc: [5.0, 6.0]}),
        ([q.close()], []),
        ([], list(q.dequeue_up_to(n)), {n: 5}),
        ([], list(q.dequeue_up_to(n)), {n: 5}),
    ]


def padding_unshaped():
    q = gdf.padding_fifo_queue_v2([tf.int32, tf.int32], shapes=[[None]], capacity=2, shared_name="padding_bad")
    r = gdf.padding_fifo_queue_v2([tf.int32, tf.int32], capacity=2, shared_name="padding_none")
    return [([], [gdf.queue_size_v2(q)]), ([], [gdf.queue_size_v2(r)])]


def random_shuffle():
    v1.set_random_seed(1234)
    q = tf.queue.RandomShuffleQueue(20, 3, [tf.int32, tf.string], shapes=[[], [2]], seed=42,
                                    shared_name="shuffle")
    n = v1.placeholder(tf.int32, [], name="n")
    names = np.array([[f"s{i}".encode(), f"t{i}".encode()] for i in range(12)], object)
    d = q.dequeue()
    return [
        ([q.enqueue_many((np.arange(12, dtype=np.int32), names))], []),
        ([], list(d)),
        ([], list(d)),
        ([], list(q.dequeue_many(n)), {n: 4}),
        ([], [q.size()]),
        ([], list(q.dequeue_up_to(n)), {n: 2}),
        ([q.close()], []),
        ([], list(q.dequeue_many(n)), {n: 2}),
        ([], list(q.dequeue_up_to(n)), {n: 10}),
        ([], list(d)),
    ]


def random_shuffle_seeds():
    """Op-level seed pairs (seed, seed2) straight on the raw op, and a queue drained in full."""
    out = []
    for i, (s, s2) in enumerate([(1, 2), (0, 7), (2**40 + 3, 5), (-3, 99)]):
        h = gdf.random_shuffle_queue_v2([tf.int64], shapes=[[]], capacity=40, min_after_dequeue=0,
                                        seed=s, seed2=s2, shared_name=f"seeded_{i}")
        out.append((h, gdf.queue_enqueue_many_v2(h, [tf.range(30, dtype=tf.int64)]),
                    gdf.queue_dequeue_many_v2(h, 30, [tf.int64])))
    steps = []
    for _, enq, deq in out:
        steps.append(([enq], []))
        steps.append(([], deq))
    return steps


def random_shuffle_errors():
    a = gdf.random_shuffle_queue_v2([tf.int32], capacity=5, min_after_dequeue=5, shared_name="rs_err_a")
    b = gdf.random_shuffle_queue_v2([tf.int32], capacity=5, min_after_dequeue=-1, shared_name="rs_err_b")
    c = gdf.random_shuffle_queue_v2([tf.int32], shapes=[[]], capacity=5, min_after_dequeue=1, seed=1, seed2=2,
                                    shared_name="rs_shared")
    c2 = gdf.random_shuffle_queue_v2([tf.int32], shapes=[[]], capacity=5, min_after_dequeue=2, seed=1, seed2=2,
                                     shared_name="rs_shared")
    c3 = gdf.random_shuffle_queue_v2([tf.int32], shapes=[[]], capacity=5, min_after_dequeue=1, seed=3, seed2=2,
                                     shared_name="rs_shared")
    c4 = gdf.random_shuffle_queue_v2([tf.int32], shapes=[[]], capacity=5, min_after_dequeue=1,
                                     shared_name="rs_shared")
    u = gdf.random_shuffle_queue_v2([tf.int32], capacity=5, shared_name="rs_unshaped")
    return [
        ([], [gdf.queue_size_v2(a)]),
        ([], [gdf.queue_size_v2(b)]),
        ([], [gdf.queue_size_v2(c)]),
        ([], [gdf.queue_size_v2(c2)]),
        ([], [gdf.queue_size_v2(c3)]),
        ([], [gdf.queue_size_v2(c4)]),
        ([gdf.queue_enqueue_v2(u, [tf.constant([1, 2])])], []),
        ([], gdf.queue_dequeue_many_v2(u, 1, [tf.int32])),
    ]


def priority():
    q = tf.queue.PriorityQueue(10, [tf.string, tf.float32], shapes=[[], [2]], shared_name="prio")
    p = v1.placeholder(tf.int64, None, name="p")
    s = v1.placeholder(tf.string, None, name="s")
    f = v1.placeholder(tf.float32, None, name="f")
    n = v1.placeholder(tf.int32, [], name="n")
    return [
        ([q.enqueue_many((p, s, f))], [],
         {p: [5, 1, 3, 1, 2, -7, 3], s: [b"e", b"a", b"c", b"a2", b"b", b"neg", b"c2"],
          f: np.arange(14, dtype=np.float32).reshape(7, 2)}),
        ([], list(q.dequeue())),
        ([], list(q.dequeue_many(n)), {n: 3}),
        ([q.enqueue((p, s, f))], [], {p: 0, s: b"zero", f: [9.0, 9.5]}),
        ([q.enqueue((p, s, f))], [], {p: [1], s: b"bad", f: [0.0, 0.0]}),
        ([], [q.size()]),
        ([q.close()], []),
        ([], list(q.dequeue_many(n)), {n: 5}),
        ([], list(q.dequeue_up_to(n)), {n: 5}),
        ([], [q.size()]),
        ([], list(q.dequeue())),
    ]


def priority_ties():
    """Equal priorities come out in the order of TF's binary heap."""
    q = tf.queue.PriorityQueue(50, [tf.int32], shapes=[[]], shared_name="prio_ties")
    pr = np.array([3, 1, 2, 1, 3, 2, 1, 1, 2, 3, 0, 1, 2, 3, 1, 0, 2], np.int64)
    return [
        ([q.enqueue_many((pr, np.arange(len(pr), dtype=np.int32)))], []),
        ([], list(q.dequeue_many(6))),
        ([q.enqueue_many((pr[:5], np.arange(100, 105, dtype=np.int32)))], []),
        ([], list(q.dequeue_many(len(pr) - 6 + 5))),
    ]


def priority_errors():
    a = gdf.priority_queue_v2(shapes=[], component_types=[tf.int32], shared_name="prio_unshaped")
    b = gdf.priority_queue_v2(shapes=[[]], component_types=[tf.int32], shared_name="prio_b")
    return [
        ([gdf.queue_enqueue_v2(a, [tf.constant([4, 2], tf.int64), tf.constant(1)])], []),
        ([gdf.queue_enqueue_v2(a, [tf.constant(4, tf.int64), tf.constant([1, 2])])], []),
        ([], gdf.queue_dequeue_v2(a, [tf.int64, tf.int32])),
        ([], gdf.queue_dequeue_many_v2(a, 1, [tf.int64, tf.int32])),
        ([gdf.queue_enqueue_v2(b, [tf.constant(1, tf.int64), tf.constant(1.0)])], []),
        ([], gdf.queue_dequeue_v2(b, [tf.int64, tf.float32])),
        ([], [gdf.queue_size_v2(b)]),
    ]


def raw_v2_errors():
    h = gdf.fifo_queue_v2([tf.int32, tf.float32], shapes=[[], []], capacity=5, shared_name="raw_v2")
    return [
        ([gdf.queue_enqueue_v2(h, [tf.constant(1)])], []),
        ([gdf.queue_enqueue_v2(h, [tf.constant(1.0), tf.constant(1)])], []),
        ([gdf.queue_enqueue_v2(h, [tf.constant(1), tf.constant(1.0)])], []),
        ([gdf.queue_enqueue_many_v2(h, [tf.constant([1, 2, 3]), tf.constant([1.0, 2.0, 3.0])])], []),
        ([], gdf.queue_dequeue_v2(h, [tf.int32, tf.int32])),
        ([], gdf.queue_dequeue_v2(h, [tf.int32])),
        ([], gdf.queue_dequeue_v2(h, [tf.int32, tf.float32])),
        ([gdf.queue_close_v2(h)], []),
        ([], gdf.queue_dequeue_up_to_v2(h, 5, [tf.int32, tf.float32])),
        ([], gdf.queue_dequeue_up_to_v2(h, 5, [tf.int32, tf.float32])),
        ([], gdf.queue_dequeue_up_to_v2(h, 0, [tf.int32, tf.float32])),
    ]


def ref_queues():
    """The original ops: queues whose handle is a Ref(string) [container, name]."""
    f = gdf.fifo_queue(component_types=[tf.int32], shapes=[[]], capacity=5, shared_name="ref_fifo")
    p = gdf.padding_fifo_queue(component_types=[tf.int32], shapes=[[None]], shared_name="ref_pad")
    r = gdf.random_shuffle_queue(component_types=[tf.int32], shapes=[[]], seed=3, seed2=4, shared_name="ref_rs")
    pq = gdf.priority_queue(component_types=[tf.int32], shapes=[[]], shared_name="ref_pq")
    x = tf.constant([4, 5, 6])
    return [
        ([gdf.queue_enqueue_many(f, [x])], []),
        ([gdf.queue_enqueue(f, [tf.constant(9)])], []),
        ([], [gdf.queue_size(f), gdf.queue_is_closed(f)]),
        ([], gdf.queue_dequeue(f, [tf.int32])),
        ([], gdf.queue_dequeue_many(f, 2, [tf.int32])),
        ([gdf.queue_close(f)], []),
        ([], gdf.queue_dequeue_up_to(f, 4, [tf.int32]) + [gdf.queue_is_closed(f)]),
        ([gdf.queue_enqueue(p, [x])], []),
        ([gdf.queue_enqueue(p, [x[:1]])], []),
        ([], gdf.queue_dequeue_many(p, 2, [tf.int32])),
        ([gdf.queue_enqueue_many(r, [tf.range(8)])], []),
        ([], gdf.queue_dequeue_many(r, 8, [tf.int32])),
        ([gdf.queue_enqueue_many(pq, [tf.constant([3, 1, 2], tf.int64), x])], []),
        ([], gdf.queue_dequeue_many(pq, 3, [tf.int64, tf.int32])),
        ([gdf.queue_close(pq, cancel_pending_enqueues=True)], []),
        ([], [gdf.queue_is_closed(pq)]),
    ]


def timeout_attr():
    h = gdf.fifo_queue_v2([tf.int32], shapes=[[]], shared_name="timeout_attr")
    return [([], gdf.queue_dequeue_v2(h, [tf.int32], timeout_ms=5))]


for name, build in [
    ("fifo_basic", fifo_basic),
    ("fifo_dtypes", fifo_dtypes),
    ("fifo_unshaped", fifo_unshaped),
    ("fifo_errors", fifo_errors),
    ("capacity_and_shared", capacity_and_shared),
    ("padding", padding),
    ("padding_unshaped", padding_unshaped),
    ("random_shuffle", random_shuffle),
    ("random_shuffle_seeds", random_shuffle_seeds),
    ("random_shuffle_errors", random_shuffle_errors),
    ("priority", priority),
    ("priority_ties", priority_ties),
    ("priority_errors", priority_errors),
    ("raw_v2_errors", raw_v2_errors),
    ("ref_queues", ref_queues),
    ("timeout_attr", timeout_attr),
]:
    graphs.append(graph_record(name, build))
    print(name, [s.get("error", {}).get("message", "ok")[:90] for s in graphs[-1]["steps"]])

with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "graphs": graphs}, f, indent=None, separators=(",", ":"))
print(f"wrote {len(graphs)} graphs to {OUT}")
