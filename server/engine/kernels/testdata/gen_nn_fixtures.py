#!/usr/bin/env python3
"""Writes tf-nn-fixtures.json: outputs and errors of TensorFlow's own NN kernels (tf.raw_ops, eager,
CPU) for the NN ops tfgate implements, read by ../nn-fixtures.test.ts.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_nn_fixtures.py

Inputs come from seeded generators. Most are multiples of 1/32 (exact in float32, float64, half and
bfloat16, so every dtype sees exactly the same input); activations use full float32 values plus edge
values (0, -0, thresholds, ±inf, NaN). Float outputs are written as the shortest decimal that
round-trips the output's dtype (float32 for half/bfloat16/float, float64 for double). NaN/±inf are
null/"inf"/"-inf". An output written as null (instead of an object) is one TF leaves uninitialised.

Error cases record TF's status code and message, with eager's "{{function_node …}} " prefix and
" [Op:…]" suffix removed (that is what a graph kernel reports).
"""

import json
import os
import re
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

R = tf.raw_ops
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tf-nn-fixtures.json")

TF_DTYPES = {
    "float": tf.float32,
    "double": tf.float64,
    "half": tf.float16,
    "bfloat16": tf.bfloat16,
    "int32": tf.int32,
    "int64": tf.int64,
    "uint8": tf.uint8,
    "int8": tf.int8,
    "int16": tf.int16,
    "uint16": tf.uint16,
    "uint32": tf.uint32,
    "uint64": tf.uint64,
}
FLOATS = ["float", "double", "half", "bfloat16"]

cases = []


def num(v, dtype):
    v = float(v)
    if np.isnan(v):
        return None
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    if dtype == "double":
        return v
    # Shortest decimal that round-trips float32 (exact for half/bfloat16 values too).
    s = np.format_float_positional(np.float32(v), unique=True, trim="-")
    f = float(s)
    return int(f) if f.is_integer() and abs(f) < 2**53 and "." not in s else f


def encode(t, dtype):
    a = t.numpy() if hasattr(t, "numpy") else np.asarray(t)
    if dtype in ("int32", "int64", "uint8", "int8", "int16", "uint16", "uint32", "uint64"):
        vals = [int(x) for x in a.ravel()]
    else:
        vals = [num(x, dtype) for x in a.astype(np.float64).ravel()]
    return {"dtype": dtype, "shape": list(a.shape), "values": vals}


def dtname(t):
    return {
        tf.float32: "float",
        tf.float64: "double",
        tf.float16: "half",
        tf.bfloat16: "bfloat16",
        tf.int32: "int32",
        tf.int64: "int64",
        tf.uint8: "uint8",
        tf.int8: "int8",
        tf.int16: "int16",
        tf.uint16: "uint16",
        tf.uint32: "uint32",
        tf.uint64: "uint64",
    }[t]


def tensor(values, dtype):
    return tf.constant(np.asarray(values, np.float64 if dtype in FLOATS else np.int64), dtype=TF_DTYPES[dtype]) \
        if dtype in FLOATS else tf.constant(np.asarray(values), dtype=TF_DTYPES[dtype])


def attr_json(v):
    if isinstance(v, bool):
        return {"b": v}
    if isinstance(v, int):
        return {"i": v}
    if isinstance(v, float):
        return {"f": v}
    if isinstance(v, str):
        return {"s": v}
    if isinstance(v, (list, tuple)):
        return {"ints": [int(x) for x in v]}
    if isinstance(v, tf.DType):
        return {"type": dtname(v)}
    raise TypeError(v)


def clean(msg):
    msg = re.sub(r"^\{\{function_node [^}]*\}\} ", "", msg)
    return re.sub(r" \[Op:[^\]]*\](?: name: .*)?$", "", msg, flags=re.S)


def case(name, op, inputs, attrs, skip_outputs=(), tol=None):
    """inputs: list of (arg_name, tf.Tensor); attrs: dict passed to tf.raw_ops and recorded."""
    entry = {
        "name": name,
        "op": op,
        "attrs": {k: attr_json(v) for k, v in attrs.items()},
        "inputs": [encode(t, dtname(t.dtype)) for _, t in inputs],
    }
    if tol is not None:
        entry["tol"] = tol
    try:
        out = getattr(R, op)(**dict(inputs), **attrs)
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        entry["outputs"] = [
            None if i in skip_outputs else encode(o, dtname(o.dtype)) for i, o in enumerate(outs)
        ]
    except tf.errors.OpError as e:
        entry["error"] = {"code": e.error_code, "message": clean(e.message)}
    cases.append(entry)


def grid(rng, shape, lo=-64, hi=64):
    """Random multiples of 1/32 in [lo/32, hi/32)."""
    return rng.integers(lo, hi, size=shape) / 32.0


def ints(rng, shape, lo=-4, hi=5):
    return rng.integers(lo, hi, size=shape)


def T(dtype):
    return TF_DTYPES[dtype]


# ------------------------------------------------------------------------------------------------
# Conv2D and its gradients.

def conv_cases():
    rng = np.random.default_rng(1)
    configs = [
        # name, input shape, filter shape, strides, padding, explicit, dilations
        ("same_s1", [1, 5, 5, 3], [3, 3, 3, 2], [1, 1, 1, 1], "SAME", [], [1, 1, 1, 1]),
        ("valid_s2x1", [2, 7, 6, 3], [3, 2, 3, 4], [1, 2, 1, 1], "VALID", [], [1, 1, 1, 1]),
        ("same_s2_even", [1, 6, 6, 2], [2, 2, 2, 3], [1, 2, 2, 1], "SAME", [], [1, 1, 1, 1]),
        ("same_s3_odd", [1, 7, 8, 2], [4, 3, 2, 3], [1, 3, 3, 1], "SAME", [], [1, 1, 1, 1]),
        ("explicit_s2", [1, 5, 6, 3], [3, 3, 3, 2], [1, 2, 2, 1], "EXPLICIT", [0, 0, 1, 2, 0, 3, 0, 0], [1, 1, 1, 1]),
        ("one_by_one", [2, 4, 3, 5], [1, 1, 5, 3], [1, 1, 1, 1], "SAME", [], [1, 1, 1, 1]),
        ("full_window", [2, 3, 3, 2], [3, 3, 2, 4], [1, 1, 1, 1], "VALID", [], [1, 1, 1, 1]),
        ("dilated_same", [1, 8, 8, 2], [3, 3, 2, 3], [1, 1, 1, 1], "SAME", [], [1, 2, 2, 1]),
        ("dilated_strided", [1, 9, 8, 2], [3, 2, 2, 3], [1, 2, 2, 1], "SAME", [], [1, 2, 3, 1]),
        ("dilated_valid", [1, 7, 7, 1], [2, 3, 1, 2], [1, 1, 2, 1], "VALID", [], [1, 3, 2, 1]),
        ("grouped", [1, 6, 7, 4], [2, 3, 2, 4], [1, 1, 1, 1], "SAME", [], [1, 1, 1, 1]),
        ("grouped3_strided", [2, 5, 5, 6], [3, 3, 2, 6], [1, 2, 2, 1], "VALID", [], [1, 1, 1, 1]),
        ("empty_output", [1, 2, 2, 3], [3, 3, 3, 2], [1, 1, 1, 1], "VALID", [], [1, 1, 1, 1]),
        ("zero_batch", [0, 5, 5, 3], [3, 3, 3, 2], [1, 1, 1, 1], "SAME", [], [1, 1, 1, 1]),
        ("wide", [1, 9, 11, 16], [3, 3, 16, 9], [1, 1, 1, 1], "SAME", [], [1, 1, 1, 1]),
        # 576-term patches: the im2col GEMM runs in more than one block of rows.
        ("multi_block", [1, 8, 8, 64], [3, 3, 64, 2], [1, 1, 1, 1], "SAME", [], [1, 1, 1, 1]),
    ]
    for name, xs, fs, st, pad, ep, dil in configs:
        x = grid(rng, xs)
        w = grid(rng, fs)
        dtypes = FLOATS + ["int32"] if name in ("same_s1", "valid_s2x1", "grouped", "explicit_s2") else ["float"]
        for dt in dtypes:
            if dt == "int32":
                xv, wv = ints(rng, xs), ints(rng, fs)
            else:
                xv, wv = x, w
            attrs = dict(strides=st, padding=pad, dilations=dil)
            if ep:
                attrs["explicit_paddings"] = ep
            case(f"Conv2D {name} {dt}", "Conv2D",
                 [("input", tensor(xv, dt)), ("filter", tensor(wv, dt))], attrs)

    # Gradients: out_backprop shaped like the forward output. TF's CPU backprops reject dilations
    # and groups, so those configs become error cases.
    for name, xs, fs, st, pad, ep, dil in configs:
        fwd = R.Conv2D(input=tf.zeros(xs), filter=tf.zeros(fs), strides=st, padding=pad,
                       explicit_paddings=ep, dilations=dil) if xs[3] % fs[2] == 0 else None
        ys = fwd.shape.as_list()
        attrs = dict(strides=st, padding=pad, dilations=dil)
        if ep:
            attrs["explicit_paddings"] = ep
        big = name in ("same_s1", "valid_s2x1", "explicit_s2", "same_s3_odd")
        for dt in (FLOATS + ["int32"] if big else ["float"]):
            dy = ints(rng, ys) if dt == "int32" else grid(rng, ys)
            w = ints(rng, fs) if dt == "int32" else grid(rng, fs)
            sizes = xs if name != "same_s2_even" else xs[1:3]
            case(f"Conv2DBackpropInput {name} {dt}", "Conv2DBackpropInput",
                 [("input_sizes", tf.constant(sizes, tf.int32)), ("filter", tensor(w, dt)),
                  ("out_backprop", tensor(dy, dt))], attrs)
        for dt in (FLOATS if big else ["float"]):
            x = grid(rng, xs)
            dy = grid(rng, ys)
            # With an empty out_backprop TF returns the filter gradient uninitialised.
            case(f"Conv2DBackpropFilter {name} {dt}", "Conv2DBackpropFilter",
                 [("input", tensor(x, dt)), ("filter_sizes", tf.constant(fs, tf.int32)),
                  ("out_backprop", tensor(dy, dt))], attrs, skip_outputs=(0,) if 0 in ys else ())

    f32 = lambda s: tf.zeros(s, tf.float32)  # noqa: E731
    S = [1, 1, 1, 1]
    errs = [
        ("depth not divisible", dict(input=f32([1, 5, 5, 3]), filter=f32([3, 3, 4, 2]), strides=S, padding="SAME")),
        ("groups vs out depth", dict(input=f32([1, 5, 5, 4]), filter=f32([3, 3, 2, 3]), strides=S, padding="SAME")),
        ("NCHW", dict(input=f32([1, 3, 5, 5]), filter=f32([3, 3, 3, 2]), strides=S, padding="SAME", data_format="NCHW")),
        ("input rank", dict(input=f32([5, 5, 3]), filter=f32([3, 3, 3, 2]), strides=S, padding="SAME")),
        ("filter rank", dict(input=f32([1, 5, 5, 3]), filter=f32([3, 3, 3]), strides=S, padding="SAME")),
        ("strides length", dict(input=f32([1, 5, 5, 3]), filter=f32([3, 3, 3, 2]), strides=[1, 1, 1], padding="SAME")),
        ("batch stride", dict(input=f32([1, 5, 5, 3]), filter=f32([3, 3, 3, 2]), strides=[2, 1, 1, 1], padding="SAME")),
        ("zero stride", dict(input=f32([1, 5, 5, 3]), filter=f32([3, 3, 3, 2]), strides=[1, 0, 1, 1], padding="SAME")),
        ("dilations length", dict(input=f32([1, 5, 5, 3]), filter=f32([3, 3, 3, 2]), strides=S, dilations=[1, 1, 1], padding="SAME")),
        ("depth dilation", dict(input=f32([1, 5, 5, 3]), filter=f32([3, 3, 3, 2]), strides=S, dilations=[1, 1, 1, 2], padding="SAME")),
        ("zero dilation", dict(input=f32([1, 5, 5, 3]), filter=f32([3, 3, 3, 2]), strides=S, dilations=[1, 1, 0, 1], padding="SAME")),
        ("negative output", dict(input=f32([1, 1, 1, 3]), filter=f32([3, 3, 3, 2]), strides=S, padding="VALID")),
        ("explicit length", dict(input=f32([1, 5, 5, 3]), filter=f32([3, 3, 3, 2]), strides=S, padding="EXPLICIT", explicit_paddings=[0, 0, 1, 1])),
        ("explicit negative", dict(input=f32([1, 5, 5, 3]), filter=f32([3, 3, 3, 2]), strides=S, padding="EXPLICIT", explicit_paddings=[0, 0, 1, -1, 1, 1, 0, 0])),
        ("explicit batch", dict(input=f32([1, 5, 5, 3]), filter=f32([3, 3, 3, 2]), strides=S, padding="EXPLICIT", explicit_paddings=[1, 0, 1, 1, 1, 1, 0, 0])),
        ("explicit with SAME", dict(input=f32([1, 5, 5, 3]), filter=f32([3, 3, 3, 2]), strides=S, padding="SAME", explicit_paddings=[0, 0, 1, 1, 1, 1, 0, 0])),
        ("bad padding", dict(input=f32([1, 5, 5, 3]), filter=f32([3, 3, 3, 2]), strides=S, padding="FOO")),
        ("zero-size filter", dict(input=f32([1, 5, 5, 3]), filter=f32([0, 3, 3, 2]), strides=S, padding="SAME")),
        ("zero filter depth", dict(input=f32([1, 5, 5, 0]), filter=f32([3, 3, 0, 2]), strides=S, padding="SAME")),
    ]
    for name, kw in errs:
        error_case(f"Conv2D error: {name}", "Conv2D", kw, ["input", "filter"])

    bi = lambda sizes, w, dy, **kw: dict(input_sizes=tf.constant(sizes, tf.int32), filter=f32(w), out_backprop=f32(dy), strides=kw.pop("strides", S), padding=kw.pop("padding", "SAME"), **kw)  # noqa: E731
    for name, kw in [
        ("sizes length", bi([1, 5, 5], [3, 3, 3, 2], [1, 5, 5, 2])),
        ("grouped", bi([1, 5, 5, 4], [3, 3, 2, 2], [1, 5, 5, 2])),
        ("depth not divisible", bi([1, 5, 5, 3], [3, 3, 2, 2], [1, 5, 5, 2])),
        ("out_backprop rows", bi([1, 5, 5, 3], [3, 3, 3, 2], [1, 4, 5, 2])),
        ("out depth", bi([1, 5, 5, 3], [3, 3, 3, 2], [1, 5, 5, 3])),
        ("NCHW", bi([1, 3, 5, 5], [3, 3, 3, 2], [1, 2, 5, 5], data_format="NCHW")),
        ("dilations", bi([1, 7, 7, 3], [3, 3, 3, 2], [1, 7, 7, 2], dilations=[1, 2, 2, 1])),
        ("filter rank", bi([1, 5, 5, 3], [3, 3, 3], [1, 5, 5, 2])),
        ("out_backprop rank", bi([1, 5, 5, 3], [3, 3, 3, 2], [5, 5, 2])),
        ("batch", bi([2, 5, 5, 3], [3, 3, 3, 2], [1, 5, 5, 2])),
    ]:
        error_case(f"Conv2DBackpropInput error: {name}", "Conv2DBackpropInput", kw,
                   ["input_sizes", "filter", "out_backprop"])
    bf = lambda x, sizes, dy, **kw: dict(input=f32(x), filter_sizes=tf.constant(sizes, tf.int32), out_backprop=f32(dy), strides=kw.pop("strides", S), padding=kw.pop("padding", "SAME"), **kw)  # noqa: E731
    for name, kw in [
        ("sizes length", bf([1, 5, 5, 3], [3, 3, 3], [1, 5, 5, 2])),
        ("grouped", bf([1, 5, 5, 4], [3, 3, 2, 2], [1, 5, 5, 2])),
        ("depth not divisible", bf([1, 5, 5, 3], [3, 3, 2, 2], [1, 5, 5, 2])),
        ("out_backprop cols", bf([1, 5, 5, 3], [3, 3, 3, 2], [1, 5, 4, 2])),
        ("input rank", bf([5, 5, 3], [3, 3, 3, 2], [1, 5, 5, 2])),
        ("NCHW", bf([1, 3, 5, 5], [3, 3, 3, 2], [1, 2, 5, 5], data_format="NCHW")),
        ("dilations", bf([1, 7, 7, 3], [3, 3, 3, 2], [1, 7, 7, 2], dilations=[1, 2, 2, 1])),
        ("batch stride", bf([1, 7, 7, 3], [3, 3, 3, 2], [1, 7, 7, 2], strides=[2, 1, 1, 1])),
        ("out depth", bf([1, 5, 5, 3], [3, 3, 3, 2], [1, 5, 5, 3])),
    ]:
        error_case(f"Conv2DBackpropFilter error: {name}", "Conv2DBackpropFilter", kw,
                   ["input", "filter_sizes", "out_backprop"])


def error_case(name, op, kw, input_names):
    inputs = [(n, kw.pop(n)) for n in input_names]
    case(name, op, inputs, kw)
    assert "error" in cases[-1], f"{name}: expected an error, got {cases[-1].get('outputs')}"


# ------------------------------------------------------------------------------------------------
# Depthwise convolution.

def depthwise_cases():
    rng = np.random.default_rng(2)
    configs = [
        ("same_m1", [1, 5, 5, 3], [3, 3, 3, 1], [1, 1, 1, 1], "SAME", []),
        ("valid_m2_s2", [2, 7, 6, 2], [3, 2, 2, 2], [1, 2, 2, 1], "VALID", []),
        ("same_m3_s2", [1, 6, 7, 2], [2, 3, 2, 3], [1, 2, 2, 1], "SAME", []),
        ("explicit", [1, 7, 7, 3], [3, 3, 3, 2], [1, 1, 1, 1], "EXPLICIT", [0, 0, 1, 2, 0, 1, 0, 0]),
    ]
    for name, xs, fs, st, pad, ep in configs:
        attrs = dict(strides=st, padding=pad)
        if ep:
            attrs["explicit_paddings"] = ep
        ys = R.DepthwiseConv2dNative(input=tf.zeros(xs), filter=tf.zeros(fs), **attrs).shape.as_list()
        for dt in FLOATS if name == "same_m1" or name == "valid_m2_s2" else ["float"]:
            case(f"DepthwiseConv2dNative {name} {dt}", "DepthwiseConv2dNative",
                 [("input", tensor(grid(rng, xs), dt)), ("filter", tensor(grid(rng, fs), dt))], attrs)
            case(f"DepthwiseConv2dNativeBackpropInput {name} {dt}", "DepthwiseConv2dNativeBackpropInput",
                 [("input_sizes", tf.constant(xs, tf.int32)), ("filter", tensor(grid(rng, fs), dt)),
                  ("out_backprop", tensor(grid(rng, ys), dt))], attrs)
            case(f"DepthwiseConv2dNativeBackpropFilter {name} {dt}", "DepthwiseConv2dNativeBackpropFilter",
                 [("input", tensor(grid(rng, xs), dt)), ("filter_sizes", tf.constant(fs, tf.int32)),
                  ("out_backprop", tensor(grid(rng, ys), dt))], attrs)
    f32 = lambda s: tf.zeros(s, tf.float32)  # noqa: E731
    S = [1, 1, 1, 1]
    for name, kw in [
        ("dilations", dict(input=f32([1, 7, 7, 3]), filter=f32([3, 3, 3, 2]), strides=S, dilations=[1, 2, 2, 1], padding="SAME")),
        ("depth", dict(input=f32([1, 7, 7, 3]), filter=f32([3, 3, 4, 2]), strides=S, padding="SAME")),
        ("NCHW", dict(input=f32([1, 3, 7, 7]), filter=f32([3, 3, 3, 2]), strides=S, padding="SAME", data_format="NCHW")),
        ("input rank", dict(input=f32([7, 7, 3]), filter=f32([3, 3, 3, 2]), strides=S, padding="SAME")),
        ("filter rank", dict(input=f32([1, 7, 7, 3]), filter=f32([3, 3, 3]), strides=S, padding="SAME")),
        ("unequal strides", dict(input=f32([1, 7, 7, 3]), filter=f32([3, 3, 3, 2]), strides=[1, 1, 2, 1], padding="SAME")),
        ("batch stride", dict(input=f32([1, 7, 7, 3]), filter=f32([3, 3, 3, 2]), strides=[2, 1, 1, 1], padding="SAME")),
    ]:
        error_case(f"DepthwiseConv2dNative error: {name}", "DepthwiseConv2dNative", kw, ["input", "filter"])
    for name, kw in [
        ("out depth", dict(input_sizes=tf.constant([1, 7, 7, 3]), filter=f32([3, 3, 3, 2]), out_backprop=f32([1, 7, 7, 5]), strides=S, padding="SAME")),
        ("sizes length", dict(input_sizes=tf.constant([7, 7]), filter=f32([3, 3, 3, 2]), out_backprop=f32([1, 7, 7, 6]), strides=S, padding="SAME")),
        ("NCHW", dict(input_sizes=tf.constant([1, 3, 7, 7]), filter=f32([3, 3, 3, 2]), out_backprop=f32([1, 6, 7, 7]), strides=S, padding="SAME", data_format="NCHW")),
        ("unequal strides", dict(input_sizes=tf.constant([1, 7, 7, 3]), filter=f32([3, 3, 3, 2]), out_backprop=f32([1, 7, 4, 6]), strides=[1, 1, 2, 1], padding="SAME")),
    ]:
        error_case(f"DepthwiseConv2dNativeBackpropInput error: {name}", "DepthwiseConv2dNativeBackpropInput", kw,
                   ["input_sizes", "filter", "out_backprop"])
    for name, kw in [
        ("out depth", dict(input=f32([1, 7, 7, 3]), filter_sizes=tf.constant([3, 3, 3, 2]), out_backprop=f32([1, 7, 7, 5]), strides=S, padding="SAME")),
        ("in depth", dict(input=f32([1, 7, 7, 3]), filter_sizes=tf.constant([3, 3, 2, 2]), out_backprop=f32([1, 7, 7, 6]), strides=S, padding="SAME")),
    ]:
        error_case(f"DepthwiseConv2dNativeBackpropFilter error: {name}", "DepthwiseConv2dNativeBackpropFilter", kw,
                   ["input", "filter_sizes", "out_backprop"])


# ------------------------------------------------------------------------------------------------
# Pooling.

def pool_cases():
    rng = np.random.default_rng(3)
    configs = [
        ("2x2_s2_same", [1, 5, 5, 2], [1, 2, 2, 1], [1, 2, 2, 1], "SAME", []),
        ("3x3_s1_same", [2, 4, 5, 3], [1, 3, 3, 1], [1, 1, 1, 1], "SAME", []),
        ("3x2_s2x1_valid", [1, 7, 6, 2], [1, 3, 2, 1], [1, 2, 1, 1], "VALID", []),
        ("big_window_same", [1, 5, 5, 2], [1, 7, 7, 1], [1, 2, 2, 1], "SAME", []),
        ("overlap_s2_valid", [2, 7, 7, 1], [1, 3, 3, 1], [1, 2, 2, 1], "VALID", []),
        ("explicit", [1, 5, 6, 2], [1, 2, 3, 1], [1, 2, 2, 1], "EXPLICIT", [0, 0, 1, 0, 0, 2, 0, 0]),
    ]
    for name, xs, k, st, pad, ep in configs:
        attrs = dict(ksize=k, strides=st, padding=pad)
        if ep:
            attrs["explicit_paddings"] = ep
        # Few distinct values, so windows have ties (MaxPoolGrad routes to the first maximum).
        for dt in (FLOATS + ["int32", "int64", "uint8", "int8", "int16", "uint16"]) if name == "2x2_s2_same" else FLOATS if name == "3x3_s1_same" else ["float"]:
            lo = 0 if dt.startswith("u") else -8
            x = rng.integers(lo, 8, size=xs) / (1 if dt.startswith(("int", "uint")) else 4.0)
            case(f"MaxPool {name} {dt}", "MaxPool", [("input", tensor(x, dt))], attrs)
            if dt in ("int8", "int16", "uint8", "uint16"):
                continue
            out = R.MaxPool(input=tensor(x, dt), **attrs)
            g = ints(rng, out.shape.as_list(), -6, 7) if dt in ("int32", "int64") else grid(rng, out.shape.as_list())
            case(f"MaxPoolGrad {name} {dt}", "MaxPoolGrad",
                 [("orig_input", tensor(x, dt)), ("orig_output", out), ("grad", tensor(g, dt))], attrs)
        if pad == "EXPLICIT":
            continue
        attrs = dict(ksize=k, strides=st, padding=pad)
        for dt in FLOATS if name in ("2x2_s2_same", "3x3_s1_same") else ["float"]:
            x = grid(rng, xs)
            case(f"AvgPool {name} {dt}", "AvgPool", [("value", tensor(x, dt))], attrs)
            ys = R.AvgPool(value=tf.zeros(xs), **attrs).shape.as_list()
            case(f"AvgPoolGrad {name} {dt}", "AvgPoolGrad",
                 [("orig_input_shape", tf.constant(xs, tf.int32)), ("grad", tensor(grid(rng, ys), dt))], attrs)
    # Depth-window max pooling.
    x = rng.integers(-8, 8, size=[1, 3, 3, 6]) / 4.0
    case("MaxPool depth window", "MaxPool", [("input", tensor(x, "float"))],
         dict(ksize=[1, 1, 1, 3], strides=[1, 1, 1, 3], padding="VALID"))

    f32 = lambda s: tf.zeros(s, tf.float32)  # noqa: E731
    K = [1, 2, 2, 1]
    x = f32([1, 5, 5, 2])
    for name, kw in [
        ("NCHW", dict(input=x, ksize=K, strides=K, padding="SAME", data_format="NCHW")),
        ("input rank", dict(input=f32([5, 5, 2]), ksize=K, strides=K, padding="SAME")),
        ("batch window", dict(input=x, ksize=[2, 2, 2, 1], strides=K, padding="SAME")),
        ("zero window", dict(input=x, ksize=[1, 0, 2, 1], strides=K, padding="SAME")),
        ("zero stride", dict(input=x, ksize=K, strides=[1, 0, 1, 1], padding="SAME")),
        ("depth and spatial", dict(input=x, ksize=[1, 2, 2, 2], strides=[1, 1, 1, 2], padding="VALID")),
        ("depth window not dividing", dict(input=f32([1, 3, 3, 5]), ksize=[1, 1, 1, 2], strides=[1, 1, 1, 2], padding="VALID")),
        ("depth stride", dict(input=f32([1, 3, 3, 4]), ksize=[1, 1, 1, 2], strides=[1, 1, 1, 1], padding="VALID")),
        ("explicit too big", dict(input=x, ksize=K, strides=K, padding="EXPLICIT", explicit_paddings=[0, 0, 2, 0, 0, 1, 0, 0])),
        ("explicit length", dict(input=x, ksize=K, strides=K, padding="EXPLICIT", explicit_paddings=[0, 0, 1, 1])),
        ("negative output", dict(input=x, ksize=[1, 8, 8, 1], strides=[1, 1, 1, 1], padding="VALID")),
        ("ksize length", dict(input=x, ksize=[1, 2, 2], strides=K, padding="SAME")),
    ]:
        error_case(f"MaxPool error: {name}", "MaxPool", kw, ["input"])
    for name, kw in [
        ("NCHW", dict(value=x, ksize=K, strides=K, padding="SAME", data_format="NCHW")),
        ("input rank", dict(value=f32([5, 5, 2]), ksize=K, strides=K, padding="SAME")),
        ("batch window", dict(value=x, ksize=[2, 2, 2, 1], strides=K, padding="SAME")),
        ("depth window", dict(value=x, ksize=[1, 1, 1, 2], strides=[1, 1, 1, 2], padding="VALID")),
        ("zero window", dict(value=x, ksize=[1, 0, 2, 1], strides=K, padding="SAME")),
        ("bad padding", dict(value=x, ksize=K, strides=K, padding="EXPLICIT")),
    ]:
        error_case(f"AvgPool error: {name}", "AvgPool", kw, ["value"])
    o = R.MaxPool(input=x, ksize=K, strides=K, padding="SAME")
    g = f32([1, 3, 3, 2])
    for name, kw in [
        ("grad shape", dict(orig_input=x, orig_output=o, grad=f32([1, 2, 3, 2]), ksize=K, strides=K, padding="SAME")),
        ("orig_output shape", dict(orig_input=x, orig_output=f32([1, 2, 3, 2]), grad=g, ksize=K, strides=K, padding="SAME")),
        ("input rank", dict(orig_input=f32([5, 5, 2]), orig_output=o, grad=g, ksize=K, strides=K, padding="SAME")),
        ("NCHW", dict(orig_input=x, orig_output=o, grad=g, ksize=K, strides=K, padding="SAME", data_format="NCHW")),
        ("depth window", dict(orig_input=x, orig_output=o, grad=g, ksize=[1, 1, 1, 2], strides=[1, 1, 1, 2], padding="SAME")),
    ]:
        error_case(f"MaxPoolGrad error: {name}", "MaxPoolGrad", kw, ["orig_input", "orig_output", "grad"])
    for name, kw in [
        ("shape length", dict(orig_input_shape=tf.constant([1, 5, 5]), grad=g, ksize=K, strides=K, padding="SAME")),
        ("grad rank", dict(orig_input_shape=tf.constant([1, 5, 5, 2]), grad=f32([3, 3, 2]), ksize=K, strides=K, padding="SAME")),
        ("depth window", dict(orig_input_shape=tf.constant([1, 5, 5, 2]), grad=g, ksize=[1, 1, 1, 2], strides=[1, 1, 1, 2], padding="SAME")),
        ("NCHW", dict(orig_input_shape=tf.constant([1, 2, 5, 5]), grad=f32([1, 2, 3, 3]), ksize=K, strides=K, padding="SAME", data_format="NCHW")),
        ("negative size", dict(orig_input_shape=tf.constant([1, -5, 5, 2]), grad=g, ksize=K, strides=K, padding="SAME")),
    ]:
        error_case(f"AvgPoolGrad error: {name}", "AvgPoolGrad", kw, ["orig_input_shape", "grad"])


# ------------------------------------------------------------------------------------------------
# Batch normalisation.

def batch_norm_cases():
    rng = np.random.default_rng(4)
    for fmt, xs in [("NHWC", [2, 3, 3, 4]), ("NCHW", [2, 3, 2, 5]), ("NDHWC", [1, 2, 2, 3, 3]), ("NCDHW", [2, 3, 1, 2, 2])]:
        c = xs[-1] if fmt in ("NHWC", "NDHWC") else xs[1]
        for dt in ["float", "half", "bfloat16"] if fmt == "NHWC" else ["float"]:
            x = rng.integers(-64, 64, size=xs) / 16.0
            scale = rng.integers(1, 64, size=[c]) / 16.0
            offset = grid(rng, [c])
            mean = grid(rng, [c])
            var = rng.integers(1, 64, size=[c]) / 16.0
            u = lambda v: tf.constant(v, tf.float32)  # noqa: E731
            for training, factor in [(True, 1.0), (True, 0.25), (False, 1.0)]:
                attrs = dict(epsilon=0.001, exponential_avg_factor=factor, data_format=fmt, is_training=training)
                # reserve_space_3 is uninitialised; in inference so are reserve_space_1/2.
                skip = (5,) if training else (3, 4, 5)
                case(f"FusedBatchNormV3 {fmt} training={training} factor={factor} {dt}", "FusedBatchNormV3",
                     [("x", tensor(x, dt)), ("scale", u(scale)), ("offset", u(offset)), ("mean", u(mean)),
                      ("variance", u(var))], attrs, skip_outputs=skip)
                if factor != 1.0:
                    continue
                fwd = R.FusedBatchNormV3(x=tensor(x, dt), scale=u(scale), offset=u(offset), mean=u(mean),
                                         variance=u(var), epsilon=0.001, data_format=fmt, is_training=training)
                dy = grid(rng, xs)
                rs1, rs2 = (fwd[3], fwd[4]) if training else (u(mean), u(var))
                case(f"FusedBatchNormGradV3 {fmt} training={training} {dt}", "FusedBatchNormGradV3",
                     [("y_backprop", tensor(dy, dt)), ("x", tensor(x, dt)), ("scale", u(scale)),
                      ("reserve_space_1", rs1), ("reserve_space_2", rs2), ("reserve_space_3", fwd[5])],
                     dict(epsilon=0.001, data_format=fmt, is_training=training))
    # A single element per channel: the unbiased variance divides by max(n - 1, 1).
    x = grid(rng, [1, 1, 1, 3])
    case("FusedBatchNormV3 one element per channel", "FusedBatchNormV3",
         [("x", tensor(x, "float")), ("scale", tf.ones([3])), ("offset", tf.zeros([3])),
          ("mean", tf.zeros([0])), ("variance", tf.zeros([0]))], dict(is_training=True), skip_outputs=(5,))

    f32 = lambda s: tf.zeros(s, tf.float32)  # noqa: E731
    o = lambda s: tf.ones(s, tf.float32)  # noqa: E731
    x = f32([2, 3, 3, 4])
    for name, kw in [
        ("x rank", dict(x=f32([3, 3, 4]), scale=o([4]), offset=o([4]), mean=o([4]), variance=o([4]))),
        ("scale rank", dict(x=x, scale=o([1, 4]), offset=o([4]), mean=o([4]), variance=o([4]))),
        ("scale size", dict(x=x, scale=o([3]), offset=o([4]), mean=o([4]), variance=o([4]))),
        ("offset size", dict(x=x, scale=o([4]), offset=o([3]), mean=o([4]), variance=o([4]))),
        ("mean size inference", dict(x=x, scale=o([4]), offset=o([4]), mean=o([3]), variance=o([4]), is_training=False)),
        ("variance size inference", dict(x=x, scale=o([4]), offset=o([4]), mean=o([4]), variance=o([3]), is_training=False)),
        ("mean size with avg factor", dict(x=x, scale=o([4]), offset=o([4]), mean=f32([0]), variance=f32([0]), exponential_avg_factor=0.5)),
    ]:
        error_case(f"FusedBatchNormV3 error: {name}", "FusedBatchNormV3", kw, ["x", "scale", "offset", "mean", "variance"])
    for name, kw in [
        ("shapes differ", dict(y_backprop=f32([1, 3, 3, 4]), x=x, scale=o([4]), reserve_space_1=o([4]), reserve_space_2=o([4]), reserve_space_3=f32([]))),
        ("x rank", dict(y_backprop=f32([3, 3, 4]), x=f32([3, 3, 4]), scale=o([4]), reserve_space_1=o([4]), reserve_space_2=o([4]), reserve_space_3=f32([]))),
        ("scale size", dict(y_backprop=x, x=x, scale=o([3]), reserve_space_1=o([4]), reserve_space_2=o([4]), reserve_space_3=f32([]))),
        ("reserve_space_1 size", dict(y_backprop=x, x=x, scale=o([4]), reserve_space_1=o([3]), reserve_space_2=o([4]), reserve_space_3=f32([]))),
        ("reserve_space_2 size", dict(y_backprop=x, x=x, scale=o([4]), reserve_space_1=o([4]), reserve_space_2=o([3]), reserve_space_3=f32([]))),
    ]:
        error_case(f"FusedBatchNormGradV3 error: {name}", "FusedBatchNormGradV3", kw,
                   ["y_backprop", "x", "scale", "reserve_space_1", "reserve_space_2", "reserve_space_3"])


# ------------------------------------------------------------------------------------------------
# Losses.

def loss_cases():
    rng = np.random.default_rng(5)
    for dt in FLOATS:
        logits = grid(rng, [4, 5], -256, 256)
        logits[1, 2] = 60  # large logits: the max is subtracted first
        labels = rng.integers(0, 16, size=[4, 5]) / 16.0
        labels = labels / labels.sum(axis=1, keepdims=True)
        labels = np.round(labels * 64) / 64
        case(f"SoftmaxCrossEntropyWithLogits {dt}", "SoftmaxCrossEntropyWithLogits",
             [("features", tensor(logits, dt)), ("labels", tensor(labels, dt))], {})
        case(f"SoftmaxCrossEntropyWithLogits broadcast labels {dt}", "SoftmaxCrossEntropyWithLogits",
             [("features", tensor(logits, dt)), ("labels", tensor(labels[:1], dt))], {})
        for lt in ["int32", "int64"]:
            lab = rng.integers(0, 5, size=[4])
            case(f"SparseSoftmaxCrossEntropyWithLogits {dt} {lt}", "SparseSoftmaxCrossEntropyWithLogits",
                 [("features", tensor(logits, dt)), ("labels", tensor(lab, lt))], {})
        for shape in [[], [7], [3, 4, 5]]:
            case(f"L2Loss {shape} {dt}", "L2Loss", [("t", tensor(grid(rng, shape), dt))], {})
    logits = grid(rng, [2, 3])
    case("SoftmaxCrossEntropyWithLogits broadcast features", "SoftmaxCrossEntropyWithLogits",
         [("features", tensor(logits[0], "float")), ("labels", tensor(np.full([2, 3], 1 / 4), "float"))], {})
    case("SoftmaxCrossEntropyWithLogits no classes", "SoftmaxCrossEntropyWithLogits",
         [("features", tf.zeros([2, 0])), ("labels", tf.zeros([2, 0]))], {})
    f32 = lambda s: tf.zeros(s, tf.float32)  # noqa: E731
    for name, kw in [
        ("rank 1", dict(features=f32([3]), labels=f32([3]))),
        ("rank 3", dict(features=f32([1, 2, 3]), labels=f32([1, 2, 3]))),
        ("not broadcastable", dict(features=f32([2, 3]), labels=f32([2, 2]))),
    ]:
        error_case(f"SoftmaxCrossEntropyWithLogits error: {name}", "SoftmaxCrossEntropyWithLogits", kw,
                   ["features", "labels"])
    for name, kw in [
        ("label too large", dict(features=f32([2, 3]), labels=tf.constant([0, 3], tf.int32))),
        ("negative label", dict(features=f32([2, 3]), labels=tf.constant([-1, 3], tf.int64))),
        ("logits rank", dict(features=f32([3]), labels=tf.constant([0], tf.int32))),
        ("labels rank", dict(features=f32([2, 3]), labels=tf.constant([[0, 1]], tf.int32))),
        ("batch", dict(features=f32([2, 3]), labels=tf.constant([0, 1, 1], tf.int32))),
        ("no classes", dict(features=f32([2, 0]), labels=tf.constant([0, 1], tf.int32))),
    ]:
        error_case(f"SparseSoftmaxCrossEntropyWithLogits error: {name}", "SparseSoftmaxCrossEntropyWithLogits", kw,
                   ["features", "labels"])


# ------------------------------------------------------------------------------------------------
# Activations and their gradients.

def activation_cases():
    rng = np.random.default_rng(6)
    edge = [0.0, -0.0, 1.0, -1.0, 6.0, 5.999, 6.001, -13.9, -14.0, 13.9, 14.0, -20.0, 20.0, -35.0, 35.0,
            -100.0, 100.0, 1e-8, -1e-8, 0.5, -0.5, float("inf"), float("-inf"), float("nan")]
    rnd = (rng.standard_normal(40) * 4).astype(np.float32).tolist()
    xs = edge + rnd
    gs = (rng.standard_normal(len(xs)) * 2).astype(np.float32).tolist()
    ys_sig = rng.uniform(0, 1, len(xs)).astype(np.float32).tolist()
    ys_tanh = rng.uniform(-1, 1, len(xs)).astype(np.float32).tolist()
    n = len(xs)
    for dt in FLOATS:
        x = tensor(xs, dt)
        g = tensor(gs, dt)
        for op in ["Elu", "Selu", "Softplus", "Softsign"]:
            case(f"{op} {dt}", op, [("features", x)], {})
        for alpha in [0.2, 0.01, 1.5]:
            case(f"LeakyRelu alpha={alpha} {dt}", "LeakyRelu", [("features", x)], dict(alpha=alpha))
            case(f"LeakyReluGrad alpha={alpha} {dt}", "LeakyReluGrad", [("gradients", g), ("features", x)],
                 dict(alpha=alpha))
        for op in ["ReluGrad", "Relu6Grad", "SoftplusGrad", "SoftsignGrad"]:
            case(f"{op} {dt}", op, [("gradients", g), ("features", x)], {})
        elu = R.Elu(features=x)
        selu = R.Selu(features=x)
        case(f"EluGrad {dt}", "EluGrad", [("gradients", g), ("outputs", elu)], {})
        case(f"SeluGrad {dt}", "SeluGrad", [("gradients", g), ("outputs", selu)], {})
        case(f"SigmoidGrad {dt}", "SigmoidGrad", [("y", tensor(ys_sig, dt)), ("dy", g)], {})
        case(f"TanhGrad {dt}", "TanhGrad", [("y", tensor(ys_tanh, dt)), ("dy", g)], {})
    for dt in ["int32", "int64", "uint8"]:
        fi = rng.integers(0 if dt == "uint8" else -8, 9, size=[n])
        fi[:3] = [0, 6, 7] if dt == "uint8" else [0, 6, -1]
        gi = rng.integers(0, 9, size=[n])
        case(f"ReluGrad {dt}", "ReluGrad", [("gradients", tensor(gi, dt)), ("features", tensor(fi, dt))], {})
        case(f"Relu6Grad {dt}", "Relu6Grad", [("gradients", tensor(gi, dt)), ("features", tensor(fi, dt))], {})
    f32 = lambda s: tf.zeros(s, tf.float32)  # noqa: E731
    for op in ["ReluGrad", "Relu6Grad", "SoftplusGrad", "SoftsignGrad", "LeakyReluGrad"]:
        error_case(f"{op} error: shapes", op, dict(gradients=f32([2]), features=f32([3])), ["gradients", "features"])
    for op in ["EluGrad", "SeluGrad"]:
        error_case(f"{op} error: shapes", op, dict(gradients=f32([2]), outputs=f32([3])), ["gradients", "outputs"])
    for op in ["SigmoidGrad", "TanhGrad"]:
        error_case(f"{op} error: sizes", op, dict(y=f32([2]), dy=f32([3])), ["y", "dy"])
        case(f"{op} same size other shape", op, [("y", tf.constant([[0.5, 0.25, 0.75]])), ("dy", tf.constant([1.0, 2.0, 3.0]))], {})


# ------------------------------------------------------------------------------------------------
# BiasAddGrad and LRN.

def misc_cases():
    rng = np.random.default_rng(7)
    for fmt, shape in [("NHWC", [2, 3, 4]), ("NHWC", [5, 3]), ("NCHW", [2, 3, 4, 5]), ("NCHW", [4, 3]),
                       ("NCHW", [2, 3, 2, 2, 2])]:
        for dt in FLOATS + ["int32", "int64"] if shape == [2, 3, 4] else ["float"]:
            v = ints(rng, shape, -8, 9) if dt.startswith("int") else grid(rng, shape)
            case(f"BiasAddGrad {fmt} {shape} {dt}", "BiasAddGrad", [("out_backprop", tensor(v, dt))],
                 dict(data_format=fmt))
    error_case("BiasAddGrad error: rank", "BiasAddGrad", dict(out_backprop=tf.zeros([3])), ["out_backprop"])
    for dt in ["float", "half"]:
        for radius, bias, alpha, beta in [(5, 1.0, 1.0, 0.5), (2, 2.0, 0.25, 0.75), (0, 1.5, 0.5, 1.0)]:
            x = grid(rng, [2, 2, 3, 7])
            attrs = dict(depth_radius=radius, bias=bias, alpha=alpha, beta=beta)
            y = R.LRN(input=tensor(x, dt), **attrs)
            case(f"LRN r={radius} {dt}", "LRN", [("input", tensor(x, dt))], attrs)
            case(f"LRNGrad r={radius} {dt}", "LRNGrad",
                 [("input_grads", tensor(grid(rng, [2, 2, 3, 7]), dt)), ("input_image", tensor(x, dt)),
                  ("output_image", y)], attrs)
    error_case("LRN error: rank", "LRN", dict(input=tf.zeros([2, 3])), ["input"])
    error_case("LRNGrad error: shapes", "LRNGrad",
               dict(input_grads=tf.ones([1, 1, 1, 3]), input_image=tf.ones([1, 1, 1, 3]), output_image=tf.ones([1, 1, 2, 3])),
               ["input_grads", "input_image", "output_image"])
    error_case("LRNGrad error: rank", "LRNGrad",
               dict(input_grads=tf.ones([1, 1, 3]), input_image=tf.ones([1, 1, 3]), output_image=tf.ones([1, 1, 3])),
               ["input_grads", "input_image", "output_image"])


def main():
    conv_cases()
    depthwise_cases()
    pool_cases()
    batch_norm_cases()
    loss_cases()
    activation_cases()
    misc_cases()
    doc = {
        "generator": "server/engine/kernels/testdata/gen_nn_fixtures.py",
        "tensorflow": tf.__version__,
        "numpy": np.__version__,
        "cases": cases,
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print(f"{len(cases)} cases ({sum('error' in c for c in cases)} errors) -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
