"""Drives a master (TensorFlow's own, or tfgate) whose cluster has two TF worker tasks, with
tf.compat.v1.Session("grpc://..."), and prints what it computed as one JSON object.

The same script runs against both masters, so the test compares tfgate with TensorFlow's own
master on the same workers. Every node that computes is pinned to /job:worker/task:0 or
/job:worker/task:1; only the client's feeds and fetches touch the master's own task.

Usage: remote_workers_client.py --target grpc://127.0.0.1:PORT [--steps N] [--flows]
"""

import argparse
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.compat.v1.disable_eager_execution()
tf.compat.v1.disable_control_flow_v2()

W0 = "/job:worker/task:0"
W1 = "/job:worker/task:1"


def session(target, graph, optimize=True):
    config = tf.compat.v1.ConfigProto(operation_timeout_in_ms=60000)
    if not optimize:
        # No Grappler on the master and no constant folding on the workers: the partition graphs
        # are then the master's partitioning as is, comparable between masters.
        config.graph_options.rewrite_options.disable_meta_optimizer = True
        config.graph_options.optimizer_options.opt_level = tf.compat.v1.OptimizerOptions.L0
        config.graph_options.optimizer_options.do_constant_folding = False
    return tf.compat.v1.Session(target, graph=graph, config=config)


def ops_by_device(partition_graphs):
    """device -> sorted op types, for the partitions of the worker tasks."""
    out = {}
    for g in partition_graphs:
        for n in g.node:
            if "/job:worker/" in n.device:
                out.setdefault(n.device, []).append(n.op)
    return {d: sorted(ops) for d, ops in sorted(out.items())}


def pinned(target):
    g = tf.Graph()
    with g.as_default():
        with tf.device(W0):
            a = tf.constant([[1.0, 2.0], [3.0, 4.0]], name="a")
            b = tf.matmul(a, a, name="b")
        with tf.device(W1):
            c = tf.add(b, 10.0, name="c")
            d = tf.reduce_sum(c * b, name="d")
        with session(target, g, optimize=False) as sess:
            c_val, d_val = sess.run([c, d])
            md = tf.compat.v1.RunMetadata()
            sess.run(d, options=tf.compat.v1.RunOptions(output_partition_graphs=True), run_metadata=md)
            devices = sorted(x.name for x in sess.list_devices())
    return {
        "c": c_val.tolist(),
        "d": float(d_val),
        "partition_ops": ops_by_device(md.partition_graphs),
        "devices": devices,
    }


def training(target, steps):
    g = tf.Graph()
    rng = np.random.RandomState(7)
    x_data = rng.uniform(-1, 1, size=(16, 3)).astype(np.float32)
    y_data = (x_data @ np.array([[2.0], [-3.0], [0.5]], np.float32) + 0.25).astype(np.float32)
    with g.as_default():
        with tf.device(W0):
            w = tf.compat.v1.Variable(tf.zeros([3, 1]), name="w", use_resource=False)
            b = tf.compat.v1.Variable(tf.zeros([1]), name="b", use_resource=True)
            step = tf.compat.v1.train.get_or_create_global_step()
        with tf.device(W1):
            x = tf.constant(x_data, name="x")
            y = tf.constant(y_data, name="y")
            pred = tf.matmul(x, w) + b
            loss = tf.reduce_mean(tf.square(pred - y), name="loss")
            train = tf.compat.v1.train.GradientDescentOptimizer(0.2).minimize(loss, global_step=step)
        init = tf.compat.v1.global_variables_initializer()
        with session(target, g) as sess:
            sess.run(init)
            losses = []
            for _ in range(steps):
                _, l = sess.run([train, loss])
                losses.append(float(l))
            w_val, b_val, step_val = sess.run([w, b, step])
    return {"losses": losses, "w": w_val.tolist(), "b": b_val.tolist(), "global_step": int(step_val)}


def while_loop(target):
    g = tf.Graph()
    with g.as_default():
        with tf.device(W0):
            i0 = tf.constant(0, name="i0")
            x0 = tf.constant([1.0, -2.0], name="x0")

        def cond(i, x):
            with tf.device(W0):
                return tf.less(i, 12)

        def body(i, x):
            with tf.device(W1):
                x2 = x * 1.5 + tf.cast(i, tf.float32)
            with tf.device(W0):
                i2 = i + 1
            return i2, x2

        # The loop's own nodes (Enter, Merge, Switch, NextIteration, Exit) live on task 0, its
        # body's arithmetic on task 1: the frame spans two tasks.
        with tf.device(W0):
            i_out, x_out = tf.compat.v1.while_loop(cond, body, [i0, x0])
        with session(target, g) as sess:
            i_val, x_val = sess.run([i_out, x_out])
    return {"i": int(i_val), "x": x_val.tolist()}


def flows(target):
    """Values crossing between the master's task and the worker tasks in both directions: a feed
    consumed on task 0 and an unpinned node (on the master's task) between pinned ones. The tasks
    fetch what the master's task sends with RecvTensor on the master's WorkerService."""
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [2], name="x")
        with tf.device(W0):
            y = x * 2.0
        with tf.device(W1):
            z = y + 1.0
        w = z * 3.0
        with tf.device(W0):
            v = w - 1.0
        with session(target, g) as sess:
            values = sess.run([y, z, w, v], {x: [1.0, 2.0]})
    return [a.tolist() for a in values]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", required=True)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--flows", action="store_true", help="also run flows() (the master serves WorkerService)")
    parser.add_argument("--only-flows", action="store_true", help="run flows() only")
    args = parser.parse_args()
    if args.only_flows:
        print(json.dumps({"flows": flows(args.target)}))
        return
    result = {
        "pinned": pinned(args.target),
        "training": training(args.target, args.steps),
        "while_loop": while_loop(args.target),
    }
    if args.flows:
        result["flows"] = flows(args.target)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
