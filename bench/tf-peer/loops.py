#!/usr/bin/env python3
"""Long while loops through TF's own client, tfgate against real TensorFlow in the same run.

    .venv-tf/bin/python bench/tf-peer/loops.py [--iterations 10000] [--repeats 3] [--no-write]

Starts real TF 2.21 (tf_server.py beside this file) and tfgate (`node --import tsx server/main.ts`,
silent logs), each in its own process, then runs one loop three ways on both:
  v1          tf.while_loop with TF1 control flow (Enter/Merge/Switch/NextIteration/Exit);
  v2-lowered  tf.while_loop as TF 2.x builds it (StatelessWhile marked _lower_using_switch_merge,
              which both servers lower to v1 frames, gradient accumulators in TensorLists);
  v2-kernel   the same graph with the mark removed, so the While kernel calls its functions.
The loop: s = s * 0.999 + x for n iterations, fetched forward and as d s / d x (its gradient loop
pops n values pushed by the forward loop). Per variant: the best of `repeats` steps (after one
warm-up step that builds the plan), and the growth of the server's peak RSS (VmHWM) over those
steps at n and at 10·n iterations: bounded memory means the growth does not scale with n.

Results: a Markdown table on stdout and bench/results/loops-<date>.json.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def start_tf():
    p = subprocess.Popen([sys.executable, os.path.join(HERE, "tf_server.py")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    if not line.startswith("READY "):
        raise RuntimeError(f"TF server did not start: {line!r}")
    return p, f"grpc://127.0.0.1:{int(line.split()[1])}"


def start_tfgate(port):
    code = f'import("./server/main.ts").then(m=>m.runCli(["serve","--port","{port}","--log-level","silent"]))'
    p = subprocess.Popen(["node", "--import", "tsx", "-e", code], cwd=REPO)
    for _ in range(200):
        try:
            import socket

            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return p, f"grpc://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("tfgate did not start")


def peak_rss_kib(pid):
    """VmHWM of the process and its children threads (one process for both servers here)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def build(variant):
    import tensorflow as tf

    v1 = tf.compat.v1
    if variant == "v1":
        v1.disable_control_flow_v2()
    else:
        v1.enable_control_flow_v2()
    g = tf.Graph()
    with g.as_default():
        n = v1.placeholder(tf.int32, [], name="n")
        x = v1.placeholder(tf.float32, [], name="x")
        _, s = tf.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s * 0.999 + x), [0, 0.0])
        (gx,) = tf.gradients(s, x)
    gd = g.as_graph_def()
    if variant == "v2-kernel":
        for node in list(gd.node) + [m for f in gd.library.function for m in f.node_def]:
            if "_lower_using_switch_merge" in node.attr:
                del node.attr["_lower_using_switch_merge"]
    names = (s.name, gx.name)
    g2 = tf.Graph()
    with g2.as_default():
        tf.import_graph_def(gd, name="")
    return g2, names


def measure(target, pid, variant, iterations, repeats):
    import tensorflow as tf

    v1 = tf.compat.v1
    g, (s, gx) = build(variant)
    out = {}
    with v1.Session(target, graph=g, config=v1.ConfigProto(operation_timeout_in_ms=600_000)) as sess:
        for what, fetch in (("forward", s), ("gradient", gx)):
            for n in (iterations, 10 * iterations):
                feeds = {"n:0": n, "x:0": 1.0}
                sess.run(fetch, feeds)  # builds and caches the plan
                before = peak_rss_kib(pid)
                times = []
                for _ in range(repeats):
                    t0 = time.perf_counter()
                    value = sess.run(fetch, feeds)
                    times.append(time.perf_counter() - t0)
                out[f"{what}@{n}"] = {
                    "seconds": min(times),
                    "value": float(value),
                    "peak_rss_growth_kib": peak_rss_kib(pid) - before,
                }
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--port", type=int, default=18777)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    import tensorflow as tf

    tf.compat.v1.disable_eager_execution()
    tf_proc, tf_target = start_tf()
    gate_proc, gate_target = start_tfgate(args.port)
    results = {"date": datetime.date.today().isoformat(), "iterations": args.iterations, "servers": {}}
    try:
        for server, target, pid in (("tensorflow", tf_target, tf_proc.pid), ("tfgate", gate_target, gate_proc.pid)):
            results["servers"][server] = {
                v: measure(target, pid, v, args.iterations, args.repeats) for v in ("v1", "v2-lowered", "v2-kernel")
            }
    finally:
        tf_proc.stdin.close()
        gate_proc.terminate()
        tf_proc.wait()
        gate_proc.wait()
    n = args.iterations
    print(f"| variant | step | TF s | tfgate s | tfgate/TF | tfgate RSS growth KiB @{n} / @{10 * n} |")
    print("|---|---|---|---|---|---|")
    for v in ("v1", "v2-lowered", "v2-kernel"):
        for what in ("forward", "gradient"):
            t = results["servers"]["tensorflow"][v][f"{what}@{n}"]["seconds"]
            ours = results["servers"]["tfgate"][v]
            g = ours[f"{what}@{n}"]["seconds"]
            rss = f'{ours[f"{what}@{n}"]["peak_rss_growth_kib"]} / {ours[f"{what}@{10 * n}"]["peak_rss_growth_kib"]}'
            print(f"| {v} | {what} | {t:.3f} | {g:.3f} | {t / g:.2f} | {rss} |")
    if not args.no_write:
        path = os.path.join(REPO, "bench", "results", f"loops-{results['date']}.json")
        with open(path, "w") as f:
            json.dump(results, f, indent=1)
            f.write("\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
