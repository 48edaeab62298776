#!/usr/bin/env python3
"""Exports v1 while loops whose frames span two CPU devices, as run by TensorFlow itself, for
test/cross-device-loops.test.ts and server/engine/partition/partition.test.ts.

    .venv-tf/bin/python test/tf/export_cross_device_loop.py [--out test/tf/cross_device_loop.json]

Each case is built with tf.compat.v1 and control flow v1 (Enter/Merge/Switch/LoopCond/
NextIteration/Exit), with some body ops pinned to /cpu:1 and the rest on /cpu:0, and run in a
tf.compat.v1.Session with device_count={'CPU': 2}, Grappler off (tfgate has none) and
RunOptions(output_partition_graphs=True).

  simple        (i, acc, y): i < n; i += 1 and the loop condition on CPU:0, acc += 3·i and
                y = 0.5·y + 1 on CPU:1 (values cross devices both ways every iteration)
  nested        an outer loop (CPU:0) whose body runs an inner loop with its body on CPU:1
  cond_in_loop  a loop whose body holds a tf.cond with a branch op on CPU:1

For every case the JSON holds:
  graph        the GraphDef (proto3 JSON, as json_format.MessageToDict writes it)
  fetches      fetched tensor names;  feeds: {name: {dtype, values}} per run
  runs         [{feeds, expected: {fetch: {dtype, shape, values}}}]
  partitions   TF's partition graphs of the first run, one per device:
               {device, nodes: [{name, op, device, input, frame_name?}]}, the nodes of the control
               loops (names starting with _cloop), the Consts feeding their Enters and every
               _Send/_Recv, i.e. everything TF's AddControlFlow and Partition add
and, for the whole file, frame_ids: the frame ids TF's executor gives the nested case's loop
instances (logged with TF_CPP_VMODULE=propagator_state=2), which rendezvous keys inside frames carry.
"""

import argparse
import json
import os
import re
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from google.protobuf import json_format  # noqa: E402

v1 = tf.compat.v1
v1.disable_v2_behavior()
v1.disable_control_flow_v2()


def build_simple():
    g = tf.Graph()
    with g.as_default():
        n = v1.placeholder(tf.int32, [], name="n")
        with tf.device("/cpu:0"):
            i0 = tf.constant(0, name="i0")
            acc0 = tf.constant(0, name="acc0")
            y0 = tf.constant(0.0, name="y0")

            def cond(i, acc, y):
                return tf.less(i, n)

            def body(i, acc, y):
                with tf.device("/cpu:1"):
                    acc2 = tf.add(acc, tf.multiply(i, 3), name="acc_next")
                    y2 = tf.add(tf.multiply(y, 0.5), 1.0, name="y_next")
                with tf.device("/cpu:0"):
                    i2 = tf.add(i, 1, name="i_next")
                return i2, acc2, y2

            out = v1.while_loop(cond, body, [i0, acc0, y0], name="loop")
        for k, t in enumerate(out):
            tf.identity(t, name=f"out{k}")
    return g, ["out0:0", "out1:0", "out2:0"], [{"n:0": 5}, {"n:0": 0}, {"n:0": 1}, {"n:0": 10000}]


def build_nested():
    g = tf.Graph()
    with g.as_default():
        n = v1.placeholder(tf.int32, [], name="n")
        m = v1.placeholder(tf.int32, [], name="m")
        with tf.device("/cpu:0"):

            def outer_body(i, total):
                def inner_body(j, s):
                    with tf.device("/cpu:1"):
                        s2 = tf.add(s, tf.multiply(i + 1, j + 1), name="s_next")
                    return j + 1, s2

                _, s = v1.while_loop(
                    lambda j, s: j < m, inner_body, [tf.constant(0), tf.constant(0)], name="inner"
                )
                return i + 1, total + s

            out = v1.while_loop(
                lambda i, total: i < n, outer_body, [tf.constant(0), tf.constant(0)], name="outer"
            )
        tf.identity(out[0], name="out0")
        tf.identity(out[1], name="out1")
    return g, ["out0:0", "out1:0"], [{"n:0": 3, "m:0": 4}, {"n:0": 2, "m:0": 0}, {"n:0": 0, "m:0": 5}]


def build_cond_in_loop():
    g = tf.Graph()
    with g.as_default():
        n = v1.placeholder(tf.int32, [], name="n")
        with tf.device("/cpu:0"):

            def body(i, acc):
                def on_even():
                    with tf.device("/cpu:1"):
                        return tf.multiply(i, 10, name="even_val")

                def on_odd():
                    return tf.negative(i, name="odd_val")

                v = v1.cond(tf.equal(tf.math.floormod(i, 2), 0), on_even, on_odd, name="pick")
                return i + 1, acc + v

            out = v1.while_loop(lambda i, acc: i < n, body, [tf.constant(0), tf.constant(0)], name="loop")
        tf.identity(out[0], name="out0")
        tf.identity(out[1], name="out1")
    return g, ["out0:0", "out1:0"], [{"n:0": 7}, {"n:0": 0}]


def summarize_partition(p):
    """The nodes TF's AddControlFlow and Partition added to a partition graph."""
    cloop_enters = {
        nd.name: nd.input[0].split(":")[0] for nd in p.node if nd.name.startswith("_cloop") and nd.op == "Enter"
    }
    feeding = set(cloop_enters.values())
    nodes = []
    for nd in p.node:
        if nd.name.startswith("_cloop") or nd.name in feeding or nd.op in ("_Send", "_Recv", "_HostSend", "_HostRecv"):
            entry = {"name": nd.name, "op": nd.op, "device": nd.device, "input": list(nd.input)}
            if "frame_name" in nd.attr:
                entry["frame_name"] = nd.attr["frame_name"].s.decode()
            if nd.op in ("_Send", "_Recv", "_HostSend", "_HostRecv"):
                entry["tensor_name"] = nd.attr["tensor_name"].s.decode()
                entry["send_device"] = nd.attr["send_device"].s.decode()
                entry["recv_device"] = nd.attr["recv_device"].s.decode()
            nodes.append(entry)
    return {"device": p.node[0].device if p.node else "", "nodes": nodes}


def tensor_json(a):
    a = np.asarray(a)
    return {"dtype": a.dtype.name, "shape": list(a.shape), "values": a.reshape(-1).tolist()}


def export_case(name, build):
    g, fetches, runs = build()
    config = v1.ConfigProto(device_count={"CPU": 2}, allow_soft_placement=False)
    # No Grappler: tfgate partitions the graph as written (Grappler would drop the loop bodies'
    # Identity nodes and move transfers around).
    config.graph_options.rewrite_options.disable_meta_optimizer = True
    out = {"name": name, "graph": json_format.MessageToDict(g.as_graph_def()), "fetches": fetches, "runs": []}
    with v1.Session(graph=g, config=config) as sess:
        for k, feeds in enumerate(runs):
            md = v1.RunMetadata()
            opts = v1.RunOptions(output_partition_graphs=True)
            vals = sess.run(fetches, {g.get_tensor_by_name(f): v for f, v in feeds.items()}, options=opts, run_metadata=md)
            out["runs"].append(
                {
                    "feeds": {f: {"dtype": "int32", "values": [v]} for f, v in feeds.items()},
                    "expected": {f: tensor_json(v) for f, v in zip(fetches, vals)},
                }
            )
            if k == 0:
                out["partitions"] = sorted(
                    (summarize_partition(p) for p in md.partition_graphs), key=lambda s: s["device"]
                )
    return out


def run_nested_once():
    """Runs the nested case once (n=2, m=1); with TF_CPP_VMODULE=propagator_state=2 TF logs its frame ids."""
    g, fetches, _ = build_nested()
    with v1.Session(graph=g, config=v1.ConfigProto(device_count={"CPU": 2})) as sess:
        sess.run(fetches, {g.get_tensor_by_name("n:0"): 2, g.get_tensor_by_name("m:0"): 1})


def tf_frame_ids():
    """TF's frame_id of each loop instance of the nested case, as its executor logs them.

    {"outer": id of outer/while_context entered from the root, "inner": [id of
    outer/inner/while_context entered from outer iteration k, k = 0..2]} (decimal strings). These
    ids are the <frame_id> part of rendezvous keys inside frames.
    """
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="0", TF_CPP_VMODULE="propagator_state=2")
    out = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--run-nested-once"], env=env, capture_output=True, text=True, check=True
    )
    ids = {}
    for m in re.finditer(r"Create frame: ;(\d+);(\S+) id: (\d+)", out.stderr):
        ids[(m.group(2), int(m.group(1)))] = m.group(3)
    return {
        "outer": ids[("outer/while_context", 0)],
        "inner": [ids[("outer/inner/while_context", k)] for k in range(3)],
    }


def main():
    if "--run-nested-once" in sys.argv:
        run_nested_once()
        return
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--out", default=os.path.join(here, "cross_device_loop.json"))
    args = ap.parse_args()
    cases = [
        export_case("simple", build_simple),
        export_case("nested", build_nested),
        export_case("cond_in_loop", build_cond_in_loop),
    ]
    with open(args.out, "w") as f:
        json.dump({"tf_version": tf.__version__, "cases": cases, "frame_ids": tf_frame_ids()}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
