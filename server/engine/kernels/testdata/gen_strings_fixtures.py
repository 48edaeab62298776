#!/usr/bin/env python3
"""Writes strings-fixtures.json: TensorFlow 2.21's own results for the string ops (tf.strings.*,
tf.compat.v1.string_split, tf.fingerprint) and the ragged/bincount ops tf.strings.split's
RaggedTensor runs on, read by ../strings-fixtures.test.ts.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_strings_fixtures.py

Each case is one eager tf.raw_ops call: {"op", "attrs", "inputs", "outputs" | "error"} in the
format of tf_fixtures.py, except that a string tensor holding bytes that are not valid UTF-8 is
written with "encoding": "base64" and its values base64-encoded.
"""

import base64
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tf_fixtures import attr_of as base_attr_of  # noqa: E402
from tf_fixtures import clean, enc  # noqa: E402

R = tf.raw_ops
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "strings-fixtures.json")
i32, i64, s = tf.int32, tf.int64, tf.string

cases = []


def attr_of(v):
    """tf_fixtures' attrs plus list(string) (row_partition_types) as ["stringList", [...]]."""
    if isinstance(v, list) and v and all(isinstance(x, str) for x in v):
        return ["stringList", v]
    return base_attr_of(v)


def enc_any(t):
    t = tf.convert_to_tensor(t)
    if t.dtype != tf.string:
        return enc(t)
    a = np.asarray(t.numpy(), dtype=object)
    vals = [bytes(v) for v in a.ravel()]
    try:
        return {"dtype": t.dtype.as_datatype_enum, "shape": list(a.shape), "values": [v.decode("utf-8") for v in vals]}
    except UnicodeDecodeError:
        return {
            "dtype": t.dtype.as_datatype_enum,
            "shape": list(a.shape),
            "encoding": "base64",
            "values": [base64.b64encode(v).decode("ascii") for v in vals],
        }


def case(op, inputs, attrs=None, inferred=None, py_names=None):
    attrs = attrs or {}
    py_names = py_names or {}
    try:
        out = getattr(R, op)(**inputs, **{py_names.get(k, k): v for k, v in attrs.items()})
    except tf.errors.NotFoundError:
        return  # TF has no CPU kernel for this dtype
    except tf.errors.OpError as e:
        out = e
    c = {"op": op, "attrs": {k: attr_of(v) for k, v in {**(inferred or {}), **attrs}.items()}}
    c["inputs"] = [enc_any(x) for t in inputs.values() for x in (t if isinstance(t, list) else [t])]
    if isinstance(out, tf.errors.OpError):
        c["error"] = {"code": out.error_code, "message": clean(out.message)}
    elif isinstance(out, (list, tuple)):
        c["outputs"] = [enc_any(x) for o in out for x in (o if isinstance(o, list) else [o])]
    else:
        c["outputs"] = [enc_any(out)]
    cases.append(c)


def S(v):
    return tf.constant(v, s)


# --- StringLower / StringUpper ---------------------------------------------------------------------
CASE_TEXT = S(
    [
        "Hello, World! ÀÉÎ straße ΟΔΟΣ İstanbul ẞ Ǆǅǆ ﬁ ŉ",
        b"A\xffB\xe2\x82C\xf0\x9f",
        b"AB\x00CD",
        "",
        "MiXeD 123 ÄÖÜ äöü Ωω Жж",
    ]
)
for op in ["StringLower", "StringUpper"]:
    for encoding in ["", "utf-8"]:
        case(op, {"input": CASE_TEXT}, {"encoding": encoding})
        case(op, {"input": tf.reshape(CASE_TEXT[:4], [2, 2])}, {"encoding": encoding})
    case(op, {"input": S("Scalar Ä")}, {"encoding": "utf-8"})
    case(op, {"input": tf.zeros([0, 2], s)}, {"encoding": "utf-8"})
    case(op, {"input": S(["A"])}, {"encoding": "UTF-8"})
    case(op, {"input": S(["A"])}, {"encoding": "latin1"})

# --- StringStrip -----------------------------------------------------------------------------------
case("StringStrip", {"input": S([" \t\n\v\f\ra b\r\n ", b"\x1c x \xc2\xa0", "", "   ", "x"])})
case("StringStrip", {"input": S([[" a "], ["b  "]])})
case("StringStrip", {"input": S(" s ")})

# --- StringSplit (v1) ------------------------------------------------------------------------------
SPLIT_TEXT = S(["a,b,,c", "", ",", "  x  y ", "a\x0bb\x0cc\x1cd e", b"\xff,\xfe", "hello world"])
for delim in [",", ",b", "", " ", "xyz"]:
    for skip in [True, False]:
        case("StringSplit", {"input": SPLIT_TEXT, "delimiter": S(delim)}, {"skip_empty": skip})
case("StringSplit", {"input": tf.zeros([0], s), "delimiter": S(",")}, {"skip_empty": True})
case("StringSplit", {"input": S([["a"]]), "delimiter": S(" ")}, {"skip_empty": True})
case("StringSplit", {"input": S("a b"), "delimiter": S(" ")}, {"skip_empty": True})
case("StringSplit", {"input": S(["a"]), "delimiter": S([" "])}, {"skip_empty": True})

# --- StringSplitV2 ---------------------------------------------------------------------------------
for sep in ["", ",", ",,", " ", "ab"]:
    for maxsplit in [-1, 0, 1, 2, 5]:
        case("StringSplitV2", {"input": SPLIT_TEXT, "sep": S(sep)}, {"maxsplit": maxsplit})
case("StringSplitV2", {"input": S(["a b ", " a b c  ", "\t\n", "abab", "aaa"]), "sep": S("")}, {"maxsplit": 2})
case("StringSplitV2", {"input": S(["abab", "aaa", "aaaa"]), "sep": S("aa")}, {"maxsplit": -1})
case("StringSplitV2", {"input": tf.zeros([0], s), "sep": S("")}, {"maxsplit": -1})
case("StringSplitV2", {"input": S([["a"]]), "sep": S("")}, {"maxsplit": -1})
case("StringSplitV2", {"input": S("a"), "sep": S("")}, {"maxsplit": -1})
case("StringSplitV2", {"input": S(["a"]), "sep": S(["a"])}, {"maxsplit": -1})

# --- ReduceJoin ------------------------------------------------------------------------------------
RJ = S([["a", "b", "c"], ["d", "e", "f"]])
RJ3 = tf.reshape(S([chr(ord("a") + k) for k in range(24)]), [2, 3, 4])
for axes in [[0], [1], [-1], [-2], [0, 1], [1, 0], [], [2], [-3], [0, 0], [1, -1]]:
    for keep in [False, True]:
        case("ReduceJoin", {"inputs": RJ, "reduction_indices": tf.constant(axes, i32)}, {"keep_dims": keep, "separator": "|"})
for axes in [[0, 2], [2, 0], [1, 2, 0], [2, 1, 0], [-1, 0], [1]]:
    case("ReduceJoin", {"inputs": RJ3, "reduction_indices": tf.constant(axes, i32)}, {"keep_dims": False, "separator": ","})
    case("ReduceJoin", {"inputs": RJ3, "reduction_indices": tf.constant(axes, i32)}, {"keep_dims": True, "separator": ""})
case("ReduceJoin", {"inputs": RJ, "reduction_indices": tf.constant(1, i32)}, {"keep_dims": False, "separator": ", "})
case("ReduceJoin", {"inputs": RJ, "reduction_indices": tf.constant([[1]], i32)}, {"keep_dims": False, "separator": ""})
case("ReduceJoin", {"inputs": S("a"), "reduction_indices": tf.constant([], i32)}, {"keep_dims": False, "separator": ""})
case("ReduceJoin", {"inputs": S("a"), "reduction_indices": tf.constant(0, i32)}, {"keep_dims": False, "separator": ""})
case("ReduceJoin", {"inputs": tf.zeros([2, 0], s), "reduction_indices": tf.constant(1, i32)}, {"keep_dims": False, "separator": ","})
case("ReduceJoin", {"inputs": tf.zeros([2, 0], s), "reduction_indices": tf.constant(0, i32)}, {"keep_dims": True, "separator": ","})

# --- StringNGrams ----------------------------------------------------------------------------------
ND = S(["a", "b", "c", "d", "e"])
NS = tf.constant([0, 3, 3, 5], i64)


def ngrams(data=ND, splits=NS, **kw):
    a = dict(separator=" ", ngram_widths=[2], left_pad="<", right_pad=">", pad_width=0, preserve_short_sequences=False)
    a.update(kw)
    case("StringNGrams", {"data": data, "data_splits": splits}, a, {"Tsplits": splits.dtype})


for widths in [[1], [2], [3], [1, 2, 3], [3, 1], [6]]:
    for pad in [-1, 0, 1, 2, 5]:
        ngrams(ngram_widths=widths, pad_width=pad)
ngrams(ngram_widths=[4], pad_width=1, preserve_short_sequences=True)
ngrams(ngram_widths=[4], pad_width=-1, preserve_short_sequences=True)
ngrams(ngram_widths=[4], pad_width=0, preserve_short_sequences=True)
ngrams(ngram_widths=[2, 3], pad_width=1, separator="", left_pad="", right_pad="")
ngrams(ngram_widths=[2], pad_width=2, separator="--", left_pad="<S>", right_pad="</S>")
ngrams(ngram_widths=[0])
ngrams(ngram_widths=[])
ngrams(ngram_widths=[], preserve_short_sequences=True, pad_width=-1)
ngrams(ngram_widths=[], preserve_short_sequences=True, pad_width=1)
ngrams(splits=tf.constant([1, 3, 5], i64))
ngrams(splits=tf.constant([0, 6, 5], i64))
ngrams(splits=tf.constant([0, 3, 2], i64))
ngrams(splits=tf.constant([0, 3], i64))
ngrams(splits=tf.constant([], i64))
ngrams(splits=tf.constant([0, 3, 3, 5], i32))
ngrams(splits=tf.constant([[0, 5]], i64))
ngrams(data=S([["a", "b"]]), splits=tf.constant([0, 2], i64))
ngrams(data=tf.zeros([0], s), splits=tf.constant([0, 0], i32))
ngrams(data=tf.zeros([0], s), splits=tf.constant([0, 0], i32), preserve_short_sequences=True, pad_width=1)

# --- Substr (UTF8_CHAR and BYTE) -------------------------------------------------------------------
SUB = S(["Hello", "héllo wörld", "日本語テキスト", "", b"a\xffb\xe2\x82c", "\U0001F600x\U0001F601"])
for unit in ["UTF8_CHAR", "BYTE"]:
    for pos, ln in [(0, 3), (1, 2), (2, 100), (-1, 1), (-3, 2), (0, 0), (0, -1), (5, 1)]:
        case("Substr", {"input": SUB, "pos": tf.constant(pos, i32), "len": tf.constant(ln, i32)}, {"unit": unit}, {"T": i32})
    case("Substr", {"input": SUB, "pos": tf.constant([0, 1, 2, 0, 1, 1], i64), "len": tf.constant([1, 2, 3, 0, 2, 1], i64)}, {"unit": unit}, {"T": i64})
    case("Substr", {"input": S([["abc", "déf"], ["ghi", "jkl"]]), "pos": tf.constant([0, 1], i32), "len": tf.constant([2, 1], i32)}, {"unit": unit}, {"T": i32})
    case("Substr", {"input": S("héllo"), "pos": tf.constant([0, 1, -2], i32), "len": tf.constant([1, 2, 2], i32)}, {"unit": unit}, {"T": i32})
    case("Substr", {"input": SUB, "pos": tf.constant(6, i32), "len": tf.constant(1, i32)}, {"unit": unit}, {"T": i32})
    case("Substr", {"input": SUB, "pos": tf.constant(-6, i32), "len": tf.constant(1, i32)}, {"unit": unit}, {"T": i32})
    case("Substr", {"input": S(["abc", "de"]), "pos": tf.constant([0, 1], i32), "len": tf.constant([1], i32)}, {"unit": unit}, {"T": i32})
    case("Substr", {"input": S(["abc", "de"]), "pos": tf.constant([0, 1, 2], i32), "len": tf.constant([1, 1, 1], i32)}, {"unit": unit}, {"T": i32})

BAD_UTF8 = S([b"a\xffb\xe2\x82c", b"\x80\x80abc", b"\xe2\x82", b"\xf0\x9f\x98\x80\xc3"])
for unit in ["UTF8_CHAR", "BYTE"]:
    for pos, ln in [(0, 1), (0, 2), (1, 1), (1, 3), (-1, 1), (-2, 5), (0, -1), (2, -2)]:
        case("Substr", {"input": BAD_UTF8, "pos": tf.constant(pos, i32), "len": tf.constant(ln, i32)}, {"unit": unit}, {"T": i32})
    case("Substr", {"input": S([["héllo", "wörld"]]), "pos": tf.constant([[0], [-2]], i64), "len": tf.constant([[-1], [1]], i64)}, {"unit": unit}, {"T": i64})

# --- hashing ---------------------------------------------------------------------------------------
EVERY_LENGTH = [bytes([(i * 37 + n * 11 + 5) & 0xFF for i in range(n)]) for n in range(201)]
VOCAB = S(["", "a", "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "TensorFlow", "日本語", "ünïcödé"])
# Every length 0..200 once with a bucket count of 2**62 (the hash's low 62 bits), the vocabulary
# with ordinary bucket counts.
for n, inp in [(2**62, S(EVERY_LENGTH))] + [(n, VOCAB) for n in [1, 2, 10, 1000, 2**31 - 1]]:
    case("StringToHashBucketFast", {"input": inp}, {"num_buckets": n})
    case("StringToHashBucket", {"string_tensor": inp}, {"num_buckets": n})
    case("StringToHashBucketStrong", {"input": inp}, {"num_buckets": n, "key": [123, 456789]})
case("StringToHashBucketFast", {"input": tf.reshape(VOCAB[:12], [3, 4])}, {"num_buckets": 100})
case("StringToHashBucketFast", {"input": S("scalar")}, {"num_buckets": 7})
case("StringToHashBucketStrong", {"input": VOCAB}, {"num_buckets": 50, "key": [-1, -2]})
case("StringToHashBucketStrong", {"input": VOCAB}, {"num_buckets": 50, "key": [1]})
case("StringToHashBucketStrong", {"input": VOCAB}, {"num_buckets": 50, "key": [1, 2, 3]})
case("StringToHashBucket", {"string_tensor": VOCAB}, {"num_buckets": 1000})

FP = "farmhash64"
case("Fingerprint", {"data": S(EVERY_LENGTH), "method": S(FP)}, inferred={"T": s})
case("Fingerprint", {"data": S([["a", "b"], ["c", "d"]]), "method": S(FP)}, inferred={"T": s})
case("Fingerprint", {"data": S([["a"], ["c"]]), "method": S(FP)}, inferred={"T": s})
case("Fingerprint", {"data": tf.reshape(VOCAB[:12], [2, 3, 2]), "method": S(FP)}, inferred={"T": s})
case("Fingerprint", {"data": tf.zeros([0, 3], s), "method": S(FP)}, inferred={"T": s})
case("Fingerprint", {"data": S("a"), "method": S(FP)}, inferred={"T": s})
case("Fingerprint", {"data": S(["a"]), "method": S("md5")}, inferred={"T": s})
case("Fingerprint", {"data": S(["a"]), "method": S([FP])}, inferred={"T": s})
for dt in [tf.int32, tf.int64, tf.float32, tf.float64, tf.uint8, tf.int8, tf.int16, tf.bool, tf.float16]:
    x = tf.cast(tf.reshape(tf.range(24), [4, 6]) * 7 - 40, dt)
    case("Fingerprint", {"data": x, "method": S(FP)}, inferred={"T": dt})
    case("Fingerprint", {"data": tf.reshape(x, [2, 3, 4]), "method": S(FP)}, inferred={"T": dt})
case("Fingerprint", {"data": tf.zeros([2, 0], tf.int32), "method": S(FP)}, inferred={"T": tf.int32})

# --- DenseBincount (RaggedTensor.from_value_rowids) -------------------------------------------------
for tidx in [i32, i64]:
    for wdt in [i32, i64, tf.float32, tf.float64]:
        x = tf.constant([0, 1, 1, 3, 7], tidx)
        sz = tf.constant(5, tidx)
        inf = {"Tidx": tidx, "T": wdt}
        case("DenseBincount", {"input": x, "size": sz, "weights": tf.constant([], wdt)}, {"binary_output": False}, inf)
        case("DenseBincount", {"input": x, "size": sz, "weights": tf.constant([1, 2, 3, 4, 5], wdt)}, {"binary_output": False}, inf)
        case("DenseBincount", {"input": x, "size": sz, "weights": tf.constant([1, 2, 3, 4, 5], wdt)}, {"binary_output": True}, inf)
        x2 = tf.constant([[0, 1, 1], [3, 3, 2]], tidx)
        case("DenseBincount", {"input": x2, "size": tf.constant(4, tidx), "weights": tf.constant([], wdt)}, {"binary_output": False}, inf)
        case("DenseBincount", {"input": x2, "size": tf.constant(4, tidx), "weights": tf.cast(x2 * 2 + 1, wdt)}, {"binary_output": False}, inf)
BI = {"Tidx": i32, "T": i64}
case("DenseBincount", {"input": tf.constant(1, i32), "size": tf.constant(3, i32), "weights": tf.constant([], i64)}, {"binary_output": False}, BI)
case("DenseBincount", {"input": tf.constant([], i32), "size": tf.constant(0, i32), "weights": tf.constant([], i64)}, {"binary_output": False}, BI)
case("DenseBincount", {"input": tf.constant([0, -1], i32), "size": tf.constant(5, i32), "weights": tf.constant([], i64)}, {"binary_output": False}, BI)
case("DenseBincount", {"input": tf.constant([0, 1], i32), "size": tf.constant(-1, i32), "weights": tf.constant([], i64)}, {"binary_output": False}, BI)
case("DenseBincount", {"input": tf.constant([0, 1], i32), "size": tf.constant([5], i32), "weights": tf.constant([], i64)}, {"binary_output": False}, BI)
case("DenseBincount", {"input": tf.constant([0, 1], i32), "size": tf.constant(5, i32), "weights": tf.constant([1, 2, 3], i64)}, {"binary_output": False}, BI)
case("DenseBincount", {"input": tf.constant([[[0]]], i32), "size": tf.constant(5, i32), "weights": tf.constant([], i64)}, {"binary_output": False}, BI)

# --- RaggedTensorToTensor / RaggedTensorToSparse (RaggedTensor.to_tensor / .to_sparse) -------------
VALS = S(["a", "b", "c", "d", "e"])


def to_tensor(shape, values, default, parts, types, tindex=i64, tshape=i64):
    case(
        "RaggedTensorToTensor",
        {
            "shape": tf.constant(shape, tshape),
            "values": values,
            "default_value": default,
            "row_partition_tensors": [tf.constant(p, tindex) for p in parts],
        },
        {"row_partition_types": types},
        {"T": values.dtype, "Tindex": tindex, "Tshape": tshape, "num_row_partition_tensors": len(parts)},
    )


FV = ["FIRST_DIM_SIZE", "VALUE_ROWIDS"]
to_tensor(-1, VALS, S(""), [4, [0, 0, 2, 3, 3]], FV)
to_tensor([3, 4], VALS, S("x"), [4, [0, 0, 2, 3, 3]], FV)
to_tensor([-1, 1], VALS, S("x"), [4, [0, 0, 2, 3, 3]], FV, i32, i32)
to_tensor([6, -1], VALS, S("x"), [4, [0, 0, 2, 3, 3]], FV)
to_tensor([5, 1], VALS, S("x"), [[0, 2, 2, 5]], ["ROW_SPLITS"])
to_tensor([-1, -1], VALS, S("x"), [[0, 2, 2, 5]], ["ROW_SPLITS"], i32, i32)
to_tensor(-1, tf.zeros([0], s), S(""), [2, []], FV)
to_tensor(-1, tf.zeros([0], s), S(""), [[0, 0, 0]], ["ROW_SPLITS"])
to_tensor(-1, tf.constant([[1, 2], [3, 4], [5, 6]]), tf.constant(0), [[0, 2, 2, 3]], ["ROW_SPLITS"])
to_tensor(-1, tf.constant([[1, 2], [3, 4], [5, 6]]), tf.constant([7, 8]), [[0, 2, 2, 3]], ["ROW_SPLITS"])
to_tensor(-1, tf.constant([[1.5, 2], [3, 4], [5, 6]]), tf.constant([7.5]), [[0, 2, 2, 3]], ["ROW_SPLITS"])
to_tensor(-1, tf.constant([1, 2, 3, 4, 5, 6], tf.int64), tf.constant(0, tf.int64), [[0, 2, 3], [0, 1, 1, 2, 2, 2]], ["ROW_SPLITS", "VALUE_ROWIDS"])
to_tensor(-1, tf.constant([1, 2, 3, 4, 5, 6], tf.float32), tf.constant(-1, tf.float32), [[0, 2, 3], [0, 1, 3, 6]], ["ROW_SPLITS", "ROW_SPLITS"])
to_tensor([2, 1, 2], tf.constant([1, 2, 3, 4, 5, 6]), tf.constant(0), [[0, 2, 3], [0, 1, 3, 6]], ["ROW_SPLITS", "ROW_SPLITS"])
to_tensor(-1, tf.constant([1, 2, 3, 4, 5, 6]), tf.constant(0), [2, [0, 0, 1], [0, 1, 1, 2, 2, 2]], ["FIRST_DIM_SIZE", "VALUE_ROWIDS", "VALUE_ROWIDS"])
to_tensor(-1, tf.constant([True, False, True]), tf.constant(False), [[0, 1, 3]], ["ROW_SPLITS"])
to_tensor(-1, VALS, S(""), [2, [0, 0, 2, 3, 3]], FV)
to_tensor(-1, VALS, S(""), [[0, 2]], ["ROW_SPLITS"])
to_tensor(-1, VALS, S(""), [[0, 0, 2, 3, 3]], ["VALUE_ROWIDS"])
to_tensor(-1, VALS, S(["a", "b"]), [[0, 2, 5]], ["ROW_SPLITS"])
to_tensor([1, 2, 3], VALS, S(""), [[0, 2, 5]], ["ROW_SPLITS"])
to_tensor([-1, 3], tf.constant([[1, 2], [3, 4]]), tf.constant(0), [[0, 1, 2]], ["ROW_SPLITS"])
to_tensor(-1, VALS, S(""), [[]], ["ROW_SPLITS"])
to_tensor(-1, VALS, S(""), [[0, 2, 5]], ["BAD"])


def to_sparse(splits, values, tsplits=i64):
    case(
        "RaggedTensorToSparse",
        {"rt_nested_splits": [tf.constant(x, tsplits) for x in splits], "rt_dense_values": values},
        {},
        {"RAGGED_RANK": len(splits), "T": values.dtype, "Tsplits": tsplits},
    )


to_sparse([[0, 2, 2, 5]], VALS)
to_sparse([[0, 2, 3], [0, 1, 3, 6]], tf.constant([1, 2, 3, 4, 5, 6]))
to_sparse([[0, 2, 3]], tf.constant([[1, 2], [3, 4], [5, 6]]), i32)
to_sparse([[0, 1, 3]], tf.constant([[[1.5], [2]], [[3], [4]], [[5], [6]]]))
to_sparse([[0], ], tf.zeros([0], s))
to_sparse([[0, 0, 0]], tf.zeros([0], s))
to_sparse([[0, 2, 9]], VALS)
to_sparse([[1, 2, 5]], VALS)
to_sparse([[0, 3, 2, 5]], VALS)
to_sparse([[]], VALS)
to_sparse([[0, 2, 3], [0, 1, 3]], tf.constant([1, 2, 3]))

# --- UnsortedSegmentJoin (reduce_join on a RaggedTensor) --------------------------------------------
SJ = S(["a", "b", "c", "d"])
SJ2 = S([["a", "b"], ["c", "d"], ["e", "f"]])


def segment_join(inputs, ids, num, sep=",", tnum=i32):
    ids = tf.convert_to_tensor(ids)
    num = tf.constant(num, tnum)
    case("UnsortedSegmentJoin", {"inputs": inputs, "segment_ids": ids, "num_segments": num}, {"separator": sep}, {"Tindices": ids.dtype, "Tnumsegments": tnum})


segment_join(SJ, tf.constant([0, 1, 0, 3]), 5)
segment_join(SJ, tf.constant([0, 1, 0, 3], i64), 4, " ", i64)
segment_join(SJ2, tf.constant([1, 0, 1]), 2)
segment_join(SJ2, tf.constant([[1, 0], [0, 0], [1, 1]], i64), 2, "")
segment_join(SJ, tf.constant([0, 0, 0, 0]), 1, "--")
segment_join(SJ, tf.constant([0, 1, -1, 3]), 5)
segment_join(SJ, tf.constant([0, 1, 5, 3]), 5)
segment_join(SJ, tf.constant([0, 1, 0]), 5)
segment_join(SJ, tf.constant([0, 1, 0, 1]), [5])
segment_join(SJ, tf.constant([0, 1, 0, 1]), [])
segment_join(SJ, tf.constant([0, 1, 0, 1]), -1)
segment_join(SJ, tf.constant([0, 1, 0, 1]), 0)
segment_join(S("a"), tf.constant(0), 2)
segment_join(SJ, tf.constant([[0, 1, 0, 1]]), 2)
segment_join(tf.zeros([0], s), tf.constant([], i32), 3)

# --- EncodeBase64 / DecodeBase64 -------------------------------------------------------------------
B64 = S(["", "f", "fo", "foo", "foob", "fooba", "foobar", "hello world?>", b"\xff\xfe\xfd", "日本語"])
case("EncodeBase64", {"input": B64}, {"pad": False})
case("EncodeBase64", {"input": B64}, {"pad": True})
case("EncodeBase64", {"input": tf.reshape(B64[:6], [2, 3])}, {"pad": True})
case("DecodeBase64", {"input": R.EncodeBase64(input=B64, pad=False)})
case("DecodeBase64", {"input": R.EncodeBase64(input=B64, pad=True)})
for text in ["Zm9v", "Zm8=", "Zm8", "Zg==", "Zg", "Z", "Zm9v!", "a+/b", "a-_b", "Zm9v=", "====", "Zm 9v", "Zg=x",
             "Zh", "Zm9", "Zm9w", "", "Zm9vYg=", "Zg=", "Z===", "Zm9v\n", "==", "Zm9vYmFy", "_-__"]:
    case("DecodeBase64", {"input": S([text])})

# --- RaggedRange (tf.ragged.range, ragged slicing) -------------------------------------------------


def ragged_range(starts, limits, deltas, dtype=i32, tsplits=i64):
    args = {k: tf.constant(v, dtype) for k, v in [("starts", starts), ("limits", limits), ("deltas", deltas)]}
    case("RaggedRange", args, {"Tsplits": tsplits}, {"T": dtype})


for dt in [i32, i64, tf.float32, tf.float64]:
    ragged_range([0, 5, 8], [3, 5, 12], [1, 1, 2], dt)
    ragged_range(0, [3, 5, -2], 1, dt, i32)
    ragged_range([3, 0], -2, -2, dt)
    ragged_range(0, 4, 1, dt)
for dt in [tf.float32, tf.float64]:
    ragged_range([0.5, 1.0, -1.5], [2.0, 0.1, 3.0], [0.4, -0.3, 0.7], dt)
    ragged_range(0.1, [1.0, 2.5], 0.1, dt)
ragged_range([0, 1], [3, 5, 12], 1)
ragged_range([[0]], [3], 1)
ragged_range([0], [[3]], 1)
ragged_range([0], [3], [[1]])
ragged_range([0, 1], [3, 4], [1, 0])
ragged_range([], [], [])

# --- UnicodeDecode / UnicodeEncode (tf.strings.unicode_split, unicode_decode, unicode_encode) ------
UNI = S([b"abc", b"h\xc3\xa9llo", b"\xe6\x97\xa5\xe6\x9c\xac", b"", b"a\xffb", b"a\xe2\x82b", b"\xf0\x9f\x98\x80",
         b"\xf0\x9f", b"\x80\x80a", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"a\x00b\x01\x7f\xc2\x80\xc2\x9f",
         b"\xe2\x82\xe2\x82\xac", b"\xef\xbf\xbd", b"\xe0\x80\xaf", b"\xf8\x88\x80\x80\x80", b"\t\n\r x"])
for errors in ["replace", "ignore", "strict"]:
    for rcc in [False, True]:
        for tsplits in [i64, i32]:
            case("UnicodeDecode", {"input": UNI}, {"input_encoding": "UTF-8", "errors": errors, "replace_control_characters": rcc, "Tsplits": tsplits})
case("UnicodeDecode", {"input": UNI[:3]}, {"input_encoding": "UTF-8", "errors": "strict", "Tsplits": i64})
case("UnicodeDecode", {"input": UNI}, {"input_encoding": "UTF-8", "errors": "replace", "replacement_char": 63, "Tsplits": i64})
case("UnicodeDecode", {"input": S([["ab"], ["c"]])}, {"input_encoding": "UTF-8", "Tsplits": i64})
case("UnicodeDecode", {"input": S("ab")}, {"input_encoding": "utf-8", "Tsplits": i64})
case("UnicodeDecode", {"input": S(["ab"])}, {"input_encoding": "UTF8", "Tsplits": i64})
case("UnicodeDecode", {"input": S(["ab"])}, {"input_encoding": "BOGUS", "Tsplits": i64})
case("UnicodeDecode", {"input": S(["ab"])}, {"input_encoding": "UTF-8", "replacement_char": 0x110000, "Tsplits": i64})
case("UnicodeDecode", {"input": S(["ab"])}, {"input_encoding": "UTF-8", "replacement_char": -1, "Tsplits": i64})
UTF16 = S([b"\x00a\x00b\xd8\x3d\xde\x00", b"\xd8\x3d\x00a", b"\xde\x00", b"\x00a\x00", b"\x65\xe5"])
UTF32 = S([b"\x00\x00\x00a\x00\x01\xf6\x00", b"\x00\x11\x00\x00", b"\x00\x00\xd8\x00", b"\x00\x00\x00a\x00"])
for errors in ["replace", "ignore"]:
    case("UnicodeDecode", {"input": UTF16}, {"input_encoding": "UTF-16-BE", "errors": errors, "Tsplits": i64})
    case("UnicodeDecode", {"input": UTF32}, {"input_encoding": "UTF-32-BE", "errors": errors, "Tsplits": i64})

for errors in ["replace", "ignore", "strict"]:
    case("UnicodeDecodeWithOffsets", {"input": UNI}, {"input_encoding": "UTF-8", "errors": errors, "replace_control_characters": True, "Tsplits": i64})
case("UnicodeDecodeWithOffsets", {"input": UTF16}, {"input_encoding": "UTF-16-BE", "errors": "replace", "Tsplits": i64})
case("UnicodeDecodeWithOffsets", {"input": UTF32}, {"input_encoding": "UTF-32-BE", "errors": "ignore", "Tsplits": i64})

TRANS = S([b"abc", b"h\xc3\xa9llo", b"", b"a\xffb", b"a\xe2\x82b", b"\xf0\x9f\x98\x80", b"a\x00b\x01\x7f", b"\xef\xbf\xbd"])
for errors in ["replace", "ignore", "strict"]:
    for rcc in [False, True]:
        for out_enc in ["UTF-8", "UTF-16-BE", "UTF-32-BE"]:
            case("UnicodeTranscode", {"input": TRANS}, {"input_encoding": "UTF-8", "output_encoding": out_enc, "errors": errors, "replace_control_characters": rcc})
case("UnicodeTranscode", {"input": TRANS}, {"input_encoding": "UTF-8", "output_encoding": "UTF-8", "replacement_char": 63})
case("UnicodeTranscode", {"input": tf.reshape(UTF16, [5, 1])}, {"input_encoding": "UTF-16-BE", "output_encoding": "UTF-8"})
case("UnicodeTranscode", {"input": UTF32}, {"input_encoding": "UTF-32-BE", "output_encoding": "UTF-16-BE", "errors": "ignore"})
case("UnicodeTranscode", {"input": TRANS}, {"input_encoding": "BOGUS", "output_encoding": "UTF-8"})
case("UnicodeTranscode", {"input": TRANS}, {"input_encoding": "UTF-8", "output_encoding": "UTF-8", "replacement_char": -3})

CPS = tf.constant([104, 105, 0x65E5, 0x1F600, -1, 0xD800, 0x110000, 65, 0, 10], i32)
CSP = tf.constant([0, 2, 4, 10], i64)
for errors in ["replace", "ignore", "strict"]:
    for encoding in ["UTF-8", "UTF-16-BE", "UTF-32-BE"]:
        case("UnicodeEncode", {"input_values": CPS, "input_splits": CSP}, {"errors": errors, "output_encoding": encoding}, {"Tsplits": i64})
case("UnicodeEncode", {"input_values": CPS[:4], "input_splits": tf.constant([0, 2, 4], i32)}, {"errors": "strict", "output_encoding": "UTF-8"}, {"Tsplits": i32})
case("UnicodeEncode", {"input_values": CPS, "input_splits": CSP}, {"errors": "replace", "output_encoding": "UTF-8", "replacement_char": 63}, {"Tsplits": i64})
for bad in [[0, 2, 11], [1, 2, 10], [0, 5, 2, 10], [], [0, 2, 4]]:
    case("UnicodeEncode", {"input_values": CPS, "input_splits": tf.constant(bad, i64)}, {"output_encoding": "UTF-8"}, {"Tsplits": i64})
case("UnicodeEncode", {"input_values": tf.constant([], i32), "input_splits": tf.constant([0, 0, 0], i64)}, {"output_encoding": "UTF-8"}, {"Tsplits": i64})

# --- RaggedGather (tf.gather on a RaggedTensor, ragged concat) --------------------------------------


def ragged_gather(splits, values, indices, tsplits=i64, tindices=i32):
    indices = tf.constant(indices, tindices)
    out_rank = len(splits) + len(indices.shape) - 1
    case(
        "RaggedGather",
        {"params_nested_splits": [tf.constant(x, tsplits) for x in splits], "params_dense_values": values, "indices": indices},
        {"OUTPUT_RAGGED_RANK": out_rank},
        {"Tvalues": values.dtype, "Tindices": tindices, "Tsplits": tsplits, "PARAMS_RAGGED_RANK": len(splits)},
    )


RG = S(["a", "b", "c", "d", "e"])
ragged_gather([[0, 2, 2, 5]], RG, [2, 0, 1, 2])
ragged_gather([[0, 2, 2, 5]], RG, [[2, 0], [1, 1]], i32, i64)
ragged_gather([[0, 2, 2, 5]], RG, 2)
ragged_gather([[0, 2, 2, 5]], RG, [])
ragged_gather([[0, 2, 3], [0, 1, 3, 6]], tf.constant([1, 2, 3, 4, 5, 6]), [1, 0, 1])
ragged_gather([[0, 2, 3], [0, 1, 3, 6]], tf.constant([1, 2, 3, 4, 5, 6]), 0)
ragged_gather([[0, 1, 3]], tf.constant([[1.5, 2], [3, 4], [5, 6]]), [1, 1, 0])
ragged_gather([[0, 2, 2, 5]], RG, [3])
ragged_gather([[0, 2, 2, 5]], RG, [[0, 1], [0, -1]])
ragged_gather([[0, 2, 7]], RG, [0])
ragged_gather([[0, 3, 2]], RG, [0])
ragged_gather([[]], RG, [])
ragged_gather([[-1, 2, 5]], RG, [1])

# --- edge cases of bad input ----------------------------------------------------------------------
ragged_range([0.0], [float("nan")], [1.0], tf.float32)
ragged_range([0.0], [float("inf")], [1.0], tf.float64)
ragged_range([0], [2**40], [1], i64, i32)
case("UnicodeEncode", {"input_values": tf.constant([-1], i32), "input_splits": tf.constant([0, 1], i64)},
     {"output_encoding": "UTF-8", "replacement_char": -5}, {"Tsplits": i64})
case("UnicodeEncode", {"input_values": tf.constant([-1], i32), "input_splits": tf.constant([0, 1], i64)},
     {"output_encoding": "UTF-8", "replacement_char": 0xD800}, {"Tsplits": i64})

with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "cases": cases}, f, ensure_ascii=False, separators=(",", ":"))
    f.write("\n")
print(f"{len(cases)} cases -> {OUT}")
