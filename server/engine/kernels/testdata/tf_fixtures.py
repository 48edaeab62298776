"""What the kernel-fixture generators (gen_*_fixtures.py) share: TF values and attrs in the JSON
format the tests read (server/engine/kernels/fixture-format.ts) and TF's error text without the
eager wrapper.

A tensor is {"dtype": enum, "shape", "values"}: floats as numbers or "nan"/"inf"/"-inf", 64-bit
integers as strings (exact beyond 2**53), strings as UTF-8 text, complex numbers as [re, im],
bools as 0/1. An attr is [kind, value].
"""

import math
import re

import numpy as np
import tensorflow as tf


def enc_value(v, dtype):
    if dtype == tf.string:
        return bytes(v).decode("utf-8")
    if dtype in (tf.int64, tf.uint64):
        return str(int(v))
    if dtype.is_complex:
        return [enc_value(v.real, tf.float64), enc_value(v.imag, tf.float64)]
    if dtype == tf.bool:
        return int(bool(v))
    if dtype.is_floating:
        f = float(v)
        if math.isnan(f):
            return "nan"
        if math.isinf(f):
            return "inf" if f > 0 else "-inf"
        return f
    return int(v)


def enc(t):
    t = tf.convert_to_tensor(t)
    a = np.asarray(t.numpy())
    return {
        "dtype": t.dtype.as_datatype_enum,
        "shape": list(a.shape),
        "values": [enc_value(v, t.dtype) for v in a.ravel()],
    }


def attr_of(v):
    if isinstance(v, tf.DType):
        return ["type", v.as_datatype_enum]
    if isinstance(v, bool):
        return ["bool", v]
    if isinstance(v, int):
        return ["int", v]
    if isinstance(v, float):
        return ["float", v]
    if isinstance(v, str):
        return ["string", v]
    if isinstance(v, list) and all(isinstance(x, tf.DType) for x in v):
        return ["typeList", [t.as_datatype_enum for t in v]]
    if isinstance(v, list) and all(isinstance(x, int) for x in v):
        return ["intList", v]
    if isinstance(v, list) and all(isinstance(x, float) for x in v):
        return ["floatList", v]
    if isinstance(v, tf.TensorShape):
        return ["shape", v.as_list()]
    raise TypeError(v)


def clean(msg):
    """Eager's message without its "{{function_node …}}" prefix and " [Op:…]" suffix (a graph
    kernel's message)."""
    msg = re.sub(r"^\{\{function_node [^}]*\}\}\s*", "", msg)
    msg = re.sub(r" \[Op:[A-Za-z0-9_]+\].*$", "", msg, flags=re.S)
    return msg.strip()
