"""How long TensorFlow's master takes to close a session whose worker task was killed.

Not part of the test suite (it can wait for many minutes); run by hand to see the behaviour README
"Scaling out" describes:

    .venv-tf/bin/python -u test/tf/close_after_kill.py tf      # the task is a tf.distribute.Server
    .venv-tf/bin/python -u test/tf/close_after_kill.py tfgate  # the task is `tfgate worker`

A master task (tf.distribute.Server) and one worker task; a session runs a step with a variable on
the worker, the worker is killed (SIGKILL), a step fails UNAVAILABLE, then Session.close() is timed.
Set TF_CPP_MIN_LOG_LEVEL=0 TF_CPP_VMODULE=grpc_state=1,master_session=1 to see the master's calls.
"""

import json
import os
import socket
import subprocess
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_worker(kind: str, cluster: dict, port: int) -> subprocess.Popen:
    if kind == "tf":
        args = [sys.executable, os.path.join(REPO, "test/tf/cluster_worker.py"), "--cluster", json.dumps(cluster)]
        child = subprocess.Popen(args + ["--job", "worker", "--task", "0"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        ready = b"READY"
    else:
        run_cli = "import { runCli } from './server/main.ts'; await runCli(process.argv.slice(1));"
        args = ["node", "--import", "tsx", "--input-type=module", "-e", run_cli, "worker", "--port", str(port)]
        args += ["--job", "worker", "--task", "0", "--devices", "CPU:1", "--cluster", json.dumps(cluster)]
        child = subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        ready = b"serving TensorFlow"
    while ready not in child.stdout.readline():
        pass
    return child


def main() -> None:
    kind = sys.argv[1] if len(sys.argv) > 1 else "tf"
    master_port, worker_port = free_port(), free_port()
    cluster = {"master": [f"127.0.0.1:{master_port}"], "worker": [f"127.0.0.1:{worker_port}"]}
    worker = start_worker(kind, cluster, worker_port)
    master = tf.distribute.Server(tf.train.ClusterSpec(cluster), job_name="master", task_index=0, start=True)
    g = tf.Graph()
    with g.as_default():
        with tf.device("/job:worker/task:0"):
            v = tf.compat.v1.Variable([1.0, 2.0])
            y = v * 2
        init = tf.compat.v1.global_variables_initializer()
    session = tf.compat.v1.Session(master.target, graph=g)
    session.run(init)
    print("step:", session.run(y).tolist())
    worker.kill()
    worker.wait()
    try:
        session.run(y)
    except tf.errors.OpError as e:
        print("step after the kill:", type(e).__name__)
    start = time.time()
    session.close()
    print(f"{kind}: Session.close() took {time.time() - start:.1f} s")
    os._exit(0)


if __name__ == "__main__":
    main()
