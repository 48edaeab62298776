#!/usr/bin/env python3
"""Writes lookup-fixtures.json: TensorFlow 2.21's results for graphs using tf.lookup tables
(StaticHashTable, StaticVocabularyTable, MutableHashTable and the raw HashTableV2 /
MutableHashTableV2 / LookupTable*V2 / InitializeTableV2 ops), read by ../lookup-fixtures.test.ts.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_lookup_fixtures.py

Tables live in a session's resource manager, so every case is a graph run step by step in one
tf.compat.v1 session (tf_fixtures.graph_record). TF's tables are unordered maps, so exports are
fetched sorted by key (numeric keys) or checked through lookups and sums, never in TF's order.

Format: {"tensorflow", "graphs": [{"name", "graph" (GraphDef, base64), "ops", "steps": [...]}]}.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow.python.ops import gen_lookup_ops as glo  # noqa: E402
from tf_fixtures import graph_record  # noqa: E402

v1 = tf.compat.v1
v1.disable_eager_execution()


def unshaped(value, dtype=None):
    """A constant whose static shape is unknown, so shape functions let the kernel see it."""
    c = tf.constant(value, dtype)
    return v1.placeholder_with_default(c, shape=None)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lookup-fixtures.json")
graphs = []


def sorted_export(table, key_dtype, value_dtype):
    keys, values = glo.lookup_table_export_v2(table, key_dtype, value_dtype)
    order = tf.argsort(keys)
    return tf.gather(keys, order), tf.gather(values, order)


def static_string_int64():
    init = tf.lookup.KeyValueTensorInitializer(["a", "b", "c"], tf.constant([1, 2, 3], tf.int64))
    table = tf.lookup.StaticHashTable(init, default_value=tf.constant(-1, tf.int64))
    keys = v1.placeholder(tf.string, [None, None], name="keys")
    found = table.lookup(keys)
    size = table.size()
    init_op = v1.tables_initializer()
    feed = {keys: np.array([[b"a", b"x"], [b"c", b"b"]], object)}
    return [
        ([], [found], feed),
        ([], [size]),
        ([init_op], []),
        ([], [found, size], feed),
        ([init_op], []),
        ([], [found], {keys: np.zeros([0, 2], object)}),
    ]


def static_int64_float():
    init = tf.lookup.KeyValueTensorInitializer(
        tf.constant([10, -3, 7, 2**40], tf.int64), tf.constant([0.5, -1.25, 3.0, 1e30], tf.float32)
    )
    table = tf.lookup.StaticHashTable(init, default_value=-7.5)
    keys = v1.placeholder(tf.int64, [None], name="keys")
    found = table.lookup(keys)
    ek, ev = sorted_export(table.resource_handle, tf.int64, tf.float32)
    unready = glo.lookup_table_export_v2(table.resource_handle, tf.int64, tf.float32)[0]
    return [
        ([], [unready]),
        ([v1.tables_initializer()], []),
        ([], [found, table.size(), ek, ev], {keys: np.array([7, 8, -3, 2**40, 0], np.int64)}),
    ]


def static_other_dtypes():
    pairs = [
        (tf.int32, tf.string, [1, 2, -5], [b"one", b"two", b"minus five"], b"?"),
        (tf.int32, tf.int32, [1, 2, -5], [10, 20, -50], 0),
        (tf.int32, tf.float32, [4, 5], [0.25, 0.5], 1.0),
        (tf.int32, tf.float64, [4, 5], [0.1, 0.2], -1.0),
        (tf.int64, tf.string, [1, 2], [b"x", b""], b"none"),
        (tf.int64, tf.int64, [1, 2], [2**50, -1], 9),
        (tf.int64, tf.int32, [3], [33], -3),
        (tf.int64, tf.float64, [3], [0.3], 0.0),
        (tf.string, tf.string, ["k", ""], [b"v", b"empty key"], b"dflt"),
        (tf.string, tf.bool, ["yes", "no"], [True, False], False),
        (tf.string, tf.float64, ["pi"], [3.14159], 0.0),
        (tf.string, tf.float32, ["e"], [2.71828], 0.0),
        (tf.string, tf.int32, ["\u00e9t\u00e9", "b"], [1, 2], -1),
    ]
    fetches = []
    for kd, vd, ks, vs, dflt in pairs:
        init = tf.lookup.KeyValueTensorInitializer(tf.constant(ks, kd), tf.constant(vs, vd))
        table = tf.lookup.StaticHashTable(init, default_value=tf.constant(dflt, vd))
        probe = list(ks) + ([0] if kd != tf.string else ["missing"])
        fetches.append(table.lookup(tf.constant(probe, kd)))
        fetches.append(table.size())
    return [([v1.tables_initializer()], []), ([], fetches)]


def vocabulary_oov():
    init = tf.lookup.KeyValueTensorInitializer(
        ["emerson", "lake", "palmer"], tf.constant([0, 1, 2], tf.int64)
    )
    table = tf.lookup.StaticVocabularyTable(init, num_oov_buckets=3)
    words = v1.placeholder(tf.string, [None], name="words")
    ids = table.lookup(words)
    init32 = tf.lookup.KeyValueTensorInitializer(tf.constant([5, 6], tf.int64), tf.constant([0, 1], tf.int64))
    table_i = tf.lookup.StaticVocabularyTable(init32, num_oov_buckets=2, lookup_key_dtype=tf.int64)
    nums = tf.constant([5, 6, 7, 8, 100], tf.int64)
    return [
        ([v1.tables_initializer()], []),
        ([], [ids, table.size()], {words: np.array([b"emerson", b"king", b"lake", b"crimson", b"", b"palmer"], object)}),
        ([], [table_i.lookup(nums), table_i.size()]),
    ]


def mutable_string_int64():
    table = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, default_value=-1)
    keys = v1.placeholder(tf.string, [None], name="keys")
    vals = v1.placeholder(tf.int64, [None], name="vals")
    insert = table.insert(keys, vals)
    remove = table.remove(keys)
    probe = tf.constant([["a", "b"], ["c", "zz"]])
    found = table.lookup(probe)
    ek, ev = glo.lookup_table_export_v2(table.resource_handle, tf.string, tf.int64)
    roundtrip = tf.reduce_all(tf.equal(table.lookup(ek), ev))
    total = tf.reduce_sum(ev)
    return [
        ([], [found, table.size()]),
        ([insert], [], {keys: np.array([b"a", b"b"], object), vals: np.array([1, 2], np.int64)}),
        ([], [found, table.size(), roundtrip, total, tf.size(ek)]),
        ([insert], [], {keys: np.array([b"b", b"c", b"c"], object), vals: np.array([20, 30, 31], np.int64)}),
        ([], [found, table.size(), total]),
        ([remove], [], {keys: np.array([b"a", b"nope"], object)}),
        ([], [found, table.size(), total]),
        ([insert], [], {keys: np.array([], object), vals: np.array([], np.int64)}),
        ([], [table.size()]),
    ]


def mutable_int64_float():
    # checkpoint=False: the table is private to its kernel (no shared name, no node-name sharing).
    table = tf.lookup.experimental.MutableHashTable(tf.int64, tf.float32, default_value=0.5, checkpoint=False)
    k = tf.constant([3, 1, 2], tf.int64)
    insert = table.insert(k, tf.constant([30.0, 10.0, 20.0]))
    imp = glo.lookup_table_import_v2(table.resource_handle, tf.constant([9, 8], tf.int64), tf.constant([-9.0, -8.0]))
    ek, ev = sorted_export(table.resource_handle, tf.int64, tf.float32)
    found = table.lookup(tf.constant([1, 2, 3, 8, 9], tf.int64))
    return [
        ([insert], []),
        ([], [found, ek, ev, table.size()]),
        ([imp], []),
        ([], [found, ek, ev, table.size()]),
    ]


def mutable_other_dtypes():
    pairs = [
        (tf.string, tf.float32, ["a"], [1.5], 0.0),
        (tf.string, tf.int32, ["a"], [7], 0),
        (tf.string, tf.float64, ["a"], [2.5], 0.0),
        (tf.string, tf.bool, ["a"], [True], False),
        (tf.int64, tf.string, [4], [b"four"], b""),
        (tf.int64, tf.int64, [4], [44], 0),
        (tf.int64, tf.int32, [4], [4], 0),
        (tf.int64, tf.float64, [4], [0.4], 0.0),
        (tf.int32, tf.int32, [4], [-4], 1),
        (tf.int32, tf.float32, [4], [0.25], 1.0),
        (tf.int32, tf.float64, [4], [0.125], 1.0),
        # Keys that are not UTF-8 stay distinct bytes.
        (tf.string, tf.int64, [b"\xff\x80", b"\x80\xff", b"\xc3", b"\xc3\xa9"], [1, 2, 3, 4], 0),
    ]
    inserts, fetches = [], []
    for kd, vd, ks, vs, dflt in pairs:
        table = tf.lookup.experimental.MutableHashTable(kd, vd, default_value=tf.constant(dflt, vd))
        inserts.append(table.insert(tf.constant(ks, kd), tf.constant(vs, vd)))
        probe = list(ks) + ([0] if kd != tf.string else ["b"])
        fetches.append(table.lookup(tf.constant(probe, kd)))
    return [(inserts, []), ([], fetches)]


def full_size_default():
    table = tf.lookup.experimental.MutableHashTable(tf.int64, tf.float32, default_value=0.0)
    insert = table.insert(tf.constant([1], tf.int64), tf.constant([1.0]))
    keys = tf.constant([1, 2, 3], tf.int64)
    per_key = glo.lookup_table_find_v2(table.resource_handle, keys, tf.constant([-1.0, -2.0, -3.0]))
    bad = glo.lookup_table_find_v2(table.resource_handle, keys, unshaped([-1.0, -2.0]))
    init = tf.lookup.KeyValueTensorInitializer(tf.constant([1], tf.int64), tf.constant([1.0]))
    static = tf.lookup.StaticHashTable(init, default_value=0.0)
    static_per_key = glo.lookup_table_find_v2(static.resource_handle, keys, tf.constant([-1.0, -2.0, -3.0]))
    return [
        ([insert, v1.tables_initializer()], []),
        ([], [per_key]),
        ([], [bad]),
        ([], [static_per_key]),
    ]


def errors():
    keys = tf.constant(["a", "b"])
    vals = tf.constant([1, 2], tf.int64)
    h = glo.hash_table_v2(key_dtype=tf.string, value_dtype=tf.int64, shared_name="errs_static")
    m = glo.mutable_hash_table_v2(key_dtype=tf.string, value_dtype=tf.int64, shared_name="errs_mutable")
    init = glo.initialize_table_v2(h, keys, vals)
    same_again = glo.initialize_table_v2(h, tf.constant(["b", "a"]), tf.constant([2, 1], tf.int64))
    other_data = glo.initialize_table_v2(h, tf.constant(["c"]), tf.constant([3], tf.int64))
    h2 = glo.hash_table_v2(key_dtype=tf.string, value_dtype=tf.int64, shared_name="errs_dups")
    dups = glo.initialize_table_v2(h2, tf.constant(["a", "a"]), tf.constant([1, 2], tf.int64))
    h3 = glo.hash_table_v2(key_dtype=tf.string, value_dtype=tf.int64, shared_name="errs_shapes")
    matrix_keys = glo.initialize_table_v2(h3, unshaped([["a"]]), tf.constant([1], tf.int64))
    matrix_vals = glo.initialize_table_v2(h3, keys, unshaped([[1, 2]], tf.int64))
    sizes = glo.initialize_table_v2(h3, keys, unshaped([1], tf.int64))
    same_dups = glo.initialize_table_v2(h3, tf.constant(["q", "q"]), tf.constant([5, 5], tf.int64))
    wrong_key = glo.lookup_table_find_v2(h, tf.constant([1], tf.int64), tf.constant(0, tf.int64))
    wrong_value = glo.lookup_table_find_v2(h, keys, tf.constant(0.0))
    bad_default = glo.lookup_table_find_v2(h, keys, unshaped([0, 0, 0], tf.int64))
    static_insert = glo.lookup_table_insert_v2(h, keys, vals)
    static_remove = glo.lookup_table_remove_v2(h, keys)
    init_mutable = glo.initialize_table_v2(m, keys, vals)
    bad_insert = glo.lookup_table_insert_v2(m, keys, unshaped([1, 2, 3], tf.int64))
    bad_insert_type = glo.lookup_table_insert_v2(m, keys, tf.constant([1, 2], tf.int32))
    bad_remove_type = glo.lookup_table_remove_v2(m, tf.constant([1], tf.int64))
    conflict = glo.hash_table_v2(key_dtype=tf.int64, value_dtype=tf.int64, shared_name="errs_static")
    conflict_size = glo.lookup_table_size_v2(conflict)
    missing = glo.lookup_table_size_v2(
        glo.hash_table_v2(key_dtype=tf.string, value_dtype=tf.int64, shared_name="never_made")
    )
    mutable_found = glo.lookup_table_find_v2(m, tf.constant([["a"]]), tf.constant(-1, tf.int64))
    return [
        ([], [glo.lookup_table_find_v2(h, keys, tf.constant(-1, tf.int64))]),
        ([init], []),
        ([same_again], []),
        ([other_data], []),
        ([dups], []),
        ([matrix_keys], []),
        ([matrix_vals], []),
        ([sizes], []),
        ([same_dups], []),
        ([], [glo.lookup_table_size_v2(h3)]),
        ([], [wrong_key]),
        ([], [wrong_value]),
        ([], [bad_default]),
        ([static_insert], []),
        ([static_remove], []),
        ([init_mutable], []),
        ([bad_insert], []),
        ([bad_insert_type], []),
        ([bad_remove_type], []),
        ([], [conflict_size]),
        ([], [missing]),
        ([], [mutable_found, glo.lookup_table_size_v2(m)]),
    ]


def ref_forms():
    # The original table ops: handles are Ref(string) [container, name] tensors.
    h = glo.hash_table(key_dtype=tf.int64, value_dtype=tf.string)
    keys = tf.constant([5, 6], tf.int64)
    init = glo.initialize_table(h, keys, tf.constant(["five", "six"]))
    found = glo.lookup_table_find(h, tf.constant([6, 7, 5], tf.int64), tf.constant("?"))
    m = glo.mutable_hash_table(key_dtype=tf.string, value_dtype=tf.float32, shared_name="ref_mutable")
    insert = glo.lookup_table_insert(m, tf.constant(["x", "y"]), tf.constant([1.0, 2.0]))
    imp = glo.lookup_table_import(m, tf.constant(["z"]), tf.constant([3.0]))
    mk, mv = glo.lookup_table_export(m, tf.string, tf.float32)
    hk, hv = glo.lookup_table_export(h, tf.int64, tf.string)
    order = tf.argsort(hk)
    m_found = glo.lookup_table_find(m, tf.constant(["x", "z"]), tf.constant(-1.0))
    wrong = glo.lookup_table_find(h, tf.constant(["x"]), tf.constant("?"))
    not_init = glo.initialize_table(m, tf.constant(["x"]), tf.constant([1.0]))
    mt = glo.mutable_hash_table_of_tensors(key_dtype=tf.int64, value_dtype=tf.float32, value_shape=[2])
    mt_insert = glo.lookup_table_insert(mt, tf.constant([4], tf.int64), tf.constant([[0.5, 1.5]]))
    mt_found = glo.lookup_table_find(mt, tf.constant([4, 3], tf.int64), tf.constant([9.0, 9.5]))
    return [
        ([], [found]),
        ([init], []),
        ([], [found, glo.lookup_table_size(h), tf.gather(hk, order), tf.gather(hv, order)]),
        ([insert], []),
        ([], [m_found, glo.lookup_table_size(m)]),
        ([imp], []),
        ([], [m_found, glo.lookup_table_size(m), mk, mv]),
        ([], [wrong]),
        ([not_init], []),
        ([mt_insert], []),
        ([], [mt_found, glo.lookup_table_size(mt)]),
    ]


def mutable_of_tensors():
    # A vector default_value makes MutableHashTable a MutableHashTableOfTensorsV2.
    table = tf.lookup.experimental.MutableHashTable(tf.string, tf.float32, default_value=[-1.0, -2.0])
    insert = table.insert(tf.constant(["a", "b"]), tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    update = table.insert(tf.constant([["b"]]), tf.constant([[[30.0, 40.0]]]))
    remove = table.remove(tf.constant(["a"]))
    probe = tf.constant([["a", "b", "c"]])
    found = table.lookup(probe)
    h = table.resource_handle
    per_key = glo.lookup_table_find_v2(h, tf.constant(["a", "c"]), tf.constant([[0.0, 0.5], [7.0, 8.0]]))
    bad_default = glo.lookup_table_find_v2(h, tf.constant(["a", "c"]), unshaped([0.0, 0.5, 1.0]))
    bad_values = glo.lookup_table_insert_v2(h, tf.constant(["a"]), unshaped([1.0, 2.0]))
    ek, ev = glo.lookup_table_export_v2(h, tf.string, tf.float32)
    ints = tf.lookup.experimental.MutableHashTable(tf.int64, tf.int32, default_value=[0, 0, 0])
    ints_imp = glo.lookup_table_import_v2(
        ints.resource_handle, tf.constant([4, 2], tf.int64), tf.constant([[1, 2, 3], [4, 5, 6]])
    )
    ik, iv = sorted_export(ints.resource_handle, tf.int64, tf.int32)
    empty = glo.lookup_table_export_v2(
        glo.mutable_hash_table_of_tensors_v2(key_dtype=tf.int64, value_dtype=tf.float64, value_shape=[4]),
        tf.int64,
        tf.float64,
    )
    matrix = glo.lookup_table_size_v2(
        glo.mutable_hash_table_of_tensors_v2(key_dtype=tf.int64, value_dtype=tf.float64, value_shape=[2, 2])
    )
    return [
        ([], [found, table.size()]),
        ([insert], []),
        ([], [found, table.size(), per_key]),
        ([update], []),
        ([], [found, tf.size(ek), tf.reduce_all(tf.equal(table.lookup(ek), ev)), tf.reduce_sum(ev)]),
        ([remove], []),
        ([], [found, table.size()]),
        ([], [bad_default]),
        ([bad_values], []),
        ([ints_imp], []),
        ([], [ik, iv, ints.size(), ints.lookup(tf.constant([[2, 3]], tf.int64))]),
        ([], [empty[0], empty[1]]),
        ([], [matrix]),
    ]


graphs.append(graph_record("static_string_int64", static_string_int64))
graphs.append(graph_record("static_int64_float", static_int64_float))
graphs.append(graph_record("static_other_dtypes", static_other_dtypes))
graphs.append(graph_record("vocabulary_oov", vocabulary_oov))
graphs.append(graph_record("mutable_string_int64", mutable_string_int64))
graphs.append(graph_record("mutable_int64_float", mutable_int64_float))
graphs.append(graph_record("mutable_other_dtypes", mutable_other_dtypes))
graphs.append(graph_record("full_size_default", full_size_default))
graphs.append(graph_record("errors", errors))
graphs.append(graph_record("ref_forms", ref_forms))
graphs.append(graph_record("mutable_of_tensors", mutable_of_tensors))

with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "graphs": graphs}, f, indent=None, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(graphs)} graphs to {OUT}")
