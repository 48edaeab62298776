"""Step time of a graph spanning two TF worker tasks, as TF's Python client sees it, through the
master at --target (TensorFlow's own or tfgate). Used by bench/remote-workers.ts.

Prints one JSON object: {"median_ms": ..., "p90_ms": ..., "steps": ..., "check": <fetched value>}.
"""

import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.compat.v1.disable_eager_execution()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", required=True)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--steps", type=int, default=200)
    args = parser.parse_args()
    n = args.size
    g = tf.Graph()
    with g.as_default():
        with tf.device("/job:worker/task:0"):
            w = tf.compat.v1.Variable(np.full((n, n), 1.0 / n, np.float32), name="w")
            x = tf.random.stateless_uniform([n, n], seed=[1, 2])
            h = tf.matmul(x, w)
        with tf.device("/job:worker/task:1"):
            y = tf.reduce_sum(tf.tanh(h) * 2.0)
        init = tf.compat.v1.global_variables_initializer()
        with tf.compat.v1.Session(args.target, graph=g) as sess:
            sess.run(init)
            for _ in range(10):
                check = sess.run(y)
            times = []
            for _ in range(args.steps):
                t0 = time.perf_counter()
                check = sess.run(y)
                times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(
        json.dumps(
            {
                "median_ms": times[len(times) // 2],
                "p90_ms": times[int(len(times) * 0.9)],
                "steps": args.steps,
                "check": float(check),
            }
        )
    )


if __name__ == "__main__":
    main()
