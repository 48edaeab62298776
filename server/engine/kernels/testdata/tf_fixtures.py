"""What the kernel-fixture generators (gen_*_fixtures.py) share: TF values and attrs in the JSON
format the tests read (server/engine/kernels/fixture-format.ts) and TF's error text without the
eager wrapper.

A tensor is {"dtype": enum, "shape", "values"}: floats as numbers or "nan"/"inf"/"-inf", 64-bit
integers as strings (exact beyond 2**53), strings as UTF-8 text, complex numbers as [re, im],
bools as 0/1. An attr is [kind, value].
"""

import base64
import math
import re

import numpy as np
import tensorflow as tf

v1 = tf.compat.v1


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


def session_error(msg):
    """The kernel's own message inside a Python session error ("Graph execution error: … Node:
    '<name>'\n<message>\n\t [[{{node …}}]]"), without the Python traceback TF adds around it and
    without the node context (TF names an inlined function's node by its name in the function)."""
    m = re.search(r"\nNode: '[^']*'\n(.*?)(\n\t \[\[|$)", msg, re.S)
    if m:
        return m.group(1).strip()
    # A node inside a function has no "Node:" line: strip the client's prefix and the node context.
    msg = re.sub(r"^Graph execution error:\s*", "", msg)
    return re.sub(r"\n\t \[\[.*$", "", msg, flags=re.S).strip()


def graph_record(name, build):
    """build() makes the graph's nodes and returns [(targets, fetches[, feeds[, timeout_ms]])]
    steps (of ops/tensors; feeds maps a tensor to a value; timeout_ms, the step's deadline in
    RunOptions, for a step that waits)."""
    g = tf.Graph()
    # Each graph's variables under its own name: tfgate's master, like a TF server, shares
    # variables by name across sessions.
    with g.as_default(), tf.name_scope(name):
        steps = build()
    gd = g.as_graph_def()
    recorded = []
    with v1.Session(graph=g) as sess:
        for targets, fetches, *rest in steps:
            feeds = rest[0] if rest else {}
            timeout_ms = rest[1] if len(rest) > 1 else None
            step = {"targets": [t.name for t in targets], "fetches": [f.name for f in fetches]}
            options = None
            if timeout_ms is not None:
                step["timeout_ms"] = timeout_ms
                options = v1.RunOptions(timeout_in_ms=timeout_ms)
            if feeds:
                step["feeds"] = {
                    t.name: {"dtype": t.dtype.as_datatype_enum, "shape": list(np.shape(v)),
                             "values": [enc_value(x, t.dtype) for x in np.asarray(v).ravel()]}
                    for t, v in feeds.items()
                }
            try:
                values = sess.run(list(fetches) + list(targets), feeds, options=options)[: len(fetches)]
                step["outputs"] = [
                    {"dtype": f.dtype.base_dtype.as_datatype_enum, "shape": list(np.shape(v)),
                     "values": [enc_value(x, f.dtype.base_dtype) for x in np.asarray(v).ravel()]}
                    for f, v in zip(fetches, values)
                ]
            except tf.errors.OpError as e:
                message = session_error(e.message)
                if timeout_ms is not None and e.error_code == tf.errors.DEADLINE_EXCEEDED:
                    # The deadline's text is the session's, not the op's: DirectSession says "Timed
                    # out waiting for notification", a master names the step. Both start so.
                    message = "Timed out waiting for"
                step["error"] = {"code": e.error_code, "message": message}
            recorded.append(step)
    return {
        "name": name,
        "graph": base64.b64encode(gd.SerializeToString()).decode("ascii"),
        "ops": sorted({n.op for n in gd.node} | {n.op for f in gd.library.function for n in f.node_def}),
        "steps": recorded,
    }
