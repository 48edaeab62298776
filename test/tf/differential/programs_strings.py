"""Programs with tf.strings as TF 2.21 users write them in tf.compat.v1 graphs: case conversion
(ASCII and UTF-8), splitting into RaggedTensors and then dense or sparse tensors, the v1
SparseTensor string_split, reduce_join, n-grams, UTF-8 substrings, hash buckets over a
vocabulary, fingerprints, and the errors bad inputs give."""

import numpy as np
import tensorflow as tf
from programs import cap, program, session

v1 = tf.compat.v1

TEXT = [
    "The quick brown fox",
    "  jumps over\tthe   lazy dog  ",
    "",
    "Straße ÀÉÎ ΟΔΟΣ",
    "a,b,,c",
]


@program()
def strings_case_and_strip(target):
    """tf.strings.lower/upper with and without encoding='utf-8' (non-ASCII letters change only with
    it), tf.strings.strip, and an unsupported encoding."""
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.string, [None], name="p")
        ops = {
            "lower": tf.strings.lower(p),
            "upper": tf.strings.upper(p),
            "lower_utf8": tf.strings.lower(p, encoding="utf-8"),
            "upper_utf8": tf.strings.upper(p, encoding="utf-8"),
            "strip": tf.strings.strip(p),
        }
        bad = tf.strings.lower(p, encoding="latin-1")
    r = {}
    with session(target, g) as sess:
        r["values"] = cap(lambda: sess.run(ops, {p: TEXT}))
        r["bad_encoding"] = cap(lambda: sess.run(bad, {p: TEXT}))
    return r


@program()
def strings_split_ragged(target):
    """tf.strings.split (StringSplitV2 into a RaggedTensor) then .to_tensor() with a default, a
    fixed shape, .to_sparse(), row lengths and per-token ops through ragged.map_flat_values; a
    split on a separator with maxsplit; a 2-D input; a non-vector input fed at run time."""
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.string, [None], name="p")
        words = tf.strings.split(p)
        commas = tf.strings.split(p, sep=",", maxsplit=2)
        m = v1.placeholder(tf.string, [None, None], name="m")
        nested = tf.strings.split(m)
        sp = words.to_sparse()
        ops = {
            "dense": words.to_tensor(default_value="<pad>"),
            "fixed": words.to_tensor(default_value="", shape=[3, 3]),
            "row_lengths": words.row_lengths(),
            "sparse": [sp.indices, sp.values, sp.dense_shape],
            "lower_tokens": tf.ragged.map_flat_values(tf.strings.lower, words).to_tensor(),
            "token_lengths": tf.strings.length(words).to_tensor(),
            "commas": commas.to_tensor(),
        }
        nested_ops = {"dense": nested.to_tensor(), "sparse": nested.to_sparse().indices}
        u = v1.placeholder(tf.string, None, name="u")
        bad = tf.raw_ops.StringSplitV2(input=u, sep="")
    r = {}
    with session(target, g) as sess:
        r["values"] = cap(lambda: sess.run(ops, {p: TEXT}))
        r["empty_batch"] = cap(lambda: sess.run(ops["dense"], {p: np.array([], dtype=object)}))
        r["nested"] = cap(lambda: sess.run(nested_ops, {m: [["a b", "c"], ["", "d e f"]]}))
        r["not_a_vector"] = cap(lambda: sess.run(bad, {u: [["a b"]]}))
    return r


@program()
def strings_split_v1_sparse(target):
    """tf.compat.v1.string_split: a SparseTensor of tokens, splitting on any of the delimiter's
    characters, with and without skip_empty, into single characters for an empty delimiter, and
    densified with tf.sparse.to_dense."""
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.string, [None], name="p")
        d = v1.placeholder(tf.string, [], name="d")
        st = v1.string_split(p, delimiter=d)
        keep = v1.string_split(p, delimiter=",", skip_empty=False)
        chars = v1.string_split(p, delimiter="")
        ops = {
            "split": [st.indices, st.values, st.dense_shape],
            "keep_empty": [keep.indices, keep.values, keep.dense_shape],
            "chars": chars.dense_shape,
        }
        bad_delim = v1.placeholder(tf.string, None, name="bad_delim")
        bad = tf.raw_ops.StringSplit(input=p, delimiter=bad_delim)
    r = {}
    with session(target, g) as sess:
        r["spaces"] = cap(lambda: sess.run(ops, {p: TEXT, d: " "}))
        r["any_of"] = cap(lambda: sess.run(ops["split"], {p: TEXT, d: " ,o"}))
        r["delimiter_not_scalar"] = cap(lambda: sess.run(bad, {p: TEXT, bad_delim: [" "]}))
    return r


@program()
def strings_reduce_join_and_ngrams(target):
    """tf.strings.reduce_join over each axis, negative axes, keepdims, all axes, and an axis out of
    range; tf.strings.ngrams over a split sentence batch (ragged) and a dense batch, with padding
    and preserve_short_sequences."""
    g = tf.Graph()
    with g.as_default():
        m = v1.placeholder(tf.string, [None, None], name="m")
        joins = {
            "rows": tf.strings.reduce_join(m, axis=1, separator=" "),
            "cols": tf.strings.reduce_join(m, axis=0, separator="|"),
            "last_keep": tf.strings.reduce_join(m, axis=-1, keepdims=True),
            "all": tf.strings.reduce_join(m, separator=","),
            "both": tf.strings.reduce_join(m, axis=[1, 0], separator="."),
        }
        axis = v1.placeholder(tf.int32, [], name="axis")
        dyn = tf.strings.reduce_join(m, axis=axis)
        p = v1.placeholder(tf.string, [None], name="p")
        words = tf.strings.split(p)
        grams = {
            "bigrams": tf.strings.ngrams(words, 2).to_tensor(),
            "uni_bi_tri": tf.strings.ngrams(words, [1, 2, 3], separator="_").to_tensor(),
            "padded": tf.strings.ngrams(words, 3, pad_values=("<s>", "</s>"), padding_width=1).to_tensor(),
            "short": tf.strings.ngrams(words, 5, pad_values="#", padding_width=1, preserve_short_sequences=True).to_tensor(),
            "dense": tf.strings.ngrams(m, 2, separator="+"),
        }
    r = {}
    grid = [["a", "b", "c"], ["d", "e", "f"]]
    with session(target, g) as sess:
        r["joins"] = cap(lambda: sess.run(joins, {m: grid}))
        r["axis_out_of_range"] = cap(lambda: sess.run(dyn, {m: grid, axis: 2}))
        r["ngrams"] = cap(lambda: sess.run(grams, {p: TEXT, m: grid}))
    return r


@program()
def strings_substr_and_hashing(target):
    """tf.strings.substr in UTF-8 characters (negative positions, non-ASCII, broadcast pos/len)
    and bytes, a position past the end; tf.strings.to_hash_bucket_fast / _strong / to_hash_bucket
    over a vocabulary (the feature-column way of bucketing words) and tf.fingerprint."""
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.string, [None], name="p")
        pos = v1.placeholder(tf.int32, [], name="pos")
        subs = {
            "utf8": tf.strings.substr(p, 1, 3, unit="UTF8_CHAR"),
            "utf8_tail": tf.strings.substr(p, -2, 2, unit="UTF8_CHAR"),
            "bytes": tf.strings.substr(p, 0, 2),
            "lengths": tf.strings.length(p, unit="UTF8_CHAR"),
        }
        dyn = tf.strings.substr(p, pos, 1, unit="UTF8_CHAR")
        vocab = v1.placeholder(tf.string, [None], name="vocab")
        hashes = {
            "fast": tf.strings.to_hash_bucket_fast(vocab, 1000),
            "fast_2d": tf.strings.to_hash_bucket_fast(tf.reshape(vocab, [2, -1]), 7),
            "strong": tf.strings.to_hash_bucket_strong(vocab, 1000, key=[7, 11]),
            "legacy": tf.strings.to_hash_bucket(vocab, 1000),
            "fingerprint": tf.fingerprint(vocab),
            "fingerprint_ints": tf.fingerprint(tf.reshape(tf.range(12, dtype=tf.int64), [3, 4])),
        }
    r = {}
    words = ["héllo", "wörld", "日本語", "ab", "xy", "über"]
    with session(target, g) as sess:
        r["substr"] = cap(lambda: sess.run(subs, {p: words}))
        r["pos_past_end"] = cap(lambda: sess.run(dyn, {p: words, pos: 4}))
        vocabulary = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "TensorFlow", "日本語", "", "ünïcödé"]
        r["hashes"] = cap(lambda: sess.run(hashes, {vocab: vocabulary}))
    return r


@program()
def strings_ragged_pipeline(target):
    """A character/word pipeline: tf.strings.unicode_split (UnicodeDecode + UnicodeEncode) and
    unicode_decode, reduce_join of a split batch (UnsortedSegmentJoin), ragged slicing (RaggedRange),
    web-safe base64 round trips, and a base64 string that does not decode."""
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.string, [None], name="p")
        words = tf.strings.split(p)
        ops = {
            "chars": tf.strings.unicode_split(p, "UTF-8").to_tensor(),
            "codepoints": tf.strings.unicode_decode(p, "UTF-8").to_tensor(default_value=-1),
            "reencoded": tf.strings.unicode_encode(tf.strings.unicode_decode(p, "UTF-8"), "UTF-8"),
            "rejoined": tf.strings.reduce_join(words, axis=1, separator="_"),
            "first_two": words[:, :2].to_tensor(),
            "ranges": tf.ragged.range(tf.strings.length(p) % 4).to_tensor(),
            "b64": tf.io.encode_base64(p),
            "b64_pad": tf.io.encode_base64(p, pad=True),
            "roundtrip": tf.io.decode_base64(tf.io.encode_base64(p)),
        }
        b = v1.placeholder(tf.string, [None], name="b")
        decoded = tf.io.decode_base64(b)
    r = {}
    with session(target, g) as sess:
        r["values"] = cap(lambda: sess.run(ops, {p: TEXT}))
        r["bad_base64"] = cap(lambda: sess.run(decoded, {b: ["Zm9v", "a+/b"]}))
    return r
