#!/usr/bin/env python3
"""Writes array-extra-fixtures.json: TensorFlow 2.21's own results (tf.raw_ops, eager, CPU) for the
linear-algebra and array ops of ordinary tf.compat.v1 programs: Qr, the V3 matrix-diagonal ops,
MatrixBandPart, Roll, ReverseSequence, EnsureShape, SpaceToDepth/DepthToSpace,
SpaceToBatchND/BatchToSpaceND, InTopKV2, LowerBound/UpperBound, HistogramFixedWidth,
GuaranteeConst, the bitwise ops, ExtractImagePatches, MaxPoolWithArgmax (+ its gradient) and
Conv3D (+ its gradients), read by ../array-extra-fixtures.test.ts.

Each op runs over the dtypes TF registers a CPU kernel for (a dtype without one is skipped), on
ordinary, empty and edge-case inputs, plus every bad input TF rejects (its code and message).
Float inputs are multiples of 1/8 where the op does arithmetic, so sums are exact.

Case format (tf_fixtures.py): {"op", "attrs": {name: [kind, value]}, "inputs": [tensor],
"outputs": [tensor] | "error": {"code", "message"}}. Type attrs are inferred from the inputs as a
GraphDef node carries them. The slice-assign ops update variables, so they are recorded as graphs
run in a tf.compat.v1 session ("graphs", tf_fixtures.graph_record).

Run from the repository root:
.venv-tf/bin/python server/engine/kernels/testdata/gen_array_extra_fixtures.py
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# TF's portable kernels, as the differential suite runs them: with oneDNN (chosen by the host CPU)
# Conv3D and MaxPool3DGrad answer differently.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow.python.framework import op_def_registry  # noqa: E402
from tf_fixtures import attr_of, clean, enc, graph_record  # noqa: E402

R = tf.raw_ops
v1 = tf.compat.v1
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "array-extra-fixtures.json")
f16, bf16, f32, f64 = tf.float16, tf.bfloat16, tf.float32, tf.float64
i8, i16, i32, i64 = tf.int8, tf.int16, tf.int32, tf.int64
u8, u16, u32, u64 = tf.uint8, tf.uint16, tf.uint32, tf.uint64
c64, c128, b, s = tf.complex64, tf.complex128, tf.bool, tf.string
INTS = [i8, i16, i32, i64, u8, u16, u32, u64]
cases = []


def attr(v):
    """attr_of, with an unknown-rank shape as ["shape", None] (and list(float) attrs, only
    Bucketize's boundaries here, as ["floatList", [...]])."""
    if isinstance(v, tf.TensorShape) and v.rank is None:
        return ["shape", None]
    return attr_of(v)


def type_attrs(op, inputs):
    """The type attrs a GraphDef node of `op` carries, read off its inputs."""
    d = op_def_registry.get(op)
    out = {}
    for arg in d.input_arg:
        v = inputs.get(arg.name)
        if v is None:
            continue
        if arg.number_attr:
            out[arg.number_attr] = len(v)
            v = v[0]
        if arg.type_attr:
            out[arg.type_attr] = tf.convert_to_tensor(v).dtype
    return out


def case(op, inputs, attrs=None, n_out=1):
    """tf.raw_ops.<op>(**inputs, **attrs) on CPU; `inputs` in the op's input order."""
    attrs = attrs or {}
    inputs = {k: v if isinstance(v, list) and isinstance(v[0], tf.Tensor) else tf.convert_to_tensor(v)
              for k, v in inputs.items()}
    try:
        with tf.device("/CPU:0"):
            out = getattr(R, op)(**inputs, **attrs)
    except tf.errors.NotFoundError:
        return  # no CPU kernel for this dtype
    except tf.errors.OpError as e:
        out = e
    c = {"op": op, "attrs": {k: ["floatList", v] if k == "boundaries" else attr(v)
                             for k, v in {**type_attrs(op, inputs), **attrs}.items()}}
    c["inputs"] = [enc(x) for t in inputs.values() for x in (t if isinstance(t, list) else [t])]
    if isinstance(out, tf.errors.OpError):
        c["error"] = {"code": out.error_code, "message": clean(out.message)}
    else:
        outs = list(out) if isinstance(out, (tuple, list)) else [out]
        c["outputs"] = [enc(o) for o in outs]
    cases.append(c)


def grid(dtype, shape, seed=0, lo=-16, hi=16):
    """Multiples of 1/8 in [lo/8, hi/8) (complex: both parts); small integers for int dtypes."""
    rng = np.random.RandomState(seed)
    if dtype == tf.bool:
        return tf.constant(rng.randint(0, 2, size=shape).astype(bool))
    if dtype == tf.string:
        return tf.constant(rng.randint(0, 100, size=shape).astype(str).astype(object), tf.string)
    if dtype.is_integer:
        lo_i = 0 if dtype.is_unsigned else -50
        return tf.constant(rng.randint(lo_i, 100, size=shape), dtype)
    vals = rng.randint(lo, hi, size=shape) / 8.0
    if dtype.is_complex:
        vals = vals + 1j * rng.randint(lo, hi, size=shape) / 8.0
        return tf.cast(tf.constant(vals, c128), dtype)
    return tf.cast(tf.constant(vals, f64), dtype)


def seq(dtype, shape):
    """0, 1, 2, … in `shape` (data-movement ops: every element distinct)."""
    n = int(np.prod(shape))
    if dtype == tf.bool:
        return tf.constant((np.arange(n) % 3 == 0).reshape(shape))
    if dtype == tf.string:
        return tf.constant(np.arange(n).astype(str).astype(object).reshape(shape), tf.string)
    if dtype.is_complex:
        return tf.cast(tf.constant((np.arange(n) + 0.5j * np.arange(n)).reshape(shape)), dtype)
    return tf.cast(tf.constant(np.arange(n).reshape(shape) % 120), dtype)


# --- Qr -----------------------------------------------------------------------------------------

rng = np.random.RandomState(7)
for dt in [f32, f64, c64, c128, f16]:
    for shape in [[3, 3], [4, 2], [2, 4], [2, 3, 3], [1, 1], [5, 3], [0, 3], [3, 0], [2, 0, 0]]:
        for full in [False, True]:
            a = rng.standard_normal(shape)
            if dt.is_complex:
                a = a + 1j * rng.standard_normal(shape)
            case("Qr", {"input": tf.cast(tf.constant(a), dt)}, {"full_matrices": full})
# Rank-deficient and zero columns (Householder with a zero tail).
for a in [[[1.0, 2.0], [2.0, 4.0]], [[0.0, 1.0], [0.0, 2.0]], [[3.0, 0.0], [0.0, 0.0]],
          [[-1.0, 0.0], [0.0, -2.0]], [[0.0, 0.0], [0.0, 0.0]]]:
    case("Qr", {"input": tf.constant(a, f64)}, {"full_matrices": True})
    case("Qr", {"input": tf.constant(a, f32)}, {"full_matrices": False})
# The orthogonal initializer's shapes: (4u, u) Gaussian matrices.
for shape in [[16, 4], [32, 8], [64, 16]]:
    case("Qr", {"input": tf.constant(rng.standard_normal(shape), f32)}, {"full_matrices": False})
case("Qr", {"input": tf.constant(rng.standard_normal([60, 50]), f64)}, {"full_matrices": False})
case("Qr", {"input": tf.constant([1.0, 2.0], f32)})
case("Qr", {"input": tf.constant(3.0, f32)})

# --- MatrixDiagV3 / MatrixDiagPartV3 / MatrixSetDiagV3 / MatrixBandPart --------------------------

ALIGNS = ["RIGHT_LEFT", "LEFT_RIGHT", "LEFT_LEFT", "RIGHT_RIGHT"]
for dt in [f32, f64, f16, bf16, i32, i64, u8, i8, i16, u16, u32, u64, c64, c128, b, s]:
    case("MatrixDiagV3", {"diagonal": seq(dt, [2, 3]), "k": 0, "num_rows": -1, "num_cols": -1,
                          "padding_value": tf.zeros([], dt) if dt != s else tf.constant("")})
    case("MatrixDiagPartV3", {"input": seq(dt, [2, 3, 3]), "k": 0,
                              "padding_value": tf.zeros([], dt) if dt != s else tf.constant("")})
    case("MatrixSetDiagV3", {"input": seq(dt, [2, 3, 3]), "diagonal": seq(dt, [2, 3]), "k": 0})
    case("MatrixBandPart", {"input": seq(dt, [2, 3, 4]), "num_lower": tf.constant(1, i64),
                            "num_upper": tf.constant(0, i64)})
for align in ALIGNS:
    for k in [[-1, 1], [0, 2], [-2, 0], [1, 1], [-3, 2], [2, 3]]:
        x = seq(f32, [2, 4, 5]) + 1.0
        case("MatrixDiagPartV3", {"input": x, "k": tf.constant(k), "padding_value": 9.0},
             {"align": align})
        nd = k[1] - k[0] + 1
        dlen = 4
        d = seq(f32, [2, nd, dlen]) + 1.0
        case("MatrixSetDiagV3", {"input": x, "diagonal": d if nd > 1 else d[:, 0], "k": tf.constant(k)},
             {"align": align})
        case("MatrixDiagV3", {"diagonal": d if nd > 1 else d[:, 0], "k": tf.constant(k), "num_rows": -1,
                              "num_cols": -1, "padding_value": 7.0}, {"align": align})
        case("MatrixDiagV3", {"diagonal": d if nd > 1 else d[:, 0], "k": tf.constant(k), "num_rows": 6,
                              "num_cols": -1, "padding_value": 7.0}, {"align": align})
        case("MatrixDiagV3", {"diagonal": d if nd > 1 else d[:, 0], "k": tf.constant(k), "num_rows": -1,
                              "num_cols": 7, "padding_value": 0.0}, {"align": align})
    case("MatrixDiagPartV3", {"input": seq(i32, [3, 4, 2]), "k": tf.constant([-3, 1]), "padding_value": -1},
         {"align": align})
    case("MatrixDiagPartV3", {"input": seq(i32, [4, 4]), "k": 2, "padding_value": -1}, {"align": align})
    case("MatrixDiagV3", {"diagonal": seq(i32, [3]), "k": tf.constant([1]), "num_rows": 5, "num_cols": 5,
                          "padding_value": -1}, {"align": align})
# Scalar k, k with a length-1 vector, empty inputs.
case("MatrixDiagV3", {"diagonal": seq(f32, [0]), "k": 0, "num_rows": -1, "num_cols": -1, "padding_value": 0.0})
case("MatrixDiagV3", {"diagonal": seq(f32, [2, 0]), "k": 0, "num_rows": -1, "num_cols": -1, "padding_value": 0.0})
case("MatrixDiagV3", {"diagonal": seq(f32, [3]), "k": -2, "num_rows": -1, "num_cols": -1, "padding_value": 0.0})
case("MatrixDiagV3", {"diagonal": seq(f32, [3]), "k": 0, "num_rows": 3, "num_cols": 4, "padding_value": 0.0})
case("MatrixDiagPartV3", {"input": seq(f32, [0, 3, 3]), "k": 0, "padding_value": 0.0})
case("MatrixDiagPartV3", {"input": seq(f32, [2, 0, 3]), "k": 0, "padding_value": 0.0})
case("MatrixSetDiagV3", {"input": seq(f32, [0, 3, 3]), "diagonal": seq(f32, [0, 3]), "k": 0})
# Errors.
case("MatrixDiagV3", {"diagonal": seq(f32, [3]), "k": tf.constant([1, 0]), "num_rows": -1, "num_cols": -1,
                      "padding_value": 0.0})
case("MatrixDiagV3", {"diagonal": seq(f32, [3]), "k": tf.constant([0, 1, 2]), "num_rows": -1, "num_cols": -1,
                      "padding_value": 0.0})
case("MatrixDiagV3", {"diagonal": seq(f32, [3]), "k": tf.zeros([0], i32), "num_rows": -1, "num_cols": -1,
                      "padding_value": 0.0})
case("MatrixDiagV3", {"diagonal": seq(f32, [3]), "k": 0, "num_rows": 2, "num_cols": -1, "padding_value": 0.0})
case("MatrixDiagV3", {"diagonal": seq(f32, [3]), "k": 0, "num_rows": 4, "num_cols": 5, "padding_value": 0.0})
case("MatrixDiagV3", {"diagonal": seq(f32, [3]), "k": 0, "num_rows": tf.constant([3]), "num_cols": -1,
                      "padding_value": 0.0})
case("MatrixDiagV3", {"diagonal": seq(f32, [3]), "k": 0, "num_rows": -1, "num_cols": -1,
                      "padding_value": tf.constant([0.0])})
case("MatrixDiagV3", {"diagonal": seq(f32, [2, 3]), "k": tf.constant([0, 1]), "num_rows": -1, "num_cols": -1,
                      "padding_value": 0.0})
case("MatrixDiagV3", {"diagonal": seq(f32, [2, 3]), "k": tf.constant([0, 2]), "num_rows": -1, "num_cols": -1,
                      "padding_value": 0.0})
case("MatrixDiagV3", {"diagonal": tf.constant(1.0), "k": 0, "num_rows": -1, "num_cols": -1, "padding_value": 0.0})
case("MatrixDiagPartV3", {"input": seq(f32, [3]), "k": 0, "padding_value": 0.0})
case("MatrixDiagPartV3", {"input": seq(f32, [3, 3]), "k": 3, "padding_value": 0.0})
case("MatrixDiagPartV3", {"input": seq(f32, [3, 3]), "k": -3, "padding_value": 0.0})
case("MatrixDiagPartV3", {"input": seq(f32, [3, 3]), "k": tf.constant([1, -1]), "padding_value": 0.0})
case("MatrixDiagPartV3", {"input": seq(f32, [3, 3]), "k": tf.constant([[1]]), "padding_value": 0.0})
case("MatrixDiagPartV3", {"input": seq(f32, [3, 3]), "k": 0, "padding_value": tf.constant([0.0, 1.0])})
case("MatrixSetDiagV3", {"input": seq(f32, [3]), "diagonal": seq(f32, [3]), "k": 0})
case("MatrixSetDiagV3", {"input": seq(f32, [3, 3]), "diagonal": seq(f32, [2]), "k": 0})
case("MatrixSetDiagV3", {"input": seq(f32, [2, 3, 3]), "diagonal": seq(f32, [3, 3]), "k": 0})
case("MatrixSetDiagV3", {"input": seq(f32, [3, 3]), "diagonal": seq(f32, [2, 3]), "k": tf.constant([0, 2])})
case("MatrixSetDiagV3", {"input": seq(f32, [3, 3]), "diagonal": seq(f32, [3]), "k": 4})
case("MatrixSetDiagV3", {"input": seq(f32, [3, 3]), "diagonal": seq(f32, [3]), "k": tf.constant([2, 1])})
case("MatrixSetDiagV3", {"input": seq(f32, [3, 4]), "diagonal": seq(f32, [2, 3]), "k": tf.constant([0, 1])})
for lo, up in [(0, -1), (-1, 0), (0, 0), (-1, -1), (2, 1), (5, 5), (1, 3)]:
    case("MatrixBandPart", {"input": seq(f32, [3, 4]) + 1, "num_lower": tf.constant(lo, i64),
                            "num_upper": tf.constant(up, i64)})
    case("MatrixBandPart", {"input": seq(i32, [2, 4, 3]) + 1, "num_lower": tf.constant(lo, i32),
                            "num_upper": tf.constant(up, i32)})
case("MatrixBandPart", {"input": seq(f32, [0, 3]), "num_lower": tf.constant(0, i64), "num_upper": tf.constant(0, i64)})
case("MatrixBandPart", {"input": seq(f32, [3]), "num_lower": tf.constant(0, i64), "num_upper": tf.constant(0, i64)})
case("MatrixBandPart", {"input": seq(f32, [3, 3]), "num_lower": tf.constant([0], i64), "num_upper": tf.constant(0, i64)})
case("MatrixBandPart", {"input": seq(f32, [3, 3]), "num_lower": tf.constant(0, i64), "num_upper": tf.constant([0], i64)})
case("MatrixBandPart", {"input": seq(f32, [3, 3]), "num_lower": tf.constant(4, i64), "num_upper": tf.constant(0, i64)})
case("MatrixBandPart", {"input": seq(f32, [3, 3]), "num_lower": tf.constant(-2, i64), "num_upper": tf.constant(0, i64)})
case("MatrixBandPart", {"input": seq(f32, [3, 3]), "num_lower": tf.constant(0, i64), "num_upper": tf.constant(4, i64)})
case("MatrixBandPart", {"input": seq(f32, [3, 3]), "num_lower": tf.constant(0, i64), "num_upper": tf.constant(-3, i64)})

# --- Roll ---------------------------------------------------------------------------------------

for dt in [f32, f64, f16, bf16, i32, i64, u8, i8, i16, u16, u32, u64, c64, c128, b, s]:
    case("Roll", {"input": seq(dt, [2, 3]), "shift": tf.constant([1, -1]), "axis": tf.constant([0, 1])})
for shift, axis in [(2, 0), (-7, 0), ([1, 2], [1, 1]), ([3, -1], [-1, 0]), (0, 0), (5, 1),
                    (tf.constant([1, 2], i64), tf.constant([0, 2], i64)), (1, -3)]:
    case("Roll", {"input": seq(f32, [3, 4, 2]), "shift": shift, "axis": axis})
case("Roll", {"input": seq(f32, [5]), "shift": 2, "axis": 0})
case("Roll", {"input": seq(f32, [0, 3]), "shift": 2, "axis": 1})
case("Roll", {"input": seq(f32, [2, 0]), "shift": 2, "axis": 0})
case("Roll", {"input": tf.constant(1.0), "shift": 1, "axis": 0})
case("Roll", {"input": seq(f32, [3]), "shift": tf.constant([[1]]), "axis": 0})
case("Roll", {"input": seq(f32, [3]), "shift": 1, "axis": tf.constant([[0]])})
case("Roll", {"input": seq(f32, [3, 2]), "shift": tf.constant([1, 2]), "axis": 0})
case("Roll", {"input": seq(f32, [3, 2]), "shift": 1, "axis": 2})
case("Roll", {"input": seq(f32, [3, 2]), "shift": 1, "axis": -3})

# --- ReverseSequence ----------------------------------------------------------------------------

for dt in [f32, f64, f16, bf16, i32, i64, u8, i8, i16, u16, u32, u64, c64, c128, b, s]:
    case("ReverseSequence", {"input": seq(dt, [3, 4]), "seq_lengths": tf.constant([2, 4, 0], i64)},
         {"seq_dim": 1, "batch_dim": 0})
case("ReverseSequence", {"input": seq(f32, [4, 3, 2]), "seq_lengths": tf.constant([1, 3, 4], i32)},
     {"seq_dim": 0, "batch_dim": 1})
case("ReverseSequence", {"input": seq(f32, [2, 3, 4]), "seq_lengths": tf.constant([3, 1], i32)},
     {"seq_dim": 2, "batch_dim": 0})
case("ReverseSequence", {"input": seq(f32, [2, 5, 2]), "seq_lengths": tf.constant([3, 5], i64)},
     {"seq_dim": 1, "batch_dim": -3})
case("ReverseSequence", {"input": seq(f32, [0, 3]), "seq_lengths": tf.zeros([0], i64)}, {"seq_dim": 1})
# Errors.
case("ReverseSequence", {"input": seq(f32, [3, 4]), "seq_lengths": tf.constant([2, 5, 0], i64)}, {"seq_dim": 1})
case("ReverseSequence", {"input": seq(f32, [3, 4]), "seq_lengths": tf.constant([2, -1, 0], i64)}, {"seq_dim": 1})
case("ReverseSequence", {"input": seq(f32, [3, 4]), "seq_lengths": tf.constant([2, 1], i64)}, {"seq_dim": 1})
case("ReverseSequence", {"input": seq(f32, [3, 4]), "seq_lengths": tf.constant([[2, 1, 1]], i64)}, {"seq_dim": 1})
case("ReverseSequence", {"input": seq(f32, [3, 4]), "seq_lengths": tf.constant([2, 1, 1], i64)}, {"seq_dim": 0})
case("ReverseSequence", {"input": seq(f32, [3, 4]), "seq_lengths": tf.constant([2, 1, 1], i64)}, {"seq_dim": 2})
case("ReverseSequence", {"input": seq(f32, [3, 4]), "seq_lengths": tf.constant([2, 1, 1], i64)},
     {"seq_dim": 1, "batch_dim": 3})

# --- EnsureShape / GuaranteeConst ---------------------------------------------------------------

for dt in [f32, i32, s, b, c64]:
    case("EnsureShape", {"input": seq(dt, [2, 3])}, {"shape": tf.TensorShape([2, None])})
    case("GuaranteeConst", {"input": seq(dt, [2, 3])})
case("EnsureShape", {"input": seq(f32, [2, 3])}, {"shape": tf.TensorShape(None)})
case("EnsureShape", {"input": seq(f32, [2, 3])}, {"shape": tf.TensorShape([2, 4])})
case("EnsureShape", {"input": seq(f32, [2, 3])}, {"shape": tf.TensorShape([None])})
case("EnsureShape", {"input": tf.constant(1.0)}, {"shape": tf.TensorShape([])})
case("EnsureShape", {"input": tf.constant(1.0)}, {"shape": tf.TensorShape([1])})
case("EnsureShape", {"input": seq(f32, [0, 3])}, {"shape": tf.TensorShape([None, 3])})

# --- SpaceToDepth / DepthToSpace ----------------------------------------------------------------

for dt in [f32, f64, f16, bf16, i32, i64, u8, i8, i16, u16, u32, u64, c64, c128, b, s]:
    case("SpaceToDepth", {"input": seq(dt, [1, 4, 4, 2])}, {"block_size": 2})
    case("DepthToSpace", {"input": seq(dt, [1, 2, 2, 8])}, {"block_size": 2})
case("SpaceToDepth", {"input": seq(f32, [2, 6, 3, 2])}, {"block_size": 3})
case("DepthToSpace", {"input": seq(f32, [2, 2, 1, 18])}, {"block_size": 3})
case("SpaceToDepth", {"input": seq(f32, [0, 4, 4, 1])}, {"block_size": 2})
case("DepthToSpace", {"input": seq(f32, [0, 2, 2, 4])}, {"block_size": 2})
case("SpaceToDepth", {"input": seq(f32, [1, 5, 4, 1])}, {"block_size": 2})
case("SpaceToDepth", {"input": seq(f32, [1, 4, 5, 1])}, {"block_size": 2})
case("SpaceToDepth", {"input": seq(f32, [4, 4, 1])}, {"block_size": 2})
case("SpaceToDepth", {"input": seq(f32, [1, 4, 4, 4])}, {"block_size": 2, "data_format": "NCHW"})
case("DepthToSpace", {"input": seq(f32, [1, 2, 2, 6])}, {"block_size": 2})
case("DepthToSpace", {"input": seq(f32, [2, 2, 4])}, {"block_size": 2})
case("DepthToSpace", {"input": seq(f32, [1, 2, 2, 4])}, {"block_size": 2, "data_format": "NCHW"})

# --- SpaceToBatchND / BatchToSpaceND ------------------------------------------------------------

for dt in [f32, f64, f16, bf16, i32, i64, u8, i8, i16, u16, u32, u64, c64, c128, b, s]:
    case("SpaceToBatchND", {"input": seq(dt, [1, 4, 4, 1]), "block_shape": [2, 2], "paddings": [[0, 0], [0, 0]]})
    case("BatchToSpaceND", {"input": seq(dt, [4, 2, 2, 1]), "block_shape": [2, 2], "crops": [[0, 0], [0, 0]]})
for bs, pad in [([2, 2], [[1, 1], [2, 0]]), ([3], [[1, 2]]), ([1, 2], [[0, 0], [0, 2]]), ([2, 3], [[0, 2], [1, 0]])]:
    case("SpaceToBatchND", {"input": seq(f32, [2, 4, 4, 3]), "block_shape": bs, "paddings": pad})
    case("SpaceToBatchND", {"input": seq(f32, [2, 4, 4, 3]), "block_shape": tf.constant(bs, i64),
                            "paddings": tf.constant(pad, i64)})
for bs, crop in [([2, 2], [[1, 1], [2, 0]]), ([3], [[1, 2]]), ([1, 2], [[0, 0], [0, 2]]), ([2, 2], [[0, 0], [0, 0]])]:
    n = int(np.prod(bs)) * 2
    case("BatchToSpaceND", {"input": seq(f32, [n, 3, 3, 2]), "block_shape": bs, "crops": crop})
case("SpaceToBatchND", {"input": seq(f32, [0, 4, 4, 1]), "block_shape": [2, 2], "paddings": [[0, 0], [0, 0]]})
case("SpaceToBatchND", {"input": seq(f32, [1, 4, 4, 1]), "block_shape": tf.zeros([0], i32),
                        "paddings": tf.zeros([0, 2], i32)})
case("BatchToSpaceND", {"input": seq(f32, [0, 2, 2, 1]), "block_shape": [2, 2], "crops": [[0, 0], [0, 0]]})
# Errors.
case("SpaceToBatchND", {"input": seq(f32, [1, 5, 4, 1]), "block_shape": [2, 2], "paddings": [[0, 0], [0, 0]]})
case("SpaceToBatchND", {"input": seq(f32, [1, 4, 4, 1]), "block_shape": [2, 2], "paddings": [[0, 0]]})
case("SpaceToBatchND", {"input": seq(f32, [1, 4, 4, 1]), "block_shape": [[2, 2]], "paddings": [[0, 0], [0, 0]]})
case("SpaceToBatchND", {"input": seq(f32, [1, 4, 4, 1]), "block_shape": [0, 2], "paddings": [[0, 0], [0, 0]]})
case("SpaceToBatchND", {"input": seq(f32, [1, 4, 4, 1]), "block_shape": [2, 2], "paddings": [[-1, 1], [0, 0]]})
case("SpaceToBatchND", {"input": seq(f32, [4, 4]), "block_shape": [2, 2], "paddings": [[0, 0], [0, 0]]})
case("BatchToSpaceND", {"input": seq(f32, [3, 2, 2, 1]), "block_shape": [2, 2], "crops": [[0, 0], [0, 0]]})
case("BatchToSpaceND", {"input": seq(f32, [4, 2, 2, 1]), "block_shape": [2, 2], "crops": [[0, 0], [3, 2]]})
case("BatchToSpaceND", {"input": seq(f32, [4, 2, 2, 1]), "block_shape": [2, 2], "crops": [[0, 0], [-1, 0]]})
case("BatchToSpaceND", {"input": seq(f32, [4, 2, 2, 1]), "block_shape": [2, 2], "crops": [[0, 0]]})
case("BatchToSpaceND", {"input": seq(f32, [4, 2, 2, 1]), "block_shape": [0, 2], "crops": [[0, 0], [0, 0]]})
case("BatchToSpaceND", {"input": seq(f32, [4, 2]), "block_shape": [2, 2], "crops": [[0, 0], [0, 0]]})

# --- InTopKV2 -----------------------------------------------------------------------------------

pred = tf.constant([[0.1, 0.3, 0.2, 0.4], [0.5, 0.5, 0.1, 0.0], [np.nan, 0.2, 0.3, 0.1],
                    [0.2, np.inf, 0.1, 0.1]], f32)
for kt in [i32, i64]:
    for k in [0, 1, 2, 3, 4, 5, -1]:
        case("InTopKV2", {"predictions": pred, "targets": tf.constant([3, 1, 2, 0], kt), "k": tf.constant(k, kt)})
case("InTopKV2", {"predictions": pred, "targets": tf.constant([3, 4, 2, -1]), "k": 2})
case("InTopKV2", {"predictions": pred, "targets": tf.constant([3, 1, 2]), "k": 2})
case("InTopKV2", {"predictions": pred[0], "targets": tf.constant([3]), "k": 2})
case("InTopKV2", {"predictions": pred, "targets": tf.constant([[3, 1, 2, 0]]), "k": 2})
case("InTopKV2", {"predictions": pred, "targets": tf.constant([3, 1, 2, 0]), "k": tf.constant([2])})
case("InTopKV2", {"predictions": tf.zeros([0, 3]), "targets": tf.zeros([0], i32), "k": 1})

# --- LowerBound / UpperBound --------------------------------------------------------------------

for op in ["LowerBound", "UpperBound"]:
    for dt in [f32, f64, f16, bf16, i32, i64, u8, i8, i16, u16, u32, u64]:
        srt = tf.cast(tf.constant([[0, 1, 1, 3, 5, 5, 5, 9], [2, 2, 4, 4, 6, 6, 8, 8]]), dt)
        vals = tf.cast(tf.constant([[0, 1, 2, 5, 10], [1, 2, 7, 8, 9]]), dt)
        case(op, {"sorted_inputs": srt, "values": vals})
        case(op, {"sorted_inputs": srt, "values": vals}, {"out_type": i64})
    case(op, {"sorted_inputs": tf.constant([[1.0, np.nan]]), "values": tf.constant([[np.nan, 1.0, 2.0]])})
    case(op, {"sorted_inputs": tf.zeros([2, 0]), "values": tf.constant([[1.0], [2.0]])})
    case(op, {"sorted_inputs": tf.constant([[1.0, 2.0]]), "values": tf.zeros([1, 0])})
    case(op, {"sorted_inputs": tf.constant([[1.0, 2.0]]), "values": tf.constant([[1.0], [2.0]])})
    case(op, {"sorted_inputs": tf.constant([1.0, 2.0]), "values": tf.constant([1.0])})
    case(op, {"sorted_inputs": tf.constant([[[1.0, 2.0]]]), "values": tf.constant([[[1.5, 3.0, 0.0]]])})
    case(op, {"sorted_inputs": tf.constant([[[1.0, 2.0]]]), "values": tf.constant([[1.5, 3.0, 0.0]])})

# --- HistogramFixedWidth ------------------------------------------------------------------------

for dt in [f32, f64, i32, i64]:
    vals = tf.cast(tf.constant([-1.0, 0.0, 1.5, 2.0, 5.0, 12.0, 4.99, -100.0]), dt)
    case("HistogramFixedWidth", {"values": vals, "value_range": tf.cast(tf.constant([0.0, 5.0]), dt), "nbins": 5})
    case("HistogramFixedWidth", {"values": vals, "value_range": tf.cast(tf.constant([0.0, 5.0]), dt), "nbins": 3},
         {"dtype": i64})
case("HistogramFixedWidth", {"values": tf.constant([[1.0, 2.0], [np.inf, -np.inf]]),
                             "value_range": tf.constant([0.0, 3.0]), "nbins": 4})
case("HistogramFixedWidth", {"values": tf.zeros([0]), "value_range": tf.constant([0.0, 3.0]), "nbins": 4})
case("HistogramFixedWidth", {"values": tf.constant([0.1, 0.2, 0.30000001, 0.7]),
                             "value_range": tf.constant([0.1, 0.9]), "nbins": 8})
case("HistogramFixedWidth", {"values": tf.constant([1.0]), "value_range": tf.constant([0.0, 3.0]), "nbins": 0})
case("HistogramFixedWidth", {"values": tf.constant([1.0]), "value_range": tf.constant([0.0, 3.0]), "nbins": -1})
case("HistogramFixedWidth", {"values": tf.constant([1.0]), "value_range": tf.constant([3.0, 3.0]), "nbins": 2})
case("HistogramFixedWidth", {"values": tf.constant([1.0]), "value_range": tf.constant([3.0, 1.0]), "nbins": 2})
case("HistogramFixedWidth", {"values": tf.constant([1.0]), "value_range": tf.constant([0.0, 1.0, 2.0]), "nbins": 2})
case("HistogramFixedWidth", {"values": tf.constant([1.0]), "value_range": tf.constant([0.0, 3.0]),
                             "nbins": tf.constant([2])})

# --- Bitwise ------------------------------------------------------------------------------------

for dt in INTS:
    info = np.iinfo(dt.as_numpy_dtype)
    x = tf.constant(np.array([0, 1, 5, info.max, info.min, 100, 3, 12], dt.as_numpy_dtype))
    y = tf.constant(np.array([3, 6, 3, 1, info.max, 7, 2, 9], dt.as_numpy_dtype))
    for op in ["BitwiseAnd", "BitwiseOr", "BitwiseXor"]:
        case(op, {"x": x, "y": y})
    case("BitwiseAnd", {"x": tf.reshape(x, [2, 4]), "y": y[:4]})
    case("Invert", {"x": x})
    case("PopulationCount", {"x": x})
    bits = dt.size * 8
    sh = tf.constant(np.array([0, 1, bits - 1, bits, bits + 3, 2, 3, 1] if dt.is_unsigned
                              else [0, 1, bits - 1, bits, -1, 2, -5, bits * 2], dt.as_numpy_dtype))
    case("LeftShift", {"x": x, "y": sh})
    case("RightShift", {"x": x, "y": sh})
case("BitwiseOr", {"x": tf.constant([1, 2, 3]), "y": tf.constant([1, 2])})
case("LeftShift", {"x": tf.constant([[1], [2]]), "y": tf.constant([1, 2, 3])})
case("Invert", {"x": tf.zeros([0], i32)})

# --- ExtractImagePatches -------------------------------------------------------------------------

for dt in [f32, f64, f16, bf16, i32, i64, u8, i8, i16, u16, u32, u64, c64, c128, b]:
    case("ExtractImagePatches", {"images": seq(dt, [1, 4, 4, 2])},
         {"ksizes": [1, 2, 2, 1], "strides": [1, 2, 2, 1], "rates": [1, 1, 1, 1], "padding": "VALID"})
for ks, st, rt, pad in [([1, 3, 3, 1], [1, 1, 1, 1], [1, 1, 1, 1], "SAME"), ([1, 2, 3, 1], [1, 2, 1, 1], [1, 2, 1, 1], "VALID"),
                        ([1, 2, 2, 1], [1, 3, 2, 1], [1, 2, 2, 1], "SAME"), ([1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], "VALID"),
                        ([1, 5, 5, 1], [1, 1, 1, 1], [1, 1, 1, 1], "VALID"), ([1, 4, 2, 1], [1, 2, 3, 1], [1, 1, 2, 1], "SAME")]:
    case("ExtractImagePatches", {"images": seq(f32, [2, 5, 4, 3])},
         {"ksizes": ks, "strides": st, "rates": rt, "padding": pad})
case("ExtractImagePatches", {"images": seq(f32, [0, 4, 4, 1])},
     {"ksizes": [1, 2, 2, 1], "strides": [1, 1, 1, 1], "rates": [1, 1, 1, 1], "padding": "SAME"})
case("ExtractImagePatches", {"images": seq(f32, [4, 4, 1])},
     {"ksizes": [1, 2, 2, 1], "strides": [1, 1, 1, 1], "rates": [1, 1, 1, 1], "padding": "SAME"})
case("ExtractImagePatches", {"images": seq(f32, [1, 4, 4, 1])},
     {"ksizes": [2, 2, 2, 1], "strides": [1, 1, 1, 1], "rates": [1, 1, 1, 1], "padding": "SAME"})
case("ExtractImagePatches", {"images": seq(f32, [1, 4, 4, 1])},
     {"ksizes": [1, 2, 2, 1], "strides": [1, 0, 1, 1], "rates": [1, 1, 1, 1], "padding": "SAME"})
case("ExtractImagePatches", {"images": seq(f32, [1, 4, 4, 1])},
     {"ksizes": [1, 2, 2, 1], "strides": [1, 1, 1, 1], "rates": [1, 1, 1, 2], "padding": "SAME"})

# --- MaxPoolWithArgmax / MaxPoolGradWithArgmax --------------------------------------------------

for dt in [f32, f64, f16, bf16, i32, i64, u8, i8, i16, u16, u32, u64]:
    x = tf.cast(tf.constant(np.random.RandomState(3).permutation(32).reshape([1, 4, 4, 2])), dt)
    for incl in [False, True]:
        case("MaxPoolWithArgmax", {"input": x}, {"ksize": [1, 2, 2, 1], "strides": [1, 2, 2, 1], "padding": "VALID",
                                                  "include_batch_in_index": incl})
        case("MaxPoolGradWithArgmax", {"input": x, "grad": tf.cast(seq(f32, [1, 2, 2, 2]) + 1, dt),
                                       "argmax": R.MaxPoolWithArgmax(input=x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1],
                                                                     padding="VALID", include_batch_in_index=incl)[1]},
             {"ksize": [1, 2, 2, 1], "strides": [1, 2, 2, 1], "padding": "VALID", "include_batch_in_index": incl})
x = tf.constant(np.random.RandomState(4).randint(-8, 8, [2, 5, 5, 3]) / 4.0, f32)
for ks, st, pad in [([1, 3, 3, 1], [1, 2, 2, 1], "SAME"), ([1, 2, 2, 1], [1, 1, 1, 1], "VALID"), ([1, 3, 2, 1], [1, 2, 3, 1], "SAME")]:
    for incl, targ in [(False, i64), (True, i64), (False, i32)]:
        out, arg = R.MaxPoolWithArgmax(input=x, ksize=ks, strides=st, padding=pad, include_batch_in_index=incl, Targmax=targ)
        case("MaxPoolWithArgmax", {"input": x}, {"ksize": ks, "strides": st, "padding": pad,
                                                  "include_batch_in_index": incl, "Targmax": targ})
        case("MaxPoolGradWithArgmax", {"input": x, "grad": grid(f32, out.shape, seed=5), "argmax": arg},
             {"ksize": ks, "strides": st, "padding": pad, "include_batch_in_index": incl})
case("MaxPoolWithArgmax", {"input": tf.constant([[[[np.nan], [1.0]], [[2.0], [np.nan]]]])},
     {"ksize": [1, 2, 2, 1], "strides": [1, 1, 1, 1], "padding": "VALID"})
case("MaxPoolWithArgmax", {"input": tf.zeros([0, 4, 4, 1])}, {"ksize": [1, 2, 2, 1], "strides": [1, 2, 2, 1], "padding": "VALID"})
case("MaxPoolWithArgmax", {"input": tf.zeros([4, 4, 1])}, {"ksize": [1, 2, 2, 1], "strides": [1, 2, 2, 1], "padding": "VALID"})
case("MaxPoolWithArgmax", {"input": tf.zeros([1, 4, 4, 1])}, {"ksize": [2, 2, 2, 1], "strides": [1, 2, 2, 1], "padding": "VALID"})
case("MaxPoolWithArgmax", {"input": tf.zeros([1, 4, 4, 1])}, {"ksize": [1, 5, 2, 1], "strides": [1, 2, 2, 1], "padding": "VALID"})
xa = tf.zeros([1, 4, 4, 1])
# (An argmax outside the input aborts TF's process (a CHECK), so it has no case here.)
case("MaxPoolGradWithArgmax", {"input": xa, "grad": tf.ones([1, 2, 1, 1]), "argmax": tf.zeros([1, 2, 2, 1], i64)},
     {"ksize": [1, 2, 2, 1], "strides": [1, 2, 2, 1], "padding": "VALID"})
case("MaxPoolGradWithArgmax", {"input": xa, "grad": tf.ones([1, 2, 2, 1]), "argmax": tf.zeros([1, 2, 1, 1], i64)},
     {"ksize": [1, 2, 2, 1], "strides": [1, 2, 2, 1], "padding": "VALID"})

# --- Conv3D and its gradients -------------------------------------------------------------------

for dt in [f32, f64, f16, bf16]:
    xin = grid(dt, [1, 3, 4, 3, 2], seed=6, lo=-4, hi=4)
    fil = grid(dt, [2, 2, 2, 2, 3], seed=7, lo=-4, hi=4)
    case("Conv3D", {"input": xin, "filter": fil}, {"strides": [1, 1, 1, 1, 1], "padding": "VALID"})
for shape, fshape, st, pad in [([2, 5, 4, 6, 3], [3, 2, 3, 3, 4], [1, 2, 1, 2, 1], "SAME"),
                               ([1, 4, 4, 4, 2], [2, 2, 2, 2, 2], [1, 2, 2, 2, 1], "VALID"),
                               ([1, 3, 5, 4, 1], [3, 3, 1, 1, 2], [1, 1, 2, 3, 1], "SAME"),
                               ([1, 2, 2, 2, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], "VALID")]:
    xin = grid(f32, shape, seed=8)
    fil = grid(f32, fshape, seed=9)
    out = R.Conv3D(input=xin, filter=fil, strides=st, padding=pad)
    dy = grid(f32, out.shape, seed=10)
    case("Conv3D", {"input": xin, "filter": fil}, {"strides": st, "padding": pad})
    case("Conv3DBackpropInputV2", {"input_sizes": tf.constant(shape), "filter": fil, "out_backprop": dy},
         {"strides": st, "padding": pad})
    case("Conv3DBackpropFilterV2", {"input": xin, "filter_sizes": tf.constant(fshape), "out_backprop": dy},
         {"strides": st, "padding": pad})
for dt in [f64, f16]:
    xin = grid(dt, [1, 3, 3, 3, 2], seed=11, lo=-4, hi=4)
    fil = grid(dt, [2, 2, 2, 2, 2], seed=12, lo=-4, hi=4)
    dy = grid(dt, [1, 2, 2, 2, 2], seed=13, lo=-4, hi=4)
    case("Conv3DBackpropInputV2", {"input_sizes": tf.constant([1, 3, 3, 3, 2], i64), "filter": fil, "out_backprop": dy},
         {"strides": [1, 1, 1, 1, 1], "padding": "VALID"})
    case("Conv3DBackpropFilterV2", {"input": xin, "filter_sizes": tf.constant([2, 2, 2, 2, 2]), "out_backprop": dy},
         {"strides": [1, 1, 1, 1, 1], "padding": "VALID"})
case("Conv3D", {"input": tf.zeros([1, 3, 3, 3, 2]), "filter": tf.ones([2, 2, 2, 1])}, {"strides": [1] * 5, "padding": "SAME"})
case("Conv3D", {"input": tf.zeros([1, 3, 3, 3, 2]), "filter": tf.ones([2, 2, 2, 3, 1])}, {"strides": [1] * 5, "padding": "SAME"})
case("Conv3D", {"input": tf.ones([1, 3, 3, 3, 4]), "filter": tf.ones([2, 2, 2, 2, 2])}, {"strides": [1] * 5, "padding": "VALID"})
case("Conv3D", {"input": tf.zeros([1, 3, 3, 3, 2]), "filter": tf.ones([2, 2, 2, 2, 1])}, {"strides": [2, 1, 1, 1, 1], "padding": "SAME"})
case("Conv3D", {"input": tf.zeros([1, 3, 3, 3, 2]), "filter": tf.ones([2, 2, 2, 2, 1])},
     {"strides": [1] * 5, "padding": "SAME", "dilations": [1, 2, 2, 2, 1]})
# TF 2.21's CPU Conv3D and its gradients run on oneDNN, which answers malformed shapes (a rank-4
# input, a filter larger than the input, backprop sizes that disagree, an empty batch, whose
# output keeps the input's depth) with oneDNN's own internal
# errors or arbitrary outputs; those have no cases here.

# --- MatrixTriangularSolve / MatrixInverse / MatrixDeterminant / Cholesky / MatrixSolve ----------


def spd(n, seed, dt=f64, batch=()):
    """A well-conditioned symmetric positive definite matrix."""
    a = np.random.RandomState(seed).standard_normal(list(batch) + [n, n])
    return tf.cast(tf.constant(a @ np.swapaxes(a, -1, -2) + n * np.eye(n)), dt)


def gauss(shape, seed, dt=f64):
    a = np.random.RandomState(seed).standard_normal(shape)
    if dt.is_complex:
        a = a + 1j * np.random.RandomState(seed + 100).standard_normal(shape)
    return tf.cast(tf.constant(a), dt)


for dt in [f32, f64, f16, bf16, c64, c128]:
    tri = gauss([3, 3], 30, dt) + tf.cast(3 * tf.eye(3, dtype=f64), dt)
    rhs = gauss([3, 2], 31, dt)
    for lower in [True, False]:
        for adjoint in [False, True]:
            case("MatrixTriangularSolve", {"matrix": tri, "rhs": rhs}, {"lower": lower, "adjoint": adjoint})
    if dt in (f16, bf16):
        continue
    sq = gauss([4, 4], 32, dt) + tf.cast(4 * tf.eye(4, dtype=f64), dt)
    case("MatrixInverse", {"input": sq})
    case("MatrixInverse", {"input": sq}, {"adjoint": True})
    case("MatrixDeterminant", {"input": sq})
    case("MatrixSolve", {"matrix": sq, "rhs": gauss([4, 3], 33, dt)})
    case("MatrixSolve", {"matrix": sq, "rhs": gauss([4, 3], 33, dt)}, {"adjoint": True})
    case("Cholesky", {"input": spd(4, 34, dt) if not dt.is_complex else
                      tf.cast(tf.constant(np.eye(4) * 3 + 0.5j * (np.eye(4, k=1) - np.eye(4, k=-1))), dt)})
case("MatrixDeterminant", {"input": tf.constant([[1.0, 2.0], [3.0, 4.0]], f16)})
# Batches and broadcasting, empty matrices.
case("MatrixTriangularSolve", {"matrix": gauss([2, 1, 3, 3], 35) + 3 * tf.eye(3, dtype=f64), "rhs": gauss([3, 3, 2], 36)})
case("MatrixTriangularSolve", {"matrix": gauss([3, 3], 35, f32), "rhs": gauss([2, 3, 4], 36, f32)}, {"lower": False})
case("MatrixTriangularSolve", {"matrix": tf.zeros([0, 3, 3]), "rhs": tf.zeros([0, 3, 2])})
case("MatrixTriangularSolve", {"matrix": tf.zeros([3, 3]), "rhs": tf.zeros([3, 0])})
case("MatrixInverse", {"input": gauss([2, 3, 3], 37) + 3 * tf.eye(3, dtype=f64)})
case("MatrixInverse", {"input": tf.zeros([2, 0, 0])})
case("MatrixDeterminant", {"input": gauss([2, 3, 3, 3], 38)})
case("MatrixDeterminant", {"input": tf.zeros([2, 0, 0])})
case("MatrixDeterminant", {"input": tf.constant([[1.0, 2.0], [2.0, 4.0]])})
case("MatrixDeterminant", {"input": tf.constant([[0.0, 1.0], [1.0, 0.0]])})
case("Cholesky", {"input": spd(3, 39, f32, batch=(2,))})
case("Cholesky", {"input": tf.zeros([0, 0])})
case("MatrixSolve", {"matrix": gauss([2, 3, 3], 40) + 3 * tf.eye(3, dtype=f64), "rhs": gauss([2, 3, 1], 41)})
case("MatrixSolve", {"matrix": tf.zeros([3, 3]), "rhs": tf.zeros([3, 0])})
# Errors.
for op, ins in [("MatrixInverse", {"input": tf.constant([1.0, 2.0])}),
                ("MatrixInverse", {"input": tf.zeros([2, 3])}),
                ("MatrixInverse", {"input": tf.constant([[1.0, 2.0], [2.0, 4.0]])}),
                ("MatrixInverse", {"input": tf.constant([[1.0, 2.0], [np.nan, 4.0]])}),
                ("MatrixDeterminant", {"input": tf.zeros([2, 3])}),
                ("MatrixDeterminant", {"input": tf.constant(1.0)}),
                ("Cholesky", {"input": tf.zeros([2, 3])}),
                # Not positive definite: TF leaves the output unfinished (NaN from the failing pivot
                # on, other elements unspecified), so only a 1x1 case is deterministic.
                ("Cholesky", {"input": tf.constant([[-1.0]])}),
                ("MatrixSolve", {"matrix": tf.constant([[1.0, 2.0], [2.0, 4.0]]), "rhs": tf.ones([2, 1])}),
                ("MatrixSolve", {"matrix": tf.zeros([2, 3]), "rhs": tf.ones([2, 1])}),
                ("MatrixSolve", {"matrix": tf.eye(2), "rhs": tf.ones([3, 1])}),
                ("MatrixSolve", {"matrix": tf.eye(2), "rhs": tf.ones([2])}),
                ("MatrixTriangularSolve", {"matrix": tf.zeros([2, 3]), "rhs": tf.ones([2, 1])}),
                ("MatrixTriangularSolve", {"matrix": tf.eye(2), "rhs": tf.ones([3, 1])}),
                ("MatrixTriangularSolve", {"matrix": tf.eye(2), "rhs": tf.ones([2])}),
                ("MatrixTriangularSolve", {"matrix": tf.eye(2, batch_shape=[2]), "rhs": tf.ones([3, 2, 1])}),
                ("MatrixTriangularSolve", {"matrix": tf.constant([[0.0, 0.0], [1.0, 1.0]]), "rhs": tf.ones([2, 1])})]:
    case(op, ins)

# --- MaxPool3D / AvgPool3D and their gradients ---------------------------------------------------

for dt in [f32, f64, f16, bf16]:
    x = grid(dt, [1, 3, 4, 4, 2], seed=50, lo=-4, hi=4)  # coarse values: ties in many windows
    for op in ["MaxPool3D", "AvgPool3D"]:
        case(op, {"input": x}, {"ksize": [1, 2, 2, 2, 1], "strides": [1, 1, 2, 2, 1], "padding": "SAME"})
for ks, st, pad in [([1, 2, 2, 2, 1], [1, 2, 2, 2, 1], "VALID"), ([1, 3, 2, 3, 1], [1, 2, 1, 2, 1], "SAME"),
                    ([1, 1, 3, 1, 1], [1, 1, 1, 1, 1], "SAME"), ([1, 3, 3, 3, 1], [1, 1, 1, 1, 1], "VALID")]:
    # Distinct values: TF's session path (oneDNN) and its eager kernel route a tied maximum's
    # gradient differently (see MaxPool3DGrad.ts), so the gradient cases avoid ties.
    x = tf.constant((np.random.RandomState(51).permutation(240).reshape([2, 4, 5, 3, 2]) - 120) / 8.0, f32)
    for fwd, grad in [("MaxPool3D", "MaxPool3DGrad"), ("AvgPool3D", "AvgPool3DGrad")]:
        y = getattr(R, fwd)(input=x, ksize=ks, strides=st, padding=pad)
        dy = grid(f32, y.shape, seed=52)
        case(fwd, {"input": x}, {"ksize": ks, "strides": st, "padding": pad})
        if grad == "MaxPool3DGrad":
            case(grad, {"orig_input": x, "orig_output": y, "grad": dy}, {"ksize": ks, "strides": st, "padding": pad})
        else:
            case(grad, {"orig_input_shape": tf.constant([2, 4, 5, 3, 2]), "grad": dy},
                 {"ksize": ks, "strides": st, "padding": pad})
for dt in [f16, bf16]:
    x = tf.cast(tf.constant(np.random.RandomState(53).permutation(12).reshape([1, 2, 3, 2, 1]) - 6.0), dt)
    try:
        y = R.MaxPool3D(input=x, ksize=[1, 2, 2, 2, 1], strides=[1, 1, 1, 1, 1], padding="SAME")
    except tf.errors.NotFoundError:
        continue  # no CPU kernel for this dtype
    dy = grid(dt, y.shape, seed=54, lo=-4, hi=4)
    case("MaxPool3DGrad", {"orig_input": x, "orig_output": y, "grad": dy},
         {"ksize": [1, 2, 2, 2, 1], "strides": [1, 1, 1, 1, 1], "padding": "SAME"})
    case("AvgPool3DGrad", {"orig_input_shape": tf.constant([1, 2, 3, 2, 1]), "grad": dy},
         {"ksize": [1, 2, 2, 2, 1], "strides": [1, 1, 1, 1, 1], "padding": "SAME"})
# (A rank-4 input aborts TF's process (a CHECK), so it has no case here.)
case("AvgPool3D", {"input": tf.zeros([1, 2, 2, 2, 1])}, {"ksize": [2, 2, 2, 2, 1], "strides": [1] * 5, "padding": "SAME"})
case("MaxPool3D", {"input": tf.zeros([1, 2, 2, 2, 2])}, {"ksize": [1, 2, 2, 2, 2], "strides": [1] * 5, "padding": "SAME"})

# --- The v1/v2 forms: MatrixDiag(Part|V2), MatrixSetDiag(V2), InTopK, SpaceToBatch, BatchToSpace --
# --- and LogMatrixDeterminant, ConjugateTranspose, Cross -------------------------------------------

for dt in [f32, i32, b, c64]:
    case("MatrixDiag", {"diagonal": seq(dt, [2, 3])})
    case("MatrixDiagPart", {"input": seq(dt, [2, 3, 4])})
    case("MatrixSetDiag", {"input": seq(dt, [2, 4, 3]), "diagonal": seq(dt, [2, 3])})
case("MatrixDiag", {"diagonal": tf.constant(1.0)})
case("MatrixDiagPart", {"input": seq(f32, [3])})
case("MatrixSetDiag", {"input": seq(f32, [3, 3]), "diagonal": seq(f32, [2])})
for k in [[-1, 1], 1, [0, 2]]:
    x = seq(f32, [2, 4, 5]) + 1.0
    case("MatrixDiagPartV2", {"input": x, "k": tf.constant(k), "padding_value": 9.0})
    nd = k[1] - k[0] + 1 if isinstance(k, list) else 1
    d = seq(f32, [2, nd, 4]) + 1.0 if nd > 1 else seq(f32, [2, 4 if k == 0 else 4]) + 1.0
    case("MatrixSetDiagV2", {"input": x, "diagonal": d, "k": tf.constant(k)})
    case("MatrixDiagV2", {"diagonal": d, "k": tf.constant(k), "num_rows": -1, "num_cols": -1, "padding_value": 7.0})
case("MatrixDiagPartV2", {"input": seq(f32, [3, 3]), "k": 3, "padding_value": 0.0})
pred = tf.constant([[0.1, 0.3, 0.2, 0.4], [0.5, 0.5, 0.1, 0.0], [np.nan, 0.2, 0.3, 0.1]], f32)
for k in [1, 2, 4]:
    case("InTopK", {"predictions": pred, "targets": tf.constant([3, 1, 2])}, {"k": k})
case("InTopK", {"predictions": pred, "targets": tf.constant([3, 1, 2], i64)}, {"k": 2})
case("InTopK", {"predictions": pred, "targets": tf.constant([3, 1])}, {"k": 2})
case("SpaceToBatch", {"input": seq(f32, [2, 4, 6, 3]), "paddings": [[1, 1], [0, 2]]}, {"block_size": 2})
case("SpaceToBatch", {"input": seq(i64, [1, 3, 3, 1]), "paddings": tf.constant([[0, 0], [0, 0]], i64)}, {"block_size": 3})
case("SpaceToBatch", {"input": seq(f32, [1, 3, 4, 1]), "paddings": [[0, 0], [0, 0]]}, {"block_size": 2})
case("SpaceToBatch", {"input": seq(f32, [4, 4, 1]), "paddings": [[0, 0], [0, 0]]}, {"block_size": 2})
case("SpaceToBatch", {"input": seq(f32, [1, 4, 4, 1]), "paddings": [[0, 0]]}, {"block_size": 2})
case("BatchToSpace", {"input": seq(f32, [8, 3, 4, 3]), "crops": [[1, 1], [0, 2]]}, {"block_size": 2})
case("BatchToSpace", {"input": seq(f32, [3, 2, 2, 1]), "crops": [[0, 0], [0, 0]]}, {"block_size": 2})
case("BatchToSpace", {"input": seq(f32, [4, 2, 2]), "crops": [[0, 0], [0, 0]]}, {"block_size": 2})
for dt in [f32, f64, c64, c128]:
    case("LogMatrixDeterminant", {"input": gauss([2, 3, 3], 60, dt)})
case("LogMatrixDeterminant", {"input": tf.constant([[1.0, 2.0], [2.0, 4.0]])})
case("LogMatrixDeterminant", {"input": tf.constant([[0.0, 1.0], [1.0, 0.0]], f64)})
case("LogMatrixDeterminant", {"input": tf.zeros([2, 0, 0])})
case("LogMatrixDeterminant", {"input": tf.zeros([2, 3])})
for dt in [f32, c64, c128, i32, s, b]:
    case("ConjugateTranspose", {"x": seq(dt, [2, 3, 4]), "perm": tf.constant([2, 0, 1])})
case("ConjugateTranspose", {"x": seq(c64, [2, 3]), "perm": tf.constant([1, 0], i64)})
for dt in [f32, f64, f16, bf16, i32, i64, u8, i8, i16, u16, u32, u64]:
    case("Cross", {"a": tf.cast(seq(i32, [2, 3]) % 7, dt), "b": tf.cast((seq(i32, [2, 3]) * 5 + 3) % 11, dt)})
case("Cross", {"a": seq(f32, [2, 3]), "b": seq(f32, [3, 3])})
case("Cross", {"a": seq(f32, [2, 4]), "b": seq(f32, [2, 4])})
case("Cross", {"a": tf.constant(1.0), "b": tf.constant(1.0)})

# --- MatrixSolveLs ------------------------------------------------------------------------------

for dt in [f32, f64, c64, c128]:
    for shape, fast, l2 in [([5, 3], True, 0.0), ([5, 3], True, 0.5), ([3, 5], True, 0.0), ([3, 5], True, 0.25),
                            ([5, 3], False, 0.0), ([3, 5], False, 0.0), ([3, 3], False, 0.0)]:
        case("MatrixSolveLs", {"matrix": gauss(shape, 70, dt), "rhs": gauss([shape[0], 2], 71, dt),
                               "l2_regularizer": tf.constant(l2, f64)}, {"fast": fast})
case("MatrixSolveLs", {"matrix": gauss([2, 4, 2], 72), "rhs": gauss([2, 4, 1], 73), "l2_regularizer": tf.constant(0.0, f64)})
# (A matrix with no rows: TF returns its output uninitialised, so only the empty output has a case.)
case("MatrixSolveLs", {"matrix": tf.zeros([3, 0]), "rhs": tf.zeros([3, 2]), "l2_regularizer": tf.constant(0.0, f64)})
# Rank deficient: exactly singular normal equations in float64 (in float32 TF's rounded gramian
# may pass the Cholesky and give rounding noise, so those have no case).
case("MatrixSolveLs", {"matrix": tf.constant([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]], f64), "rhs": tf.ones([3, 1], f64),
                       "l2_regularizer": tf.constant(0.0, f64)})
case("MatrixSolveLs", {"matrix": tf.constant([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]], f64), "rhs": tf.ones([2, 1], f64),
                       "l2_regularizer": tf.constant(0.0, f64)})
case("MatrixSolveLs", {"matrix": tf.ones([3, 2]), "rhs": tf.ones([2, 1]), "l2_regularizer": tf.constant(0.0, f64)})
case("MatrixSolveLs", {"matrix": tf.eye(3), "rhs": tf.ones([3, 1]), "l2_regularizer": tf.constant(-1.0, f64)})
case("MatrixSolveLs", {"matrix": tf.eye(3), "rhs": tf.ones([3, 1]), "l2_regularizer": tf.constant([0.0], f64)})

# --- Bucketize / UnravelIndex / Lu ----------------------------------------------------------------

for dt in [f32, f64, i32, i64]:
    case("Bucketize", {"input": tf.cast(tf.constant([[-5.0, 0.0, 1.0], [2.5, 10.0, 100.0]]), dt)},
         {"boundaries": [0.0, 1.0, 2.5, 10.0]})
case("Bucketize", {"input": tf.constant([np.nan, np.inf, -np.inf, 0.1, 0.30000001])}, {"boundaries": [0.1, 0.3]})
case("Bucketize", {"input": tf.constant([1.0, 2.0])}, {"boundaries": []})
case("Bucketize", {"input": tf.zeros([0, 2])}, {"boundaries": [1.0]})
case("Bucketize", {"input": tf.constant([1.0])}, {"boundaries": [2.0, 1.0]})
for it in [i32, i64]:
    case("UnravelIndex", {"indices": tf.constant([0, 5, 11, 7], it), "dims": tf.constant([3, 4], it)})
    case("UnravelIndex", {"indices": tf.constant(17, it), "dims": tf.constant([2, 3, 4], it)})
case("UnravelIndex", {"indices": tf.zeros([0], i32), "dims": tf.constant([3, 4])})
case("UnravelIndex", {"indices": tf.constant([12]), "dims": tf.constant([3, 4])})
case("UnravelIndex", {"indices": tf.constant([-1]), "dims": tf.constant([3, 4])})
case("UnravelIndex", {"indices": tf.constant([[1]]), "dims": tf.constant([3, 4])})
case("UnravelIndex", {"indices": tf.constant([1]), "dims": tf.constant([[3, 4]])})
case("UnravelIndex", {"indices": tf.constant([1]), "dims": tf.constant([3, 0])})
case("UnravelIndex", {"indices": tf.constant([1]), "dims": tf.constant([3, -4])})
for dt in [f32, f64, c64, c128]:
    case("Lu", {"input": gauss([2, 4, 4], 80, dt)})
    case("Lu", {"input": gauss([3, 3], 81, dt)}, {"output_idx_type": i64})
case("Lu", {"input": tf.constant([[1.0, 2.0], [2.0, 4.0]])})
case("Lu", {"input": tf.constant([[0.0, 0.0], [0.0, 0.0]])})
case("Lu", {"input": tf.zeros([2, 0, 0])})
case("Lu", {"input": tf.zeros([2, 3])})
case("Lu", {"input": tf.zeros([3])})

# --- StridedSliceAssign / ResourceStridedSliceAssign (graphs: they update variables) -------------

graphs = []


def slice_assign_graph(use_resource):
    def build():
        v = v1.Variable(np.arange(12, dtype=np.float32).reshape([3, 4]), use_resource=use_resource, name="v")
        w = v1.Variable(np.zeros([2, 3], np.float32), use_resource=use_resource, name="w")
        val = v1.placeholder(tf.float32, None, name="val")
        a1 = v[1:3, ::2].assign(tf.ones([2, 2]) * 7.0)
        a2 = v[0, ::-1].assign(tf.constant([1.0, 2.0, 3.0, 4.0]))
        a3 = v[:, 1].assign(val)
        a4 = w[0].assign(tf.constant([5.0, 6.0, 7.0]))
        read = tf.identity(v.value() if use_resource else v)
        init = v.initializer
        # Each read in a step of its own: a fetch in the assign's step may run before it.
        return [
            ([init], []),
            ([a4], []),  # w is not initialised (after v's init, so the container exists either way)
            ([a1], []),
            ([], [read]),
            ([a2], []),
            ([], [read]),
            ([a3], [], {val: np.array([9.0, 8.0, 7.0], np.float32)}),
            ([], [read]),
            ([a3], [], {val: np.array(5.0, np.float32)}),  # broadcast
            ([], [read]),
            ([a3], [], {val: np.array([9.0, 8.0], np.float32)}),
            ([a3], [], {val: np.ones([2, 3], np.float32)}),
        ]

    return build


graphs.append(graph_record("ref_slice_assign", slice_assign_graph(False)))
graphs.append(graph_record("resource_slice_assign", slice_assign_graph(True)))

with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "cases": cases, "graphs": graphs}, f, separators=(",", ":"))
print(f"{len(cases)} cases -> {OUT}")
