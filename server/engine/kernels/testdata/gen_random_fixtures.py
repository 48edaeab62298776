"""Generates random-fixtures.json: TensorFlow 2.21's own outputs of the stateful random ops for
fixed (seed, seed2) pairs, two consecutive runs of the same node in one session (the second run
continues the kernel's Philox stream). Values are recorded as bit patterns (uint32 for float32,
uint16 for half/bfloat16) or exact Python floats (float64), so tests compare bit for bit.

Run: /work/main/.venv-tf/bin/python server/engine/kernels/testdata/gen_random_fixtures.py
"""

import json
import os

import numpy as np
import tensorflow as tf

tf1 = tf.compat.v1
tf1.disable_eager_execution()

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "random-fixtures.json")


def bits(a):
    a = np.asarray(a)
    if a.dtype == np.float32:
        return a.view(np.uint32).ravel().tolist()
    if a.dtype == np.float16 or a.dtype.name == "bfloat16":
        return a.view(np.uint16).ravel().tolist()
    if a.dtype == np.float64:
        return [float(v) for v in a.ravel()]
    if a.dtype == np.int64:
        return [str(v) for v in a.ravel()]  # exact beyond 2**53
    return [int(v) for v in a.ravel()]


cases = []


def record(op, dtype, shape, seed, seed2, **kw):
    g = tf.Graph()
    with g.as_default():
        shape_t = tf.constant(shape, dtype=tf.int32)
        if op == "RandomUniformInt":
            node = tf.raw_ops.RandomUniformInt(
                shape=shape_t,
                minval=tf.constant(kw["minval"], dtype),
                maxval=tf.constant(kw["maxval"], dtype),
                seed=seed,
                seed2=seed2,
            )
        else:
            node = getattr(tf.raw_ops, op)(shape=shape_t, dtype=dtype, seed=seed, seed2=seed2)
        with tf1.Session(graph=g) as s:
            first = s.run(node)
            second = s.run(node)
    c = {
        "op": op,
        "dtype": dtype.name, "dtypeEnum": dtype.as_datatype_enum,
        "shape": shape,
        "seed": seed,
        "seed2": seed2,
        "first": bits(first),
        "second": bits(second),
    }
    c.update({k: str(v) for k, v in kw.items()})  # int64 bounds exceed 2**53
    cases.append(c)


for op in ["RandomUniform", "RandomStandardNormal", "TruncatedNormal"]:
    for dtype in [tf.float32, tf.float64, tf.float16, tf.bfloat16]:
        record(op, dtype, [3, 5], 1, 2)
    record(op, tf.float32, [7], 87654321, 0)
    record(op, tf.float32, [4, 257], 0, 42)
    record(op, tf.float32, [2], 2**40 + 3, 2**35 + 11)

record("RandomUniformInt", tf.int32, [3, 5], 1, 2, minval=-7, maxval=12)
record("RandomUniformInt", tf.int32, [9], 5, 6, minval=-(2**31), maxval=2**31 - 1)
record("RandomUniformInt", tf.int64, [3, 3], 1, 2, minval=-1000, maxval=10**12)
record("RandomUniformInt", tf.int64, [5], 9, 0, minval=-(2**63), maxval=2**63 - 1)

# A large float32 normal sample: checks the Box-Muller transcendentals against glibc's.
record("RandomStandardNormal", tf.float32, [6000], 123, 456)
record("TruncatedNormal", tf.float32, [6000], 321, 654)


# Multinomial (tf.random.categorical): two runs of one seeded kernel over fixed logits, including
# -inf and nan logits (skipped by TF's CDF), num_samples not a multiple of 4, and int32/int64 out.
multinomial = []


def record_multinomial(logits, dtype, num_samples, seed, seed2, output_dtype=tf.int64):
    g = tf.Graph()
    with g.as_default():
        node = tf.raw_ops.Multinomial(
            logits=tf.constant(logits, dtype), num_samples=tf.constant(num_samples, tf.int32),
            seed=seed, seed2=seed2, output_dtype=output_dtype,
        )
        with tf1.Session(graph=g) as s:
            first = s.run(node)
            second = s.run(node)
    multinomial.append({
        "op": "Multinomial",
        "logits": [[v if np.isfinite(v) else str(v) for v in row] for row in logits],
        "dtype": dtype.name, "dtypeEnum": dtype.as_datatype_enum,
        "numSamples": num_samples, "seed": seed, "seed2": seed2,
        "outputDtypeEnum": output_dtype.as_datatype_enum,
        "first": first.tolist(), "second": second.tolist(),
    })


record_multinomial([[0.0, 1.0, 2.0], [3.0, 0.5, -1.0]], tf.float32, 7, 1, 2)
record_multinomial([[0.0, float("-inf"), 1.5, float("nan"), -0.25]], tf.float32, 10, 42, 7, tf.int32)
record_multinomial([[1.0, 1.0, 1.0, 1.0]] * 3, tf.float64, 4, 5, 6)
record_multinomial([[-2.0, 0.0, 2.0]], tf.float16, 9, 11, 0)
record_multinomial([[0.1 * i for i in range(40)]], tf.float32, 33, 3, 4)
record_multinomial([[5.0, 0.0]], tf.float32, 0, 1, 1)

with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "cases": cases, "multinomial": multinomial}, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(cases)} cases to {OUT}")
