"""Programs with tf.lookup tables as tf.compat.v1 text and feature pipelines use them: a vocabulary
with out-of-vocabulary buckets, a static id -> weight table, a mutable table of counts updated
across runs, lookups before tables_initializer and the initializer run twice."""

import numpy as np
import tensorflow as tf
from programs import cap, program, session

v1 = tf.compat.v1


@program()
def lookup_vocabulary_oov(target):
    """StaticVocabularyTable over fed tokens (split from fed sentences): known words get their
    index, unknown ones one of the OOV buckets; the ids feed an embedding lookup. A lookup before
    tables_initializer fails; the initializer runs twice."""
    g = tf.Graph()
    with g.as_default():
        vocab = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog"]
        init = tf.lookup.KeyValueTensorInitializer(vocab, tf.range(len(vocab), dtype=tf.int64))
        table = tf.lookup.StaticVocabularyTable(init, num_oov_buckets=4, name="vocab")
        sentences = v1.placeholder(tf.string, [None], name="sentences")
        tokens = tf.strings.split(sentences, sep=" ")
        ids = tf.ragged.map_flat_values(table.lookup, tokens)
        emb = tf.constant(np.arange(12 * 3, dtype=np.float32).reshape(12, 3) / 10.0)
        pooled = tf.reduce_mean(tf.nn.embedding_lookup(emb, ids.flat_values), axis=0)
        words = v1.placeholder(tf.string, [None], name="words")
        word_ids = table.lookup(words)
        size = table.size()
        init_op = v1.tables_initializer()
    feed = {sentences: [b"the quick brown fox", b"jumps over the lazy cat", b"a zebra"]}
    r = {}
    with session(target, g) as sess:
        r["before_init"] = cap(lambda: sess.run(word_ids, {words: [b"fox"]}))
        r["size_before_init"] = cap(lambda: sess.run(size))
        r["init"] = cap(lambda: sess.run(init_op))
        r["ids"] = cap(lambda: sess.run([ids.flat_values, ids.row_splits, pooled], feed))
        r["words"] = cap(lambda: sess.run([word_ids, size], {words: [b"dog", b"", b"Dog", b"\xc3\xa9t\xc3\xa9"]}))
        r["init_again"] = cap(lambda: sess.run(init_op))
        r["after_init_again"] = cap(lambda: sess.run(word_ids, {words: [b"lazy", b"kangaroo"]}))
        r["no_words"] = cap(lambda: sess.run(word_ids, {words: np.zeros([0], object)}))
    return r


@program()
def lookup_static_int64_float(target):
    """StaticHashTable int64 -> float with a default: fed 2-D keys, the size, a sorted export and
    the weighted sum a feature pipeline computes from it."""
    g = tf.Graph()
    with g.as_default():
        keys = tf.constant([101, 7, -3, 2**40, 55], tf.int64)
        weights = tf.constant([0.5, 1.5, -2.0, 1e10, 0.25], tf.float32)
        table = tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(keys, weights), default_value=-1.0, name="weights"
        )
        ids = v1.placeholder(tf.int64, [None, None], name="ids")
        w = table.lookup(ids)
        total = tf.reduce_sum(tf.where(w > 0, w, tf.zeros_like(w)), axis=1)
        ek, ev = table.export()
        order = tf.argsort(ek)
        exported = (tf.gather(ek, order), tf.gather(ev, order))
        size = table.size()
        init_op = v1.tables_initializer()
    r = {}
    with session(target, g) as sess:
        r["lookup_before_init"] = cap(lambda: sess.run(w, {ids: [[7]]}))
        r["export_before_init"] = cap(lambda: sess.run(exported))
        r["init"] = cap(lambda: sess.run(init_op))
        r["lookup"] = cap(lambda: sess.run([w, total], {ids: [[7, 8, 101], [2**40, -3, 0]]}))
        r["size_export"] = cap(lambda: sess.run([size, exported]))
        r["empty_keys"] = cap(lambda: sess.run(w, {ids: np.zeros([2, 0], np.int64)}))
    return r


@program()
def lookup_mutable_across_runs(target):
    """MutableHashTable string -> int64 counting words across runs (lookup, then insert the counts
    plus one), removing a word, and a MutableHashTable int64 -> float imported and exported."""
    g = tf.Graph()
    with g.as_default():
        counts = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, default_value=0, name="word_counts")
        words = v1.placeholder(tf.string, [None], name="words")
        uniq = tf.unique(words).y
        seen = tf.math.bincount(tf.unique(words).idx, dtype=tf.int64)
        update = counts.insert(uniq, counts.lookup(uniq) + seen)
        probe = tf.constant(["to", "be", "or", "not", "question"])
        current = counts.lookup(probe)
        n_counts = counts.size()
        forget = counts.remove(v1.placeholder_with_default(tf.constant(["be"]), [None]))
        scores = tf.lookup.experimental.MutableHashTable(tf.int64, tf.float32, default_value=-1.0, name="scores")
        imp = tf.raw_ops.LookupTableImportV2(
            table_handle=scores.resource_handle,
            keys=tf.constant([3, 1, 2], tf.int64),
            values=tf.constant([0.3, 0.1, 0.2]),
        )
        sk, sv = scores.export()
        order = tf.argsort(sk)
        sorted_scores = (tf.gather(sk, order), tf.gather(sv, order))
        n_scores = scores.size()
        some_scores = scores.lookup(tf.constant([2, 5], tf.int64))
        bad_insert = scores.insert(tf.constant([1, 2], tf.int64), v1.placeholder(tf.float32, [None], name="vals"))
    r = {}
    with session(target, g) as sess:
        r["empty"] = cap(lambda: sess.run([current, n_counts]))
        for i, text in enumerate([b"to be or not to be", b"that is the question", b"to be"]):
            r[f"run_{i}"] = cap(lambda text=text: sess.run(update, {words: text.split(b" ")}))
            r[f"counts_{i}"] = cap(lambda: sess.run([current, n_counts]))
        r["remove"] = cap(lambda: sess.run(forget))
        r["after_remove"] = cap(lambda: sess.run([current, n_counts]))
        r["import"] = cap(lambda: sess.run(imp))
        r["scores"] = cap(lambda: sess.run([sorted_scores, n_scores, some_scores]))
        r["bad_insert"] = cap(lambda: sess.run(bad_insert, {"vals:0": [1.0, 2.0, 3.0]}))
    return r


@program()
def lookup_feature_columns(target):
    """Feature columns over a vocabulary list (index_table_from_tensor under the hood): an indicator
    and an embedding column fed string features with an OOV bucket, and a reverse int64 -> string
    table mapping ids back to words."""
    g = tf.Graph()
    with g.as_default():
        tf.compat.v1.set_random_seed(7)
        color = tf.feature_column.categorical_column_with_vocabulary_list(
            "color", ["red", "green", "blue"], num_oov_buckets=1
        )
        indicator = tf.feature_column.indicator_column(color)
        embedded = tf.feature_column.embedding_column(
            color, 2, initializer=tf.compat.v1.constant_initializer([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6], [0.7, 0.8]])
        )
        colors = v1.placeholder(tf.string, [None, 2], name="colors")
        dense = v1.feature_column.input_layer({"color": colors}, [indicator, embedded])
        ids = tf.constant([2, 0, 9], tf.int64)
        names = tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(tf.range(3, dtype=tf.int64), ["red", "green", "blue"]), "?"
        )
        words = names.lookup(ids)
        init = [v1.global_variables_initializer(), v1.tables_initializer()]
    r = {}
    with session(target, g) as sess:
        r["init"] = cap(lambda: sess.run(init))
        r["dense"] = cap(lambda: sess.run(dense, {colors: [[b"red", b"blue"], [b"purple", b"green"]]}))
        r["words"] = cap(lambda: sess.run(words))
    return r
