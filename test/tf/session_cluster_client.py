"""TF's own Python client with ClusterSpec propagation (ConfigProto.cluster_def), for
test/session-clusters.test.ts: the same programs run against TensorFlow's master and against
tfgate, on the same worker tasks, and the answers must match.

Usage: session_cluster_client.py --target grpc://host:port --workers h:p,h:p --alt-worker h:p
                                  --boot-job <the master's own job> [--only-values | --only-pulls]

The master's own task in every cluster_def is /job:client/task:0 at the target's address; the
workers are /job:worker/task:0 and task:1. Prints one JSON object. --only-pulls runs only the
programs whose worker tasks take values from the master's own task (RecvTensor at the target).
"""

import argparse
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # noqa: E402
from tensorflow.core.protobuf import cluster_pb2  # noqa: E402


def cluster_def(jobs):
    c = cluster_pb2.ClusterDef()
    for name, tasks in jobs:
        job = c.job.add()
        job.name = name
        for index, address in tasks.items():
            job.tasks[index] = address
    return c


def config(jobs):
    return tf.compat.v1.ConfigProto(cluster_def=cluster_def(jobs))


def error(e):
    """The error's class and TF's own message (the client adds a traceback of the graph's nodes)."""
    text = str(e)
    if "Graph execution error:" in text:
        text = text.split("Graph execution error:", 1)[1].strip()
    lines = [line for line in text.split("\n") if not line.startswith("    File ") and "Detected at node" not in line]
    text = "\n".join(line for line in lines if not line.startswith("Node:")).strip()
    text = text.split("\n\t [[")[0].strip()
    return {"error": type(e).__name__, "message": text}


def pinned(target, jobs):
    g = tf.Graph()
    with g.as_default():
        with tf.device("/job:worker/task:0"):
            x = tf.constant([[1.0, 2.0], [3.0, 4.0]]) * 2.0
        with tf.device("/job:worker/task:1"):
            y = tf.matmul(x, x) + 10.0
            v = tf.compat.v1.Variable([1.0, 2.0], name="v")
            bump = v.assign_add([0.5, 0.25])
        with tf.device("/job:worker/task:0"):
            back = y * 0.5 - x  # task 1 → task 0
        z = tf.reduce_sum(back) * 3.0  # unpinned: the master's own task
        init = tf.compat.v1.global_variables_initializer()
    with tf.compat.v1.Session(target, graph=g, config=config(jobs)) as s:
        s.run(init)
        s.run(bump)
        ys, backs, zs, vs = s.run([y, back, z, bump])
        return {
            "y": ys.tolist(),
            "back": backs.tolist(),
            "z": float(zs),
            "v": vs.tolist(),
            "devices": sorted(d.name for d in s.list_devices()),
        }


def two_sessions(target, client, workers, alt):
    """Two sessions at once whose /job:worker/task:0 are different processes: separate variables."""
    g = tf.Graph()
    with g.as_default():
        with tf.device("/job:worker/task:0"):
            v = tf.compat.v1.Variable(tf.zeros([2]), name="shared_name")
            bump = v.assign_add(tf.ones([2]))
        init = tf.compat.v1.global_variables_initializer()
    a = tf.compat.v1.Session(target, graph=g, config=config([("client", {0: client}), ("worker", {0: workers[0]})]))
    b = tf.compat.v1.Session(target, graph=g, config=config([("client", {0: client}), ("worker", {0: alt})]))
    a.run(init)
    b.run(init)
    out = [a.run(bump).tolist(), a.run(bump).tolist(), b.run(bump).tolist(), a.run(v).tolist(), b.run(v).tolist()]
    a.close()
    b.close()
    return out


def try_run(target, jobs, device="/job:worker/task:0"):
    g = tf.Graph()
    with g.as_default():
        with tf.device(device):
            y = tf.constant(1.0) + 1.0
    try:
        with tf.compat.v1.Session(target, graph=g, config=config(jobs)) as s:
            return {"value": float(s.run(y))}
    except tf.errors.OpError as e:
        return error(e)


def feed_to_task(target, jobs):
    """A feed consumed on a propagated task: the task pulls it from the master's own task."""
    g = tf.Graph()
    with g.as_default():
        p = tf.compat.v1.placeholder(tf.float32, [2])
        with tf.device("/job:worker/task:0"):
            y = p * 3.0
    try:
        with tf.compat.v1.Session(target, graph=g, config=config(jobs)) as s:
            return {"value": s.run(y, {p: [1.0, 2.0]}).tolist()}
    except tf.errors.OpError as e:
        return error(e)


def unpinned_to_task(target, jobs):
    """Unpinned nodes (the master's own task) feeding nodes pinned to the propagated tasks."""
    g = tf.Graph()
    with g.as_default():
        a = tf.constant([[1.0, 2.0], [3.0, 4.0]]) + 1.0  # unpinned
        p = tf.compat.v1.placeholder(tf.float32, [2, 2])
        with tf.device("/job:worker/task:0"):
            y = tf.matmul(a, p) * 2.0
        with tf.device("/job:worker/task:1"):
            w = y - a + tf.reduce_sum(p)
        z = tf.reduce_sum(w)  # unpinned again: back to the master's task
    try:
        with tf.compat.v1.Session(target, graph=g, config=config(jobs)) as s:
            ys, ws, zs = s.run([y, w, z], {p: [[0.5, 1.0], [1.5, 2.0]]})
            ws2 = s.run(w, {p: [[1.0, 0.0], [0.0, 1.0]]})
            return {"y": ys.tolist(), "w": ws.tolist(), "z": float(zs), "w2": ws2.tolist()}
    except tf.errors.OpError as e:
        return error(e)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", required=True)
    parser.add_argument("--workers", required=True)
    parser.add_argument("--alt-worker", required=True)
    parser.add_argument("--boot-job", required=True)
    parser.add_argument("--only-values", action="store_true")
    parser.add_argument("--only-pulls", action="store_true")
    args = parser.parse_args()
    client = args.target[len("grpc://") :]
    workers = args.workers.split(",")
    good = [("client", {0: client}), ("worker", {0: workers[0], 1: workers[1]})]
    if args.only_values:
        print(json.dumps({"pinned": pinned(args.target, good)}))
        return
    if args.only_pulls:
        pulls = {"feed_to_task": feed_to_task(args.target, good), "unpinned_to_task": unpinned_to_task(args.target, good)}
        print(json.dumps(pulls))
        return
    out = {
        "pinned": pinned(args.target, good),
        "two_sessions": two_sessions(args.target, client, workers, args.alt_worker),
        "feed_to_task": feed_to_task(args.target, good),
        "list_devices": sorted(d.name for d in tf.compat.v1.Session(args.target).list_devices()),
        "errors": {
            "device_not_in_cluster": try_run(args.target, good, "/job:worker/task:5"),
            "master_not_in_cluster": try_run(args.target, [("worker", {0: workers[0], 1: workers[1]})]),
            "duplicate_job": try_run(
                args.target, [("client", {0: client}), ("worker", {0: workers[0]}), ("worker", {1: workers[1]})]
            ),
            "bad_address": try_run(args.target, [("client", {0: client}), ("worker", {0: "no-port-here"})]),
            "empty_job_name": try_run(args.target, [("client", {0: client}), ("", {0: workers[0]})], "/job:client/task:0"),
            "boot_task": try_run(args.target, [(args.boot_job, {0: client}), ("worker", {0: workers[0]})]),
            "master_twice": try_run(args.target, [("client", {0: client, 1: client}), ("worker", {0: workers[0]})]),
        },
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
