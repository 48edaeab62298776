#!/usr/bin/env python3
"""TF 2.21 peer of bench/long-kernels.ts's MatMul rounds, driven line by line so that it runs
interleaved with tfgate's children on a shared machine.

    .venv-tf/bin/python bench/tf-peer/matmul_rounds_peer.py [--threads N]

Prints "ready", then for each line "<n>" on stdin prints one JSON line with the milliseconds
(wall, and CPU of the whole process: `kernelCpu`, `stepCpu`) of
  kernel  tf.linalg.matmul of an n×n float32 constant by itself, result copied out (.numpy()), as
          bench/tf-peer/gflops_peer.py times it
  step    the bench's step as a tf.function: v · v for an n×n variable v, one corner element
          fetched (the graph tfgate's children run)
Each size is warmed up once at its first line. --threads N sets TF's intra-op and inter-op pools
to N threads (0: TF's default, every core), before any op runs.
"""

import argparse
import json
import os
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

    import numpy as np
    import tensorflow as tf

    if args.threads > 0:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)

    @tf.function
    def step(v):
        return tf.linalg.matmul(v, v)[0:1, 0:1]

    operands = {}
    variables = {}

    def timed(fn):
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn()
        return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000

    print("ready", flush=True)
    for line in sys.stdin:
        n = int(line)
        if n not in operands:
            operands[n] = tf.constant(np.random.default_rng(1).standard_normal((n, n), dtype=np.float32))
            variables[n] = tf.Variable(tf.fill([n, n], 0.5))
            tf.linalg.matmul(operands[n], operands[n]).numpy()
            step(variables[n]).numpy()
        a = operands[n]
        v = variables[n]
        kernel, kernel_cpu = timed(lambda: tf.linalg.matmul(a, a).numpy())
        whole, whole_cpu = timed(lambda: step(v).numpy())
        print(json.dumps({"kernel": kernel, "kernelCpu": kernel_cpu, "step": whole, "stepCpu": whole_cpu}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
