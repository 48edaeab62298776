#!/usr/bin/env python3
"""Writes math-extra-fixtures.json: TensorFlow 2.21's own results (tf.raw_ops, eager, CPU) for
Einsum, BroadcastArgs, Rint and the complex <-> real ops (Complex, ComplexAbs, Real, Imag, Conj,
Angle), read by ../math-extra-fixtures.test.ts.

Einsum covers matrix and batch products, outer products, traces and diagonals (repeated labels on
an input), inflation (repeated output labels), transposes, reductions, ellipsis broadcasting, empty
operands, every dtype TF registers a CPU kernel for, and TF's error for each malformed equation or
mismatching input. Float inputs are multiples of 1/8 (exact in every float dtype); half and
bfloat16 cases keep their sums exactly representable.

Case format (tf_fixtures.py): {"op", "attrs": {name: [kind, value]}, "inputs": [tensor],
"outputs": [tensor] | "error": {"code", "message"}}.

Run from the repository root: .venv-tf/bin/python server/engine/kernels/testdata/gen_math_extra_fixtures.py
"""

import json
import math
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tf_fixtures import attr_of, clean, enc  # noqa: E402

R = tf.raw_ops
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "math-extra-fixtures.json")
f16, bf16, f32, f64 = tf.float16, tf.bfloat16, tf.float32, tf.float64
i32, i64, c64, c128 = tf.int32, tf.int64, tf.complex64, tf.complex128
inf, nan = math.inf, math.nan
cases = []


def case(op, inputs, attrs, inferred=None):
    """tf.raw_ops.<op>(**inputs, **attrs) on CPU; `inputs` values are tensors or lists of them.
    `inferred` are the attrs TF infers from the inputs, which a GraphDef node carries explicitly."""
    try:
        with tf.device("/CPU:0"):
            out = getattr(R, op)(**inputs, **attrs)
    except tf.errors.NotFoundError:
        return  # no CPU kernel for this dtype
    except tf.errors.OpError as e:
        out = e
    c = {"op": op, "attrs": {k: attr_of(v) for k, v in {**(inferred or {}), **attrs}.items()}}
    c["inputs"] = [enc(x) for t in inputs.values() for x in (t if isinstance(t, list) else [t])]
    if isinstance(out, tf.errors.OpError):
        c["error"] = {"code": out.error_code, "message": clean(out.message)}
    else:
        c["outputs"] = [enc(out)]
    cases.append(c)


def grid(dtype, shape, seed=0, lo=-16, hi=16):
    """Multiples of 1/8 in [lo/8, hi/8) (complex: both parts), exact in every float dtype."""
    rng = np.random.RandomState(seed)
    vals = rng.randint(lo, hi, size=shape) / 8.0
    if dtype.is_complex:
        vals = vals + 1j * rng.randint(lo, hi, size=shape) / 8.0
        return tf.cast(tf.constant(vals, c128), dtype)
    if dtype.is_integer:
        return tf.constant(rng.randint(-5, 6, size=shape), dtype)
    return tf.cast(tf.constant(vals, f64), dtype)


def einsum(eq, shapes, dtype=f32, seed=0):
    ins = [grid(dtype, s, seed=seed + k) for k, s in enumerate(shapes)]
    case("Einsum", {"inputs": ins}, {"equation": eq}, {"N": len(ins), "T": dtype})


# --- Einsum ------------------------------------------------------------------------------------

GOOD = [
    ("ij,jk->ik", [[2, 3], [3, 4]]),
    ("ij,kj->ik", [[2, 3], [4, 3]]),
    ("ji,jk->ik", [[3, 2], [3, 4]]),
    ("ji,kj->ik", [[3, 2], [4, 3]]),
    ("ij,jk->ki", [[2, 3], [3, 4]]),
    ("bij,bjk->bik", [[2, 2, 3], [2, 3, 4]]),
    ("bij,bkj->bik", [[2, 2, 3], [2, 4, 3]]),
    ("ibj,bjk->bki", [[2, 3, 3], [3, 3, 2]]),
    ("i,j->ij", [[2], [3]]),
    ("i,i->", [[5], [5]]),
    ("i,i->i", [[5], [5]]),
    ("ij,ij->ij", [[2, 3], [2, 3]]),
    ("ij,ij->", [[2, 3], [2, 3]]),
    ("ij,ij->j", [[2, 3], [2, 3]]),
    ("ij,j->i", [[2, 3], [3]]),
    ("ij,kl->ijkl", [[2, 1], [3, 2]]),
    ("ijk,jl->ilk", [[2, 3, 2], [3, 4]]),
    ("abc,cd->abd", [[2, 3, 4], [4, 2]]),
    ("abcd,cd->ab", [[2, 2, 3, 2], [3, 2]]),
    ("ij,jk->i", [[2, 3], [3, 4]]),
    ("ij,k->ik", [[2, 3], [4]]),
    ("ij->ji", [[2, 3]]),
    ("ijk->kij", [[2, 3, 4]]),
    ("ijk->kj", [[2, 3, 4]]),
    ("ij->i", [[2, 3]]),
    ("ij->j", [[2, 3]]),
    ("ij->", [[2, 3]]),
    ("i->i", [[4]]),
    ("->", [[]]),
    (",->", [[], []]),
    ("i,->i", [[3], []]),
    ("ii->i", [[3, 3]]),
    ("ii->", [[3, 3]]),
    ("iij->ji", [[2, 2, 3]]),
    ("iii->i", [[2, 2, 2]]),
    ("ijji->ij", [[2, 3, 3, 2]]),
    ("ii,jj->ij", [[2, 2], [3, 3]]),
    ("ii,ij->j", [[3, 3], [3, 2]]),
    ("i->ii", [[3]]),
    ("ij->jii", [[2, 3]]),
    ("ij,jk->iki", [[2, 3], [3, 2]]),
    ("...ij,jk->...ik", [[2, 2, 3], [3, 4]]),
    ("...ij,...jk->...ik", [[2, 1, 2, 3], [3, 3, 4]]),
    ("...ij,...jk->...ik", [[2, 3], [4, 3, 2]]),
    ("ij...,jk->ik...", [[2, 3, 2], [3, 4]]),
    ("i...j,j->...i", [[2, 3, 2, 3], [3]]),
    ("...,...->...", [[2, 3], [3]]),
    ("...ii->...i", [[2, 3, 3]]),
    ("...ij->...ji", [[2, 2, 3]]),
    ("...->...", [[2, 3]]),
    ("...ij->ij", [[2, 3]]),
    ("b...i,b...i->b...", [[2, 3, 4], [2, 1, 4]]),
    ("ij,jk->ik", [[0, 3], [3, 4]]),
    ("ij,jk->ik", [[2, 0], [0, 4]]),
    ("ij->j", [[0, 3]]),
    ("ii->i", [[0, 0]]),
    ("Ab,bC->AC", [[2, 3], [3, 2]]),
    ("i1,1k->ik", [[2, 3], [3, 2]]),
]
for eq, shapes in GOOD:
    einsum(eq, shapes)
for dt in [f64, f16, bf16, i32, i64, c64, c128]:
    for eq, shapes in [("ij,jk->ik", [[2, 3], [3, 4]]), ("bij,bkj->bik", [[2, 2, 3], [2, 4, 3]]),
                       ("ii->i", [[3, 3]]), ("ij->j", [[2, 3]]), ("i->ii", [[2]]),
                       ("...ij,jk->...ik", [[2, 2, 3], [3, 2]]), ("ji,jk->ki", [[3, 2], [3, 4]])]:
        einsum(eq, shapes, dt)
for dt in [tf.int8, tf.uint8]:
    einsum("ij->ji", [[2, 2]], dt)  # no CPU kernel: left out by case()
# A larger float32 product (the XNNPACK path in tfgate when loaded) with a few transposes.
for eq, shapes in [("ij,jk->ik", [[64, 80], [80, 72]]), ("bji,bkj->bik", [[3, 64, 48], [3, 40, 64]])]:
    einsum(eq, shapes, seed=7)

BAD = [
    ("ij,jk", [[2, 3], [3, 4]]),
    ("ij,jk->ik->", [[2, 3], [3, 4]]),
    ("", [[2, 3]]),
    ("ij,jk,kl->il", [[2, 3], [3, 4]]),
    ("ij->", [[2, 3], [3, 4]]),
    ("ij,jk->ik", [[2, 3]]),
    ("ij,jk->ik", [[2, 3], [4, 4]]),
    ("ii->i", [[2, 3]]),
    ("ij,jk->ik", [[2, 3, 1], [3, 4]]),
    ("ij,jk->ik", [[2, 3], [3]]),
    ("...ij->ij", [[2, 3, 4]]),
    ("...ij,...jk->ik", [[2, 2, 3], [3, 4]]),
    ("...ijk->...ijk", [[2, 3]]),
    ("...ij,...jk->...ik", [[2, 2, 3], [3, 3, 4]]),
    ("i.j,jk->ik", [[2, 3], [3, 4]]),
    ("abcdefgg->abcdefg", [[1, 1, 1, 1, 1, 1, 2, 2]]),
    ("abcdefg->abcdefgg", [[1, 1, 1, 1, 1, 1, 2]]),
    (" ij,jk->ik", [[2, 3], [3, 4]]),
]
for eq, shapes in BAD:
    einsum(eq, shapes)

# --- BroadcastArgs --------------------------------------------------------------------------------

for dt in [i32, i64]:
    for s0, s1 in [([2, 3], [3]), ([2, 1], [1, 4]), ([], [5]), ([], []), ([0, 1], [5, 1, 1]),
                   ([1], [0]), ([2, -3], [1]), ([7, 1, 3], [1, 1])]:
        case("BroadcastArgs", {"s0": tf.constant(s0, dt), "s1": tf.constant(s1, dt)}, {}, {"T": dt})
    for s0, s1 in [([2, 3], [4]), ([[2, 3]], [4]), ([2, 3], 5)]:
        case("BroadcastArgs", {"s0": tf.constant(s0, dt), "s1": tf.constant(s1, dt)}, {}, {"T": dt})
case("BroadcastGradientArgs", {"s0": tf.constant([[2, 3]]), "s1": tf.constant([4])}, {}, {"T": i32})
case("BroadcastGradientArgs", {"s0": tf.constant([2, 3]), "s1": tf.constant(4)}, {}, {"T": i32})

# --- Rint -------------------------------------------------------------------------------------------

RINT = [0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49, -0.49, 0.51, -0.2, 3.7, -3.7, 1e20, -1e20,
        4503599627370495.5, 123456.5, 2.0 ** 23 + 0.5, inf, -inf, nan]
for dt in [f32, f64, f16, bf16]:
    case("Rint", {"x": tf.cast(tf.constant(RINT, f64), dt)}, {}, {"T": dt})

# --- complex <-> real ---------------------------------------------------------------------------------

PARTS = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 1e-30, 1e30, inf, -inf, nan]
re_vals, im_vals = np.meshgrid(PARTS, PARTS)
for rt, ct in [(f32, c64), (f64, c128)]:
    re = tf.constant(re_vals.ravel(), rt)
    im = tf.constant(im_vals.ravel(), rt)
    case("Complex", {"real": re, "imag": im}, {"Tout": ct}, {"T": rt})
    case("Complex", {"real": tf.constant([[1.0], [2.0]], rt), "imag": tf.constant([0.5, -0.5, 3.0], rt)}, {"Tout": ct}, {"T": rt})
    case("Complex", {"real": tf.constant(2.0, rt), "imag": tf.zeros([0], rt)}, {"Tout": ct}, {"T": rt})
    case("Complex", {"real": tf.constant([1.0, 2.0], rt), "imag": tf.constant([1.0, 2.0, 3.0], rt)}, {"Tout": ct}, {"T": rt})
    z = tf.complex(re, im)
    for op in ["ComplexAbs", "Real", "Imag", "Angle"]:
        arg = "x" if op == "ComplexAbs" else "input"
        case(op, {arg: z}, {"Tout": rt}, {"T": ct})
        case(op, {arg: tf.reshape(z[:6], [2, 3])}, {"Tout": rt}, {"T": ct})
        case(op, {arg: tf.zeros([0, 2], ct)}, {"Tout": rt}, {"T": ct})
    case("Conj", {"input": z}, {}, {"T": ct})
    case("Conj", {"input": tf.zeros([2, 0], ct)}, {}, {"T": ct})
    # Magnitudes where hypot's scaling matters.
    big = tf.complex(tf.constant([3e38, 1e-45, 3e-39, 1e300, 5e-324, 0.6], f64), tf.constant([4e38, 1e-45, 4e-39, 1e300, 5e-324, 0.8], f64))
    case("ComplexAbs", {"x": tf.cast(big, ct)}, {"Tout": rt}, {"T": ct})

with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "cases": cases}, f, indent=None, separators=(",", ":"))
    f.write("\n")
print(f"{len(cases)} cases -> {OUT}")
