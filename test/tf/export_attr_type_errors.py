#!/usr/bin/env python3
"""Asks a REAL TensorFlow master what CreateSession and ExtendSession answer for NodeDefs whose attrs
do not fit their op (TF's ValidateNodeDef: AttrValueHasType, missing attrs, attrs the op does not
have), for test/attr-validation.test.ts.

    .venv-tf/bin/python test/tf/export_attr_type_errors.py [--out test/tf/attr-type-errors.json]

Starts tf.distribute.Server (grpc, one CPU, loopback) in this process and sends hand-built GraphDefs
with grpcio (observe_reference.py's Master), so nothing on the client side validates them first.
Every case is recorded as {case, method, code, message, graph (GraphDef JSON)}; when CreateSession
succeeds, the graph is sent to the first RunStep (the case is then marked "surfaced": "RunStep").
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from google.protobuf import json_format  # noqa: E402
from observe_reference import M, Master, Recorder, attr_type, const, graph, node  # noqa: E402
from tensorflow.core.framework import attr_value_pb2, types_pb2  # noqa: E402

import tensorflow as tf  # noqa: E402

F, I = types_pb2.DT_FLOAT, types_pb2.DT_INT32


def attr(**kw):
    return attr_value_pb2.AttrValue(**kw)


def attr_list(**kw):
    return attr_value_pb2.AttrValue(list=attr_value_pb2.AttrValue.ListValue(**kw))


# name: nodes. Node "b" is the bad one; "a" a valid float constant it may read.
CASES = {
    "type attr given as an int": [const("a", 1.0), node("b", "Neg", ["a"], T=attr(i=1))],
    "type attr given as a string": [const("a", 1.0), node("b", "Neg", ["a"], T=attr(s=b"float"))],
    "int attr given as a string": [const("a", 1.0), node("b", "AddN", ["a"], T=attr_type(F), N=attr(s=b"1"))],
    "int attr given as a float": [const("a", 1.0), node("b", "AddN", ["a"], T=attr_type(F), N=attr(f=1.0))],
    "bool attr given as an int": [
        const("a", [[1.0]]),
        node("b", "MatMul", ["a", "a"], T=attr_type(F), transpose_a=attr(i=1)),
    ],
    "string attr given as an int": [
        const("a", [[[[1.0]]]]),
        node(
            "b",
            "MaxPool",
            ["a"],
            T=attr_type(F),
            ksize=attr_list(i=[1, 1, 1, 1]),
            strides=attr_list(i=[1, 1, 1, 1]),
            padding=attr(i=0),
        ),
    ],
    "list(int) attr given as an int": [
        const("a", [[[[1.0]]]]),
        node("b", "MaxPool", ["a"], T=attr_type(F), ksize=attr(i=1), strides=attr_list(i=[1, 1, 1, 1]), padding=attr(s=b"VALID")),
    ],
    "list(int) attr with float elements": [
        const("a", [[[[1.0]]]]),
        node(
            "b",
            "MaxPool",
            ["a"],
            T=attr_type(F),
            ksize=attr_list(f=[1.0, 1.0, 1.0, 1.0]),
            strides=attr_list(i=[1, 1, 1, 1]),
            padding=attr(s=b"VALID"),
        ),
    ],
    "list(type) attr with int elements": [node("b", "FIFOQueueV2", component_types=attr_list(i=[1]))],
    "shape attr given as a type": [node("b", "Placeholder", dtype=attr_type(F), shape=attr(type=F))],
    "tensor attr given as a string": [node("b", "Const", dtype=attr_type(F), value=attr(s=b"1"))],
    "float attr given as an int": [const("a", 1.0), node("b", "LeakyRelu", ["a"], T=attr_type(F), alpha=attr(i=1))],
    "attr with no value set": [const("a", 1.0), node("b", "Neg", ["a"], T=attr_value_pb2.AttrValue())],
    "missing required attr": [const("a", 1.0), node("b", "Neg", ["a"])],
    "attr not in the op def": [const("a", 1.0), node("b", "Neg", ["a"], T=attr_type(F), bogus=attr(i=3))],
    "placeholder attr value": [const("a", 1.0), node("b", "Neg", ["a"], T=attr(placeholder="T"))],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--out", default=os.path.join(here, "attr-type-errors.json"))
    args = parser.parse_args()
    server = tf.distribute.Server({"localhost": ["127.0.0.1:0"]}, protocol="grpc", start=True)
    master = Master(server.target.removeprefix("grpc://"))
    recorder = Recorder(master)
    cases = []
    for name, nodes in CASES.items():
        g = graph(*nodes)
        outcome = recorder.create_then_run(name, nodes, ["b:0"])
        entry = {
            "case": name,
            "method": outcome.method,
            "code": outcome.code.name,
            "message": recorder.normalise(outcome.message),
            "graph": json_format.MessageToDict(g),
        }
        # The same graph given to ExtendSession of an empty session.
        handle = master.session()
        ext = master.extend(handle, g, 0)
        entry["extend"] = {"code": ext.code.name, "message": recorder.normalise(ext.message)}
        master.close(handle)
        cases.append(entry)
    result = {
        "tensorflow_version": tf.__version__,
        "notes": [
            "Produced by test/tf/export_attr_type_errors.py against tf.distribute.Server (grpc, one CPU).",
            "method is where the error surfaced: CreateSession, or RunStep when CreateSession succeeded.",
        ],
        "cases": cases,
    }
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {args.out}: {len(cases)} cases", file=sys.stderr)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
