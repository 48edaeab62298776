#!/usr/bin/env python3
"""Exports tf.data pipelines and the elements TensorFlow's iterators give over them, for
test/iterator-restore.test.ts (an iterator keeps its position when its worker thread is replaced).

    .venv-tf/bin/python test/tf/export_iterator_restore.py [--out test/tf/iterator_restore.json]

Each case is built with tf.compat.v1 in graph mode and run in a tf.compat.v1.Session until
OUT_OF_RANGE (on one CPU: TF's local session cannot run an iterator pinned to a second CPU device;
the test places the nodes on the device whose thread it replaces).

  pipeline   range(0, 23).map(x * 3 + 1).batch(4).shuffle(3, seed=7), an initializable iterator
             (shared_name "pipe") and a one-shot iterator (shared_name "oneshot") over the same

The JSON holds, per case: graph (the GraphDef, proto3 JSON), init (the initializer's op name, if
any), next (the tensor to fetch) and elements (each element's int64 values, flattened).
"""

import argparse
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow as tf  # noqa: E402
from google.protobuf import json_format  # noqa: E402

v1 = tf.compat.v1
v1.disable_v2_behavior()


def pipeline():
    ds = tf.data.Dataset.range(0, 23).map(lambda x: x * 3 + 1).batch(4)
    return ds.shuffle(3, seed=7)


def build():
    g = tf.Graph()
    with g.as_default():
        v1.set_random_seed(11)
        ds = pipeline()
        it = v1.data.Iterator.from_structure(
            v1.data.get_output_types(ds), v1.data.get_output_shapes(ds), shared_name="pipe"
        )
        init = it.make_initializer(ds, name="pipe_init")
        nxt = tf.identity(it.get_next(), name="pipe_next")
        one = v1.data.make_one_shot_iterator(pipeline())
        one_next = tf.identity(one.get_next(), name="oneshot_next")
    return g, init, nxt, one_next


def run_all(sess, fetch):
    out = []
    while True:
        try:
            out.append([int(v) for v in sess.run(fetch).flatten()])
        except tf.errors.OutOfRangeError:
            return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "iterator_restore.json"))
    args = ap.parse_args()
    g, init, nxt, one_next = build()
    config = v1.ConfigProto()
    with v1.Session(graph=g, config=config) as sess:
        sess.run(init)
        elements = run_all(sess, nxt)
        oneshot = run_all(sess, one_next)
    doc = {
        "graph": json_format.MessageToDict(g.as_graph_def()),
        "init": init.name,
        "next": nxt.name,
        "elements": elements,
        "oneshot_next": one_next.name,
        "oneshot_elements": oneshot,
        "tf_version": tf.__version__,
    }
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
