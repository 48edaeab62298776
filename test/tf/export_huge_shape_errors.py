#!/usr/bin/env python3
"""Runs ops whose output size comes from input *values* with sizes no machine can hold (or that
overflow int64, or are negative) in TensorFlow itself, for test/step-budget.test.ts.

    .venv-tf/bin/python test/tf/export_huge_shape_errors.py [--out test/tf/huge-shape-errors.json]

Every case is a tf.compat.v1 graph whose size input is a placeholder (so nothing is constant
folded), run in a Session with Grappler off. TF answers RESOURCE_EXHAUSTED ("OOM when allocating
tensor with shape[...] and type ... on <device> by allocator cpu") when the shape is valid but too
big, and INVALID_ARGUMENT for a negative dimension or an int64 overflow.

For every case the JSON holds:
  graph    the GraphDef (proto3 JSON, as json_format.MessageToDict writes it)
  feeds    {name: TensorProto JSON}
  fetch    the op's output, e.g. "Fill:0"
  code     TF's error code name;  message: the kernel's message (without TF's node context/hint)
"""

import argparse
import json
import os
import re

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from google.protobuf import json_format  # noqa: E402

v1 = tf.compat.v1
v1.disable_eager_execution()

I32, I64, F32 = tf.int32, tf.int64, tf.float32

# name: (builder(placeholder) -> output tensor, placeholder dtype, fed value)
CASES = {
    "fill": (lambda p: tf.fill(p, 1.0), I32, np.array([10**6, 10**6], np.int32)),
    "fill_negative": (lambda p: tf.fill(p, 1.0), I32, np.array([-1, 3], np.int32)),
    "zeros": (lambda p: tf.zeros(p), I32, np.array([10**6, 10**6], np.int32)),
    "tile": (lambda p: tf.tile(tf.ones([1, 1]), p), I32, np.array([10**9, 10**9], np.int32)),
    "tile_overflow": (lambda p: tf.tile(tf.ones([1, 1, 1]), p), I32, np.array([10**9] * 3, np.int32)),
    "range_int64": (lambda p: tf.range(tf.constant(0, I64), p, tf.constant(1, I64)), I64, np.int64(10**12)),
    "range_float": (lambda p: tf.range(0.0, p, 1.0), F32, np.float32(1e12)),
    "random_uniform": (lambda p: tf.random.uniform(p), I64, np.array([2**40], np.int64)),
    "random_uniform_negative": (lambda p: tf.random.uniform(p), I64, np.array([-2], np.int64)),
    "random_uniform_int": (lambda p: tf.random.uniform(p, 0, 10, I32), I64, np.array([2**40], np.int64)),
    "random_standard_normal": (lambda p: tf.random.normal(p), I64, np.array([2**40], np.int64)),
    "truncated_normal": (lambda p: tf.random.truncated_normal(p), I64, np.array([2**40], np.int64)),
    "pad": (lambda p: tf.pad(tf.ones([1]), p), I64, np.array([[0, 10**12]], np.int64)),
    "pad_negative": (lambda p: tf.pad(tf.ones([1]), p), I64, np.array([[0, -5]], np.int64)),
    "pad_v2": (lambda p: tf.pad(tf.ones([1]), p, constant_values=2.0), I64, np.array([[0, 10**12]], np.int64)),
    "mirror_pad": (lambda p: tf.pad(tf.ones([2]), p, mode="REFLECT"), I64, np.array([[0, 10**12]], np.int64)),
    "broadcast_to": (lambda p: tf.broadcast_to(tf.ones([1]), p), I64, np.array([10**12], np.int64)),
    "broadcast_to_negative": (lambda p: tf.broadcast_to(tf.ones([1]), p), I64, np.array([-3], np.int64)),
    "one_hot": (lambda p: tf.one_hot(tf.constant([1, 2, 3]), p), I32, np.int32(2**31 - 1)),
    "one_hot_negative": (lambda p: tf.one_hot(tf.constant([1, 2, 3]), p), I32, np.int32(-5)),
    "reshape_negative": (lambda p: tf.reshape(tf.ones([4]), p), I32, np.array([-2, -2], np.int32)),
    "scatter_nd": (
        lambda p: tf.scatter_nd(tf.constant([[0]], I64), tf.constant([1.0]), p),
        I64,
        np.array([10**12], np.int64),
    ),
    "scatter_nd_negative": (
        lambda p: tf.scatter_nd(tf.constant([[0]], I64), tf.constant([1.0]), p),
        I64,
        np.array([-1], np.int64),
    ),
}


CODE_NAMES = {getattr(tf.errors, n): n for n in ("INVALID_ARGUMENT", "RESOURCE_EXHAUSTED", "OUT_OF_RANGE")}


def kernel_message(message: str) -> str:
    """The kernel's own text: what follows "Node: '<name>'" up to TF's node context."""
    m = re.search(r"Node: '[^']*'\n(.*?)\n\t \[\[", message, re.S)
    return m.group(1) if m else message


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "huge-shape-errors.json"))
    args = parser.parse_args()
    config = v1.ConfigProto()
    config.graph_options.rewrite_options.disable_meta_optimizer = True
    out = {}
    for name, (build, dtype, value) in CASES.items():
        g = tf.Graph()
        with g.as_default():
            p = v1.placeholder(dtype, name="size")
            y = build(p)
            with v1.Session(config=config) as sess:
                try:
                    sess.run(y.op, {p: value})
                    raise SystemExit(f"{name}: TensorFlow did not fail")
                except tf.errors.OpError as e:
                    out[name] = {
                        "graph": json_format.MessageToDict(g.as_graph_def()),
                        "feeds": {"size:0": json_format.MessageToDict(tf.make_tensor_proto(value))},
                        "fetch": y.name,
                        "code": CODE_NAMES[e.error_code],
                        "message": kernel_message(e.message),
                    }
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(out)} cases to {args.out}")


if __name__ == "__main__":
    main()
