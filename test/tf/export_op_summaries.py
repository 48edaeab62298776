"""Writes test/tf/op-summaries.json: for each op tfgate registers, TensorFlow 2.21's one-line
summary of its OpDef, in the format TF's SummarizeOpDef prints after "; NodeDef: {{node x}}; " in
attr and type errors (inputs, outputs, attrs with defaults, minimums and allowed values, flags).
op-def.test.ts checks that tfgate's op registry produces the same text for every op it shares
with TF, so tfgate's declarations (attr names, defaults, allowed types) are TF's.

Run: node --import tsx scripts/list-ops.ts | .venv-tf/bin/python test/tf/export_op_summaries.py
"""

import json
import math
import os
import sys

import tensorflow as tf
from tensorflow.core.framework import types_pb2
from tensorflow.python.framework import op_def_registry

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "op-summaries.json")


def dtype_enum_name(t):
    return types_pb2.DataType.Name(t)


# C++'s DataTypeString names where they differ from Python's dtype names.
CPP_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def dtype_short(t):
    name = tf.dtypes.as_dtype(t % 100).name
    return CPP_NAMES.get(name, name) + ("_ref" if t > 100 else "")


def c_escape(b):
    out = []
    for ch in b:
        c = chr(ch)
        if c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif c == '"':
            out.append('\\"')
        elif c == "'":
            out.append("\\'")
        elif c == "\\":
            out.append("\\\\")
        elif 32 <= ch < 127:
            out.append(c)
        else:
            out.append("\\%03o" % ch)
    return "".join(out)


def float_str(f):
    # TF's FloatToString: shortest text that round-trips a float32 (%.9g at worst).
    if math.isnan(f):
        return "nan"
    if math.isinf(f):
        return "inf" if f > 0 else "-inf"
    for p in range(6, 10):
        s = "%.*g" % (p, f)
        if float(tf.constant(float(s), tf.float32).numpy()) == float(tf.constant(f, tf.float32).numpy()):
            return s
    return "%.9g" % f


def shape_str(s):
    if s.unknown_rank:
        return "<unknown>"
    return "[" + ",".join("?" if d.size < 0 else str(d.size) for d in s.dim) + "]"


def summarize_value(v):
    kind = v.WhichOneof("value")
    if kind == "s":
        return '"' + c_escape(v.s) + '"'
    if kind == "i":
        return str(v.i)
    if kind == "f":
        return float_str(v.f)
    if kind == "b":
        return "true" if v.b else "false"
    if kind == "type":
        return dtype_enum_name(v.type)
    if kind == "shape":
        return shape_str(v.shape)
    if kind == "tensor":
        return "<tensor>"
    if kind == "func":
        return v.func.name
    if kind == "list":
        items = []
        l = v.list
        items += ['"' + c_escape(x) + '"' for x in l.s]
        items += [str(x) for x in l.i]
        items += [float_str(x) for x in l.f]
        items += ["true" if x else "false" for x in l.b]
        items += [dtype_enum_name(x) for x in l.type]
        items += [shape_str(x) for x in l.shape]
        items += ["<tensor>" for _ in l.tensor]
        items += [x.name for x in l.func]
        return "[" + ", ".join(items) + "]"
    return "<Unknown AttrValue type>"


def summarize_args(args):
    out = []
    for a in args:
        # As op_def_util.cc's SummarizeArgs: the dtype, else the type attr; a type-list argument
        # prints neither (its list(type) attr is not named).
        t = dtype_short(a.type) if a.type else a.type_attr
        if a.number_attr:
            t = a.number_attr + "*" + t
        out.append("%s:%s" % (a.name, "Ref(%s)" % t if a.is_ref else t))
    return ", ".join(out)


def summarize(op):
    s = "Op<name=%s; signature=%s -> %s" % (op.name, summarize_args(op.input_arg), summarize_args(op.output_arg))
    for a in op.attr:
        s += "; attr=%s:%s" % (a.name, a.type)
        if a.HasField("default_value"):
            s += ",default=" + summarize_value(a.default_value)
        if a.has_minimum:
            s += ",min=%d" % a.minimum
        if a.HasField("allowed_values"):
            s += ",allowed=" + summarize_value(a.allowed_values)
    if op.is_commutative:
        s += "; is_commutative=true"
    if op.is_aggregate:
        s += "; is_aggregate=true"
    if op.is_stateful:
        s += "; is_stateful=true"
    if op.allows_uninitialized_input:
        s += "; allows_uninitialized_input=true"
    if op.is_distributed_communication:
        s += "; is_distributed_communication=true"
    return s + ">"


names = [l.strip() for l in sys.stdin if l.strip()]
result = {"tensorflow": tf.__version__, "ops": {}}
for name in names:
    op = op_def_registry.get(name)
    if op is not None:
        result["ops"][name] = summarize(op)
with open(OUT, "w") as f:
    json.dump(result, f, indent=0, sort_keys=True)
    f.write("\n")
print("wrote %d summaries (of %d ops) to %s" % (len(result["ops"]), len(names), OUT), file=sys.stderr)
