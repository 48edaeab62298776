"""Programs that parse tf.train.Example records the way TF 2.21 users do in tf.compat.v1 graphs (v2
control flow on): tf.io.parse_example with FixedLenFeature / VarLenFeature / FixedLenSequenceFeature /
RaggedFeature specs, tf.io.parse_single_example, tf.io.decode_raw, their errors for missing
features, wrong types and malformed records, and a queue-fed parse-then-train loop."""

import numpy as np
import tensorflow as tf
from programs import cap, program, session

v1 = tf.compat.v1


def _example(**features):
    f = {}
    for k, v in features.items():
        if isinstance(v[0], bytes):
            f[k] = tf.train.Feature(bytes_list=tf.train.BytesList(value=v))
        elif isinstance(v[0], float):
            f[k] = tf.train.Feature(float_list=tf.train.FloatList(value=v))
        else:
            f[k] = tf.train.Feature(int64_list=tf.train.Int64List(value=v))
    return tf.train.Example(features=tf.train.Features(feature=f)).SerializeToString()


RECORDS = [
    _example(age=[31], height=[1.8, 0.5], tags=[b"a", b"b"], scores=[0.5, 1.5, 2.5], ids=[1, 2, 3]),
    _example(age=[22], height=[1.6, 0.25], scores=[3.0], ids=[4]),
    _example(height=[1.7, 0.75], tags=[b"only"]),
]


@program(control_flow_v2=True)
def parse_example_features(target):
    """parse_example with dense (defaults, required), varlen (sparse), sequence (padded) and ragged
    features over a batch of records; parse_single_example; the same specs fed one bad record."""
    g = tf.Graph()
    with g.as_default():
        serialized = v1.placeholder(tf.string, [None])
        one = v1.placeholder(tf.string, [])
        spec = {
            "age": tf.io.FixedLenFeature([], tf.int64, default_value=-1),
            "height": tf.io.FixedLenFeature([2], tf.float32),
            "tags": tf.io.VarLenFeature(tf.string),
            "scores": tf.io.FixedLenSequenceFeature([], tf.float32, allow_missing=True, default_value=-9.0),
            "ragged_ids": tf.io.RaggedFeature(tf.int64, value_key="ids"),
        }
        parsed = tf.io.parse_example(serialized, spec)
        single = tf.io.parse_single_example(one, {k: v for k, v in spec.items() if k != "ragged_ids"})
        strict = tf.io.parse_example(serialized, {"age": tf.io.FixedLenFeature([], tf.int64)})
        wrong_type = tf.io.parse_example(serialized, {"height": tf.io.FixedLenFeature([2], tf.int64)})
        wrong_len = tf.io.parse_example(serialized, {"height": tf.io.FixedLenFeature([3], tf.float32)})
    r = {}
    with session(target, g) as sess:

        def flat(p):
            return {k: (v.indices, v.values, v.dense_shape) if isinstance(v, tf.SparseTensor) else
                    (v.flat_values, v.row_splits) if isinstance(v, tf.RaggedTensor) else v for k, v in p.items()}

        r["batch"] = cap(lambda: sess.run(flat(parsed), {serialized: RECORDS}))
        r["empty_batch"] = cap(lambda: sess.run(flat(parsed), {serialized: []}))
        r["single"] = cap(lambda: sess.run(flat(single), {one: RECORDS[0]}))
        r["single_missing_required"] = cap(lambda: sess.run(flat(single), {one: _example(age=[1])}))
        r["required_missing"] = cap(lambda: sess.run(strict, {serialized: RECORDS}))
        r["wrong_type"] = cap(lambda: sess.run(wrong_type, {serialized: RECORDS}))
        r["wrong_length"] = cap(lambda: sess.run(wrong_len, {serialized: RECORDS}))
        r["malformed"] = cap(lambda: sess.run(flat(parsed), {serialized: [RECORDS[0], b"\x0a\x03abc"]}))
    return r


@program(control_flow_v2=True)
def decode_raw_records(target):
    """tf.io.decode_raw of fixed-size binary records (uint8 image bytes, little and big endian int32
    and float32), reshaped and cast, and its error for records of different sizes."""
    g = tf.Graph()
    with g.as_default():
        raw = v1.placeholder(tf.string, [None])
        pixels = tf.reshape(tf.io.decode_raw(raw, tf.uint8), [-1, 2, 2])
        as_float = tf.cast(pixels, tf.float32) / 255.0
        ints_le = tf.io.decode_raw(raw, tf.int32)
        ints_be = tf.io.decode_raw(raw, tf.int32, little_endian=False)
        floats = tf.io.decode_raw(raw, tf.float32)
    records = [bytes([0, 64, 128, 255]), np.array([1.5], np.float32).tobytes()]
    r = {}
    with session(target, g) as sess:
        r["decoded"] = cap(lambda: sess.run([pixels, as_float, ints_le, ints_be, floats], {raw: records}))
        r["ragged_sizes"] = cap(lambda: sess.run(pixels, {raw: [b"abcd", b"ab"]}))
    return r


@program(control_flow_v2=True)
def queue_fed_parse_and_train(target):
    """Serialized Examples enqueued into a FIFOQueue, dequeued in batches, parsed with parse_example
    and used to train a linear model (one thread, so the order is fixed)."""
    xs = np.linspace(-2, 2, 16).astype(np.float32)
    records = [_example(x=[float(x)], y=[float(2 * x + 1)]) for x in xs]
    g = tf.Graph()
    with g.as_default():
        q = tf.queue.FIFOQueue(64, [tf.string], shapes=[[]])
        enqueue = q.enqueue_many([tf.constant(records)])
        batch = q.dequeue_many(8)
        feats = tf.io.parse_example(
            batch, {"x": tf.io.FixedLenFeature([1], tf.float32), "y": tf.io.FixedLenFeature([1], tf.float32)}
        )
        w = tf.Variable([[0.0]])
        b = tf.Variable([0.0])
        loss = tf.reduce_mean(tf.square(tf.matmul(feats["x"], w) + b - feats["y"]))
        train = v1.train.GradientDescentOptimizer(0.2).minimize(loss)
        init = v1.global_variables_initializer()
    r = {}
    with session(target, g) as sess:
        sess.run(init)
        losses = []
        for _ in range(6):
            sess.run(enqueue)
            for _ in range(2):
                losses.append(sess.run([loss, train])[0])
        r["losses"] = cap(lambda: np.array(losses, np.float32))
        r["w_b"] = cap(lambda: sess.run([w, b]))
    return r


def _seq_example(context, lists):
    def feat(v):
        if isinstance(v, tf.train.Feature):
            return v
        if isinstance(v[0], bytes):
            return tf.train.Feature(bytes_list=tf.train.BytesList(value=v))
        if isinstance(v[0], float):
            return tf.train.Feature(float_list=tf.train.FloatList(value=v))
        return tf.train.Feature(int64_list=tf.train.Int64List(value=v))

    return tf.train.SequenceExample(
        context=tf.train.Features(feature={k: feat(v) for k, v in context.items()}),
        feature_lists=tf.train.FeatureLists(
            feature_list={k: tf.train.FeatureList(feature=[feat(v) for v in s]) for k, s in lists.items()}
        ),
    ).SerializeToString()


@program(control_flow_v2=True)
def parse_sequence_examples(target):
    """tf.io.parse_sequence_example and parse_single_sequence_example: context (dense with default,
    sparse), feature lists as dense sequences (padded, with lengths), varlen (sparse) and ragged; a
    required feature list that is missing."""
    empty_words = tf.train.Feature(bytes_list=tf.train.BytesList(value=[]))
    records = [
        _seq_example({"label": [1], "lang": [b"en"]},
                     {"tokens": [[3], [4], [5]], "words": [[b"a"], empty_words, [b"b", b"c"]], "scores": [[0.5], [1.5, 2.5]]}),
        _seq_example({}, {"tokens": [[9]], "words": [[b"z"]], "scores": [[7.0]]}),
    ]
    g = tf.Graph()
    with g.as_default():
        serialized = v1.placeholder(tf.string, [None])
        one = v1.placeholder(tf.string, [])
        context_spec = {
            "label": tf.io.FixedLenFeature([], tf.int64, default_value=0),
            "lang": tf.io.VarLenFeature(tf.string),
        }
        seq_spec = {
            "tokens": tf.io.FixedLenSequenceFeature([], tf.int64),
            "words": tf.io.VarLenFeature(tf.string),
            "scores": tf.io.RaggedFeature(tf.float32),
        }
        ctx, seqs, lengths = tf.io.parse_sequence_example(serialized, context_spec, seq_spec)
        sctx, sseqs = tf.io.parse_single_sequence_example(
            one, context_spec, {k: v for k, v in seq_spec.items() if k != "scores"}
        )
        required = tf.io.parse_sequence_example(
            serialized, sequence_features={"missing": tf.io.FixedLenSequenceFeature([], tf.float32)}
        )[1]

    def flat(p):
        return {
            k: (v.indices, v.values, v.dense_shape) if isinstance(v, tf.SparseTensor)
            else (v.flat_values, v.nested_row_splits) if isinstance(v, tf.RaggedTensor) else v
            for k, v in p.items()
        }

    r = {}
    with session(target, g) as sess:
        r["batch"] = cap(lambda: sess.run([flat(ctx), flat(seqs), lengths], {serialized: records}))
        r["single"] = cap(lambda: sess.run([flat(sctx), flat(sseqs)], {one: records[0]}))
        r["missing_required"] = cap(lambda: sess.run(flat(required), {serialized: records}))
    return r
