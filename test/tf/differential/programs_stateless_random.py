"""Programs with seeded randomness: tf.random.stateless_* (StatelessRandomGetKeyCounter and the V2
ops), tf.random.stateless_categorical, tf.random.shuffle under graph and op seeds, and Keras layers'
initialisers in a tf.compat.v1 graph. Values are recorded with their bit patterns, so the comparison
is exact."""

import numpy as np
import tensorflow as tf
from programs import Plain, cap, program, record, session

v1 = tf.compat.v1


def bits(value):
    """A fetched float array with its bit pattern (exact comparison beyond the float tolerance)."""
    a = np.asarray(value)
    view = {np.dtype(np.float32): np.uint32, np.dtype(np.float64): np.uint64, np.dtype(np.float16): np.uint16}
    rec = record(a)
    if a.dtype in view:
        rec["bits"] = [str(b) for b in a.view(view[a.dtype]).ravel().tolist()]
    return Plain(rec)


def run_bits(sess, fetches, feed=None):
    out = sess.run(fetches, feed)
    return {k: bits(v) for k, v in out.items()} if isinstance(out, dict) else bits(out)


@program()
def stateless_random_values(target):
    """tf.random.stateless_uniform / normal / truncated_normal with seeds fed at run time: float32,
    float64 and float16, minval/maxval scaling, int32/int64 bounded ranges and full-range integers;
    the same seed gives the same values on every run."""
    g = tf.Graph()
    with g.as_default():
        seed = v1.placeholder(tf.int32, [2], name="seed")
        seed64 = v1.placeholder(tf.int64, [2], name="seed64")
        out = {
            "uniform_f32": tf.random.stateless_uniform([3, 5], seed),
            "uniform_f64": tf.random.stateless_uniform([7], seed, dtype=tf.float64),
            "uniform_f16": tf.random.stateless_uniform([6], seed, dtype=tf.float16),
            "uniform_range": tf.random.stateless_uniform([2, 3], seed64, minval=-2.5, maxval=4.0),
            "uniform_int32": tf.random.stateless_uniform([9], seed, minval=-5, maxval=10, dtype=tf.int32),
            "uniform_int64": tf.random.stateless_uniform([4], seed64, minval=-(2**40), maxval=2**41, dtype=tf.int64),
            "uniform_full_int64": tf.random.stateless_uniform([3], seed, minval=None, maxval=None, dtype=tf.int64),
            "uniform_full_uint32": tf.random.stateless_uniform([5], seed, minval=None, maxval=None, dtype=tf.uint32),
            "normal_f32": tf.random.stateless_normal([2, 4], seed, mean=1.0, stddev=0.5),
            "normal_f64": tf.random.stateless_normal([5], seed64, dtype=tf.float64),
            "truncated_f32": tf.random.stateless_truncated_normal([300], seed),
            "truncated_f16": tf.random.stateless_truncated_normal([3, 3], seed64, stddev=2.0, dtype=tf.float16),
        }
    r = {}
    with session(target, g) as sess:
        feed = {seed: [1, 2], seed64: [2**40 + 3, -5]}
        r["first"] = cap(lambda: run_bits(sess, out, feed))
        r["again_same"] = cap(lambda: run_bits(sess, out["uniform_f32"], feed))
        r["other_seed"] = cap(lambda: run_bits(sess, out, {seed: [-7, 0], seed64: [0, 0]}))
        r["ops"] = sorted({n.op for n in g.as_graph_def().node})
    return r


@program()
def stateless_categorical_samples(target):
    """tf.random.stateless_categorical (StatelessMultinomial) over fixed logits, int32 and int64
    samples, and a -inf logit that is never drawn."""
    g = tf.Graph()
    with g.as_default():
        logits = tf.constant([[0.0, 1.0, 2.0], [3.0, float("-inf"), -1.0]])
        s64 = tf.random.stateless_categorical(logits, 12, seed=[3, 4])
        s32 = tf.random.stateless_categorical(logits * 0.5, 5, seed=[7, 8], dtype=tf.int32)
    with session(target, g) as sess:
        return {"samples": cap(lambda: sess.run({"i64": s64, "i32": s32}))}


@program()
def random_shuffle_seeded(target):
    """tf.random.shuffle under a graph seed and an op seed: the same graph shuffles the same way on
    a new session, and two runs in one session differ (the kernel's stream continues)."""

    def build():
        g = tf.Graph()
        with g.as_default():
            v1.set_random_seed(1234)
            a = tf.random.shuffle(tf.range(10), seed=5)
            b = tf.random.shuffle(tf.reshape(tf.range(12.0), [4, 3]))
            c = tf.random.shuffle(tf.constant([b"a", b"b", b"c", b"d"]), seed=9)
        return g, {"a": a, "b": b, "c": c}

    r = {}
    g, out = build()
    with session(target, g) as sess:
        r["run1"] = cap(lambda: sess.run(out))
        r["run2"] = cap(lambda: sess.run(out))
    g2, out2 = build()
    with session(target, g2) as sess:
        r["new_session_run1"] = cap(lambda: sess.run(out2))
    return r


@program()
def keras_dense_initialisers(target):
    """Keras layers built in a tf.compat.v1 graph: their kernels initialised by GlorotUniform,
    HeNormal, RandomNormal, TruncatedNormal and RandomUniform through the stateless V2 ops, under
    tf.keras.utils.set_random_seed or with fixed initializer seeds; Dropout and GaussianNoise in
    training mode draw from the same ops."""
    g = tf.Graph()
    with g.as_default():
        tf.keras.utils.set_random_seed(7)
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        layers = {
            "dense_global_seed": tf.keras.layers.Dense(4),
            "glorot_seed5": tf.keras.layers.Dense(2, kernel_initializer=tf.keras.initializers.GlorotUniform(seed=5)),
            "he_normal": tf.keras.layers.Dense(3, kernel_initializer=tf.keras.initializers.HeNormal(seed=11)),
            "random_normal": tf.keras.layers.Dense(2, kernel_initializer=tf.keras.initializers.RandomNormal(seed=3)),
            "truncated": tf.keras.layers.Dense(5, kernel_initializer=tf.keras.initializers.TruncatedNormal(seed=4)),
            "uniform_bias": tf.keras.layers.Dense(
                2, bias_initializer=tf.keras.initializers.RandomUniform(-1.0, 1.0, seed=6)
            ),
        }
        outputs = {k: layer(x) for k, layer in layers.items()}
        noisy = {
            "dropout": tf.keras.layers.Dropout(0.5)(tf.ones([4, 5]), training=True),
            "gaussian_noise": tf.keras.layers.GaussianNoise(0.1)(tf.ones([2, 3]), training=True),
        }
        init = v1.global_variables_initializer()
    r = {}
    with session(target, g) as sess:
        r["init"] = cap(lambda: sess.run(init))
        r["kernels"] = cap(lambda: {k: bits(v) for k, v in sess.run({k: l.kernel.value for k, l in layers.items()}).items()})
        r["biases"] = cap(lambda: sess.run({k: l.bias.value for k, l in layers.items()}))
        r["outputs"] = cap(lambda: sess.run(outputs, {x: [[1.0, -2.0, 0.5]]}))
        r["dropout_noise"] = cap(lambda: run_bits(sess, noisy))
        r["dropout_noise_again"] = cap(lambda: run_bits(sess, noisy))
        r["ops"] = sorted({n.op for n in g.as_graph_def().node if "Random" in n.op})
    return r


@program()
def stateless_random_errors(target):
    """Bad seeds, shapes and bounds fed at run time: TF's kernel errors (seed shape, negative
    dimension, minval >= maxval, a non-vector shape) and an empty shape that draws nothing."""
    g = tf.Graph()
    with g.as_default():
        seed = v1.placeholder(tf.int32, None, name="seed")
        shape = v1.placeholder(tf.int32, None, name="shape")
        lo = v1.placeholder(tf.int32, None, name="lo")
        uniform = tf.random.stateless_uniform(shape, seed)
        ints = tf.random.stateless_uniform([3], [1, 2], minval=lo, maxval=5, dtype=tf.int32)
        legacy = tf.raw_ops.StatelessRandomNormal(shape=shape, seed=seed)
        cat = tf.random.stateless_categorical([[1.0, 2.0]], 3, seed=seed)
    r = {}
    with session(target, g) as sess:
        r["seed_too_long"] = cap(lambda: sess.run(uniform, {shape: [2], seed: [1, 2, 3]}))
        r["seed_matrix"] = cap(lambda: sess.run(uniform, {shape: [2], seed: [[1, 2]]}))
        r["negative_dim"] = cap(lambda: sess.run(uniform, {shape: [2, -1], seed: [1, 2]}))
        r["shape_matrix"] = cap(lambda: sess.run(uniform, {shape: [[2]], seed: [1, 2]}))
        r["empty_shape"] = cap(lambda: sess.run(uniform, {shape: [0, 3], seed: [1, 2]}))
        r["minval_not_less"] = cap(lambda: sess.run(ints, {lo: 5}))
        r["minval_vector"] = cap(lambda: sess.run(ints, {lo: [1]}))
        r["legacy_seed_short"] = cap(lambda: sess.run(legacy, {shape: [2], seed: [1]}))
        r["legacy_ok"] = cap(lambda: run_bits(sess, legacy, {shape: [2, 2], seed: [5, 6]}))
        r["categorical_bad_seed"] = cap(lambda: sess.run(cat, {seed: [1, 2, 3]}))
    return r


@program()
def stateless_seed_tools(target):
    """tf.random.experimental.stateless_split and stateless_fold_in (full-range integers from
    StatelessRandomUniformFullIntV2) and stateless_shuffle (StatelessShuffle) of 1-D and 2-D values;
    a derived seed then seeds stateless_uniform."""
    g = tf.Graph()
    with g.as_default():
        seed = v1.placeholder(tf.int32, [2], name="seed")
        split = tf.random.experimental.stateless_split(seed, 3)
        folded = tf.random.experimental.stateless_fold_in(seed, 5)
        out = {
            "split": split,
            "folded": folded,
            "shuffle_1d": tf.random.experimental.stateless_shuffle(tf.range(8), seed=seed),
            "shuffle_2d": tf.random.experimental.stateless_shuffle(tf.reshape(tf.range(12.0), [4, 3]), seed=folded),
            "from_split": tf.random.stateless_uniform([4], seed=split[1]),
        }
    with session(target, g) as sess:
        return {
            "seed_1_2": cap(lambda: run_bits(sess, out, {seed: [1, 2]})),
            "seed_neg": cap(lambda: run_bits(sess, out, {seed: [-3, 2**30]})),
        }


@program()
def stateless_uniform_explicit_philox(target):
    """tf.random.stateless_uniform with alg="philox": Python derives key and counter from the seed
    itself (StatelessRandomUniformFullIntV2, LeftShift and BitwiseOr) instead of StatelessRandomGetKeyCounter."""
    g = tf.Graph()
    with g.as_default():
        u = tf.random.stateless_uniform([5], seed=[1, 2], alg="philox")
        n = tf.random.stateless_normal([3], seed=[4, 5], alg="philox", dtype=tf.float64)
    with session(target, g) as sess:
        return {"values": cap(lambda: run_bits(sess, {"u": u, "n": n}))}


@program()
def gamma_samples(target):
    """tf.random.gamma (RandomGamma) under graph and op seeds, run twice (the stream continues), with
    alpha and beta broadcast; tf.random.stateless_gamma (StatelessRandomGammaV3) over dtypes."""
    g = tf.Graph()
    with g.as_default():
        v1.set_random_seed(99)
        alpha = tf.constant([[0.5], [1.0], [3.0]])
        stateful = tf.random.gamma([4], alpha, beta=[1.0, 2.0], seed=3)
        out = {
            "stateless_f32": tf.random.stateless_gamma([2, 3], seed=[1, 2], alpha=[0.3, 1.0, 7.5]),
            "stateless_f16": tf.random.stateless_gamma([5], seed=[4, 5], alpha=2.0, dtype=tf.float16),
            "stateless_f64": tf.random.stateless_gamma([3], seed=[6, 7], alpha=[1.5, 1.0, 4.0], dtype=tf.float64),
        }
    r = {}
    with session(target, g) as sess:
        r["stateful_run1"] = cap(lambda: run_bits(sess, stateful))
        r["stateful_run2"] = cap(lambda: run_bits(sess, stateful))
        r["stateless"] = cap(lambda: run_bits(sess, out))
    return r


@program()
def poisson_samples(target):
    """tf.random.poisson (RandomPoissonV2) under graph and op seeds, small and large rates, float and
    integer outputs, run twice (the stream continues); tf.random.stateless_poisson. (A NaN rate is
    left out: TF never returns from it.)"""
    g = tf.Graph()
    with g.as_default():
        v1.set_random_seed(7)
        lam = tf.constant([0.5, 4.0, 12.0, 300.0])
        stateful = {
            "f32": tf.random.poisson([3], lam, seed=1),
            "i64": tf.random.poisson([2], lam, dtype=tf.int64),
        }
        stateless = {
            "i32": tf.random.stateless_poisson([2, 4], seed=[5, 6], lam=lam, dtype=tf.int32),
            "f64": tf.random.stateless_poisson([3], seed=[1, 2], lam=25.0, dtype=tf.float64),
        }
    r = {}
    with session(target, g) as sess:
        r["run1"] = cap(lambda: sess.run(stateful))
        r["run2"] = cap(lambda: sess.run(stateful))
        r["stateless"] = cap(lambda: sess.run(stateless))
    return r


@program()
def binomial_samples(target):
    """tf.random.stateless_binomial (StatelessRandomBinomial): counts and probs broadcast, small and
    large count·p, p above one half, int32 and float outputs, and incompatible counts/probs."""
    g = tf.Graph()
    with g.as_default():
        counts = tf.constant([[5.0], [120.0]])
        probs = tf.constant([0.2, 0.5, 0.9])
        out = {
            "i32": tf.random.stateless_binomial([4, 2, 3], seed=[3, 4], counts=counts, probs=probs),
            "f32": tf.random.stateless_binomial([6], seed=[5, 6], counts=30.0, probs=0.35, output_dtype=tf.float32),
        }
        bad = tf.random.stateless_binomial(
            [2], seed=[1, 2], counts=v1.placeholder_with_default([1.0, 2.0], None), probs=[0.1, 0.2, 0.3]
        )
    with session(target, g) as sess:
        return {"values": cap(lambda: sess.run(out)), "incompatible": cap(lambda: sess.run(bad))}
