"""Generates array-fixtures.json: TensorFlow 2.21's own results (tf.raw_ops, eager, CPU) for the
array, string and misc kernels: outputs for valid inputs, error code and message for invalid ones.

Each case: {"op", "attrs": {name: [kind, value]}, "inputs": [tensor], "outputs": [tensor] | "error":
{"code", "message"}}; a tensor is {"dtype": enum, "shape", "values"} with floats as numbers or
"nan"/"inf"/"-inf", int64/uint64 as strings, strings as UTF-8 text, complex as [re, im] pairs.

Run: /work/main/.venv-tf/bin/python server/engine/kernels/testdata/gen_array_fixtures.py
"""

import json
import math
import os
import re

import numpy as np
import tensorflow as tf
from tf_fixtures import attr_of, clean, enc, enc_value  # noqa: E402,F401

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "array-fixtures.json")
R = tf.raw_ops
cases = []


def case(op, inputs, attrs=None, type_attrs=None, listed=None, **kw):
    """Runs tf.raw_ops.<op>; `inputs` is a dict name -> tensor; `type_attrs` the inferred attrs
    tfgate needs explicitly (T, Tidx, ...)."""
    attrs = attrs or {}
    c = {"op": op, "attrs": {k: attr_of(v) for k, v in {**(type_attrs or {}), **attrs}.items()}}
    ins = []
    for name, t in inputs.items():
        if isinstance(t, list) and listed:
            ins.extend(enc(x) for x in t)
        else:
            ins.append(enc(t))
    c["inputs"] = ins
    try:
        out = getattr(R, op)(**inputs, **attrs)
        if out is None:
            outs = []
        elif isinstance(out, (list, tuple)):
            outs = list(out)
        else:
            outs = [out]
        c["outputs"] = [enc(o) for o in outs]
    except tf.errors.OpError as e:
        c["error"] = {"code": e.error_code, "message": clean(e.message)}
    c.update(kw)
    cases.append(c)


f32, f64, i32, i64, s = tf.float32, tf.float64, tf.int32, tf.int64, tf.string
x234 = tf.reshape(tf.range(24, dtype=f32), [2, 3, 4])

# Split / SplitV
for dt in [f32, i64, s, tf.bool, tf.complex64]:
    v = tf.cast(tf.reshape(tf.range(12), [2, 6]), dt) if dt != s else tf.strings.as_string(tf.reshape(tf.range(12), [2, 6]))
    case("Split", {"axis": tf.constant(1), "value": v}, {"num_split": 3}, {"T": dt})
case("Split", {"axis": tf.constant(-3), "value": x234}, {"num_split": 2}, {"T": f32})
case("Split", {"axis": tf.constant(3), "value": x234}, {"num_split": 2}, {"T": f32})
case("Split", {"axis": tf.constant(1), "value": x234}, {"num_split": 2}, {"T": f32})
case("SplitV", {"value": x234, "size_splits": tf.constant([1, -1, 1], i64), "axis": tf.constant(2)}, {"num_split": 3}, {"T": f32, "Tlen": i64})
case("SplitV", {"value": x234, "size_splits": tf.constant([1, 2], i32), "axis": tf.constant(-2)}, {"num_split": 2}, {"T": f32, "Tlen": i32})
case("SplitV", {"value": x234, "size_splits": tf.constant([-1, -1], i32), "axis": tf.constant(1)}, {"num_split": 2}, {"T": f32, "Tlen": i32})
case("SplitV", {"value": x234, "size_splits": tf.constant([1, 1], i32), "axis": tf.constant(1)}, {"num_split": 2}, {"T": f32, "Tlen": i32})
case("SplitV", {"value": x234, "size_splits": tf.constant([4, -1], i32), "axis": tf.constant(1)}, {"num_split": 2}, {"T": f32, "Tlen": i32})

# GatherNd / ScatterNd
p = tf.reshape(tf.range(12, dtype=f32), [3, 4])
case("GatherNd", {"params": p, "indices": tf.constant([[1, 2], [0, 0], [2, 3]])}, {}, {"Tparams": f32, "Tindices": i32})
case("GatherNd", {"params": p, "indices": tf.constant([[2], [0]], i64)}, {}, {"Tparams": f32, "Tindices": i64})
case("GatherNd", {"params": tf.constant(["a", "b", "c"]), "indices": tf.constant([[[2]], [[0]]])}, {}, {"Tparams": s, "Tindices": i32})
case("GatherNd", {"params": p, "indices": tf.constant([[1, 4]])}, {}, {"Tparams": f32, "Tindices": i32})
case("GatherNd", {"params": p, "indices": tf.constant([[1, 1, 1]])}, {}, {"Tparams": f32, "Tindices": i32})
case("ScatterNd", {"indices": tf.constant([[4], [3], [1], [7], [1]]), "updates": tf.constant([9.0, 10, 11, 12, 13]), "shape": tf.constant([8])}, {}, {"T": f32, "Tindices": i32})
case("ScatterNd", {"indices": tf.constant([[0], [2]], i64), "updates": tf.constant([[5, 5], [6, 6]], i64), "shape": tf.constant([3, 2], i64)}, {}, {"T": i64, "Tindices": i64})
case("ScatterNd", {"indices": tf.constant([[9]]), "updates": tf.constant([1.0]), "shape": tf.constant([4])}, {}, {"T": f32, "Tindices": i32})
case("ScatterNd", {"indices": tf.constant([[1]]), "updates": tf.constant([1.0, 2.0]), "shape": tf.constant([4])}, {}, {"T": f32, "Tindices": i32})

# Pad / PadV2 / MirrorPad
m = tf.constant([[1, 2, 3], [4, 5, 6]], f32)
for dt in [f32, i32, tf.half, s, tf.bool]:
    v = tf.strings.as_string(tf.cast(m, i32)) if dt == s else tf.cast(m, dt)
    case("Pad", {"input": v, "paddings": tf.constant([[1, 0], [2, 1]])}, {}, {"T": dt, "Tpaddings": i32})
case("Pad", {"input": m, "paddings": tf.constant([[1, 0]])}, {}, {"T": f32, "Tpaddings": i32})
case("Pad", {"input": m, "paddings": tf.constant([[1, 0], [-1, 0]], i64)}, {}, {"T": f32, "Tpaddings": i64})
case("PadV2", {"input": m, "paddings": tf.constant([[0, 1], [1, 1]]), "constant_values": tf.constant(-7.5)}, {}, {"T": f32, "Tpaddings": i32})
for mode in ["REFLECT", "SYMMETRIC"]:
    case("MirrorPad", {"input": m, "paddings": tf.constant([[1, 1], [2, 2]])}, {"mode": mode}, {"T": f32, "Tpaddings": i32})
case("MirrorPad", {"input": m, "paddings": tf.constant([[2, 0], [0, 0]])}, {"mode": "REFLECT"}, {"T": f32, "Tpaddings": i32})

# OneHot
case("OneHot", {"indices": tf.constant([0, 2, -1, 5], i64), "depth": tf.constant(3), "on_value": tf.constant(5.0), "off_value": tf.constant(-1.0)}, {}, {"T": f32, "TI": i64})
case("OneHot", {"indices": tf.constant([[0, 2], [1, 1]]), "depth": tf.constant(3), "on_value": tf.constant(True), "off_value": tf.constant(False)}, {"axis": 0}, {"T": tf.bool, "TI": i32})
case("OneHot", {"indices": tf.constant([0, 1]), "depth": tf.constant(-1), "on_value": tf.constant(1.0), "off_value": tf.constant(0.0)}, {}, {"T": f32, "TI": i32})
case("OneHot", {"indices": tf.constant([0, 1]), "depth": tf.constant(2), "on_value": tf.constant(1.0), "off_value": tf.constant(0.0)}, {"axis": 3}, {"T": f32, "TI": i32})

# BroadcastTo
case("BroadcastTo", {"input": tf.constant([[1], [2]], i32), "shape": tf.constant([3, 2, 4])}, {}, {"T": i32, "Tidx": i32})
case("BroadcastTo", {"input": tf.constant([1.0, 2.0, 3.0]), "shape": tf.constant([2, 2], i64)}, {}, {"T": f32, "Tidx": i64})

# Where
case("Where", {"condition": tf.constant([[True, False], [False, True], [True, True]])}, {}, {"T": tf.bool})
case("Where", {"condition": tf.constant([[0.0, 1.5, 0.0], [-2.0, 0.0, 0.0]])}, {}, {"T": f32})
case("Where", {"condition": tf.constant([0, 3, 0, 7], i64)}, {}, {"T": i64})

# TopKV2
tk = tf.constant([[3.0, 1.0, 3.0, 7.0, -1.0], [0.0, 2.0, 2.0, 2.0, 5.0]])
case("TopKV2", {"input": tk, "k": tf.constant(3)}, {}, {"T": f32, "Tk": i32, "index_type": i32})
case("TopKV2", {"input": tf.constant([5, 1, 9, 9], i64), "k": tf.constant(2)}, {}, {"T": i64, "Tk": i32, "index_type": i32})
case("TopKV2", {"input": tk, "k": tf.constant(6)}, {}, {"T": f32, "Tk": i32, "index_type": i32})
case("TopKV2", {"input": tk, "k": tf.constant(-1)}, {}, {"T": f32, "Tk": i32, "index_type": i32})

# Cumsum / Cumprod
cs = tf.constant([[1.5, 2.25, -3.0], [4.0, 0.1, 6.0]], f32)
for op in ["Cumsum", "Cumprod"]:
    for excl in [False, True]:
        for rev in [False, True]:
            case(op, {"x": cs, "axis": tf.constant(1)}, {"exclusive": excl, "reverse": rev}, {"T": f32, "Tidx": i32})
    case(op, {"x": tf.constant([[1, 2], [3, 40000]], i32), "axis": tf.constant(-2)}, {}, {"T": i32, "Tidx": i32})
    case(op, {"x": tf.constant([2**40, 2**30, 7], i64), "axis": tf.constant(0, i64)}, {}, {"T": i64, "Tidx": i64})
    case(op, {"x": tf.constant([0.1, 0.2, 0.3, 1e-3], f64), "axis": tf.constant(0)}, {}, {"T": f64, "Tidx": i32})
    case(op, {"x": cs, "axis": tf.constant(2)}, {}, {"T": f32, "Tidx": i32})
case("Cumsum", {"x": tf.constant(np.linspace(0.1, 3.3, 40, dtype=np.float32)), "axis": tf.constant(0)}, {}, {"T": f32, "Tidx": i32})

# Reverse / ReverseV2 / InvertPermutation
case("ReverseV2", {"tensor": x234, "axis": tf.constant([0, -1])}, {}, {"T": f32, "Tidx": i32})
case("ReverseV2", {"tensor": tf.constant(["a", "b", "c"]), "axis": tf.constant([0], i64)}, {}, {"T": s, "Tidx": i64})
case("ReverseV2", {"tensor": x234, "axis": tf.constant([3])}, {}, {"T": f32, "Tidx": i32})
case("ReverseV2", {"tensor": x234, "axis": tf.constant([1, -2])}, {}, {"T": f32, "Tidx": i32})
case("Reverse", {"tensor": x234, "dims": tf.constant([False, True, True])}, {}, {"T": f32})
case("InvertPermutation", {"x": tf.constant([3, 4, 0, 2, 1])}, {}, {"T": i32})
case("InvertPermutation", {"x": tf.constant([1, 0], i64)}, {}, {"T": i64})
case("InvertPermutation", {"x": tf.constant([0, 3])}, {}, {"T": i32})
case("InvertPermutation", {"x": tf.constant([1, 1])}, {}, {"T": i32})

# CheckNumerics
case("CheckNumerics", {"tensor": tf.constant([1.0, 2.0])}, {"message": "ok"}, {"T": f32})
case("CheckNumerics", {"tensor": tf.constant([1.0, np.nan])}, {"message": "bad x"}, {"T": f32})
case("CheckNumerics", {"tensor": tf.constant([np.inf, 1.0], f64)}, {"message": "m"}, {"T": f64})
case("CheckNumerics", {"tensor": tf.constant([np.inf, np.nan], tf.half)}, {"message": "m"}, {"T": tf.half})

# StringFormat
case("StringFormat", {"inputs": [tf.constant(3.5)]}, {"template": "x = %s!"}, {"T": [f32]}, listed=True)
case("StringFormat", {"inputs": [tf.constant([[1, 2, 3], [4, 5, 6]]), tf.constant(["a", "b\n"])]}, {"template": "{} and {}", "placeholder": "{}"}, {"T": [i32, s]}, listed=True)
case("StringFormat", {"inputs": [tf.range(10), tf.constant([True, False])]}, {"template": "%s %s", "summarize": 2}, {"T": [i32, tf.bool]}, listed=True)
case("StringFormat", {"inputs": [tf.reshape(tf.range(27, dtype=f32) / 7, [3, 3, 3])]}, {"summarize": 1}, {"T": [f32]}, listed=True)
case("StringFormat", {"inputs": [tf.constant([1e-7, 123456789.0, -0.5, 1e20])]}, {"summarize": -1}, {"T": [f32]}, listed=True)

# LinSpace / Diag / DiagPart / Bitcast
case("LinSpace", {"start": tf.constant(0.1), "stop": tf.constant(1.7), "num": tf.constant(7)}, {}, {"T": f32, "Tidx": i32})
case("LinSpace", {"start": tf.constant(-3.0, f64), "stop": tf.constant(2.0, f64), "num": tf.constant(6, i64)}, {}, {"T": f64, "Tidx": i64})
case("LinSpace", {"start": tf.constant(5.0), "stop": tf.constant(1.0), "num": tf.constant(1)}, {}, {"T": f32, "Tidx": i32})
case("LinSpace", {"start": tf.constant(0.0), "stop": tf.constant(1.0), "num": tf.constant(0)}, {}, {"T": f32, "Tidx": i32})
case("Diag", {"diagonal": tf.constant([[1, 2], [3, 4]], i32)}, {}, {"T": i32})
case("DiagPart", {"input": tf.reshape(tf.range(16, dtype=f32), [2, 2, 2, 2])}, {}, {"T": f32})
case("DiagPart", {"input": tf.zeros([2, 3])}, {}, {"T": f32})
case("DiagPart", {"input": tf.zeros([3])}, {}, {"T": f32})
case("Bitcast", {"input": tf.constant([1.0, -2.5])}, {"type": i32}, {"T": f32})
case("Bitcast", {"input": tf.constant([1.0, 3.0], f64)}, {"type": tf.uint16}, {"T": f64})
case("Bitcast", {"input": tf.constant([[1, 2], [3, 4]], tf.int16)}, {"type": f32}, {"T": tf.int16})
case("Bitcast", {"input": tf.constant([1, 2, 3], tf.int16)}, {"type": f32}, {"T": tf.int16})

# Strings
words = tf.constant(["hello", "wörld", "", "añb€"])
for unit in ["BYTE", "UTF8_CHAR"]:
    case("StringLength", {"input": words}, {"unit": unit})
    case("Substr", {"input": words[:2], "pos": tf.constant([1, -3]), "len": tf.constant([3, 2])}, {"unit": unit}, {"T": i32})
case("Substr", {"input": tf.constant([["abcdef", "xyz"], ["0123", "q"]]), "pos": tf.constant(0, i64), "len": tf.constant(2, i64)}, {}, {"T": i64})
case("Substr", {"input": tf.constant(["abc"]), "pos": tf.constant([5]), "len": tf.constant([1])}, {}, {"T": i32})
for dt, vals in [(f32, [3.14159, -0.5, 1e10, np.nan]), (f64, [1 / 3, -2e-5]), (i64, [2**40, -3]), (tf.bool, [True, False]), (tf.int8, [-5, 7])]:
    case("AsString", {"input": tf.constant(vals, dt)}, {}, {"T": dt})
case("AsString", {"input": tf.constant([3.14159, -0.5, 1e10], f32)}, {"precision": 2, "width": 9, "fill": "0"}, {"T": f32})
case("AsString", {"input": tf.constant([3.14159, -0.000015, 1e10], f64)}, {"shortest": True}, {"T": f64})
case("AsString", {"input": tf.constant([3.14159, -0.5], f32)}, {"scientific": True, "precision": 3}, {"T": f32})
case("AsString", {"input": tf.constant([42, -7], i32)}, {"width": 5}, {"T": i32})
case("AsString", {"input": tf.constant([1], i32)}, {"precision": 2}, {"T": i32})
case("StringToNumber", {"string_tensor": tf.constant(["1.5", " -2e3", "inf", "0.1"])}, {"out_type": f32})
case("StringToNumber", {"string_tensor": tf.constant(["0.1", "-7.25e-3"])}, {"out_type": f64})
case("StringToNumber", {"string_tensor": tf.constant(["42", "-2147483648"])}, {"out_type": i32})
case("StringToNumber", {"string_tensor": tf.constant(["9007199254740993"])}, {"out_type": i64})
case("StringToNumber", {"string_tensor": tf.constant(["12abc"])}, {"out_type": f32})
case("StringToNumber", {"string_tensor": tf.constant(["2147483648"])}, {"out_type": i32})
rr = tf.constant(["aaa bbb", "abcabc", "x1y22z333"])
for pat, rw, glob in [("a", "X", True), ("a", "X", False), ("(a)(b)", r"\2\1", True), (r"\d+", "<\\0>", True), ("^", ">", True), ("b*", "-", True), ("(?i)A", "_", True), (r"\Aa", "S", True), ("[ab]+$", "E", True)]:
    case("RegexReplace", {"input": rr, "pattern": tf.constant(pat), "rewrite": tf.constant(rw)}, {"replace_global": glob})
for pat, rw in [("(a", "x"), (r"(a)\1", "x"), ("a(?=b)", "x"), ("(a)", r"\2")]:
    case("RegexReplace", {"input": rr, "pattern": tf.constant(pat), "rewrite": tf.constant(rw)})
# RE2 semantics beyond JS's RegExp: linear time on patterns that backtrack catastrophically in
# JS, RE2's own error texts, UTF-8 text, empty matches, named groups.
slow = tf.constant(["a" * 40 + "!", "a" * 30])
case("RegexReplace", {"input": slow, "pattern": tf.constant("(a+)+$"), "rewrite": tf.constant("x")})
case("RegexReplace", {"input": slow, "pattern": tf.constant("(a|aa)*b"), "rewrite": tf.constant("x")})
uni = tf.constant(["héllo wörld", "ñandú", "日本語テキスト"])
for pat, rw, glob in [("[éöñú]", "_", True), (r"\pL+", "<\\0>", True), ("", "|", True), ("x*", "-", True), (r"(?P<first>\w)(\w*)", r"\2\1", False), (r"\s", "", True)]:
    case("RegexReplace", {"input": uni, "pattern": tf.constant(pat), "rewrite": tf.constant(rw)}, {"replace_global": glob})
for pat in ["a**", "[z-a]", "(?P<n>a)(?P<n>b)", "x{2,1}", r"\8", "(?<n>a)", "a)"]:
    case("RegexReplace", {"input": rr, "pattern": tf.constant(pat), "rewrite": tf.constant("x")})
case("RegexReplace", {"input": rr, "pattern": tf.constant(["a", "b"]), "rewrite": tf.constant("x")})
case("RegexReplace", {"input": rr, "pattern": tf.constant("a"), "rewrite": tf.constant(["x", "y"])})
for pat, rw, glob in [("a", "X", True), ("(b)(c)", r"\2\1", False), (r"\d", "#", True)]:
    case("StaticRegexReplace", {"input": rr}, {"pattern": pat, "rewrite": rw, "replace_global": glob})
case("StaticRegexReplace", {"input": rr}, {"pattern": "(a", "rewrite": "x", "replace_global": True})
fm = tf.constant([["abc", "abcd"], ["", "ABC"], ["a\nb", "日本"]])
for pat in ["abc", "a.c|", "(?i)abc", "a.b", "(?s)a.b", r"\p{Han}+", "(a+)+$", "b"]:
    case("RegexFullMatch", {"input": fm, "pattern": tf.constant(pat)})
    case("StaticRegexFullMatch", {"input": fm}, {"pattern": pat})
case("RegexFullMatch", {"input": fm, "pattern": tf.constant("(a")})
case("RegexFullMatch", {"input": fm, "pattern": tf.constant(["a"])})
case("StaticRegexFullMatch", {"input": fm}, {"pattern": "[z-a]"})

# Gradient ops TF's autodiff emits for slicing, concatenation, mirror padding and Prod.
x34 = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4) + 1)
for b, e, st, masks, dy_shape in [
    ([0, 1], [2, 3], [1, 1], {}, [2, 2]),
    ([0, 0], [3, 4], [2, 3], {}, [2, 2]),
    ([2, 0], [0, 4], [-1, 2], {}, [2, 2]),
    ([1], [2], [1], {"shrink_axis_mask": 1}, [4]),
    ([0, 1], [0, 0], [1, 1], {"begin_mask": 1, "end_mask": 3, "new_axis_mask": 0}, [3, 3]),
    ([0, 0, 1], [0, 0, 2], [1, 1, 1], {"ellipsis_mask": 1, "new_axis_mask": 2, "shrink_axis_mask": 4}, [3, 1]),
]:
    dy = tf.constant(np.arange(1, 1 + int(np.prod(dy_shape)), dtype=np.float32).reshape(dy_shape))
    case("StridedSliceGrad", {"shape": tf.constant([3, 4]), "begin": tf.constant(b), "end": tf.constant(e), "strides": tf.constant(st), "dy": dy}, masks, {"T": f32, "Index": i32})
for dt in [f64, i32, i64, tf.complex64]:
    case("StridedSliceGrad", {"shape": tf.constant([5], i64), "begin": tf.constant([1], i64), "end": tf.constant([4], i64), "strides": tf.constant([2], i64), "dy": tf.cast(tf.constant([7, 9]), dt)}, None, {"T": dt, "Index": i64})
case("StridedSliceGrad", {"shape": tf.constant([3]), "begin": tf.constant([0]), "end": tf.constant([2]), "strides": tf.constant([1]), "dy": tf.constant(["a", "b"])}, None, {"T": tf.string, "Index": i32})
case("StridedSliceGrad", {"shape": tf.constant([3, 4]), "begin": tf.constant([0, 1]), "end": tf.constant([2, 3]), "strides": tf.constant([1, 1]), "dy": tf.zeros([3, 2])}, None, {"T": f32, "Index": i32})
case("StridedSliceGrad", {"shape": tf.constant([[3, 4]]), "begin": tf.constant([0]), "end": tf.constant([2]), "strides": tf.constant([1]), "dy": tf.zeros([2, 4])}, None, {"T": f32, "Index": i32})
case("StridedSliceGrad", {"shape": tf.constant([3, -4]), "begin": tf.constant([0]), "end": tf.constant([2]), "strides": tf.constant([1]), "dy": tf.zeros([2, 4])}, None, {"T": f32, "Index": i32})
for cd, shapes in [(1, [[2, 2, 5], [2, 3, 5], [2, 4, 5]]), (-1, [[2, 3], [2, 1]]), (0, [[1, 7], [4, 7]])]:
    case("ConcatOffset", {"concat_dim": tf.constant(cd), "shape": [tf.constant(s) for s in shapes]}, None, {"N": len(shapes)}, listed="shape")
case("ConcatOffset", {"concat_dim": tf.constant(1), "shape": [tf.constant([2, 3], i64), tf.constant([2, 5], i64)]}, None, {"N": 2, "shape_type": i64}, listed="shape")
for cd, shapes in [(2, [[2, 3], [2, 1]]), (1, [[2, 3], [4, 1]]), (0, [[2, 3], [2, 3, 1]])]:
    case("ConcatOffset", {"concat_dim": tf.constant(cd), "shape": [tf.constant(s) for s in shapes]}, None, {"N": len(shapes)}, listed="shape")
case("ConcatOffset", {"concat_dim": tf.constant([1]), "shape": [tf.constant([2, 3]), tf.constant([2, 3])]}, None, {"N": 2}, listed="shape")
g = tf.constant(np.arange(1, 1 + 5 * 6, dtype=np.float32).reshape(5, 6))
for mode, pads in [("REFLECT", [[1, 1], [2, 1]]), ("SYMMETRIC", [[2, 0], [1, 2]]), ("SYMMETRIC", [[0, 0], [0, 0]])]:
    case("MirrorPadGrad", {"input": g, "paddings": tf.constant(pads)}, {"mode": mode}, {"T": f32, "Tpaddings": i32})
for dt in [f64, i32, i64, tf.half]:
    case("MirrorPadGrad", {"input": tf.cast(tf.constant([1, 2, 3, 4, 5, 6]), dt), "paddings": tf.constant([[2, 1]], i64)}, {"mode": "REFLECT"}, {"T": dt, "Tpaddings": i64})
for mode, pads in [("REFLECT", [[2, 2], [0, 0]]), ("SYMMETRIC", [[3, 0], [0, 0]]), ("REFLECT", [[-1, 0], [0, 0]]), ("REFLECT", [[1, 1]])]:
    case("MirrorPadGrad", {"input": g, "paddings": tf.constant(pads)}, {"mode": mode}, {"T": f32, "Tpaddings": i32})
for dt in [f32, i32, i64, tf.string]:
    xs = [1, 2, 3, 4, 5, 6, 3] if dt != tf.string else ["a", "b", "c", "a", "d"]
    ys = [1, 3, 5, 7] if dt != tf.string else ["a", "c"]
    for out_idx in [i32, i64]:
        case("ListDiff", {"x": tf.constant(xs, dt), "y": tf.constant(ys, dt)}, {"out_idx": out_idx}, {"T": dt})
case("ListDiff", {"x": tf.constant([1, 2]), "y": tf.constant([1, 2])}, None, {"T": i32})
case("ListDiff", {"x": tf.constant([[1, 2]]), "y": tf.constant([1])}, None, {"T": i32})
case("ListDiff", {"x": tf.constant([1, 2]), "y": tf.constant(1)}, None, {"T": i32})

# GatherV2 with batch_dims (tf.gather(..., batch_dims=k), used by transformers and NMS)
bp = tf.reshape(tf.range(2 * 3 * 4, dtype=f32), [2, 3, 4])
gv = {"Tparams": f32, "Tindices": i32, "Taxis": i32}
for axis, bd, idx in [
    (1, 1, [[2, 0], [1, 1]]),
    (2, 1, [[3, 0, 1], [2, 2, 0]]),
    (2, 2, [[[1], [0], [3]], [[2], [2], [1]]]),
    (2, -1, [[3, 0], [1, 2]]),
    (-1, 1, [[0, 3], [1, 1]]),
    (1, 1, [[2, 0], [1, 5]]),
    (0, 1, [[0], [1]]),
    (1, 3, [[1]]),
    (1, 1, [[0, 1], [0, 1], [0, 1]]),
]:
    case("GatherV2", {"params": bp, "indices": tf.constant(idx), "axis": tf.constant(axis)}, {"batch_dims": bd}, gv)
case("GatherV2", {"params": tf.constant([["a", "b"], ["c", "d"]]), "indices": tf.constant([[1], [0]], i64), "axis": tf.constant(1, i64)}, {"batch_dims": 1}, {"Tparams": s, "Tindices": i64, "Taxis": i64})

with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "cases": cases}, f, separators=(",", ":"), ensure_ascii=False)
    f.write("\n")
print(f"wrote {len(cases)} cases to {OUT}")
