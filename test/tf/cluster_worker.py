"""Starts one task of a TensorFlow cluster (tf.distribute.Server) for tfgate's remote-worker tests.

Usage: cluster_worker.py --cluster '<ClusterSpec as JSON>' --job worker --task 0

Prints "READY <job> <task>" once the server listens, then serves until its standard input closes
(so the test that started it never leaves it behind), and exits.
"""

import argparse
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cluster", required=True)
    parser.add_argument("--job", required=True)
    parser.add_argument("--task", type=int, required=True)
    args = parser.parse_args()
    cluster = tf.train.ClusterSpec(json.loads(args.cluster))
    config = tf.compat.v1.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=2)
    server = tf.distribute.Server(
        cluster, job_name=args.job, task_index=args.task, config=config, start=True
    )
    print(f"READY {args.job} {args.task} {server.target}", flush=True)
    sys.stdin.read()
    os._exit(0)


if __name__ == "__main__":
    main()
