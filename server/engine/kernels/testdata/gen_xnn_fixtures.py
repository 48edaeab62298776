#!/usr/bin/env python3
"""Writes xnn-tf-fixtures.json: TensorFlow 2.21's float32 MatMul, BatchMatMulV2, Conv2D and conv
gradients (tf.raw_ops, eager, CPU) on shapes large enough for tfgate's XNNPACK path, read by
../xnn.test.ts.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_xnn_fixtures.py

Inputs are not stored: both sides generate them from (seed, index) with integer arithmetic that is
exact in Python and in JS doubles (see seeded() here and in xnn.test.ts). Outputs are summarised by
the float64 sum and sum of magnitudes of all elements plus 32 samples at evenly spaced indices, which
keeps the fixture small while still checking every region of the output.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

R = tf.raw_ops
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "xnn-tf-fixtures.json")
SAMPLES = 32


def seeded(seed, shape):
    """float32 values in [-0.5, 0.5): ((i * 2654435761 + seed * 40503) mod 2^32) / 2^32 - 0.5."""
    n = int(np.prod(shape))
    i = np.arange(n, dtype=np.int64)
    u = (i * 2654435761 + seed * 40503) % (1 << 32)
    return (u.astype(np.float64) / 2.0**32 - 0.5).astype(np.float32).reshape(shape)


def summary(t):
    v = t.numpy().astype(np.float64).reshape(-1)
    idx = [(j * (v.size - 1)) // (SAMPLES - 1) for j in range(SAMPLES)]
    return {
        "shape": list(t.shape),
        "sum": float(v.sum()),
        "sumAbs": float(np.abs(v).sum()),
        "samples": [[i, float(v[i])] for i in idx],
    }


cases = []


def add(name, op, inputs, attrs, out):
    cases.append(
        {
            "name": name,
            "op": op,
            "inputs": inputs,
            "attrs": attrs,
            "output": summary(out),
        }
    )


def matmul(name, a_shape, b_shape, ta, tb, seed):
    a, b = seeded(seed, a_shape), seeded(seed + 1, b_shape)
    out = R.MatMul(a=a, b=b, transpose_a=ta, transpose_b=tb)
    add(
        name,
        "MatMul",
        [{"seed": seed, "shape": a_shape}, {"seed": seed + 1, "shape": b_shape}],
        {"transpose_a": ta, "transpose_b": tb},
        out,
    )


def batch_matmul(name, x_shape, y_shape, adj_x, adj_y, seed):
    x, y = seeded(seed, x_shape), seeded(seed + 1, y_shape)
    out = R.BatchMatMulV2(x=x, y=y, adj_x=adj_x, adj_y=adj_y)
    add(
        name,
        "BatchMatMulV2",
        [{"seed": seed, "shape": x_shape}, {"seed": seed + 1, "shape": y_shape}],
        {"adj_x": adj_x, "adj_y": adj_y},
        out,
    )


def conv_attrs(strides, padding, dilations=(1, 1), explicit=()):
    return {
        "strides": [1, strides[0], strides[1], 1],
        "padding": padding,
        "dilations": [1, dilations[0], dilations[1], 1],
        "explicit_paddings": list(explicit),
    }


def conv2d(name, x_shape, f_shape, seed, **kw):
    x, f = seeded(seed, x_shape), seeded(seed + 1, f_shape)
    a = conv_attrs(**kw)
    out = R.Conv2D(input=x, filter=f, **a)
    add(name, "Conv2D", [{"seed": seed, "shape": x_shape}, {"seed": seed + 1, "shape": f_shape}], a, out)


def conv_backprops(name, x_shape, f_shape, seed, **kw):
    a = conv_attrs(**kw)
    x, f = seeded(seed, x_shape), seeded(seed + 1, f_shape)
    y_shape = list(R.Conv2D(input=x, filter=f, **a).shape)
    dy = seeded(seed + 2, y_shape)
    dx = R.Conv2DBackpropInput(input_sizes=x_shape, filter=f, out_backprop=dy, **a)
    add(
        f"{name} input",
        "Conv2DBackpropInput",
        [{"int32": x_shape}, {"seed": seed + 1, "shape": f_shape}, {"seed": seed + 2, "shape": y_shape}],
        a,
        dx,
    )
    dw = R.Conv2DBackpropFilter(input=x, filter_sizes=f_shape, out_backprop=dy, **a)
    add(
        f"{name} filter",
        "Conv2DBackpropFilter",
        [{"seed": seed, "shape": x_shape}, {"int32": f_shape}, {"seed": seed + 2, "shape": y_shape}],
        a,
        dw,
    )


matmul("MatMul 192x320 * 320x160", [192, 320], [320, 160], False, False, 1)
matmul("MatMul transpose_a", [320, 192], [320, 160], True, False, 3)
matmul("MatMul transpose_b", [192, 320], [160, 320], False, True, 5)
matmul("MatMul transpose_a and transpose_b", [320, 192], [160, 320], True, True, 7)
batch_matmul("BatchMatMulV2 broadcast", [2, 1, 96, 128], [3, 128, 80], False, False, 11)
batch_matmul("BatchMatMulV2 adj_x adj_y", [3, 128, 96], [3, 80, 128], True, True, 13)
conv2d("Conv2D SAME", [2, 32, 32, 16], [3, 3, 16, 32], 21, strides=(1, 1), padding="SAME")
conv2d("Conv2D VALID stride 2", [2, 33, 31, 16], [3, 5, 16, 24], 23, strides=(2, 2), padding="VALID")
conv2d(
    "Conv2D EXPLICIT stride 1x2",
    [1, 30, 28, 16],
    [3, 3, 16, 32],
    25,
    strides=(1, 2),
    padding="EXPLICIT",
    explicit=(0, 0, 2, 1, 0, 3, 0, 0),
)
conv2d("Conv2D SAME dilation 2", [1, 32, 32, 16], [3, 3, 16, 32], 27, strides=(1, 1), padding="SAME", dilations=(2, 2))
conv_backprops("Conv2D grads SAME stride 2", [2, 32, 31, 16], [3, 3, 16, 32], 31, strides=(2, 2), padding="SAME")
conv_backprops("Conv2D grads VALID", [1, 30, 30, 32], [5, 5, 32, 16], 35, strides=(1, 1), padding="VALID")

with open(OUT, "w") as fh:
    json.dump({"generator": "gen_xnn_fixtures.py", "tensorflow": tf.__version__, "cases": cases}, fh, indent=1)
    fh.write("\n")
print(f"wrote {len(cases)} cases to {OUT}")
