#!/usr/bin/env python3
"""Writes stateless-random-fixtures.json: TensorFlow 2.21's own results of the stateless random ops
(seed-pair v1 forms, key/counter/alg v2 forms, the key/counter derivation ops, StatelessMultinomial)
and of RandomShuffle, read by ../stateless-random-fixtures.test.ts.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_stateless_random_fixtures.py

"cases": one eager tf.raw_ops call each, {"op", "attrs", "inputs", "outputs" | "error"} (the format of
fixture-format.ts; floats are exact values, 64-bit integers strings). A dtype TF has no CPU kernel for
is left out.

"graphs": Keras Dense layers built in a tf.compat.v1 graph, as GraphDefs with the steps a session runs
(initialise, then read the kernels and biases) and TF's values, which must match bit for bit.

"stateful": RandomShuffle, RandomGamma and RandomPoissonV2 keep a Philox stream per kernel, so each case is a one-node
tf.compat.v1 graph run twice in one session: {"op", "attrs", "inputs", "outputs": [first run, second
run]} or the session's "error".
"""

import base64
import json
import os
import re

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tf_fixtures import attr_of, clean, enc  # noqa: E402

R = tf.raw_ops
v1 = tf.compat.v1
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stateless-random-fixtures.json")

f16, bf16, f32, f64 = tf.float16, tf.bfloat16, tf.float32, tf.float64
i32, i64, u32, u64 = tf.int32, tf.int64, tf.uint32, tf.uint64
FLOATS = [f32, f64, f16, bf16]

cases = []


def case(op, inputs, attrs=None, inferred=None):
    """tf.raw_ops.<op>(**inputs, **attrs); `inferred` are the attrs TF infers from the inputs."""
    attrs = attrs or {}
    try:
        out = getattr(R, op)(**inputs, **attrs)
    except tf.errors.NotFoundError:
        return  # no CPU kernel for this dtype
    except tf.errors.OpError as e:
        out = e
    c = {"op": op, "attrs": {k: attr_of(v) for k, v in {**(inferred or {}), **attrs}.items()}}
    c["inputs"] = [enc(x) for x in inputs.values()]
    if isinstance(out, tf.errors.OpError):
        c["error"] = {"code": out.error_code, "message": clean(out.message)}
    elif isinstance(out, (list, tuple)):
        c["outputs"] = [enc(o) for o in out]
    else:
        c["outputs"] = [enc(out)]
    cases.append(c)


SEEDS = [
    tf.constant([1, 2], i32),
    tf.constant([-7, 123456789], i32),
    tf.constant([2**40 + 3, -5], i64),
    tf.constant([0, 0], i64),
]
SHAPES = [[3, 5], [7], [0, 4], [2, 257]]

# --- v1: seed pairs --------------------------------------------------------------------------------

for op in ["StatelessRandomUniform", "StatelessRandomNormal", "StatelessTruncatedNormal"]:
    for dt in FLOATS:
        for seed in SEEDS[:3]:
            case(op, {"shape": tf.constant([3, 5]), "seed": seed}, {"dtype": dt},
                 {"T": i32, "Tseed": seed.dtype})
    for shape in SHAPES:
        case(op, {"shape": tf.constant(shape, i64), "seed": SEEDS[3]}, {"dtype": f32}, {"T": i64, "Tseed": i64})
    case(op, {"shape": tf.constant([3]), "seed": tf.constant([1, 2, 3])}, {"dtype": f32}, {"T": i32, "Tseed": i32})
    case(op, {"shape": tf.constant([3]), "seed": tf.constant([[1, 2]])}, {"dtype": f32}, {"T": i32, "Tseed": i32})
    case(op, {"shape": tf.constant([3, -1]), "seed": SEEDS[0]}, {"dtype": f32}, {"T": i32, "Tseed": i32})
    case(op, {"shape": tf.constant([[3]]), "seed": SEEDS[0]}, {"dtype": f32}, {"T": i32, "Tseed": i32})
# Many groups of the truncated normal (each group skips 256 outputs' worth of the stream).
case("StatelessTruncatedNormal", {"shape": tf.constant([1500]), "seed": SEEDS[1]}, {"dtype": f32},
     {"T": i32, "Tseed": i32})
case("StatelessRandomNormal", {"shape": tf.constant([2000]), "seed": SEEDS[2]}, {"dtype": f32},
     {"T": i32, "Tseed": i64})

for dt, lo, hi in [(i32, -7, 12), (i32, -(2**31), 2**31 - 1), (i64, -1000, 10**12), (i64, -(2**63), 2**63 - 1)]:
    for seed in SEEDS[:3]:
        case("StatelessRandomUniformInt",
             {"shape": tf.constant([9]), "seed": seed, "minval": tf.constant(lo, dt), "maxval": tf.constant(hi, dt)},
             {}, {"dtype": dt, "T": i32, "Tseed": seed.dtype})
for dt in [i32, i64]:
    base = {"shape": tf.constant([4]), "seed": SEEDS[0]}
    inf = {"dtype": dt, "T": i32, "Tseed": i32}
    case("StatelessRandomUniformInt", {**base, "minval": tf.constant(5, dt), "maxval": tf.constant(5, dt)}, {}, inf)
    case("StatelessRandomUniformInt", {**base, "minval": tf.constant([1], dt), "maxval": tf.constant(5, dt)}, {}, inf)
    case("StatelessRandomUniformInt", {**base, "minval": tf.constant(1, dt), "maxval": tf.constant([5], dt)}, {}, inf)
    case("StatelessRandomUniformInt",
         {"shape": tf.constant([0]), "seed": SEEDS[0], "minval": tf.constant(5, dt), "maxval": tf.constant(1, dt)},
         {}, inf)

for dt in [i32, i64, u32, u64]:
    for seed in SEEDS[:3]:
        case("StatelessRandomUniformFullInt", {"shape": tf.constant([2, 5]), "seed": seed}, {"dtype": dt},
             {"T": i32, "Tseed": seed.dtype})
for sdt in [u32, u64]:
    case("StatelessRandomUniformFullInt", {"shape": tf.constant([3]), "seed": tf.constant([1, 2], sdt)},
         {"dtype": i32}, {"T": i32, "Tseed": sdt})

# StatelessMultinomial: one SingleSampleAdapter per batch row, 256 outputs of the stream per row.
LOGITS = [
    (tf.constant([[0.0, 1.0, 2.0], [3.0, 0.5, -1.0]], f32), 7),
    (tf.constant([[0.0, float("-inf"), 1.5, float("nan"), -0.25]], f32), 10),
    (tf.constant([[1.0, 1.0, 1.0, 1.0]] * 3, f64), 4),
    (tf.constant([[-2.0, 0.0, 2.0]], f16), 9),
    (tf.constant([[0.1 * i for i in range(40)]] * 2, f32), 33),
    (tf.constant([[5.0, 0.0]], f32), 0),
    (tf.constant(np.zeros([0, 3]), f32), 4),
]
for logits, n in LOGITS:
    for seed, out in [(SEEDS[0], i64), (SEEDS[2], i32)]:
        case("StatelessMultinomial", {"logits": logits, "num_samples": tf.constant(n), "seed": seed},
             {"output_dtype": out}, {"T": logits.dtype, "Tseed": seed.dtype})
mn = {"T": f32, "Tseed": i32, "output_dtype": i64}
case("StatelessMultinomial", {"logits": tf.constant([1.0, 2.0]), "num_samples": tf.constant(2), "seed": SEEDS[0]}, {}, mn)
case("StatelessMultinomial", {"logits": tf.constant([[1.0, 2.0]]), "num_samples": tf.constant([2]), "seed": SEEDS[0]}, {}, mn)
case("StatelessMultinomial", {"logits": tf.constant([[1.0, 2.0]]), "num_samples": tf.constant(-1), "seed": SEEDS[0]}, {}, mn)
case("StatelessMultinomial", {"logits": tf.constant(np.zeros([2, 0]), f32), "num_samples": tf.constant(3), "seed": SEEDS[0]}, {}, mn)
case("StatelessMultinomial", {"logits": tf.constant([[1.0, 2.0]]), "num_samples": tf.constant(2), "seed": tf.constant([1])}, {}, mn)

# --- v2: key, counter, alg -------------------------------------------------------------------------

for seed in SEEDS:
    case("StatelessRandomGetKeyCounter", {"seed": seed}, {}, {"Tseed": seed.dtype})
    case("StatelessRandomGetKeyCounterAlg", {"seed": seed}, {}, {"Tseed": seed.dtype})
case("StatelessRandomGetKeyCounter", {"seed": tf.constant([1, 2, 3])}, {}, {"Tseed": i32})
case("StatelessRandomGetKeyCounterAlg", {"seed": tf.constant(5, i64)}, {}, {"Tseed": i64})
case("StatelessRandomGetAlg", {}, {})


def key_counter(seed):
    return R.StatelessRandomGetKeyCounter(seed=seed)


KEYS = [key_counter(s) for s in SEEDS[:3]] + [
    (tf.constant([0xFFFFFFFFFFFFFFFF], u64), tf.constant([0xFFFFFFFFFFFFFF00, 2**63 + 9], u64)),
    (tf.constant([12345], u64), tf.constant([7, 0, 99], u64)),  # counters longer than 2 are fine
]
ALG = tf.constant(1)


def v2(op, shape, key, counter, alg=ALG, attrs=None, extra=None, tshape=i32, dtype=f32):
    inputs = {"shape": tf.constant(shape, tshape), "key": key, "counter": counter, "alg": alg, **(extra or {})}
    if "minval" in inputs:  # dtype is inferred from the bounds
        case(op, inputs, attrs, {"dtype": dtype, "Tshape": tshape})
    else:
        case(op, inputs, {"dtype": dtype, **(attrs or {})}, {"Tshape": tshape})


for op in ["StatelessRandomUniformV2", "StatelessRandomNormalV2", "StatelessTruncatedNormalV2"]:
    for dt in FLOATS:
        for key, counter in KEYS:
            v2(op, [3, 5], key, counter, dtype=dt)
    k, c = KEYS[0]
    for shape in SHAPES:
        v2(op, shape, k, c, tshape=i64)
    v2(op, [4], k, c, alg=tf.constant(0))  # auto-select is Philox on CPU
    v2(op, [4], k, c, alg=tf.constant(2))  # ThreeFry: not on CPU
    v2(op, [4], k, c, alg=tf.constant(3))
    v2(op, [4], k, c, alg=tf.constant(-1))
    v2(op, [4], k, c, alg=tf.constant([1]))
    v2(op, [4], tf.constant([1, 2], u64), c)
    v2(op, [4], tf.constant(1, u64), c)
    # (A one-word counter passes TF's check but Philox then reads a word past its end: not recorded.)
    v2(op, [4], k, tf.constant([[1, 2]], u64))
    v2(op, [4, -2], k, c)
    v2(op, [[4]], k, c)
    v2(op, [0], tf.constant([1, 2], u64), c)
v2("StatelessTruncatedNormalV2", [1500], *KEYS[3])

for dt, lo, hi in [(i32, -7, 12), (i32, -(2**31), 2**31 - 1), (i64, -1000, 10**12), (i64, -(2**63), 2**63 - 1),
                   (u32, 3, 2**32 - 5), (u64, 10, 2**64 - 1)]:
    for key, counter in KEYS:
        v2("StatelessRandomUniformIntV2", [9], key, counter, dtype=dt,
           extra={"minval": tf.constant(lo, dt), "maxval": tf.constant(hi, dt)})
for dt in [i32, i64]:
    k, c = KEYS[0]
    for lo, hi in [(5, 5), ([1], 5), (1, [5])]:
        v2("StatelessRandomUniformIntV2", [4], k, c, dtype=dt,
           extra={"minval": tf.constant(lo, dt), "maxval": tf.constant(hi, dt)})
    v2("StatelessRandomUniformIntV2", [0], k, c, dtype=dt,
       extra={"minval": tf.constant(5, dt), "maxval": tf.constant(1, dt)})
    v2("StatelessRandomUniformIntV2", [3], k, c, alg=tf.constant(2), dtype=dt,
       extra={"minval": tf.constant(5, dt), "maxval": tf.constant(1, dt)})

for dt in [i32, i64, u32, u64]:
    for key, counter in KEYS:
        v2("StatelessRandomUniformFullIntV2", [2, 5], key, counter, dtype=dt)
    v2("StatelessRandomUniformFullIntV2", [3], KEYS[0][0], KEYS[0][1], alg=tf.constant(2), dtype=dt)

# StatelessShuffle: the same permutation from an explicit key/counter/alg.
for value in [tf.range(10, dtype=f32), tf.reshape(tf.range(15), [5, 3]), tf.constant([b"x", b"y", b"z"]),
              tf.constant([[1, 2]]), tf.constant(3.0), tf.cast(tf.range(300), i64)]:
    for key, counter in KEYS:
        case("StatelessShuffle", {"value": value, "key": key, "counter": counter, "alg": ALG}, {}, {"T": value.dtype})
k, c = KEYS[0]
for alg in [0, 2, 3]:
    case("StatelessShuffle", {"value": tf.range(5), "key": k, "counter": c, "alg": tf.constant(alg)}, {}, {"T": i32})
case("StatelessShuffle", {"value": tf.range(5), "key": tf.constant([1, 2], u64), "counter": c, "alg": ALG}, {}, {"T": i32})

# --- RandomShuffle: two runs of one seeded kernel ------------------------------------------------

stateful = []


def shuffle(value, seed, seed2):
    g = tf.Graph()
    with g.as_default():
        x = tf.constant(value)
        node = R.RandomShuffle(value=x, seed=seed, seed2=seed2)
        with v1.Session(graph=g) as s:
            outs = [s.run(node), s.run(node)]
    stateful.append({
        "op": "RandomShuffle",
        "attrs": {"T": attr_of(x.dtype), "seed": attr_of(seed), "seed2": attr_of(seed2)},
        "inputs": [enc(value)],
        "outputs": [enc(tf.constant(o, x.dtype)) for o in outs],
    })


shuffle(tf.range(10, dtype=f32), 1, 2)
shuffle(tf.range(10, dtype=f32), 0, 7)
shuffle(tf.range(10, dtype=f32), 42, 0)
shuffle(tf.reshape(tf.range(15), [5, 3]), 3, 4)
shuffle(tf.reshape(tf.range(24, dtype=f64), [4, 3, 2]), 2**40 + 1, 5)
shuffle(tf.constant([b"a", b"bb", b"ccc", b"d", b"e"]), 9, 9)
shuffle(tf.constant([True, False, True, True]), 1, 1)
shuffle(tf.cast(tf.range(6), f16), 8, 1)
shuffle(tf.cast(tf.range(6), bf16), 8, 1)
shuffle(tf.cast(tf.range(300), i64), 11, 12)
shuffle(tf.constant([[1, 2, 3]]), 1, 2)
shuffle(tf.constant(np.zeros([3, 0]), f32), 1, 2)
shuffle(tf.constant(np.zeros([0, 2]), f32), 1, 2)
shuffle(tf.constant(7.0), 1, 2)
shuffle(tf.constant([[1 + 2j, 3 - 1j], [0, 1j], [5, 6]], tf.complex64), 4, 4)
shuffle(tf.constant([3, 1], tf.uint8), 6, 6)

# --- RandomGamma: two runs of one seeded kernel; stateless gamma V2 and V3 -------------------------


def gamma(shape, alpha, seed, seed2, s_dtype=i32):
    g = tf.Graph()
    with g.as_default():
        shape_p = v1.placeholder(s_dtype)  # fed, so that graph construction does not check it
        node = R.RandomGamma(shape=shape_p, alpha=tf.constant(alpha.numpy(), alpha.dtype), seed=seed, seed2=seed2)
        try:
            with v1.Session(graph=g) as s:
                outs = [s.run(node, {shape_p: shape}), s.run(node, {shape_p: shape})]
        except tf.errors.OpError as e:
            outs = e
    c = {"op": "RandomGamma",
         "attrs": {"S": attr_of(s_dtype), "T": attr_of(alpha.dtype), "seed": attr_of(seed), "seed2": attr_of(seed2)},
         "inputs": [enc(tf.constant(shape, s_dtype)), enc(alpha)]}
    if isinstance(outs, tf.errors.OpError):
        c["error"] = {"code": outs.error_code, "message": session_error(outs.message)}
    else:
        c["outputs"] = [enc(tf.constant(o, alpha.dtype)) for o in outs]
    stateful.append(c)


def session_error(msg):
    m = re.search(r"\nNode: '[^']*'\n(.*?)(\n\t \[\[|$)", msg, re.S)
    return (m.group(1) if m else msg).strip()


ALPHAS = [0.5, 1.0, 2.5, 0.01, 30.0]
for dt in [f32, f64, f16]:
    gamma([4], tf.constant(ALPHAS, dt), 1, 2)
gamma([3, 2], tf.constant([[0.3, 1.0], [4.0, 1.5]]), 7, 0, i64)
gamma([200], tf.constant(0.7), 5, 6)
gamma([2], tf.constant(np.zeros([0]), f32), 1, 2)
gamma([0], tf.constant([1.0]), 1, 2)
gamma([[2]], tf.constant([1.0]), 1, 2)
gamma([2], tf.constant([0.0, -1.0, float("inf"), float("nan")]), 3, 3)

for dt in [f32, f64, f16]:  # the op allows no bfloat16
    for seed in SEEDS[:3]:
        case("StatelessRandomGammaV2", {"shape": tf.constant([3, 5]), "seed": seed, "alpha": tf.constant(ALPHAS, dt)}, {},
             {"dtype": dt, "T": i32, "Tseed": seed.dtype})
    for key, counter in KEYS[:4]:
        case("StatelessRandomGammaV3", {"shape": tf.constant([2, 5]), "key": key, "counter": counter, "alg": ALG,
                                        "alpha": tf.constant(ALPHAS, dt)}, {}, {"dtype": dt, "shape_dtype": i32})
gv2 = {"dtype": f32, "T": i32, "Tseed": i32}
case("StatelessRandomGammaV2", {"shape": tf.constant([300]), "seed": SEEDS[0], "alpha": tf.constant(0.3)}, {}, gv2)
case("StatelessRandomGammaV2", {"shape": tf.constant([4, 2]), "seed": SEEDS[0], "alpha": tf.constant([[1.0, 2.0]] * 4)}, {}, gv2)
case("StatelessRandomGammaV2", {"shape": tf.constant([3]), "seed": SEEDS[0], "alpha": tf.constant([1.0, 2.0])}, {}, gv2)
case("StatelessRandomGammaV2", {"shape": tf.constant([3, 2]), "seed": SEEDS[0], "alpha": tf.constant([[1.0, 2.0]] * 2)}, {}, gv2)
case("StatelessRandomGammaV2", {"shape": tf.constant([0, 2]), "seed": SEEDS[0], "alpha": tf.constant([5.0])}, {}, gv2)
case("StatelessRandomGammaV2", {"shape": tf.constant([3]), "seed": tf.constant([1]), "alpha": tf.constant([1.0])}, {}, gv2)
case("StatelessRandomGammaV2", {"shape": tf.constant([4]), "seed": SEEDS[0], "alpha": tf.constant([0.0, -1.0, float("inf"), float("nan")])}, {}, gv2)
k, c = KEYS[0]
gv3 = {"dtype": f32, "shape_dtype": i64}
case("StatelessRandomGammaV3", {"shape": tf.constant([3], i64), "key": k, "counter": c, "alg": tf.constant(2), "alpha": tf.constant([1.0, 2.0, 3.0])}, {}, gv3)
case("StatelessRandomGammaV3", {"shape": tf.constant([3], i64), "key": k, "counter": c, "alg": tf.constant(2), "alpha": tf.constant([1.0, 2.0])}, {}, gv3)
case("StatelessRandomGammaV3", {"shape": tf.constant([3], i64), "key": tf.constant([1, 2], u64), "counter": c, "alg": ALG, "alpha": tf.constant([1.0])}, {}, gv3)

# --- Poisson: RandomPoissonV2 run twice per kernel; StatelessRandomPoisson -------------------------
# (RandomPoisson itself is deprecated out of every GraphDef version TF 2.21 writes.)
# (A NaN rate, or draws beyond the output dtype's range, make TF loop forever: not recorded.)


def poisson(op, shape, rate, seed, seed2, dtype):
    g = tf.Graph()
    with g.as_default():
        shape_p = v1.placeholder(i32)
        node = getattr(R, op)(shape=shape_p, rate=tf.constant(rate.numpy(), rate.dtype), seed=seed, seed2=seed2,
                              dtype=dtype)
        with v1.Session(graph=g) as s:
            outs = [s.run(node, {shape_p: shape}), s.run(node, {shape_p: shape})]
    attrs = {"S": attr_of(i32), "R": attr_of(rate.dtype), "dtype": attr_of(dtype), "seed": attr_of(seed),
             "seed2": attr_of(seed2)}
    stateful.append({"op": op, "attrs": attrs, "inputs": [enc(tf.constant(shape, i32)), enc(rate)],
                     "outputs": [enc(tf.constant(o, dtype)) for o in outs]})


RATES = [0.5, 3.0, 9.99, 10.0, 25.0, 1000.0, 1e6, -2.0, 0.0]
poisson("RandomPoissonV2", [3], tf.constant(RATES, f64), 1, 2, i64)
poisson("RandomPoissonV2", [2, 2], tf.constant(RATES, f32), 3, 4, f32)
poisson("RandomPoissonV2", [5], tf.constant([1.5, 12.0, 300.0], f16), 5, 6, f16)
poisson("RandomPoissonV2", [4], tf.constant([2, 15, 40000], i32), 7, 8, i32)
poisson("RandomPoissonV2", [4], tf.constant([4, 150], i64), 9, 0, f64)
poisson("RandomPoissonV2", [100], tf.constant(33.3, f64), 0, 5, i64)
poisson("RandomPoissonV2", [0], tf.constant([1.0], f64), 1, 2, i64)
poisson("RandomPoissonV2", [2], tf.constant(np.zeros([0]), f64), 1, 2, i64)
poisson("RandomPoissonV2", [2], tf.constant([float("inf"), float("-inf")], f64), 1, 2, f32)
poisson("RandomPoissonV2", [2], tf.constant([float("inf"), 3.0], f64), 1, 2, i64)

for rdt in [f32, f64, f16, i32, i64]:
    for odt in [f32, f64, f16, i32, i64]:
        lam = tf.cast(tf.constant([0.5, 3.0, 12.0, 250.0, 7.0, 40.0]), rdt)
        case("StatelessRandomPoisson", {"shape": tf.constant([2, 6]), "seed": SEEDS[1], "lam": lam}, {"dtype": odt},
             {"Rtype": rdt, "T": i32, "Tseed": i32})
sp = {"Rtype": f32, "T": i32, "Tseed": i64}
case("StatelessRandomPoisson", {"shape": tf.constant([300]), "seed": SEEDS[2], "lam": tf.constant(20.0)}, {"dtype": i64}, sp)
case("StatelessRandomPoisson", {"shape": tf.constant([3]), "seed": SEEDS[2], "lam": tf.constant([1.0, 2.0])}, {"dtype": i64}, sp)
case("StatelessRandomPoisson", {"shape": tf.constant([0, 2]), "seed": SEEDS[2], "lam": tf.constant([1.0])}, {"dtype": i64}, sp)
case("StatelessRandomPoisson", {"shape": tf.constant([2]), "seed": tf.constant([1, 2, 3], i64), "lam": tf.constant([1.0, 2.0])}, {"dtype": i64}, sp)
case("StatelessRandomPoisson", {"shape": tf.constant([2]), "seed": SEEDS[2], "lam": tf.constant([-1.0, float("inf")])}, {"dtype": f32}, sp)

# --- StatelessRandomBinomial: inversion (count·p < 10) and BTRS, p above and below 1/2, broadcasting ---

COUNTS = [5.0, 20.0, 100.0, 1000.0, 0.0, 7.0, 50.0, 3.0]
PROBS = [0.3, 0.6, 0.05, 0.5, 0.5, 1.0, 0.99, 0.0]
for tdt in [f32, f64, f16]:
    for odt in [i64, f32, i32, f64, f16]:
        case("StatelessRandomBinomial", {"shape": tf.constant([3, 8]), "seed": SEEDS[0],
                                         "counts": tf.constant(COUNTS, tdt), "probs": tf.constant(PROBS, tdt)},
             {"dtype": odt}, {"S": i32, "Tseed": i32, "T": tdt})
sb = {"S": i32, "Tseed": i64, "T": f64}
case("StatelessRandomBinomial", {"shape": tf.constant([2, 3, 4]), "seed": SEEDS[2],
                                 "counts": tf.constant([[10.0], [200.0], [33.0]]), "probs": tf.constant([0.1, 0.4, 0.7, 0.95])},
     {"dtype": i64}, sb)
case("StatelessRandomBinomial", {"shape": tf.constant([200]), "seed": SEEDS[2], "counts": tf.constant(40.0),
                                 "probs": tf.constant(0.45)}, {"dtype": i64}, sb)
case("StatelessRandomBinomial", {"shape": tf.constant([4]), "seed": SEEDS[2], "counts": tf.constant([10.0, -3.0, 2.5, 12.0]),
                                 "probs": tf.constant([float("nan"), 0.5, 0.5, -0.5])}, {"dtype": f64}, sb)
case("StatelessRandomBinomial", {"shape": tf.constant([3]), "seed": SEEDS[2], "counts": tf.constant([1.0, 2.0]),
                                 "probs": tf.constant([0.5, 0.5, 0.5])}, {"dtype": i64}, sb)
case("StatelessRandomBinomial", {"shape": tf.constant([3]), "seed": SEEDS[2], "counts": tf.constant([1.0, 2.0]),
                                 "probs": tf.constant(0.5)}, {"dtype": i64}, sb)
case("StatelessRandomBinomial", {"shape": tf.constant([0, 2]), "seed": SEEDS[2], "counts": tf.constant([1.0, 2.0]),
                                 "probs": tf.constant(0.5)}, {"dtype": i64}, sb)
case("StatelessRandomBinomial", {"shape": tf.constant([[2]]), "seed": SEEDS[2], "counts": tf.constant(1.0),
                                 "probs": tf.constant(0.5)}, {"dtype": i64}, sb)
case("StatelessRandomBinomial", {"shape": tf.constant([2]), "seed": tf.constant([1], i64), "counts": tf.constant(1.0),
                                 "probs": tf.constant(0.5)}, {"dtype": i64}, sb)

# --- graphs: Keras initialisers in a tf.compat.v1 graph ------------------------------------------

graphs = []


def keras_graph(name, make_layers, set_seed=None):
    """Dense layers built in a v1 graph (their initialisers emit StatelessRandomGetKeyCounter and the
    V2 ops), the variables initialised, then the kernels and biases read."""
    g = tf.Graph()
    with g.as_default():
        if set_seed is not None:
            tf.keras.utils.set_random_seed(set_seed)
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        layers = make_layers()
        for layer in layers:
            layer(x)
        init = v1.global_variables_initializer()
        reads = [tf.identity(v) for layer in layers for v in (layer.kernel, layer.bias)]
    gd = g.as_graph_def()
    with v1.Session(graph=g) as sess:
        sess.run(init)
        values = sess.run(reads)
    graphs.append({
        "name": name,
        "graph": base64.b64encode(gd.SerializeToString()).decode("ascii"),
        "ops": sorted({n.op for n in gd.node}),
        "steps": [
            {"targets": [init.name], "fetches": []},
            {"targets": [], "fetches": [t.name for t in reads], "outputs": [enc(tf.constant(v, t.dtype)) for t, v in zip(reads, values)]},
        ],
    })


K = tf.keras
keras_graph("dense_set_random_seed", lambda: [K.layers.Dense(4), K.layers.Dense(3)], set_seed=7)
keras_graph("dense_initializer_seeds", lambda: [
    K.layers.Dense(2, kernel_initializer=K.initializers.GlorotUniform(seed=5)),
    K.layers.Dense(3, kernel_initializer=K.initializers.HeNormal(seed=11)),
    K.layers.Dense(5, kernel_initializer=K.initializers.TruncatedNormal(seed=4),
                   bias_initializer=K.initializers.RandomUniform(-1.0, 1.0, seed=6)),
    K.layers.Dense(2, kernel_initializer=K.initializers.RandomNormal(seed=3), dtype="float64"),
])

with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "cases": cases, "stateful": stateful, "graphs": graphs}, f,
              separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(cases)} cases, {len(stateful)} stateful cases and {len(graphs)} graphs to {OUT}")
