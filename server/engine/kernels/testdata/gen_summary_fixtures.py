#!/usr/bin/env python3
"""Writes summary-fixtures.json: TensorFlow 2.21's own serialized Summary protos from the summary
kernels (ScalarSummary, HistogramSummary, ImageSummary, AudioSummary, AudioSummaryV2,
TensorSummary, TensorSummaryV2, MergeSummary), read by ../summary-fixtures.test.ts, which
compares them byte for byte.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_summary_fixtures.py

Each case is one tf.raw_ops call (eager, CPU) in the format of tf_fixtures.py, except that string
tensors (serialized protos, PNG and WAV bytes) are written with "base64": true and their values
base64-encoded, and a tensor attr is ["tensor", tensor].
"""

import base64
import json
import os
import re

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow.core.framework import summary_pb2  # noqa: E402
from tf_fixtures import attr_of, clean, enc, session_error  # noqa: E402

R = tf.raw_ops
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "summary-fixtures.json")

f16, bf16, f32, f64 = tf.float16, tf.bfloat16, tf.float32, tf.float64
i8, u8, i16, u16, i32, i64, u32, u64 = tf.int8, tf.uint8, tf.int16, tf.uint16, tf.int32, tf.int64, tf.uint32, tf.uint64
REAL = [f32, f64, i32, u8, i16, i8, i64, bf16, u16, f16, u32, u64]

cases = []


def enc_any(x):
    """A tensor; string tensors base64-encoded (their bytes need not be UTF-8)."""
    t = tf.convert_to_tensor(x)
    if t.dtype != tf.string:
        return enc(t)
    a = np.asarray(t.numpy(), dtype=object)
    return {"dtype": t.dtype.as_datatype_enum, "shape": list(a.shape), "base64": True,
            "values": [base64.b64encode(bytes(v)).decode("ascii") for v in a.ravel()]}


def attr_any(v):
    if isinstance(v, np.ndarray):
        return ["tensor", enc_any(v)]
    if isinstance(v, list) and v and all(isinstance(x, str) for x in v):
        return ["stringList", v]
    return attr_of(v)


def case(op, inputs, attrs=None):
    attrs = attrs or {}
    call_attrs = {k: (tf.make_tensor_proto(v) if isinstance(v, np.ndarray) else v) for k, v in attrs.items()}
    out = run_in_graph(op, inputs, call_attrs)
    if out is None:
        return
    inferred = {}
    if op == "MergeSummary":
        inferred["N"] = len(inputs["inputs"])
    for name, x in inputs.items():
        if isinstance(x, list):
            continue
        t = tf.convert_to_tensor(x)
        if op in ("ScalarSummary", "HistogramSummary", "ImageSummary") and name in ("values", "tensor"):
            inferred["T"] = t.dtype
        if op in ("TensorSummary", "TensorSummaryV2") and name == "tensor":
            inferred["T"] = t.dtype
    c = {"op": op, "attrs": {k: attr_any(v) for k, v in {**inferred, **attrs}.items()}}
    flat = []
    for x in inputs.values():
        flat.extend(x if isinstance(x, list) else [x])
    c["inputs"] = [enc_any(x) for x in flat]
    if isinstance(out, tf.errors.OpError):
        c["error"] = {"code": out.error_code, "message": out.message}
    else:
        c["outputs"] = [enc_any(out)]
    cases.append(c)


def kernel_message(msg):
    """The kernel's message in a session error, exactly (session_error strips it, and MergeSummary's
    ends in a space)."""
    m = re.search(r"\nNode: '[^']*'\n(.*?)(\n\t \[\[|$)", msg, re.S)
    return m.group(1) if m else session_error(msg)


def run_in_graph(op, inputs, attrs):
    """The op as one node named after it in a graph run by a session (eager cannot pass
    ImageSummary's tensor attr): its output, its error, or None without a CPU kernel."""
    def value(x):
        t = tf.convert_to_tensor(x)
        return t.numpy(), t.dtype

    if op == "AudioSummary":
        # Deprecated at GraphDef version 15: a new graph cannot hold it, eager still runs it.
        try:
            return getattr(R, op)(**inputs, **attrs)
        except tf.errors.OpError as e:
            return type(e)(None, None, clean(e.message))
    values = {k: [value(x) for x in v] if isinstance(v, list) else value(v) for k, v in inputs.items()}
    g = tf.Graph()
    with g.as_default():
        def const(v):
            return tf.constant(v[0], dtype=v[1])
        feed = {k: [const(x) for x in v] if isinstance(v, list) else const(v) for k, v in values.items()}
        node = getattr(R, op)(**feed, **attrs, name=op)
    with tf.compat.v1.Session(graph=g) as sess:
        try:
            result = sess.run(node)
        except tf.errors.NotFoundError:
            return None
        except tf.errors.OpError as e:
            return type(e)(None, None, kernel_message(e.message))
    return tf.constant(result, dtype=tf.string)


def s(x):
    return tf.constant(x, tf.string)


rng = np.random.RandomState(7)

# --- ScalarSummary --------------------------------------------------------------------------------

for dt in REAL:
    vals = [1.5, -2.25, 100.0] if dt.is_floating else ([1, 2, 100] if dt.is_unsigned else [1, -2, 100])
    case("ScalarSummary", {"tags": s(["a", "b/c", "d"]), "values": tf.cast(vals, dt)})
    case("ScalarSummary", {"tags": s("loss"), "values": tf.cast(vals[0], dt)})
case("ScalarSummary", {"tags": s([["x", "y"], ["z", "w"]]), "values": tf.constant([[0.1, 1e30], [float("nan"), float("-inf")]], f64)})
case("ScalarSummary", {"tags": s([]), "values": tf.zeros([0], f32)})
case("ScalarSummary", {"tags": s("t"), "values": tf.constant(2**62 + 12345, i64)})
case("ScalarSummary", {"tags": s("only"), "values": tf.constant([1.0, 2.0], f32)})
case("ScalarSummary", {"tags": s(["a", "b"]), "values": tf.constant([1.0, 2.0, 3.0], f32)})
case("ScalarSummary", {"tags": s(["a"]), "values": tf.constant(1.0, f32)})

# --- HistogramSummary -----------------------------------------------------------------------------

for dt in REAL:
    if dt.is_floating:
        vals = np.concatenate([rng.randn(40) * 3, [0.0, 0.0, 1e-13, -1e-13, 5e3]])
    elif dt.is_unsigned:
        vals = rng.randint(0, 200, size=30)
    else:
        vals = rng.randint(-100, 100, size=30)
    case("HistogramSummary", {"tag": s("h"), "values": tf.cast(vals, dt)})
case("HistogramSummary", {"tag": s("empty"), "values": tf.zeros([0], f32)})
case("HistogramSummary", {"tag": s("zeros"), "values": tf.zeros([2, 3], f32)})
case("HistogramSummary", {"tag": s("wide"), "values": tf.constant([1e-300, -1e300, 1e25, 1.7e308, -1.7e308, 1.0, 1.1, 1.21], f64)})
case("HistogramSummary", {"tag": s("big"), "values": tf.constant(rng.randn(1000, 3), f32)})
case("HistogramSummary", {"tag": s("i64"), "values": tf.constant([2**60, -2**61, 3], i64)})
case("HistogramSummary", {"tag": s("nan"), "values": tf.constant([1.0, float("nan")], f32)})
case("HistogramSummary", {"tag": s("inf"), "values": tf.constant([1.0, float("inf")], f32)})
case("HistogramSummary", {"tag": s("-inf"), "values": tf.constant([-float("inf"), float("nan")], f64)})
case("HistogramSummary", {"tag": s(["a"]), "values": tf.constant([1.0], f32)})

# --- ImageSummary ---------------------------------------------------------------------------------


def gradient_image(shape, dt, seed):
    r = np.random.RandomState(seed)
    b, h, w, c = shape
    base = (np.arange(h)[:, None, None] * 7 + np.arange(w)[None, :, None] * 3 + np.arange(c)[None, None, :] * 50)
    img = (base[None] + r.randint(0, 20, size=shape)) % 256
    if dt == u8:
        return tf.constant(img, u8)
    return tf.cast(tf.constant(img / 37.0 - 2.5, f64), dt)


for dt in [u8, f32, f16, f64]:
    for shape in [[2, 5, 7, 3], [1, 1, 9, 1], [3, 9, 1, 4], [1, 24, 33, 3]]:
        for max_images in [1, 3]:
            case("ImageSummary", {"tag": s("img"), "tensor": gradient_image(shape, dt, sum(shape))},
                 {"max_images": max_images})
big = gradient_image([1, 70, 90, 3], u8, 3)
case("ImageSummary", {"tag": s("big"), "tensor": big}, {"max_images": 1})
case("ImageSummary", {"tag": s("noise"), "tensor": tf.constant(rng.randint(0, 256, size=[1, 64, 50, 4]), u8)})
for dt in [f32, f16, f64]:
    pos = tf.constant(rng.rand(2, 6, 5, 3) * 9, f64)
    case("ImageSummary", {"tag": s("pos"), "tensor": tf.cast(pos, dt)})
    special = np.linspace(-3, 2, 4 * 5 * 4).reshape([1, 4, 5, 4])
    special[0, 0, 0, 1] = np.nan
    special[0, 1, 2, 3] = np.inf
    special[0, 3, 4, 0] = -np.inf
    case("ImageSummary", {"tag": s("bad"), "tensor": tf.cast(special, dt)})
    case("ImageSummary", {"tag": s("bad"), "tensor": tf.cast(special, dt)},
         {"bad_color": np.array([0, 255, 0, 128], np.uint8)})
    case("ImageSummary", {"tag": s("zeros"), "tensor": tf.zeros([1, 3, 3, 1], dt)})
    case("ImageSummary", {"tag": s("tiny"), "tensor": tf.fill([1, 3, 3, 1], tf.cast(1e-7, dt))})
    case("ImageSummary", {"tag": s("allbad"), "tensor": tf.fill([1, 2, 2, 3], tf.cast(np.nan, dt))})
case("ImageSummary", {"tag": s("huge"), "tensor": tf.constant([[[[3e38], [1.0]], [[-1e38], [0.0]]]], f32)})
case("ImageSummary", {"tag": s("b0"), "tensor": tf.zeros([0, 4, 4, 3], f32)})
case("ImageSummary", {"tag": s(["v"]), "tensor": tf.zeros([1, 2, 2, 1], u8)})
case("ImageSummary", {"tag": s(["v", "w"]), "tensor": tf.zeros([1, 2, 2, 1], u8)})
case("ImageSummary", {"tag": s("r3"), "tensor": tf.zeros([2, 2, 1], u8)})
case("ImageSummary", {"tag": s("c2"), "tensor": tf.zeros([1, 2, 2, 2], f32)})
case("ImageSummary", {"tag": s("h0"), "tensor": tf.zeros([1, 0, 2, 3], u8)})
case("ImageSummary", {"tag": s("h0"), "tensor": tf.zeros([1, 2, 0, 3], f32)})
case("ImageSummary", {"tag": s("bc"), "tensor": tf.zeros([1, 2, 2, 4], f32)},
     {"bad_color": np.array([1, 2, 3], np.uint8)})
case("ImageSummary", {"tag": s("bc"), "tensor": tf.zeros([1, 2, 2, 4], u8)},
     {"bad_color": np.array([1, 2, 3], np.uint8)})

# --- AudioSummary(V2) -----------------------------------------------------------------------------

wave = np.sin(np.arange(3 * 50 * 2).reshape([3, 50, 2]) * 0.37) * 1.2
wave[0, 0, 0] = 0.5 / 32768  # a half: rounds away from zero
wave[0, 1, 0] = -1.5 / 32768
for rate in [8000.0, 44100.0, 16000.5, 16001.5, 0.3]:
    case("AudioSummaryV2", {"tag": s("snd"), "tensor": tf.constant(wave, f32), "sample_rate": tf.constant(rate, f32)})
for max_outputs in [1, 2, 5]:
    case("AudioSummaryV2", {"tag": s("mono"), "tensor": tf.constant(wave[:, :, 0], f32),
                            "sample_rate": tf.constant(22050.0, f32)}, {"max_outputs": max_outputs})
    case("AudioSummary", {"tag": s("old"), "tensor": tf.constant(wave[:2], f32)},
         {"sample_rate": 11025.0, "max_outputs": max_outputs})
case("AudioSummaryV2", {"tag": s("empty"), "tensor": tf.zeros([2, 0], f32), "sample_rate": tf.constant(8000.0)})
case("AudioSummaryV2", {"tag": s("nobatch"), "tensor": tf.zeros([0, 5, 1], f32), "sample_rate": tf.constant(8000.0)})
case("AudioSummaryV2", {"tag": s("r1"), "tensor": tf.zeros([5], f32), "sample_rate": tf.constant(8000.0)})
case("AudioSummaryV2", {"tag": s("r4"), "tensor": tf.zeros([1, 2, 3, 4], f32), "sample_rate": tf.constant(8000.0)})
case("AudioSummaryV2", {"tag": s("zero"), "tensor": tf.zeros([1, 5], f32), "sample_rate": tf.constant(0.0)})
case("AudioSummaryV2", {"tag": s("neg"), "tensor": tf.zeros([1, 5], f32), "sample_rate": tf.constant(-5.0)})
case("AudioSummaryV2", {"tag": s(["a", "b"]), "tensor": tf.zeros([1, 5], f32), "sample_rate": tf.constant(8.0)})
case("AudioSummaryV2", {"tag": s(["a"]), "tensor": tf.zeros([1, 5, 1], f32), "sample_rate": tf.constant(8.0)})
case("AudioSummaryV2", {"tag": s("c0"), "tensor": tf.zeros([1, 5, 0], f32), "sample_rate": tf.constant(8.0)})
case("AudioSummary", {"tag": s("zero"), "tensor": tf.zeros([1, 5], f32)}, {"sample_rate": 0.0})

# --- TensorSummary(V2) ----------------------------------------------------------------------------

meta = summary_pb2.SummaryMetadata()
meta.plugin_data.plugin_name = "scalars"
meta.plugin_data.content = b"\x08\x01"
meta.display_name = "shown"
meta.data_class = summary_pb2.DATA_CLASS_SCALAR
META = meta.SerializeToString()
tensors = [
    tf.constant(3.5, f32), tf.constant([[1, 2], [3, 4]], i32), tf.constant([1.5, -2.0], f64),
    tf.constant([True, False, True]), tf.constant([2**40, -7], i64), tf.constant([1.5, 2.5], f16),
    tf.constant([1.5, 2.5], bf16), tf.constant([1 + 2j, -3j], tf.complex64), tf.constant([3, 250], u8),
    tf.constant(["ab", "", "\xe9t\xe9"]), tf.constant(b"\x00\xff\x80"), tf.zeros([0, 3], f32), tf.zeros([2, 0], tf.string),
]
for t in tensors:
    case("TensorSummaryV2", {"tag": s("t"), "tensor": t, "serialized_summary_metadata": tf.constant(META)})
    case("TensorSummary", {"tensor": t})
case("TensorSummaryV2", {"tag": s("nometa"), "tensor": tf.constant(1.0), "serialized_summary_metadata": tf.constant(b"")})
case("TensorSummaryV2", {"tag": s("junk"), "tensor": tf.constant(1.0), "serialized_summary_metadata": tf.constant(b"\xff\xff")})
case("TensorSummaryV2", {"tag": s(["v"]), "tensor": tf.constant(1.0), "serialized_summary_metadata": tf.constant(META)})
case("TensorSummaryV2", {"tag": s("m"), "tensor": tf.constant(1.0), "serialized_summary_metadata": tf.constant([META])})
case("TensorSummary", {"tensor": tf.constant([1.0])}, {"description": "d", "labels": ["x"], "display_name": "n"})

# --- MergeSummary ---------------------------------------------------------------------------------

a = R.ScalarSummary(tags=s(["a", "b"]), values=tf.constant([1.0, 2.0]))
b = R.HistogramSummary(tag=s("h"), values=tf.constant([1.0, 2.0, 3.0]))
c = run_in_graph("ImageSummary", {"tag": s("i"), "tensor": gradient_image([2, 3, 4, 3], u8, 1)}, {"max_images": 2})
t1 = R.TensorSummary(tensor=tf.constant([1.0]))
dup = R.ScalarSummary(tags=s("a"), values=tf.constant(5.0))
case("MergeSummary", {"inputs": [a, b, c]})
case("MergeSummary", {"inputs": [tf.stack([a, b]), tf.reshape(c, [1, 1])]})
case("MergeSummary", {"inputs": [t1, t1]})
case("MergeSummary", {"inputs": [tf.constant(b"")]})
case("MergeSummary", {"inputs": [a, dup]})
case("MergeSummary", {"inputs": [tf.stack([a, a])]})
case("MergeSummary", {"inputs": [a, tf.constant(b"\xff\xff\xff")]})
case("MergeSummary", {"inputs": [tf.zeros([0], tf.string)]})
# Unknown fields survive a merge.
case("MergeSummary", {"inputs": [tf.constant(bytes(a.numpy()) + b"\xa0\x06\x01")]})

with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print(f"{len(cases)} cases -> {OUT}")
