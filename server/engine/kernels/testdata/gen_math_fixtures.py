"""Generates math-fixtures.json: TensorFlow 2.21's own results (tf.raw_ops, eager, CPU) for the
element-wise math kernels (trigonometric, hyperbolic, special functions, IsNan/IsInf/IsFinite, the
truncating and "no NaN" binary ops, ClipByValue) for every dtype TF registers a CPU kernel for,
over edge cases (±0, ±inf, nan, domain errors, huge values), seeded random values, broadcasting
shapes, and error cases (incompatible shapes, integer division by zero, ClipByValue shapes).

Same case format as gen_array_fixtures.py: {"op", "attrs": {name: [kind, value]}, "inputs":
[tensor], "outputs": [tensor] | "error": {"code", "message"}}; a tensor is {"dtype": enum,
"shape", "values"} with floats as numbers or "nan"/"inf"/"-inf", int64/uint64 as strings, complex
as [re, im] pairs. Input values are recorded after conversion to the case's dtype, so half and
bfloat16 inputs are exactly representable.

Run: /work/main/.venv-tf/bin/python server/engine/kernels/testdata/gen_math_fixtures.py
"""

import json
import math
import os
import re

import numpy as np
import tensorflow as tf
from tf_fixtures import clean, enc, enc_value  # noqa: E402,F401

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "math-fixtures.json")
R = tf.raw_ops
cases = []
rng = np.random.default_rng(20261125)


def case(op, inputs, dtype):
    c = {"op": op, "attrs": {"T": ["type", dtype.as_datatype_enum]}, "inputs": [enc(t) for t in inputs.values()]}
    try:
        with tf.device("/CPU:0"):
            out = getattr(R, op)(**inputs)
        c["outputs"] = [enc(out)]
    except tf.errors.OpError as e:
        c["error"] = {"code": e.error_code, "message": clean(e.message)}
    cases.append(c)


def const(values, dtype, shape=None):
    """values (floats, complex or ints) converted to dtype the way TF's constant does."""
    a = np.asarray(values)
    if dtype.is_integer:
        # From Python ints: numpy would turn [2**64 - 1, -1] into float64.
        t = tf.constant(np.array([int(v) for v in np.ravel(np.asarray(values, dtype=object))], dtype.as_numpy_dtype).reshape(np.shape(a)))
    elif dtype.is_complex:
        t = tf.constant(a.astype(np.complex128), tf.complex128)
        t = tf.cast(t, dtype)
    else:
        t = tf.cast(tf.constant(a.astype(np.float64), tf.float64), dtype)
    return tf.reshape(t, shape) if shape is not None else t


f16, bf16, f32, f64 = tf.half, tf.bfloat16, tf.float32, tf.float64
c64, c128 = tf.complex64, tf.complex128
i8, i16, i32, i64, u8, u16, u32, u64 = tf.int8, tf.int16, tf.int32, tf.int64, tf.uint8, tf.uint16, tf.uint32, tf.uint64
FLOATS = [f32, f64, f16, bf16]
COMPLEX = [c64, c128]
inf, nan = math.inf, math.nan

EDGES = [0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0, 0.1, -0.1, 3.0, -3.0, 0.75, 1.5, -1.5,
         math.pi, math.pi / 2, -math.pi / 4, 10.0, -10.0, 20.0, 50.0, 100.0, -100.0, 1e-3, 1e-8,
         -1e-20, 1e-40, 1e5, -1e5, 3e4, 1e10, 1e30, -1e30, 1e300, inf, -inf, nan]


def spread(n, lo, hi):
    """n seeded values: uniform in [lo, hi] and log-uniform magnitudes with random signs."""
    u = rng.uniform(lo, hi, n // 2)
    m = np.exp(rng.uniform(math.log(1e-6), math.log(max(abs(lo), abs(hi), 2) * 4), n - n // 2))
    s = rng.choice([-1.0, 1.0], n - n // 2) if lo < 0 else 1.0
    return list(u) + list(m * s)


# (op, extra edge cases, random range, complex?)
UNARY = [
    ("Sin", [], (-10, 10)), ("Cos", [], (-10, 10)), ("Tan", [1.5707963, -1.57], (-3, 3)),
    ("Asin", [0.9999, -0.99, 1.0000001, 2.0], (-1, 1)), ("Acos", [0.9999, -0.99, 1.0000001, 2.0], (-1, 1)),
    ("Atan", [], (-10, 10)), ("Sinh", [88.0, 89.0, 710.0, -710.0], (-10, 10)),
    ("Cosh", [88.0, 89.0, 710.0, -710.0], (-10, 10)), ("Asinh", [], (-10, 10)),
    ("Acosh", [1.0000001, 0.9999], (1, 20)), ("Atanh", [0.9999, -0.99, 1.0000001, 2.0], (-1, 1)),
    ("Erf", [4.0, -5.5, 0.84375, 1.25, 2.857, 6.0], (-4, 4)), ("Erfc", [4.0, -5.5, 0.84375, 1.25, 2.857, 6.0, 27.0, 28.0], (-4, 10)),
    ("Log1p", [-0.9999, -0.29, -1.0000001, 1e-7], (-0.99, 10)), ("Expm1", [88.7, 89.0, 709.0, 710.0, -40.0, 1e-7], (-10, 10)),
    ("IsNan", [], (-10, 10)), ("IsInf", [65504.0, 65520.0, 3.4e38, 3.5e38], (-10, 10)), ("IsFinite", [65504.0, 65520.0, 3.4e38, 3.5e38], (-10, 10)),
    ("Lgamma", [-0.5, -1.5, -2.5, -3.0, 1e-7, 4e36, 2.0, 1.4616321, 0.25, 2.6e305], (-6, 12)),
    ("Digamma", [-0.5, -1.5, -2.5, -3.0, 1e-7, 1.4616321, 0.25, 1e8, -1e-7], (-6, 12)),
]
COMPLEX_UNARY = {"Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Log1p", "Expm1"}
HALF_KERNELS = {"Lgamma": [f32, f64, f16], "Digamma": [f32, f64, f16]}

for op, extra, (lo, hi) in UNARY:
    vals = EDGES + extra + spread(64, lo, hi)
    for dt in HALF_KERNELS.get(op, FLOATS):
        case(op, {"x": const(vals, dt)}, dt)
    case(op, {"x": const(spread(6, lo, hi), f32, [2, 3])}, f32)
    if op in COMPLEX_UNARY:
        grid = [complex(a, b) for a in [-2.0, -0.5, 0.0, 0.3, 1.0, 3.0] for b in [-1.5, -0.0, 0.0, 0.25, 2.0]]
        grid += [complex(a, b) for a, b in zip(rng.uniform(-4, 4, 24), rng.uniform(-4, 4, 24))]
        for dt in COMPLEX:
            case(op, {"x": const(grid, dt)}, dt)
# Acos also has int8/16/32/64 kernels (std::acos on the integer, converted back).
for dt in [i8, i16, i32, i64]:
    case("Acos", {"x": const([-1, 0, 1], dt)}, dt)

# Binary ops: every pair from a small edge set, seeded random pairs, broadcasting, errors.
BIN_EDGES = [0.0, -0.0, 1.0, -1.0, 2.5, -2.5, 7.0, -7.0, 0.3, 1e-30, 1e30, inf, -inf, nan]
BIN_INT_EDGES = [0, 1, -1, 2, -2, 7, -7, 3, 100, -100]
BINARY = [
    ("Atan2", ("y", "x"), FLOATS, (-5, 5)),
    ("TruncateDiv", ("x", "y"), FLOATS + [i8, i16, i32, i64, u8, u16, u32, u64], (-20, 20)),
    ("TruncateMod", ("x", "y"), [f32, f64, i32, i64], (-20, 20)),
    ("Mod", ("x", "y"), [f32, f64, i32, i64], (-20, 20)),
    ("DivNoNan", ("x", "y"), FLOATS + COMPLEX, (-5, 5)),
    ("MulNoNan", ("x", "y"), FLOATS + COMPLEX, (-5, 5)),
    ("Xdivy", ("x", "y"), FLOATS + COMPLEX, (-5, 5)),
    ("Xlogy", ("x", "y"), FLOATS + COMPLEX, (0, 10)),
    ("Xlog1py", ("x", "y"), FLOATS + COMPLEX, (-1, 10)),
]
INT_EXTREMES = {
    i8: [-128, 127], i16: [-32768, 32767], i32: [-2**31, 2**31 - 1], i64: [-2**63, 2**63 - 1],
    u8: [255], u16: [65535], u32: [2**32 - 1], u64: [2**64 - 1],
}
for op, (a, b), dts, (lo, hi) in BINARY:
    for dt in dts:
        if dt.is_integer:
            base = [v for v in BIN_INT_EDGES if v >= 0] if dt.is_unsigned else BIN_INT_EDGES
            base = base + INT_EXTREMES[dt]
            nz = [v for v in base if v != 0]
            xs = [x for x in base for _ in nz]
            ys = [y for _ in base for y in nz]
            case(op, {a: const(xs, dt), b: const(ys, dt)}, dt)
            case(op, {a: const([5, 6, 7], dt), b: const([1, 0, 2], dt)}, dt)  # division by zero
            continue
        if dt.is_complex:
            zs = [complex(p, q) for p in [0.0, 1.0, -2.5, 0.5] for q in [0.0, -1.0, 3.0]]
            zs += [complex(p, q) for p, q in zip(rng.uniform(lo, hi, 6), rng.uniform(-3, 3, 6))]
            xs = [x for x in zs for _ in zs]
            ys = [y for _ in zs for y in zs]
        else:
            r = spread(48, lo, hi) + list(rng.uniform(-3, 3, 16))
            xs = [x for x in BIN_EDGES for _ in BIN_EDGES] + r
            ys = [y for _ in BIN_EDGES for y in BIN_EDGES] + list(rng.permutation(r))
        case(op, {a: const(xs, dt), b: const(ys, dt)}, dt)
    # Broadcasting and incompatible shapes (the shared BCast helper).
    dt = dts[0]
    vals = [1.0, 2.0, -3.0, 4.0, 0.5, 6.0] if not dt.is_integer else [1, 2, -3, 4, 5, 6]
    case(op, {a: const(vals, dt, [2, 3]), b: const(vals[:3], dt, [3])}, dt)
    case(op, {a: const(vals[:2], dt, [2, 1]), b: const(vals[3:], dt, [1, 3])}, dt)
    case(op, {a: const(vals[:2], dt, [2]), b: const(vals[:3], dt, [3])}, dt)
    case(op, {a: const([], dt, [0, 3]), b: const(vals[:3], dt, [3])}, dt)

# Polygamma (Digamma's gradient) and Zeta: orders 0-4 and invalid orders, zeta's domain edges.
pg_x = [0.5, 1.0, 1.4616321, 2.0, 3.7, 10.0, 25.0, 1e-3, -0.5, -1.5, -2.0, 0.0, 1e9, inf, nan]
pg_x += list(rng.uniform(0.05, 12, 10))
pg_a = [0.0, 1.0, 2.0, 3.0, 4.0, -1.0, 1.5, nan]
for dt in [f32, f64]:
    case("Polygamma", {"a": const([a for a in pg_a for _ in pg_x], dt), "x": const([x for _ in pg_a for x in pg_x], dt)}, dt)
    z_x = [1.0, 0.5, 1.5, 2.0, 3.0, 4.0, 7.5, 30.0, 2.0, 2.0, 3.0, 2.0, 2.0, 2.5, 2.0, nan, inf]
    z_q = [1.0, 1.0, 1.0, 1.0, 2.5, 0.1, 3.0, 2.0, 0.0, -2.0, -2.0, -1.5, 1e9, 1e-4, 12.0, 1.0, 2.0]
    z_x += list(rng.uniform(1.1, 8, 10))
    z_q += list(rng.uniform(0.05, 15, 10))
    case("Zeta", {"x": const(z_x, dt), "q": const(z_q, dt)}, dt)
case("Polygamma", {"a": const([1.0, 2.0], f32, [2, 1]), "x": const([0.5, 1.0, 3.0], f32, [1, 3])}, f32)
case("Polygamma", {"a": const([1.0, 2.0], f32), "x": const([0.5, 1.0, 3.0], f32)}, f32)

# ClipByValue: t with scalar or same-shape bounds; any other shape is an error.
t = [-3.0, -1.0, 0.0, 0.5, 2.0, 7.0]
for dt in FLOATS + [i8, i16, i32, i64, u8, u16] + COMPLEX:
    tv = [abs(v) for v in t] if dt.is_unsigned else t
    if dt.is_complex:
        tv = [complex(v, -v / 2) for v in t]
    lo_s, hi_s = (0, 2) if dt.is_integer else (-0.5, 1.5)
    if dt.is_complex:
        lo_s, hi_s = complex(-0.5, -1.0), complex(1.5, 0.25)
    case("ClipByValue", {"t": const(tv, dt, [2, 3]), "clip_value_min": const(lo_s, dt), "clip_value_max": const(hi_s, dt)}, dt)
    los = [v - 1 if not dt.is_unsigned else 1 for v in range(6)]
    his = [v + 2 for v in range(6)]
    case("ClipByValue", {"t": const(tv, dt, [2, 3]), "clip_value_min": const(los, dt, [2, 3]), "clip_value_max": const(his, dt, [2, 3])}, dt)
    case("ClipByValue", {"t": const(tv, dt, [2, 3]), "clip_value_min": const(lo_s, dt), "clip_value_max": const(his, dt, [2, 3])}, dt)
    case("ClipByValue", {"t": const(tv, dt, [2, 3]), "clip_value_min": const(los, dt, [2, 3]), "clip_value_max": const(hi_s, dt)}, dt)
for lo_v, hi_v in [(0.0, nan), (nan, 1.0), (2.0, -1.0)]:
    for shaped in [False, True]:
        lo_t = const([lo_v] * 4, f32, [4]) if shaped else const(lo_v, f32)
        case("ClipByValue", {"t": const([-inf, -0.5, nan, 3.0], f32), "clip_value_min": lo_t, "clip_value_max": const(hi_v, f32)}, f32)
# All three the same shape (TF's TernaryClipOp, Eigen's cwiseMin/cwiseMax) with NaNs.
case("ClipByValue", {"t": const([nan, -1.0, 5.0, 0.5], f32), "clip_value_min": const([0.0, nan, 0.0, nan], f32), "clip_value_max": const([1.0, 1.0, nan, nan], f32)}, f32)
case("ClipByValue", {"t": const(t, f32, [2, 3]), "clip_value_min": const([0.0, 0.0, 0.0], f32), "clip_value_max": const(1.0, f32)}, f32)
case("ClipByValue", {"t": const(t, f32, [2, 3]), "clip_value_min": const(0.0, f32), "clip_value_max": const([[1.0]], f32, [1, 1])}, f32)
case("ClipByValue", {"t": const([], f32, [0]), "clip_value_min": const(0.0, f32), "clip_value_max": const(1.0, f32)}, f32)

with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(cases)} cases to {OUT}")
