"""Drives a two-task TensorFlow cluster from TF's own master, for test/tf-worker.test.ts.

The cluster is {"worker": ["127.0.0.1:<p0>", "127.0.0.1:<p1>"]}. Task 0 is a tf.distribute.Server
in this process (its master serves tf.compat.v1.Session(server.target)); task 1 is whatever listens
on <p1>: tfgate (`tfgate worker --task 1`) or, with --reference, a TF server this script starts
itself (so the same graphs give TF's own answers). Task 1 has two CPU devices either way.

Prints one JSON object per scenario on stdout, {"name", "value"} or {"name", "error": {"type",
"message"}}; values are plain lists so the test can compare the two runs exactly.

--scenario kill: starts a step that blocks on task 1, kills --kill-pid (or the reference worker)
after a moment, and prints how the step ended.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.compat.v1.disable_eager_execution()
tf.compat.v1.disable_control_flow_v2()

T0 = "/job:worker/task:0"
T1 = "/job:worker/task:1"


def emit(name, value=None, error=None):
    out = {"name": name}
    if error is not None:
        out["error"] = {"type": type(error).__name__, "message": getattr(error, "message", str(error))}
    else:
        out["value"] = value
    print(json.dumps(out), flush=True)


def plain(v):
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, np.ndarray):
        if v.dtype.kind in "SO":
            return [x.decode() for x in v.reshape(-1)]
        return v.tolist()
    if isinstance(v, bytes):
        return v.decode()
    if isinstance(v, np.generic):
        return v.item()
    return v


def run(target, name, build, steps=1):
    g = tf.Graph()
    try:
        with g.as_default():
            fetches, feeds, init = build()
        with tf.compat.v1.Session(target, graph=g) as sess:
            if init is not None:
                sess.run(init)
            values = [plain(sess.run(fetches, feeds)) for _ in range(steps)]
        emit(name, values)
    except tf.errors.OpError as e:
        emit(name, error=e)


def tfgate_to_tf():
    with tf.device(T1):
        a = tf.constant([1.0, 2.0, 3.0])
        b = a * 2.0
    with tf.device(T0):
        c = b + 1.0
    return c, None, None


X = np.array([[1, 2], [3, 4]], np.float32)


def both_ways_with_variable():
    x = tf.compat.v1.placeholder(tf.float32, [2, 2], name="x")
    with tf.device(T0):
        a = tf.matmul(x, x)
    with tf.device(T1):
        v = tf.compat.v1.Variable(tf.zeros([2, 2]), name="v")
        upd = v.assign_add(a)
        s = tf.reduce_sum(upd * 3.0)
    with tf.device(T0):
        out = s + 1.0
    return [out, upd], {x: X}, tf.compat.v1.global_variables_initializer()


def two_devices_on_task1():
    x = tf.compat.v1.placeholder(tf.float32, [2, 2], name="x")
    with tf.device(T1 + "/device:CPU:0"):
        a = tf.matmul(x, x, transpose_b=True)
    with tf.device(T1 + "/device:CPU:1"):
        b = tf.nn.relu(a - 20.0)
        i = tf.cast(tf.reduce_max(b), tf.int64)
    with tf.device(T1 + "/device:CPU:0"):
        c = tf.add_n([a, b])
    return [c, i], {x: X}, None


def strings_and_ints():
    with tf.device(T1):
        s = tf.strings.join([tf.constant(["a", "bc", ""]), tf.constant("-tfgate")])
        n = tf.range(5, dtype=tf.int64) * 3
    with tf.device(T0):
        s2 = tf.strings.upper(s)
        n2 = n + tf.constant(1, tf.int64)
    return [s2, n2], None, None


def cond_across_tasks():
    p = tf.compat.v1.placeholder(tf.bool, [], name="p")
    with tf.device(T0):
        base = tf.constant([2.0, 3.0])
    with tf.device(T1):
        r = tf.compat.v1.cond(p, lambda: base * 10.0, lambda: base - 1.0)
    with tf.device(T0):
        out = r + 0.5
    return out, {p: True}, None


def while_on_task1():
    with tf.device(T1):
        i0 = tf.constant(0)
        acc0 = tf.constant(1.0)
        _, acc = tf.compat.v1.while_loop(lambda i, a: i < 5, lambda i, a: (i + 1, a * 2.0), [i0, acc0])
    with tf.device(T0):
        out = acc + 1.0
    return out, None, None


def error_on_task1():
    x = tf.compat.v1.placeholder(tf.float32, [2, 2], name="x")
    with tf.device(T1):
        bad = tf.debugging.check_numerics(x / 0.0, "boom")
    with tf.device(T0):
        out = bad + 1.0
    return out, {x: X}, None


def uninitialized_on_task1():
    with tf.device(T1):
        v = tf.compat.v1.Variable(tf.ones([2]), name="never_initialized")
    with tf.device(T0):
        out = v + 1.0
    return out, None, None


def partial_run(target, name):
    g = tf.Graph()
    try:
        with g.as_default():
            a = tf.compat.v1.placeholder(tf.float32, [2], name="a")
            b = tf.compat.v1.placeholder(tf.float32, [2], name="b")
            with tf.device(T1):
                r1 = a + 2.0
                r2 = r1 * b
        with tf.compat.v1.Session(target, graph=g) as sess:
            h = sess.partial_run_setup([r1, r2], [a, b])
            v1 = sess.partial_run(h, r1, {a: [1.0, 2.0]})
            v2 = sess.partial_run(h, r2, {b: [3.0, -1.0]})
        emit(name, [plain(v1), plain(v2)])
    except tf.errors.OpError as e:
        emit(name, error=e)


SCENARIOS = {
    "tfgate_to_tf": (tfgate_to_tf, 1),
    "both_ways_with_variable": (both_ways_with_variable, 3),
    "two_devices_on_task1": (two_devices_on_task1, 2),
    "strings_and_ints": (strings_and_ints, 1),
    "cond_across_tasks": (cond_across_tasks, 1),
    "while_on_task1": (while_on_task1, 1),
    "error_on_task1": (error_on_task1, 1),
    "uninitialized_on_task1": (uninitialized_on_task1, 1),
}


_kept = []


def kill(target, pid):
    g = tf.Graph()
    with g.as_default():
        with tf.device(T1):
            q = tf.queue.FIFOQueue(1, tf.float32, shapes=[[]])
            blocked = q.dequeue() * 2.0
        with tf.device(T0):
            out = blocked + 1.0
        with tf.device(T1):
            up = tf.constant(1.0) + 1.0
    # Never closed (not even by the garbage collector, hence the global): closing would wait on the
    # dead task; the script exits right after.
    sess = tf.compat.v1.Session(target, graph=g)
    _kept.append(sess)
    # Both tasks are up (the session waits for task 1) before the timer starts.
    sess.run(up)
    threading.Timer(3.0, lambda: os.kill(pid, signal.SIGKILL)).start()
    try:
        sess.run(out, options=tf.compat.v1.RunOptions(timeout_in_ms=60000))
        emit("kill", "finished")
    except tf.errors.OpError as e:
        emit("kill", error=e)


def start_reference_worker(cluster):
    code = (
        "import json, sys, tensorflow as tf\n"
        "c = tf.train.ClusterSpec(json.loads(sys.argv[1]))\n"
        "cfg = tf.compat.v1.ConfigProto(device_count={'CPU': 2})\n"
        "tf.distribute.Server(c, job_name='worker', task_index=1, config=cfg).join()\n"
    )
    return subprocess.Popen([sys.executable, "-c", code, json.dumps(cluster)])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ports", required=True, help="p0,p1")
    ap.add_argument("--reference", action="store_true")
    ap.add_argument("--scenario", default="all")
    ap.add_argument("--kill-pid", type=int, default=0)
    args = ap.parse_args()
    p0, p1 = args.ports.split(",")
    cluster = {"worker": [f"127.0.0.1:{p0}", f"127.0.0.1:{p1}"]}
    ref = start_reference_worker(cluster) if args.reference else None
    try:
        server = tf.distribute.Server(tf.train.ClusterSpec(cluster), job_name="worker", task_index=0)
        if args.scenario == "kill":
            kill(server.target, ref.pid if ref is not None else args.kill_pid)
            return
        names = SCENARIOS if args.scenario == "all" else args.scenario.split(",")
        for name in names:
            build, steps = SCENARIOS[name]
            run(server.target, name, build, steps)
        if args.scenario == "all":
            partial_run(server.target, "partial_run")
    finally:
        if ref is not None and ref.poll() is None:
            ref.kill()
        sys.stdout.flush()
        # The in-process server cannot be stopped cleanly (tf.distribute.Server has no stop).
        os._exit(0)


if __name__ == "__main__":
    main()
