#!/usr/bin/env python3
"""A real TensorFlow gRPC server (master + worker in one process), the peer tfgate is compared with.

    .venv-tf/bin/python bench/tf-peer/tf_server.py [--port N] [--host 127.0.0.1]

Starts tf.distribute.Server for a one-task cluster {"localhost": ["HOST:PORT"]} (port 0 = pick a
free one), prints `READY <port>` on stdout (one line, flushed) and serves until stdin is closed
(or EOF), then exits 0. The parent owns the lifetime: spawn with stdin as a pipe and end it to stop
the server; if the parent dies, the pipe closes and the server stops too. Targets:
grpc://HOST:PORT for tf.compat.v1.Session, and /tensorflow.MasterService/* for raw gRPC clients.
"""

import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 = an ephemeral port")
    args = parser.parse_args()

    import tensorflow as tf

    # Port 0 in the cluster spec: TF's GrpcServer binds an ephemeral port and reports it in
    # server.target ("grpc://127.0.0.1:44999"), so there is no pick-then-bind race.
    cluster = tf.train.ClusterSpec({"localhost": [f"{args.host}:{args.port}"]})
    server = tf.distribute.Server(cluster, job_name="localhost", task_index=0, protocol="grpc", start=True)
    port = int(server.target.rsplit(":", 1)[1])
    print(f"READY {port}", flush=True)
    print(f"tf_server: TensorFlow {tf.__version__} serving {server.target}", file=sys.stderr, flush=True)

    # Block until the parent closes stdin. The server's threads are daemon-like; leaving the
    # process ends them (tf.distribute.Server has no clean stop in TF 2.x: stop() is unimplemented).
    for _ in sys.stdin:
        pass
    os._exit(0)


if __name__ == "__main__":
    main()
