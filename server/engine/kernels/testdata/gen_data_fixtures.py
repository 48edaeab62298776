#!/usr/bin/env python3
"""Writes data-fixtures.json: TensorFlow 2.21's results for tf.data pipelines in graph mode (datasets,
one-shot / initializable / feedable iterators), read by ../data-fixtures.test.ts.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_data_fixtures.py

Each graph runs in a tf.compat.v1 session (tf_fixtures.graph_record): steps that initialise
iterators and fetch elements one by one until (and past) TF's OUT_OF_RANGE "End of sequence", and
raw dataset ops with bad arguments for TF's error codes and messages.

Format: {"tensorflow", "graphs": [{"name", "graph" (GraphDef, base64), "ops", "steps": [...]}]}.
"""

import base64
import gzip
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tf_fixtures import graph_record  # noqa: E402

v1 = tf.compat.v1
v1.disable_eager_execution()
v1.enable_control_flow_v2()
tf.autograph.set_verbosity(0)
tf.get_logger().setLevel("ERROR")
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data-fixtures.json")
# File paths in the graphs are relative to the repository root (the test's sandbox root).
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", ".."))
graphs = []


def drain(nx, n, init=None):
    """Steps: run `init`, then fetch `nx` n times (the last ones past the end)."""
    steps = [([init], [])] if init is not None else []
    fetches = nx if isinstance(nx, (list, tuple)) else [nx]
    return steps + [([], list(fetches))] * n


def flat(x):
    return tf.nest.flatten(x)


def graph(name):
    def register(build):
        graphs.append(graph_record(name, build))
        return build

    return register


@graph("one_shot_map_filter_batch")
def _():
    ds = tf.data.Dataset.range(10).map(lambda x: x * 2).filter(lambda x: tf.equal(x % 3, 0)).batch(2)
    return drain(v1.data.make_one_shot_iterator(ds).get_next(), 5)


@graph("initializable_reinit")
def _():
    ds = tf.data.Dataset.range(3).map(lambda x: tf.cast(x, tf.float32) * 0.5)
    it = v1.data.make_initializable_iterator(ds)
    nx = it.get_next()
    return [([], [nx])] + drain(nx, 4, it.initializer) + drain(nx, 2, it.initializer)


@graph("shuffle_seeded")
def _():
    ds = tf.data.Dataset.range(10).shuffle(4, seed=3)
    it = v1.data.make_initializable_iterator(ds)
    fixed = tf.data.Dataset.range(7).shuffle(3, seed=11, reshuffle_each_iteration=False).repeat(2)
    it2 = v1.data.make_initializable_iterator(fixed)
    re = tf.data.Dataset.range(7).shuffle(3, seed=11).repeat(2)
    it3 = v1.data.make_initializable_iterator(re)
    return (
        drain(it.get_next(), 11, it.initializer)
        + drain(it.get_next(), 3, it.initializer)
        + drain(it2.get_next(), 15, it2.initializer)
        + drain(it3.get_next(), 15, it3.initializer)
    )


@graph("shuffle_graph_seed")
def _():
    v1.set_random_seed(42)
    ds = tf.data.Dataset.range(6).shuffle(6)
    ds2 = tf.data.Dataset.from_tensor_slices(tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])).shuffle(2, seed=9)
    return drain(v1.data.make_one_shot_iterator(ds).get_next(), 7) + drain(
        v1.data.make_one_shot_iterator(ds2).get_next(), 4
    )


@graph("padded_batch")
def _():
    ds = tf.data.Dataset.range(1, 6).map(lambda x: tf.range(x))
    a = ds.padded_batch(2)
    b = ds.padded_batch(2, padded_shapes=[6], padding_values=tf.constant(-1, tf.int64), drop_remainder=True)
    pairs = tf.data.Dataset.range(1, 4).map(lambda x: (tf.fill([x, 2], tf.cast(x, tf.float32)), tf.strings.as_string(x)))
    c = pairs.padded_batch(3, padded_shapes=([None, 3], []), padding_values=(0.5, "pad"))
    small = ds.padded_batch(2, padded_shapes=[2])
    return (
        drain(v1.data.make_one_shot_iterator(a).get_next(), 4)
        + drain(v1.data.make_one_shot_iterator(b).get_next(), 3)
        + drain(flat(v1.data.make_one_shot_iterator(c).get_next()), 2)
        + drain(v1.data.make_one_shot_iterator(small).get_next(), 3)
    )


@graph("zip_concat_take_skip_repeat")
def _():
    a = tf.data.Dataset.range(5)
    b = tf.data.Dataset.from_tensor_slices(tf.constant(["a", "b", "c"]))
    z = tf.data.Dataset.zip((a, b))
    cat = z.concatenate(tf.data.Dataset.zip((a.skip(3), b.take(2)))).repeat(2).skip(1).take(9)
    fromt = tf.data.Dataset.from_tensors((tf.constant([1, 2]), tf.constant(3.5))).repeat(3)
    empty_forever = tf.data.Dataset.range(0).repeat()
    neg = tf.data.Dataset.range(4).take(-1).skip(-1)
    return (
        drain(flat(v1.data.make_one_shot_iterator(cat).get_next()), 10)
        + drain(flat(v1.data.make_one_shot_iterator(fromt).get_next()), 4)
        + drain(v1.data.make_one_shot_iterator(empty_forever).get_next(), 2)
        + drain(v1.data.make_one_shot_iterator(neg).get_next(), 1)
    )


@graph("interleave_flat_map")
def _():
    base = tf.data.Dataset.from_tensor_slices(tf.constant([3, 1, 0, 4, 2, 5], tf.int64))

    def f(x):
        return tf.data.Dataset.range(x * 10, x * 10 + x)

    a = base.interleave(f, cycle_length=2, block_length=2)
    b = base.interleave(f, cycle_length=3, block_length=1, num_parallel_calls=3, deterministic=True)
    c = base.flat_map(f)
    d = base.interleave(lambda x: tf.data.Dataset.from_tensors(x).repeat(2).shuffle(2, seed=5), cycle_length=2)
    return (
        drain(v1.data.make_one_shot_iterator(a).get_next(), 16)
        + drain(v1.data.make_one_shot_iterator(b).get_next(), 16)
        + drain(v1.data.make_one_shot_iterator(c).get_next(), 16)
        + drain(v1.data.make_one_shot_iterator(d).get_next(), 13)
    )


@graph("parallel_map_prefetch_cache_options")
def _():
    opts = tf.data.Options()
    opts.threading.private_threadpool_size = 2
    opts.threading.max_intra_op_parallelism = 1
    ds = (
        tf.data.Dataset.range(6)
        .map(lambda x: (x, tf.cast(x * x, tf.float64)), num_parallel_calls=3)
        .cache()
        .repeat(2)
        .prefetch(2)
        .with_options(opts)
    )
    return drain(flat(v1.data.make_one_shot_iterator(ds).get_next()), 13)


@graph("cache_completes_at_cardinality")
def _():
    # TF completes an in-memory cache once it holds its input's known cardinality, so a take of
    # exactly that many fills it: the second repetition reads the first one's order back instead
    # of shuffling again.
    ds = tf.data.Dataset.range(5).shuffle(5, seed=3, reshuffle_each_iteration=True).cache().take(5).repeat(2)
    return drain(v1.data.make_one_shot_iterator(ds).get_next(), 11)


@graph("captures_and_variables")
def _():
    w = tf.Variable(10, dtype=tf.int64, name="w")
    k = v1.placeholder(tf.int64, [], name="k")
    ds = tf.data.Dataset.range(4).map(lambda x: x * k + w.read_value()).filter(lambda x: x > k)
    it = v1.data.make_initializable_iterator(ds)
    nx = it.get_next()
    init = v1.global_variables_initializer()
    return [([init], []), ([it.initializer], [], {k: 3})] + [([], [nx])] * 5


@graph("optional_and_cardinality")
def _():
    ds = tf.data.Dataset.range(2).map(lambda x: (x, tf.strings.as_string(x)))
    it = v1.data.make_initializable_iterator(ds)
    opt = it.get_next_as_optional()
    has = opt.has_value()
    card = [
        tf.data.experimental.cardinality(d)
        for d in (
            ds,
            ds.repeat(),
            ds.filter(lambda a, b: a > 0),
            tf.data.Dataset.range(10).batch(3),
            tf.data.Dataset.range(10).batch(3, drop_remainder=True),
            tf.data.Dataset.range(10).skip(4).take(3),
            tf.data.Dataset.range(10, 0, -3),
        )
    ]
    return [([it.initializer], [])] + [([], [has])] * 3 + [([], card)] + [([], [has])]


@graph("errors")
def _():
    r = tf.data.Dataset.range(4)
    vr = r._variant_tensor
    types = [tf.int64]
    shapes = [tf.TensorShape([])]

    def get(ds_variant, t=types, s=shapes):
        it = tf.raw_ops.AnonymousIteratorV3(output_types=t, output_shapes=s)
        mk = tf.raw_ops.MakeIterator(dataset=ds_variant, iterator=it)
        with tf.control_dependencies([mk]):
            return tf.raw_ops.IteratorGetNext(iterator=it, output_types=t, output_shapes=s)[0]

    bs0 = tf.raw_ops.BatchDatasetV2(input_dataset=vr, batch_size=tf.constant(0, tf.int64), drop_remainder=False, output_types=types, output_shapes=[tf.TensorShape([None])])
    sh0 = tf.raw_ops.ShuffleDataset(input_dataset=vr, buffer_size=tf.constant(0, tf.int64), seed=tf.constant(1, tf.int64), seed2=tf.constant(2, tf.int64), output_types=types, output_shapes=shapes)
    st0 = tf.raw_ops.RangeDataset(start=tf.constant(0, tf.int64), stop=tf.constant(5, tf.int64), step=tf.constant(0, tf.int64), output_types=types, output_shapes=shapes)
    pf = tf.raw_ops.PrefetchDataset(input_dataset=vr, buffer_size=tf.constant(-5, tf.int64), output_types=types, output_shapes=shapes)
    # Without a map before it (which TF fuses into a parallel map-and-batch whose message depends on
    # which call finishes first).
    ragged = tf.data.Dataset.from_tensors([1]).concatenate(tf.data.Dataset.from_tensors([1, 2])).batch(2)
    slices_bad = tf.raw_ops.TensorSliceDataset(components=[tf.constant([1, 2]), tf.constant([1, 2, 3])], output_shapes=[tf.TensorShape([]), tf.TensorShape([])])
    uninit = v1.data.make_initializable_iterator(r)
    bad_map = tf.data.Dataset.from_tensor_slices(tf.constant([1.0, 0.0])).map(lambda x: tf.debugging.check_numerics(1.0 / x, "inverse"))
    return [
        ([], [get(bs0, s=[tf.TensorShape([None])])]),
        ([], [get(sh0)]),
        ([], [get(st0)]),
        ([], [get(pf)]),
        ([], [v1.data.make_one_shot_iterator(ragged).get_next()]),
        ([], [get(slices_bad, t=[tf.int32, tf.int32], s=[tf.TensorShape([]), tf.TensorShape([])])]),
        ([], [uninit.get_next()]),
    ] + drain(v1.data.make_one_shot_iterator(bad_map).get_next(), 3)


@graph("raw_dataset_ops")
def _():
    """Ops tf.data emits in eager mode or for options, built with tf.raw_ops."""
    t = [tf.int64]
    s = [tf.TensorShape([])]
    r = tf.data.Dataset.range(6)._variant_tensor
    it = tf.raw_ops.Iterator(shared_name="raw_iterator", container="", output_types=t, output_shapes=s)
    by_name = tf.raw_ops.IteratorFromStringHandle(
        string_handle=tf.raw_ops.IteratorToStringHandle(resource_handle=it), output_types=t, output_shapes=s
    )
    by_name2 = tf.raw_ops.IteratorFromStringHandleV2(
        string_handle=tf.raw_ops.IteratorToStringHandle(resource_handle=it), output_types=t, output_shapes=s
    )
    nx = tf.raw_ops.IteratorGetNextSync(iterator=by_name, output_types=t, output_shapes=s)[0]
    nx2 = tf.raw_ops.IteratorGetNext(iterator=by_name2, output_types=t, output_shapes=s)[0]
    gen, gen_deleter = tf.raw_ops.AnonymousSeedGenerator(
        seed=tf.constant(1, tf.int64), seed2=tf.constant(2, tf.int64), reshuffle=True
    )
    shuffled = tf.raw_ops.ShuffleDatasetV2(input_dataset=r, buffer_size=tf.constant(3, tf.int64), seed_generator=gen, output_types=t, output_shapes=s)
    shuffled = tf.raw_ops.RepeatDataset(input_dataset=shuffled, count=tf.constant(2, tf.int64), output_types=t, output_shapes=s)
    shuffled3 = tf.raw_ops.ShuffleDatasetV3(
        input_dataset=r, buffer_size=tf.constant(4, tf.int64), seed=tf.constant(5, tf.int64),
        seed2=tf.constant(6, tf.int64), seed_generator=tf.raw_ops.DummySeedGenerator(),
        reshuffle_each_iteration=False, output_types=t, output_shapes=s,
    )
    cache, cache_deleter = tf.raw_ops.AnonymousMemoryCache()
    cached = tf.raw_ops.CacheDatasetV2(input_dataset=r, filename="", cache=cache, output_types=t, output_shapes=s)
    cached2 = tf.raw_ops.CacheDatasetV2(input_dataset=cached, filename="", cache=tf.raw_ops.DummyMemoryCache(), output_types=t, output_shapes=s)
    wrapped = tf.raw_ops.ModelDataset(input_dataset=cached2, output_types=t, output_shapes=s)
    wrapped = tf.raw_ops.MaxIntraOpParallelismDataset(input_dataset=wrapped, max_intra_op_parallelism=tf.constant(1, tf.int64), output_types=t, output_shapes=s)
    wrapped = tf.raw_ops.ExperimentalMaxIntraOpParallelismDataset(input_dataset=wrapped, max_intra_op_parallelism=tf.constant(2, tf.int64), output_types=t, output_shapes=s)
    wrapped = tf.raw_ops.PrivateThreadPoolDataset(input_dataset=wrapped, num_threads=tf.constant(2, tf.int64), output_types=t, output_shapes=s)
    wrapped = tf.raw_ops.ExperimentalPrivateThreadPoolDataset(input_dataset=wrapped, num_threads=tf.constant(0, tf.int64), output_types=t, output_shapes=s)
    bad_threads = tf.raw_ops.PrivateThreadPoolDataset(input_dataset=r, num_threads=tf.constant(-1, tf.int64), output_types=t, output_shapes=s)
    anon = tf.raw_ops.AnonymousIteratorV3(output_types=t, output_shapes=s)
    with tf.control_dependencies([tf.raw_ops.MakeIterator(dataset=wrapped, iterator=anon)]):
        first = tf.raw_ops.IteratorGetNext(iterator=anon, output_types=t, output_shapes=s)[0]
    with tf.control_dependencies([first]):
        deleted = tf.raw_ops.DeleteIterator(handle=anon, deleter=cache_deleter)
    # TF 2.21 refuses these on its ref-counted anonymous handles in a session ("Cannot delete an
    # unowned Resource"), so they are built but not run.
    tf.raw_ops.DeleteSeedGenerator(handle=gen, deleter=gen_deleter)
    tf.raw_ops.DeleteMemoryCache(handle=cache, deleter=cache_deleter)
    anon2, anon2_deleter = tf.raw_ops.AnonymousIteratorV2(output_types=t, output_shapes=s)
    with tf.control_dependencies([tf.raw_ops.MakeIterator(dataset=bad_threads, iterator=anon2)]):
        bad = tf.raw_ops.IteratorGetNext(iterator=anon2, output_types=t, output_shapes=s)[0]
    return (
        [([tf.raw_ops.MakeIterator(dataset=shuffled, iterator=it)], [])]
        + [([], [nx]), ([], [nx2])] * 7
        + [([tf.raw_ops.MakeIterator(dataset=shuffled3, iterator=it)], [])]
        + [([], [nx])] * 7
        + [([tf.raw_ops.MakeIterator(dataset=wrapped, iterator=it)], [])]
        + [([], [nx])] * 7
        + [([deleted], [first]), ([], [bad])]
    )


FILES = "server/engine/kernels/testdata/data-files"


def write_data_files():
    """Small input files for the file datasets (committed; the test reads them under a sandbox
    rooted at the repository)."""
    os.makedirs(FILES, exist_ok=True)
    records = [b"a", b"", b"hello world", "ünïcödé \\u2603".encode() * 20]
    for name, comp in (("records.tfrecord", None), ("records.tfrecord.gz", "GZIP"), ("records.tfrecord.zlib", "ZLIB")):
        with tf.io.TFRecordWriter(os.path.join(FILES, name), options=comp) as w:
            for r in records:
                w.write(r)
    with open(os.path.join(FILES, "records.tfrecord"), "rb") as f:
        raw = f.read()
    bad = bytearray(raw)
    # Records are [length: 8][masked crc of length: 4][data][masked crc of data: 4]: flip a byte of
    # the second (empty) record's data CRC, and cut the file inside the third record's data.
    bad[17 + 12] ^= 0xFF
    with open(os.path.join(FILES, "corrupt.tfrecord"), "wb") as f:
        f.write(bytes(bad))
    with open(os.path.join(FILES, "truncated.tfrecord"), "wb") as f:
        f.write(raw[: 17 + 16 + 12 + 5])
    text = b"one\ntwo\r\n\nlast"
    with open(os.path.join(FILES, "lines.txt"), "wb") as f:
        f.write(text)
    with gzip.GzipFile(os.path.join(FILES, "lines.txt.gz"), "wb", mtime=0) as f:
        f.write(b"alpha\nbeta\n")
    with open(os.path.join(FILES, "fixed.bin"), "wb") as f:
        f.write(b"HHabcdefghiF")


write_data_files()


@graph("file_datasets")
def _():
    def path(n):
        return os.path.join(FILES, n)

    rec = tf.data.TFRecordDataset([path("records.tfrecord"), path("records.tfrecord")])
    gz = tf.data.TFRecordDataset(path("records.tfrecord.gz"), compression_type="GZIP")
    zl = tf.data.TFRecordDataset(path("records.tfrecord.zlib"), compression_type="ZLIB")
    lines = tf.data.TextLineDataset([path("lines.txt"), path("lines.txt")], compression_type=None)
    lines_gz = tf.data.TextLineDataset(path("lines.txt.gz"), compression_type="GZIP")
    fixed = tf.data.FixedLengthRecordDataset(path("fixed.bin"), 3, header_bytes=2, footer_bytes=1)
    corrupt = tf.data.TFRecordDataset(path("corrupt.tfrecord"))
    truncated = tf.data.TFRecordDataset(path("truncated.tfrecord"))
    missing = tf.data.TFRecordDataset(path("missing.tfrecord"))
    bad_comp = tf.data.TFRecordDataset(path("records.tfrecord"), compression_type="LZ4")
    fixed_bad = tf.data.FixedLengthRecordDataset(path("lines.txt"), 3, header_bytes=2, footer_bytes=1)
    spec = tf.TensorSpec([], tf.string)

    # TF 2.21 cannot serialize these two for MakeIterator's graph rewrites (an INTERNAL error about
    # their inputs), so they run inside a flat_map function, as a dataset-producing function makes them.
    def raw_v2(_):
        return tf.data.experimental.from_variant(
            tf.raw_ops.TFRecordDatasetV2(
                filenames=[path("records.tfrecord")], compression_type="", buffer_size=tf.constant(0, tf.int64),
                byte_offsets=tf.constant([17], tf.int64),
            ),
            spec,
        )

    def fixed_v1(_):
        return tf.data.experimental.from_variant(
            tf.raw_ops.FixedLengthRecordDataset(
                filenames=[path("fixed.bin")], header_bytes=tf.constant(1, tf.int64), record_bytes=tf.constant(4, tf.int64),
                footer_bytes=tf.constant(3, tf.int64), buffer_size=tf.constant(0, tf.int64),
            ),
            spec,
        )

    one = tf.data.Dataset.from_tensors(0)
    zero = tf.raw_ops.FixedLengthRecordDatasetV2(
        filenames=[path("fixed.bin")], header_bytes=tf.constant(0, tf.int64), record_bytes=tf.constant(0, tf.int64),
        footer_bytes=tf.constant(0, tf.int64), buffer_size=tf.constant(0, tf.int64), compression_type="",
    )
    t = [tf.string]
    s = [tf.TensorShape([])]

    def raw_next(v):
        it = tf.raw_ops.AnonymousIteratorV3(output_types=t, output_shapes=s)
        with tf.control_dependencies([tf.raw_ops.MakeIterator(dataset=v, iterator=it)]):
            return tf.raw_ops.IteratorGetNext(iterator=it, output_types=t, output_shapes=s)[0]

    def one_shot(d):
        return v1.data.make_one_shot_iterator(d).get_next()

    return (
        drain(one_shot(rec), 9)
        + drain(one_shot(gz), 5)
        + drain(one_shot(zl), 5)
        + drain(one_shot(lines), 9)
        + drain(one_shot(lines_gz), 3)
        + drain(one_shot(fixed), 5)
        + drain(one_shot(fixed_bad), 2)
        + drain(one_shot(corrupt), 3)
        + drain(one_shot(truncated), 4)
        + drain(one_shot(missing), 1)
        + drain(one_shot(bad_comp), 1)
        + drain(one_shot(one.flat_map(raw_v2)), 4)
        + drain(one_shot(one.flat_map(fixed_v1)), 4)
        + [([], [raw_next(zero)])]
    )


@graph("more_transformations")
def _():
    r = tf.data.Dataset.range(7)
    base = tf.data.Dataset.from_tensor_slices(tf.constant([3, 1, 0, 4, 2, 5], tf.int64))
    words = tf.data.Dataset.from_tensor_slices(tf.constant(["b", "a", "b", "c", "a"]))
    pairs = tf.data.Dataset.from_tensor_slices((tf.constant([[1, 2], [3, 4], [5, 6]]), tf.constant([[1.0], [2.0], [3.0]])))
    inverse = tf.data.Dataset.from_tensor_slices(tf.constant([1.0, 0.0, 4.0])).map(
        lambda x: tf.debugging.check_numerics(1.0 / x, "inverse")
    )
    datasets = {
        "unbatch": r.batch(3).unbatch(),
        "unbatch_pairs": pairs.batch(2).unbatch().map(lambda a, b: tf.cast(tf.reduce_sum(a), tf.float32) + b[0]),
        "shard": r.shard(3, 1),
        "enumerate": words.enumerate().map(lambda i, w: tf.strings.join([tf.strings.as_string(i), w])),
        "parallel_batch": r.batch(3, num_parallel_calls=2),
        "take_while": r.take_while(lambda x: x < 4),
        "scan": r.scan(tf.constant(0, tf.int64), lambda s, x: (s + x, s * 10)),
        "map_and_batch": r.apply(tf.data.experimental.map_and_batch(lambda x: x * 2, 3)),
        "unique": words.unique(),
        "ignore_errors": inverse.ignore_errors(),
        "choose": tf.data.Dataset.choose_from_datasets(
            [tf.data.Dataset.range(3), tf.data.Dataset.range(10, 12)],
            tf.data.Dataset.from_tensor_slices(tf.constant([0, 1, 1, 1, 0, 0, 0, 1], tf.int64)),
        ),
        "choose_no_stop": tf.data.Dataset.choose_from_datasets(
            [tf.data.Dataset.range(3), tf.data.Dataset.range(10, 12)],
            tf.data.Dataset.from_tensor_slices(tf.constant([0, 1, 1, 1, 0, 0, 0, 1], tf.int64)),
            stop_on_empty_dataset=False,
        ),
        "legacy_parallel_interleave": base.apply(
            tf.data.experimental.parallel_interleave(lambda x: tf.data.Dataset.range(x * 10, x * 10 + x), cycle_length=2, block_length=2)
        ),
    }
    steps = []
    for d in datasets.values():
        steps += drain(v1.data.make_one_shot_iterator(d).get_next(), 9)
    reduced = r.reduce(tf.constant(0, tf.int64), lambda s, x: s + x * x)
    single = tf.data.Dataset.from_tensors(tf.constant([5, 6])).get_single_element()
    empty = tf.data.Dataset.range(0).get_single_element()
    many = tf.data.Dataset.range(2).get_single_element()
    bad_shard = tf.raw_ops.ShardDataset(
        input_dataset=r._variant_tensor, num_shards=tf.constant(2, tf.int64), index=tf.constant(5, tf.int64),
        output_types=[tf.int64], output_shapes=[tf.TensorShape([])],
    )
    bad_shard_single = tf.raw_ops.DatasetToSingleElement(dataset=bad_shard, output_types=[tf.int64], output_shapes=[tf.TensorShape([])])
    return steps + [([], [reduced, single]), ([], [empty]), ([], [many]), ([], bad_shard_single)]


@graph("random_and_sampling")
def _():
    rand = tf.data.Dataset.random(seed=5).take(3).repeat(2)
    rerand = tf.data.Dataset.random(seed=5, rerandomize_each_iteration=True).take(3).repeat(2)
    sampled = tf.data.Dataset.sample_from_datasets(
        [tf.data.Dataset.range(5), tf.data.Dataset.range(100, 105)], weights=[0.3, 0.7], seed=3
    )
    its = [v1.data.make_initializable_iterator(d) for d in (rand, rerand, sampled)]
    steps = [([it.initializer for it in its], [])]
    for it, n in zip(its, (7, 7, 11)):
        steps += drain(it.get_next(), n)
    return steps


@graph("windows")
def _():
    r = tf.data.Dataset.range(7)
    pairs = tf.data.Dataset.zip((r, r.map(lambda x: tf.strings.as_string(x))))
    datasets = (
        r.window(3, shift=1).flat_map(lambda w: w.batch(3)),
        r.window(3, shift=2, stride=2).flat_map(lambda w: w.batch(5)),
        r.window(3, shift=5).flat_map(lambda w: w.batch(5)),
        r.window(3, shift=1, drop_remainder=True).flat_map(lambda w: w.batch(3)),
        pairs.window(4).flat_map(lambda a, b: tf.data.Dataset.zip((a.batch(4), b.batch(4)))),
    )
    steps = []
    for d in datasets:
        steps += drain(flat(v1.data.make_one_shot_iterator(d).get_next()), 8)
    return steps


@graph("group_by_window")
def _():
    r = tf.data.Dataset.from_tensor_slices(tf.constant([5, 2, 8, 3, 6, 1, 9, 4, 7, 0], tf.int64))
    grouped = r.group_by_window(lambda x: x % 3, lambda k, w: w.batch(2).map(lambda b: b + k * 100), window_size=2)
    sized = r.group_by_window(
        lambda x: x % 2, lambda k, w: w.batch(10), window_size_func=lambda k: k + 2
    )
    sentences = tf.data.Dataset.from_tensor_slices(tf.constant([1, 4, 2, 7, 3, 9, 5, 2], tf.int64)).map(
        lambda n: tf.range(n)
    )
    bucketed = sentences.bucket_by_sequence_length(
        lambda s: tf.cast(tf.size(s), tf.int32), bucket_boundaries=[3, 6], bucket_batch_sizes=[2, 2, 2]
    )
    steps = []
    for d, n in ((grouped, 7), (sized, 5), (bucketed, 6)):
        steps += drain(v1.data.make_one_shot_iterator(d).get_next(), n)
    return steps


@graph("random_ops_in_map")
def _():
    v1.set_random_seed(11)
    ds = tf.data.Dataset.range(4).map(lambda x: tf.cast(x, tf.float32) + tf.random.uniform([2], seed=3))
    it = v1.data.make_initializable_iterator(ds)
    nx = it.get_next()
    return drain(nx, 5, it.initializer) + drain(nx, 2, it.initializer)


@graph("control_flow_in_functions")
def _():
    def f(x):
        y = tf.cond(tf.equal(x % 2, 0), lambda: x * 10, lambda: -x)
        _, total = tf.while_loop(lambda i, t: i < x, lambda i, t: (i + 1, t + i), [tf.constant(0, tf.int64), y])
        return total

    ds = tf.data.Dataset.range(6).map(f).filter(lambda t: tf.cond(t > 0, lambda: True, lambda: t < -4))
    return drain(v1.data.make_one_shot_iterator(ds).get_next(), 7)


@graph("original_batch_and_map_ops")
def _():
    """The V1 forms older graphs hold, built with tf.raw_ops inside a flat_map function (where TF
    2.21 runs them without its iterator's graph rewrites)."""
    t = [tf.int64]

    def raw(build, spec):
        return tf.data.Dataset.from_tensors(0).flat_map(lambda _: tf.data.experimental.from_variant(build(), spec))

    def r():
        return tf.data.Dataset.range(1, 6)._variant_tensor

    batched = raw(
        lambda: tf.raw_ops.BatchDataset(input_dataset=r(), batch_size=tf.constant(2, tf.int64), output_types=t, output_shapes=[tf.TensorShape([None])]),
        tf.TensorSpec([None], tf.int64),
    )

    def ranges():
        return tf.data.Dataset.range(1, 4).map(lambda x: tf.range(x))._variant_tensor

    padded = raw(
        lambda: tf.raw_ops.PaddedBatchDataset(
            input_dataset=ranges(), batch_size=tf.constant(2, tf.int64), padded_shapes=[tf.constant([4], tf.int64)],
            padding_values=[tf.constant(-7, tf.int64)], output_shapes=[tf.TensorShape([None, 4])],
        ),
        tf.TensorSpec([None, 4], tf.int64),
    )

    @tf.function(input_signature=[tf.TensorSpec([], tf.int64)])
    def triple(x):
        return x * 3

    triple_fn = triple.get_concrete_function()
    triple_fn.add_to_graph()
    mapped = raw(
        lambda: tf.raw_ops.ParallelMapDataset(
            input_dataset=r(), other_arguments=[], num_parallel_calls=tf.constant(2, tf.int32), f=triple_fn,
            output_types=t, output_shapes=[tf.TensorShape([])],
        ),
        tf.TensorSpec([], tf.int64),
    )
    steps = []
    for d, n in ((batched, 4), (padded, 3), (mapped, 6)):
        steps += drain(v1.data.make_one_shot_iterator(d).get_next(), n)
    return steps


@graph("training_loop")
def _():
    xs = np.linspace(-1, 1, 16, dtype=np.float32).reshape(8, 2)
    ys = (xs @ np.array([[2.0], [-1.0]], np.float32) + 0.5).astype(np.float32)
    ds = tf.data.Dataset.from_tensor_slices((xs, ys)).shuffle(8, seed=1).batch(4).repeat()
    x, y = v1.data.make_one_shot_iterator(ds).get_next()
    w = v1.get_variable("w", [2, 1], initializer=v1.zeros_initializer())
    b = v1.get_variable("b", [1], initializer=v1.zeros_initializer())
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
    train = v1.train.GradientDescentOptimizer(0.3).minimize(loss)
    init = v1.global_variables_initializer()
    return [([init], [])] + [([train], [loss])] * 4 + [([], [tf.identity(w), tf.identity(b)])]



def limit_graph(name, build):
    """A graph for tfgate's own limits (not run in TF, which allocates some of these up front and
    aborts): the GraphDef and the names to fetch."""
    g = tf.Graph()
    with g.as_default():
        fetches = build()
    return {
        "name": name,
        "graph": base64.b64encode(g.as_graph_def().SerializeToString()).decode("ascii"),
        "fetches": [f.name for f in fetches],
    }


def one(d):
    return v1.data.make_one_shot_iterator(d).get_next()


limits = [
    limit_graph("huge_buffer_and_batch", lambda: [one(tf.data.Dataset.range(5).shuffle(10**15, seed=1).batch(10**15))]),
    limit_graph("huge_padding", lambda: [one(tf.data.Dataset.range(3).map(lambda x: tf.range(x)).padded_batch(2, padded_shapes=[2**40]))]),
    limit_graph("batch_over_step_budget", lambda: [one(tf.data.Dataset.from_tensors(tf.zeros([1000])).repeat(200).batch(200))]),
    limit_graph("endless_filter", lambda: [one(tf.data.Dataset.range(-1).repeat().filter(lambda x: x < 0))]),
    limit_graph("endless_filter_on_infinite_range", lambda: [one(tf.data.Dataset.range(10**18).filter(lambda x: x < 0))]),
]
with open(os.path.join(os.path.dirname(OUT), "data-limits.json"), "w") as f:
    json.dump({"tensorflow": tf.__version__, "graphs": limits}, f, indent=1)
    f.write("\n")

with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "graphs": graphs}, f, indent=1)
    f.write("\n")
print(f"wrote {len(graphs)} graphs to {OUT}")
