#!/usr/bin/env python3
"""Writes parsing-fixtures.json: TensorFlow 2.21's results for tf.Example parsing (ParseExampleV2,
ParseSingleExample), DecodeRaw, DecodeCSV and ScalarSummary, read by ../parsing-fixtures.test.ts.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_parsing_fixtures.py

Serialized protos are bytes, not text, so unlike the other fixture files every string value here is
base64 ({"b64": ...}); the rest of the format is tf_fixtures.py's.
"""

import base64
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tf_fixtures import attr_of, clean, enc_value  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "parsing-fixtures.json")
cases = []


def enc(t):
    t = tf.convert_to_tensor(t)
    a = np.asarray(t.numpy())
    if t.dtype == tf.string:
        values = [{"b64": base64.b64encode(bytes(v)).decode("ascii")} for v in a.ravel()]
    else:
        values = [enc_value(v, t.dtype) for v in a.ravel()]
    return {"dtype": t.dtype.as_datatype_enum, "shape": list(a.shape), "values": values}


def attr(v):
    if isinstance(v, list) and v and all(isinstance(x, str) for x in v):
        return ["stringList", v]
    if isinstance(v, list) and v and all(isinstance(x, tf.TensorShape) for x in v):
        return ["shapeList", [s.as_list() for s in v]]
    if isinstance(v, list) and not v:
        return ["emptyList", []]
    return attr_of(v)


def case(op, inputs, **attrs):
    fn = getattr(tf.raw_ops, op)
    rec = {"op": op, "attrs": {k: attr(v) for k, v in attrs.items()}}
    flat = []
    for x in inputs:
        flat.extend(x if isinstance(x, list) else [x])
    rec["inputs"] = [enc(x) for x in flat]
    try:
        kw = {k: v for k, v in attrs.items() if k not in ("Tdense", "T", "OUT_TYPE", "Tcontext_dense", "Nsparse", "Ndense")}
        out = fn(**inputs_kw(op, inputs), **kw)
        outs = []
        for o in (out if isinstance(out, (list, tuple)) else [out]):
            outs.extend(o if isinstance(o, list) else [o])
        rec["outputs"] = [enc(o) for o in outs]
    except tf.errors.OpError as e:
        rec["error"] = {"code": e.error_code, "message": clean(e.message)}
    cases.append(rec)


INPUT_NAMES = {
    "ParseExampleV2": ["serialized", "names", "sparse_keys", "dense_keys", "ragged_keys", "dense_defaults"],
    "ParseSingleExample": ["serialized", "dense_defaults"],
    "DecodeRaw": ["bytes"],
    "ScalarSummary": ["tags", "values"],
    "DecodeCSV": ["records", "record_defaults"],
    "DecodeJSONExample": ["json_examples"],
    "ParseExample": ["serialized", "names", "sparse_keys", "dense_keys", "dense_defaults"],
    "ParseSequenceExampleV2": ["serialized", "debug_name", "context_sparse_keys", "context_dense_keys",
                               "context_ragged_keys", "feature_list_sparse_keys", "feature_list_dense_keys",
                               "feature_list_ragged_keys", "feature_list_dense_missing_assumed_empty",
                               "context_dense_defaults"],
}


def inputs_kw(op, inputs):
    return dict(zip(INPUT_NAMES[op], inputs))


def example(**features):
    f = {}
    for k, v in features.items():
        if isinstance(v, tf.train.Feature):
            f[k] = v
        elif isinstance(v, bytes) or (isinstance(v, list) and v and isinstance(v[0], bytes)):
            f[k] = tf.train.Feature(bytes_list=tf.train.BytesList(value=v if isinstance(v, list) else [v]))
        elif isinstance(v, list) and v and isinstance(v[0], float):
            f[k] = tf.train.Feature(float_list=tf.train.FloatList(value=v))
        else:
            f[k] = tf.train.Feature(int64_list=tf.train.Int64List(value=v))
    return tf.train.Example(features=tf.train.Features(feature=f)).SerializeToString()


S = tf.string
e1 = example(a=[1.0, 2.0], b=[7, -3, 2**40], s=[b"x", b"yz"], v=[1.5, 2.5, 3.5, 4.5])
e2 = example(a=[3.0, 4.0], s=[b""], v=[9.0, 8.0])
e3 = example(b=[5], v=[], a=[0.5, -0.5])
empty = tf.train.Example().SerializeToString()
unpacked = b"\n\x0e\n\x0c\n\x01a\x12\x07\x12\x05\r\x00\x00\x80?"  # a: float_list, unpacked single float
dup = example(a=[1.0, 1.0]) + example(a=[5.0, 6.0])  # concatenated messages: the key twice, last wins


def pe(serialized, sparse=(), dense=(), ragged=(), names=None):
    """ParseExampleV2 with sparse [(key, type)], dense [(key, type, shape, default)], ragged
    [(key, type, split_type)]."""
    serialized = tf.constant(serialized, S)
    names = tf.constant(names if names is not None else [], S)
    case(
        "ParseExampleV2",
        [serialized, names, tf.constant([k for k, _ in sparse], S), tf.constant([d[0] for d in dense], S),
         tf.constant([r[0] for r in ragged], S), [tf.constant(d[3], d[1]) for d in dense]],
        num_sparse=len(sparse),
        sparse_types=[t for _, t in sparse],
        Tdense=[d[1] for d in dense],
        dense_shapes=[tf.TensorShape(d[2]) for d in dense],
        ragged_value_types=[r[1] for r in ragged],
        ragged_split_types=[r[2] for r in ragged],
    )


F32, I64 = tf.float32, tf.int64
pe([e1, e2, e3],
   sparse=[("s", S), ("b", I64)],
   dense=[("a", F32, [2], [0.0, 0.0]), ("v", F32, [None, 2], 0.0)])
pe([e1, e2, e3], dense=[("a", F32, [2], [0.0, 0.0])], ragged=[("b", I64, tf.int64), ("s", S, tf.int32)])
pe(e1, sparse=[("s", S)], dense=[("a", F32, [2], np.zeros([0], np.float32))], ragged=[("v", F32, tf.int64)])
pe([e1, empty], dense=[("a", F32, [2], [-1.0, -2.0]), ("b", I64, [None], np.int64(-9))])
pe([e1, empty], dense=[("a", F32, [2], np.zeros([0], np.float32))])
pe([e1, empty], dense=[("a", F32, [2], np.zeros([0], np.float32))], names=["first", "second"])
pe([e1], dense=[("a", I64, [2], np.zeros([0], np.int64))])
pe([empty, e1], dense=[("a", I64, [2], [0, 0])])
pe([empty, e1], dense=[("a", F32, [3], [0.0, 0.0, 0.0])])
pe([empty, e1], sparse=[("a", I64)])
pe([e1], dense=[("a", F32, [3], np.zeros([0], np.float32))])
pe([e1], dense=[("v", F32, [None, 3], 0.0)])
pe([e1], dense=[("a", F32, [None], [1.0, 2.0])])
pe([e1], dense=[("a", F32, [2], [1.0, 2.0, 3.0])])
pe([e1, b"\x0a\x05garbage"], dense=[("a", F32, [2], [0.0, 0.0])])
pe([unpacked, dup], dense=[("a", F32, [None], 0.0)])
pe([unpacked, dup], sparse=[("a", F32)])
pe([e1, e2], sparse=[("a", S)])
pe(np.zeros([0], object), sparse=[("s", S)], dense=[("a", F32, [2], [0.0, 0.0])], ragged=[("b", I64, tf.int32)])
pe([e1, e2], dense=[("s", S, [None], b"pad")])


def pse(serialized, sparse=(), dense=()):
    case(
        "ParseSingleExample",
        [tf.constant(serialized, S), [tf.constant(d[3], d[1]) for d in dense]],
        num_sparse=len(sparse),
        sparse_keys=[k for k, _ in sparse],
        dense_keys=[d[0] for d in dense],
        sparse_types=[t for _, t in sparse],
        Tdense=[d[1] for d in dense],
        dense_shapes=[tf.TensorShape(d[2]) for d in dense],
    )


pse(e1, sparse=[("s", S), ("b", I64)], dense=[("a", F32, [2], [0.0, 0.0]), ("v", F32, [None], 0.0)])
pse(empty, sparse=[("s", S)], dense=[("a", F32, [2], [3.0, 4.0])])
pse(empty, dense=[("a", F32, [2], np.zeros([0], np.float32))])
pse(e1, dense=[("b", F32, [3], np.zeros([0], np.float32))])
pse(e1, dense=[("a", F32, [1], np.zeros([0], np.float32))])
pse(b"\x0a\x05garbage", dense=[("a", F32, [2], [0.0, 0.0])])

for t in [tf.float32, tf.float64, tf.int32, tf.uint16, tf.uint8, tf.int16, tf.int8, tf.int64, tf.complex64,
          tf.complex128, tf.bool, tf.float16]:
    for le in (True, False):
        case("DecodeRaw", [tf.constant([bytes(range(16)), bytes(range(100, 116))], S)], out_type=t, little_endian=le)
case("DecodeRaw", [tf.constant([[b"abcd"], [b"efgh"]], S)], out_type=tf.int32)
case("DecodeRaw", [tf.constant([b"abc"], S)], out_type=tf.int32)
case("DecodeRaw", [tf.constant([b"abcd", b"ab"], S)], out_type=tf.int16)
case("DecodeRaw", [tf.constant(np.zeros([0], object), S)], out_type=tf.float32)
case("DecodeRaw", [tf.constant([b"", b""], S)], out_type=tf.float32)

case("ScalarSummary", [tf.constant(["loss", "acc"]), tf.constant([0.25, 3.0])], T=tf.float32)
case("ScalarSummary", [tf.constant("x"), tf.constant(7, tf.int64)], T=tf.int64)
case("ScalarSummary", [tf.constant("x"), tf.constant([1.0, 2.0], tf.float64)], T=tf.float64)
case("ScalarSummary", [tf.constant(["a", "b"]), tf.constant([1.0, 2.0, 3.0])], T=tf.float32)



def csv(records, defaults, **attrs):
    case("DecodeCSV", [tf.constant(records, S), [tf.constant(d, t) for d, t in defaults]],
         OUT_TYPE=[t for _, t in defaults], **attrs)


I32, F64 = tf.int32, tf.float64
std = [([0], I32), ([0], I64), ([0.0], F32), ([0.0], F64), ([b"?"], S)]
csv(["1,2,3.5,4.25,x", " 7 ,-8,1e3,-inf,\"q,\"\"t\"\"\"", ",,,,", "9,10,nan,.5,", "\n11,12,+1.5,2,z"], std)
csv(["3,4,5,6,\r"], std)
csv([["1,2", "3,4"], ["5,", ",6"]], [([0], I32), ([-1], I32)])
csv(["a|b|c", "d||f"], [([b""], S), ([b"dflt"], S), ([b""], S)], field_delim="|")
csv(['"a,b",c'], [([b""], S), ([b""], S), ([b""], S)], use_quote_delim=False)
csv(["1,NA,3"], [([0], I32), ([5], I32), ([0], I32)], na_value="NA")
csv(["1,2,3,4"], [([0], I32), ([0], I32)], select_cols=[1, 3])
csv(["1,2,3,4"], [([0], I32), ([0], I32)], select_cols=[3, 1])
csv(["1,2"], [([0], I32), ([0], I32), ([0], I32)])
csv(["1,2,3"], [([0], I32), ([0], I32)])
csv(["1,"], [([0], I32), (np.zeros([0], np.int32), I32)])
csv(["1,x"], [([0], I32), ([0], I32)])
csv(["1,99999999999"], [([0], I32), ([0], I32)])
csv(["1,99999999999"], [([0], I32), ([0], I64)])
csv(["1,2.5.1"], [([0], I32), ([0.0], F32)])
csv(["1,2x"], [([0], I32), ([0.0], F64)])
csv(['a"b'], [([b""], S)])
csv(['"ab"c'], [([b""], S)])
csv(['"ab'], [([b""], S)])
csv(["1"], [([0, 1], I32)])
csv(["1"], [([0], I32)], field_delim="ab")
csv(np.zeros([0], object), std)
csv([""], [([7], I32)])


def seq_example(context, lists):
    ctx = tf.train.Features(feature={k: _feature(v) for k, v in context.items()})
    fl = tf.train.FeatureLists(feature_list={
        k: tf.train.FeatureList(feature=[_feature(v) for v in steps]) for k, steps in lists.items()})
    return tf.train.SequenceExample(context=ctx, feature_lists=fl).SerializeToString()


def _feature(v):
    if isinstance(v, tf.train.Feature):
        return v
    if v and isinstance(v[0], bytes):
        return tf.train.Feature(bytes_list=tf.train.BytesList(value=v))
    if v and isinstance(v[0], float):
        return tf.train.Feature(float_list=tf.train.FloatList(value=v))
    return tf.train.Feature(int64_list=tf.train.Int64List(value=v))


def pseq(serialized, c_sparse=(), c_dense=(), c_ragged=(), f_sparse=(), f_dense=(), f_ragged=(), missing_ok=(),
         names=None):
    """ParseSequenceExampleV2; dense context (key, type, shape, default); feature list dense (key, type, shape)."""
    case(
        "ParseSequenceExampleV2",
        [tf.constant(serialized, S), tf.constant(names if names is not None else [], S),
         tf.constant([k for k, _ in c_sparse], S), tf.constant([d[0] for d in c_dense], S),
         tf.constant([r[0] for r in c_ragged], S), tf.constant([k for k, _ in f_sparse], S),
         tf.constant([d[0] for d in f_dense], S), tf.constant([r[0] for r in f_ragged], S),
         tf.constant([d[0] in missing_ok for d in f_dense], tf.bool),
         [tf.constant(d[3], d[1]) for d in c_dense]],
        Ncontext_sparse=len(c_sparse),
        Tcontext_dense=[d[1] for d in c_dense],
        context_sparse_types=[t for _, t in c_sparse],
        context_ragged_value_types=[r[1] for r in c_ragged],
        context_ragged_split_types=[r[2] for r in c_ragged],
        context_dense_shapes=[tf.TensorShape(d[2]) for d in c_dense],
        Nfeature_list_sparse=len(f_sparse),
        Nfeature_list_dense=len(f_dense),
        feature_list_dense_types=[d[1] for d in f_dense],
        feature_list_sparse_types=[t for _, t in f_sparse],
        feature_list_ragged_value_types=[r[1] for r in f_ragged],
        feature_list_ragged_split_types=[r[2] for r in f_ragged],
        feature_list_dense_shapes=[tf.TensorShape(d[2]) for d in f_dense],
    )


EB = tf.train.Feature(bytes_list=tf.train.BytesList(value=[]))
EF = tf.train.Feature(float_list=tf.train.FloatList(value=[]))
s1 = seq_example({"len": [3], "tag": [b"x"], "ids": [4, 5]},
                 {"tok": [[1], [2], [3]], "emb": [[0.5, 1.0], [1.5, 2.0], [2.5, 3.0]], "w": [[b"a", b"b"], EB, [b"c"]],
                  "r": [[1.0], [2.0, 3.0]]})
s2 = seq_example({"len": [1]}, {"tok": [[7]], "emb": [[9.0, 9.5]], "w": [[b"z"]], "r": [EF, EF, [4.0]]})
s3 = seq_example({}, {})
ALL = dict(c_sparse=[("tag", S)], c_dense=[("len", I64, [], -1)], c_ragged=[("ids", I64, tf.int64)],
           f_sparse=[("w", S)], f_dense=[("tok", I64, [], None), ("emb", F32, [2], None)],
           f_ragged=[("r", F32, tf.int32)], missing_ok=("tok", "emb"))
pseq([s1, s2, s3], **ALL)
# One SequenceExample (a scalar): TF leaves the ragged outer splits uninitialised, so none here.
pseq(s1, **{k: v for k, v in ALL.items() if k not in ("c_ragged", "f_ragged")})
pseq([s1, s3], f_dense=[("tok", I64, [], None)])
pseq([s1, s3], f_dense=[("tok", I64, [], None)], names=["one", "three"])
pseq([s1], f_dense=[("emb", F32, [3], None)], missing_ok=("emb",))
pseq([s1], f_dense=[("emb", I64, [2], None)], missing_ok=("emb",))
pseq([s1], f_sparse=[("emb", I64)])
pseq([s1], c_dense=[("len", I64, [], np.zeros([0], np.int64))], f_ragged=[("tok", I64, tf.int64)])
pseq([s3], c_dense=[("len", I64, [], np.zeros([0], np.int64))])
pseq([b"\x12\x03abc"], f_sparse=[("w", S)])


def pe1(serialized, sparse=(), dense=(), names=None):
    """The original ParseExample: one scalar input per key."""
    case(
        "ParseExample",
        [tf.constant(serialized, S), tf.constant(names if names is not None else [], S),
         [tf.constant(k, S) for k, _ in sparse], [tf.constant(d[0], S) for d in dense],
         [tf.constant(d[3], d[1]) for d in dense]],
        Nsparse=len(sparse),
        Ndense=len(dense),
        sparse_types=[t for _, t in sparse],
        Tdense=[d[1] for d in dense],
        dense_shapes=[tf.TensorShape(d[2]) for d in dense],
    )


pe1([e1, e2, e3], sparse=[("s", S), ("b", I64)], dense=[("a", F32, [2], [0.0, 0.0]), ("v", F32, [None, 2], 0.0)])
pe1([e1, e2], sparse=[("s", S), ("b", I64)], dense=[("a", F32, [2], [0.0, 0.0]), ("v", F32, [None, 2], 0.0)])
pe1([e1, empty], dense=[("a", F32, [2], np.zeros([0], np.float32))], names=["first", "second"])
pe1([e1], dense=[("a", I64, [2], np.zeros([0], np.int64))])
pe1(e1, dense=[("a", F32, [2], [0.0, 0.0])])
pe1(np.zeros([0], object), sparse=[("s", S)])

# DecodeJSONExample: well-formed JSON only (TF's messages for bad JSON come from protobuf and vary in
# their spacing from run to run).
case("DecodeJSONExample", [tf.constant([
    '{"features": {"feature": {"b": {"int64List": {"value": ["1", 2, -3]}}, '
    '"a": {"floatList": {"value": [1.5, "NaN", 2, "-Infinity", 1e-40]}}, "c": {"bytes_list": {"value": ["aGk=", ""]}}}}}',
    "{}", '{"features": {}}', '{"features": {"feature": {"e": {}, "f": {"int64_list": {}}}}}',
    '{"features": {"feature": {"big": {"int64List": {"value": ["-9223372036854775808", "9223372036854775807"]}}}}}',
])])
case("DecodeJSONExample", [tf.constant([['{}', '{"features": {"feature": {"x": {"floatList": {"value": [0.1]}}}}}']])])

with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "cases": cases}, f, indent=None, separators=(",", ":"))
print(f"wrote {len(cases)} cases to {OUT}")
for c in cases:
    if "error" in c:
        print(c["op"], c["error"]["message"][:200])
