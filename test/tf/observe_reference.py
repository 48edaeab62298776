#!/usr/bin/env python3
"""Records what a REAL TensorFlow MasterService answers, as reference data for tfgate.

    .venv-tf/bin/python test/tf/observe_reference.py [--out test/tf/reference-observations.json]
                                                    [--target grpc://host:port]

Without --target it starts a real TF server (tf.distribute.Server, master + worker, one CPU) on
loopback in this process. Every request is built by hand from TensorFlow's own protobuf classes and
sent with grpcio to /tensorflow.MasterService/<Method> (the path real TF clients use); the answer
(gRPC status code and full message, or the response) is recorded.

Output JSON: {"tensorflow_version", "notes", "observations": [...], "responses": {...}}
  observations: {case, method, code, code_number, message[, detail_trailer][, note][, response]}
    code is the gRPC status name ("OK" when the call succeeded; then "response" holds the answer).
    Session handles in messages are replaced by "<session_handle>" so reruns diff cleanly.
  responses: full successful answers (CreateSession handles, ListDevices with every
    DeviceAttributes field, ExtendSession versions, RunStep tensor encodings with bytes in hex).

TF 2.21's pip package ships no master_pb2, and this machine has no protoc, so the ten master.proto
messages are declared here from their field numbers (master.proto, newest), on top of TF's own
GraphDef/ConfigProto/NamedTensorProto/DeviceAttributes classes.
"""

import argparse
import json
import os
import re
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import grpc  # noqa: E402 - after the TF log level is set
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory  # noqa: E402
from tensorflow.core.framework import (  # noqa: E402
    attr_value_pb2,
    device_attributes_pb2,  # noqa: F401 - registers tensorflow.DeviceAttributes in the pool
    graph_pb2,
    node_def_pb2,
    tensor_pb2,
    types_pb2,
)
from tensorflow.core.protobuf import config_pb2, error_codes_pb2, named_tensor_pb2  # noqa: E402,F401

SERVICE = "/tensorflow.MasterService/"
PRODUCER = tf.Graph().as_graph_def().versions.producer


# --------------------------------------------------------------------------------------------------
# master.proto messages, declared from field numbers
# --------------------------------------------------------------------------------------------------

_F = descriptor_pb2.FieldDescriptorProto
_MASTER = {
    "CreateSessionRequest": [("graph_def", 1, ".tensorflow.GraphDef"), ("config", 2, ".tensorflow.ConfigProto"), ("target", 3, "string")],
    "CreateSessionResponse": [("session_handle", 1, "string"), ("graph_version", 2, "int64")],
    "ExtendSessionRequest": [("session_handle", 1, "string"), ("graph_def", 2, ".tensorflow.GraphDef"), ("current_graph_version", 3, "int64")],
    "ExtendSessionResponse": [("new_graph_version", 4, "int64")],
    "RunStepRequest": [
        ("session_handle", 1, "string"),
        ("feed", 2, "repeated .tensorflow.NamedTensorProto"),
        ("fetch", 3, "repeated string"),
        ("target", 4, "repeated string"),
        ("options", 5, ".tensorflow.RunOptions"),
        ("partial_run_handle", 6, "string"),
        ("store_errors_in_response_body", 7, "bool"),
        ("request_id", 8, "int64"),
    ],
    "RunStepResponse": [
        ("tensor", 1, "repeated .tensorflow.NamedTensorProto"),
        ("metadata", 2, ".tensorflow.RunMetadata"),
        ("status_code", 3, "enum .tensorflow.error.Code"),
        ("status_error_message", 4, "string"),
    ],
    "CloseSessionRequest": [("session_handle", 1, "string")],
    "CloseSessionResponse": [],
    "ListDevicesRequest": [("session_handle", 1, "string")],
    "ListDevicesResponse": [("local_device", 1, "repeated .tensorflow.DeviceAttributes"), ("remote_device", 2, "repeated .tensorflow.DeviceAttributes")],
    "ResetRequest": [("container", 1, "repeated string"), ("device_filters", 2, "repeated string")],
    "ResetResponse": [],
}


def _declare_master_messages():
    pool = descriptor_pool.Default()
    error_codes_file = pool.FindEnumTypeByName("tensorflow.error.Code").file.name
    file = descriptor_pb2.FileDescriptorProto(
        name="tfgate_observe/master.proto",
        package="tensorflow",
        syntax="proto3",
        dependency=[
            "tensorflow/core/framework/device_attributes.proto",
            "tensorflow/core/framework/graph.proto",
            "tensorflow/core/protobuf/config.proto",
            "tensorflow/core/protobuf/named_tensor.proto",
            error_codes_file,
        ],
    )
    scalar = {"string": _F.TYPE_STRING, "int64": _F.TYPE_INT64, "bool": _F.TYPE_BOOL}
    for message_name, fields in _MASTER.items():
        message = file.message_type.add(name=message_name)
        for name, number, spec in fields:
            label = _F.LABEL_OPTIONAL
            if spec.startswith("repeated "):
                label, spec = _F.LABEL_REPEATED, spec[len("repeated ") :]
            field = message.field.add(name=name, number=number, label=label)
            if spec.startswith("enum "):
                field.type, field.type_name = _F.TYPE_ENUM, spec[len("enum ") :]
            elif spec.startswith("."):
                field.type, field.type_name = _F.TYPE_MESSAGE, spec
            else:
                field.type = scalar[spec]
    pool.Add(file)
    return {name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"tensorflow.{name}")) for name in _MASTER}


M = _declare_master_messages()


# --------------------------------------------------------------------------------------------------
# GraphDef helpers
# --------------------------------------------------------------------------------------------------


def attr_type(dtype):
    return attr_value_pb2.AttrValue(type=dtype)


def attr_tensor(value, dtype=None):
    return attr_value_pb2.AttrValue(tensor=tf.make_tensor_proto(value, dtype=dtype))


def attr_shape(dims):
    shape = attr_value_pb2.AttrValue()
    if dims is None:
        shape.shape.unknown_rank = True
    else:
        for d in dims:
            shape.shape.dim.add(size=-1 if d is None else d)
    return shape


def node(name, op, inputs=(), **attrs):
    n = node_def_pb2.NodeDef(name=name, op=op, input=list(inputs))
    for key, value in attrs.items():
        n.attr[key].CopyFrom(value)
    return n


def const(name, value, dtype=tf.float32):
    return node(name, "Const", dtype=attr_type(dtype.as_datatype_enum), value=attr_tensor(value, dtype))


def placeholder(name, dims=None, dtype=types_pb2.DT_FLOAT):
    return node(name, "Placeholder", dtype=attr_type(dtype), shape=attr_shape(dims))


def graph(*nodes, producer=PRODUCER):
    g = graph_pb2.GraphDef(node=list(nodes))
    if producer is not None:
        g.versions.producer = producer
    return g


def float_feed(name, values, dims):
    t = tensor_pb2.TensorProto(dtype=types_pb2.DT_FLOAT, tensor_content=np.asarray(values, np.float32).tobytes())
    for d in dims:
        t.tensor_shape.dim.add(size=d)
    return named_tensor_pb2.NamedTensorProto(name=name, tensor=t)


# --------------------------------------------------------------------------------------------------
# Calling the master
# --------------------------------------------------------------------------------------------------


class Outcome:
    def __init__(self, method, code, message, response=None, detail_trailer=False):
        self.method, self.code, self.message = method, code, message
        self.response, self.detail_trailer = response, detail_trailer

    @property
    def ok(self):
        return self.code == grpc.StatusCode.OK


class Master:
    def __init__(self, address):
        options = [("grpc.max_receive_message_length", 2**31 - 1), ("grpc.max_send_message_length", 2**31 - 1)]
        self.channel = grpc.insecure_channel(address, options=options)
        self.handles = set()

    def call(self, method, request):
        response_class = M[f"{method}Response"]
        stub = self.channel.unary_unary(
            SERVICE + method,
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=response_class.FromString,
        )
        try:
            response, call = stub.with_call(request, timeout=60)
            return Outcome(method, grpc.StatusCode.OK, "", response)
        except grpc.RpcError as error:
            trailer = any(k == "grpc-status-details-bin" for k, _ in (error.trailing_metadata() or ()))
            return Outcome(method, error.code(), error.details(), None, trailer)

    def create(self, graph_def=None, config=None):
        request = M["CreateSessionRequest"](graph_def=graph_def or graph())
        if config is not None:
            request.config.CopyFrom(config)
        outcome = self.call("CreateSession", request)
        if outcome.ok:
            self.handles.add(outcome.response.session_handle)
        return outcome

    def session(self, *nodes):
        """CreateSession that must succeed; returns the handle."""
        outcome = self.create(graph(*nodes))
        if not outcome.ok:
            raise RuntimeError(f"setup CreateSession failed: {outcome.code} {outcome.message}")
        return outcome.response.session_handle

    def run(self, handle, fetch=(), feed=(), target=(), **fields):
        request = M["RunStepRequest"](session_handle=handle, fetch=list(fetch), feed=list(feed), target=list(target), **fields)
        return self.call("RunStep", request)

    def extend(self, handle, graph_def, version):
        request = M["ExtendSessionRequest"](session_handle=handle, graph_def=graph_def, current_graph_version=version)
        return self.call("ExtendSession", request)

    def close(self, handle):
        return self.call("CloseSession", M["CloseSessionRequest"](session_handle=handle))

    def list_devices(self, handle=""):
        return self.call("ListDevices", M["ListDevicesRequest"](session_handle=handle))


def message_dict(message):
    out = json_format.MessageToDict(message, preserving_proto_field_name=True)
    # json_format gives bytes as base64; hex is what a reader compares against a byte layout. Walk
    # the message and the dict side by side and replace them.
    def walk(msg, d):
        for field, value in msg.ListFields():
            key = field.name
            if field.type == field.TYPE_BYTES:
                d[key] = [v.hex() for v in value] if field.is_repeated else value.hex()
            elif field.type == field.TYPE_MESSAGE and key in d:
                if field.message_type.GetOptions().map_entry:
                    continue
                if field.is_repeated:
                    for sub_msg, sub_d in zip(value, d[key]):
                        walk(sub_msg, sub_d)
                else:
                    walk(value, d[key])

    walk(message, out)
    return out


# TF 2.21 appends "\nRecent warning and error logs:\n  E0000 <time> <tid> file.cc:N] ..." (the process's
# last error-level log lines, whatever step logged them) to errors that come back from a worker. That
# tail depends on what ran before in the process, so it is cut off here and replaced by a marker.
RECENT_LOGS = re.compile(r"\nRecent warning and error logs:\n.*?(?=( \.\.\. \[truncated\])?$)", re.S)
RECENT_LOGS_MARK = "\n<Recent warning and error logs: ...>"


class Recorder:
    def __init__(self, master):
        self.master = master
        self.observations = []

    def normalise(self, text):
        for handle in sorted(self.master.handles, key=len, reverse=True):
            if handle:
                text = text.replace(handle, "<session_handle>")
        return RECENT_LOGS.sub(RECENT_LOGS_MARK, text)

    def normalise_all(self, value):
        if isinstance(value, dict):
            return {k: self.normalise_all(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.normalise_all(v) for v in value]
        return self.normalise(value) if isinstance(value, str) else value

    def record(self, case, outcome, note=None, keep_response=False):
        entry = {
            "case": case,
            "method": outcome.method,
            "code": outcome.code.name,
            "code_number": outcome.code.value[0],
            "message": self.normalise(outcome.message),
        }
        if outcome.message.endswith(" ... [truncated]"):
            entry["message_length"] = len(outcome.message)
        if outcome.detail_trailer:
            entry["detail_trailer"] = "grpc-status-details-bin present"
        if note:
            entry["note"] = note
        if outcome.ok and keep_response:
            entry["response"] = self.normalise_all(message_dict(outcome.response))
        self.observations.append(entry)
        print(f"{case}: {entry['code']} {entry['message'][:160]!r}", file=sys.stderr)
        return outcome

    def create_then_run(self, case, nodes, fetch, note=None):
        """Graph errors may surface at CreateSession or only at the first RunStep: record whichever fails."""
        outcome = self.master.create(graph(*nodes))
        if not outcome.ok:
            return self.record(case, outcome, note)
        handle = outcome.response.session_handle
        run = self.master.run(handle, fetch=fetch)
        self.record(case, run, (note + "; " if note else "") + "CreateSession was OK; the error surfaced at RunStep")
        self.master.close(handle)
        return run


# --------------------------------------------------------------------------------------------------
# The cases
# --------------------------------------------------------------------------------------------------


def graph_cases(r):
    m = r.master
    r.create_then_run("unknown op", [node("a", "NoSuchOp")], ["a:0"])
    r.create_then_run("duplicate node name", [const("a", 1.0), const("a", 2.0)], ["a:0"])
    r.create_then_run(
        "unknown input node",
        [node("b", "Identity", ["nope"], T=attr_type(types_pb2.DT_FLOAT))],
        ["b:0"],
    )
    r.create_then_run(
        "input output index too large",
        [const("a", 1.0), node("b", "Identity", ["a:3"], T=attr_type(types_pb2.DT_FLOAT))],
        ["b:0"],
    )
    r.create_then_run(
        "cycle (a = Identity(b), b = Identity(a))",
        [
            node("a", "Identity", ["b"], T=attr_type(types_pb2.DT_FLOAT)),
            node("b", "Identity", ["a"], T=attr_type(types_pb2.DT_FLOAT)),
        ],
        ["a:0"],
    )
    r.create_then_run("bad node name ('bad name!')", [const("bad name!", 1.0)], ["bad name!:0"])
    r.create_then_run("bad node name ('/a')", [const("/a", 1.0)], ["/a:0"])
    r.create_then_run("empty node name", [const("", 1.0)], [":0"])
    r.create_then_run("missing required attr (Identity without T)", [const("a", 1.0), node("b", "Identity", ["a"])], ["b:0"])
    r.create_then_run(
        "attr of the wrong type (Const dtype given as a string)",
        [node("a", "Const", dtype=attr_value_pb2.AttrValue(s=b"float"), value=attr_tensor(1.0))],
        ["a:0"],
    )
    r.create_then_run(
        "string attr outside its allowed values (MirrorPad mode 'WRAP')",
        [
            const("a", [1.0, 2.0, 3.0]),
            const("p", [[1, 1]], tf.int32),
            node("m", "MirrorPad", ["a", "p"], T=attr_type(types_pb2.DT_FLOAT), mode=attr_value_pb2.AttrValue(s=b"WRAP")),
        ],
        ["m:0"],
    )
    r.create_then_run(
        "input dtype mismatch (Add float + int32)",
        [const("a", 1.0), const("i", 1, tf.int32), node("s", "Add", ["a", "i"], T=attr_type(types_pb2.DT_FLOAT))],
        ["s:0"],
    )
    r.create_then_run(
        "Add of Const shapes [2] vs [3]",
        [const("a", [1.0, 2.0]), const("b", [1.0, 2.0, 3.0]), node("s", "Add", ["a", "b"], T=attr_type(types_pb2.DT_FLOAT))],
        ["s:0"],
    )
    r.create_then_run(
        "control input that does not exist (^nope)",
        [const("a", 1.0), node("b", "Identity", ["a", "^nope"], T=attr_type(types_pb2.DT_FLOAT))],
        ["b:0"],
    )
    r.create_then_run(
        "data input after a control input",
        [const("a", 1.0), const("c", 2.0), node("b", "Identity", ["^c", "a"], T=attr_type(types_pb2.DT_FLOAT))],
        ["b:0"],
    )
    r.create_then_run("node requested on an absent device (/device:GPU:7)", [node_with_device(const("a", 1.0), "/device:GPU:7")], ["a:0"])
    r.create_then_run(
        "node requested on an unknown job (/job:nope/task:0/device:CPU:0)",
        [node_with_device(const("a", 1.0), "/job:nope/task:0/device:CPU:0")],
        ["a:0"],
    )
    r.create_then_run("malformed device string", [node_with_device(const("a", 1.0), "not a device")], ["a:0"])
    outcome = m.create(graph(const("a", 1.0), producer=None))
    if outcome.ok:
        run = m.run(outcome.response.session_handle, fetch=["a:0"])
        r.record("GraphDef without versions (producer 0)", run, "CreateSession was OK", keep_response=True)
    else:
        r.record("GraphDef without versions (producer 0)", outcome)
    future = graph(const("a", 1.0))
    future.versions.producer = 10**9
    future.versions.min_consumer = 10**9
    outcome = m.create(future)
    r.record(
        "GraphDef min_consumer newer than this TF (1e9)",
        outcome if not outcome.ok else m.run(outcome.response.session_handle, fetch=["a:0"]),
    )


def node_with_device(n, device):
    n.device = device
    return n


def run_cases(r):
    m = r.master
    x = placeholder("x", [None, 2])
    nodes = [
        const("c", [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
        node("n", "NoOp"),
        x,
        placeholder("p"),
        placeholder("q"),
        node("pq", "Add", ["p", "q"], T=attr_type(types_pb2.DT_FLOAT)),
        node("xc", "MatMul", ["x", "c"], T=attr_type(types_pb2.DT_FLOAT)),
        node("xi", "Identity", ["x"], T=attr_type(types_pb2.DT_FLOAT)),
    ]
    h = m.session(*nodes)
    r.record("RunStep with no fetches and no targets", m.run(h))
    r.record("RunStep target only (NoOp n)", m.run(h, target=["n"]), keep_response=True)
    r.record("feeding a fetched tensor (feed c:0, fetch c:0)", m.run(h, fetch=["c:0"], feed=[float_feed("c:0", [9] * 6, [2, 3])]), keep_response=True)
    r.record(
        "feeding a fetched placeholder (feed x:0, fetch x:0)",
        m.run(h, fetch=["x:0"], feed=[float_feed("x:0", [1, 2], [1, 2])]),
        keep_response=True,
    )
    r.record("unknown feed", m.run(h, fetch=["c:0"], feed=[float_feed("nope:0", [1], [1])]))
    r.record("unknown feed output index (c:1)", m.run(h, fetch=["xc:0"], feed=[float_feed("c:1", [1], [1])]))
    r.record("unknown fetch", m.run(h, fetch=["nope:0"]))
    r.record("unknown fetch without index", m.run(h, fetch=["nope"]))
    r.record("unknown target", m.run(h, target=["nope"]))
    r.record("target given as a tensor name (c:0)", m.run(h, target=["c:0"]), keep_response=True)
    r.record("fetching a NoOp (n:0)", m.run(h, fetch=["n:0"]))
    # In a session of its own: TF's master keys its graph cache on feeds, targets and fetches
    # hashed together, so right after the target-only step above a fetch of "n" would reuse that
    # step's graph and succeed.
    fresh = m.session(*nodes)
    r.record("fetching a NoOp by node name (n)", m.run(fresh, fetch=["n"]))
    m.close(fresh)
    r.record("fetch output index too large (c:1)", m.run(h, fetch=["c:1"]))
    r.record("fetch with a malformed tensor name (c:x)", m.run(h, fetch=["c:x"]))
    r.record("fetch with a negative index (c:-1)", m.run(h, fetch=["c:-1"]))
    r.record("unfed placeholder", m.run(h, fetch=["xc:0"]))
    r.record("unfed placeholder (unknown shape)", m.run(h, fetch=["pq:0"]))
    r.record(
        "Add of fed shapes [2] vs [3]",
        m.run(h, fetch=["pq:0"], feed=[float_feed("p:0", [1, 2], [2]), float_feed("q:0", [1, 2, 3], [3])]),
    )
    r.record(
        "MatMul of fed x [3,3] (placeholder shape [?,2])",
        m.run(h, fetch=["xc:0"], feed=[float_feed("x:0", [1] * 9, [3, 3])]),
    )
    r.record(
        "feed shape [1,3] against placeholder shape [?,2] (fetch xi = Identity(x))",
        m.run(h, fetch=["xi:0"], feed=[float_feed("x:0", [1, 2, 3], [1, 3])]),
        keep_response=True,
    )
    int_feed = named_tensor_pb2.NamedTensorProto(name="x:0", tensor=tf.make_tensor_proto(np.array([[1, 2]], np.int32)))
    r.record("wrong-dtype feed (int32 into a float placeholder)", m.run(h, fetch=["xc:0"], feed=[int_feed]))
    short = float_feed("x:0", [1, 2, 3], [2, 2])  # 12 bytes for 4 floats
    r.record("tensor_content with the wrong byte length (12 bytes for float [2,2])", m.run(h, fetch=["xc:0"], feed=[short]))
    long_ = float_feed("x:0", [1, 2, 3, 4, 5], [2, 2])
    r.record("tensor_content with the wrong byte length (20 bytes for float [2,2])", m.run(h, fetch=["xc:0"], feed=[long_]))
    undefined = named_tensor_pb2.NamedTensorProto(name="x:0", tensor=tensor_pb2.TensorProto(dtype=types_pb2.DT_INVALID))
    r.record("feed with dtype DT_INVALID", m.run(h, fetch=["xc:0"], feed=[undefined]))
    few_vals = tensor_pb2.TensorProto(dtype=types_pb2.DT_FLOAT, float_val=[1, 2, 3])
    few_vals.tensor_shape.dim.add(size=2)
    few_vals.tensor_shape.dim.add(size=2)
    r.record(
        "float_val with 3 values for shape [2,2] (fetch xi = Identity(x))",
        m.run(h, fetch=["xi:0"], feed=[named_tensor_pb2.NamedTensorProto(name="x:0", tensor=few_vals)]),
        keep_response=True,
    )
    r.record("feed the same tensor twice", m.run(h, fetch=["xc:0"], feed=[float_feed("x:0", [1, 2], [1, 2]), float_feed("x:0", [3, 4], [1, 2])]))
    r.record("fetch a very long unknown name (5000 chars): message truncation", m.run(h, fetch=["n" * 5000 + ":0"]))

    # store_errors_in_response_body: the same unfed-placeholder error, in the body.
    r.record(
        "store_errors_in_response_body=true on an error (unfed placeholder)",
        m.run(h, fetch=["xc:0"], store_errors_in_response_body=True),
        note="gRPC OK; see response.status_code / status_error_message",
        keep_response=True,
    )
    r.record(
        "store_errors_in_response_body=true on an unknown session handle",
        m.run("0123456789abcdef", fetch=["c:0"], store_errors_in_response_body=True),
        keep_response=True,
    )

    # request_id repeated on RunStep (same session, same request).
    first = m.run(h, fetch=["c:0"], request_id=4242424242)
    r.record("request_id repeated on RunStep: first call", first)
    r.record("request_id repeated on RunStep: second call, same id", m.run(h, fetch=["c:0"], request_id=4242424242))
    r.record(
        "request_id repeated on RunStep: second call, same id, store_errors_in_response_body=true",
        m.run(h, fetch=["c:0"], request_id=4242424242, store_errors_in_response_body=True),
        keep_response=True,
    )
    r.record("request_id negative, used once", m.run(h, fetch=["c:0"], request_id=-7))
    r.record("request_id repeated on RunStep with a different session", m.run(m.session(const("c", 1.0)), fetch=["c:0"], request_id=4242424242))

    # Variables.
    hv = m.session(
        node("v", "VariableV2", dtype=attr_type(types_pb2.DT_FLOAT), shape=attr_shape([3])),
        node("v/read", "Identity", ["v"], T=attr_type(types_pb2.DT_FLOAT)),
        node(
            "rv",
            "VarHandleOp",
            dtype=attr_type(types_pb2.DT_FLOAT),
            shape=attr_shape([3]),
            shared_name=attr_value_pb2.AttrValue(s=b"rv"),
        ),
        node("rv/read", "ReadVariableOp", ["rv"], dtype=attr_type(types_pb2.DT_FLOAT)),
    )
    r.record("uninitialized VariableV2 read (fetch v/read:0)", m.run(hv, fetch=["v/read:0"]))
    r.record("uninitialized VariableV2 read (fetch v:0, the ref itself)", m.run(hv, fetch=["v:0"]))
    r.record("uninitialized resource variable read (ReadVariableOp)", m.run(hv, fetch=["rv/read:0"]))
    r.record("fetch a resource handle (VarHandleOp rv:0)", m.run(hv, fetch=["rv:0"]), keep_response=True)

    # Extend.
    r.record("ExtendSession with a wrong version (5, server at 0)", m.extend(h, graph(const("e", 1.0)), 5))
    r.record("ExtendSession with a negative version (-1)", m.extend(h, graph(const("e", 1.0)), -1))
    r.record("ExtendSession adding an existing node name (c)", m.extend(h, graph(const("c", 1.0)), 0))
    r.record("ExtendSession with an unknown op", m.extend(h, graph(node("e", "NoSuchOp")), 0))
    r.record("ExtendSession with an input to an unknown node", m.extend(h, graph(node("e", "Identity", ["nope"], T=attr_type(types_pb2.DT_FLOAT))), 0))
    r.record("ExtendSession unknown handle", m.extend("0123456789abcdef", graph(const("e", 1.0)), 0))

    # Handles.
    r.record("RunStep unknown handle", m.run("0123456789abcdef", fetch=["c:0"]))
    r.record("RunStep empty handle", m.run("", fetch=["c:0"]))
    r.record("CloseSession unknown handle", m.close("0123456789abcdef"))
    r.record("CloseSession empty handle", m.close(""))
    r.record("ListDevices unknown handle", m.list_devices("0123456789abcdef"))
    hc = m.session(const("c", 1.0))
    r.record("CloseSession of a live session", m.close(hc))
    r.record("CloseSession twice", m.close(hc))
    r.record("RunStep after CloseSession", m.run(hc, fetch=["c:0"]))
    r.record("ExtendSession after CloseSession", m.extend(hc, graph(const("e", 1.0)), 0))
    r.record("ListDevices after CloseSession", m.list_devices(hc))
    r.record("Reset (no containers)", m.call("Reset", M["ResetRequest"]()))
    r.record("Reset with a container containing '_'", m.call("Reset", M["ResetRequest"](container=["my_container"])))


def responses(m):
    """Successful answers, in full."""
    out = {}
    handles = [m.create().response for _ in range(3)]
    out["CreateSession (empty graph), three calls"] = [message_dict(h) for h in handles]
    out["CreateSession handle format"] = {
        "examples": [h.session_handle for h in handles],
        "all_16_lowercase_hex": all(re.fullmatch(r"[0-9a-f]{16}", h.session_handle) for h in handles),
        "any_graph_version_nonzero": any(h.graph_version != 0 for h in handles),
    }
    out["ListDevices (empty handle)"] = message_dict(m.list_devices("").response)
    out["ListDevices (session handle)"] = message_dict(m.list_devices(handles[0].session_handle).response)

    h = handles[1].session_handle
    versions = []
    for i in range(3):
        outcome = m.extend(h, graph(const(f"e{i}", float(i))), versions[-1] if versions else 0)
        versions.append(outcome.response.new_graph_version if outcome.ok else f"{outcome.code.name}: {outcome.message}")
    out["ExtendSession new_graph_version sequence (starting from 0)"] = versions

    hs = m.session(
        const("f", [[1.5, -2.0, 3.0], [0.0, 1e-3, -0.0]]),
        const("s", [b"ab", b"\xff", b"", b"x" * 130], tf.string),
        const("scalar", 7.0),
        const("i64", [1, -1, 2**40], tf.int64),
        const("i32", [1, -1], tf.int32),
        const("b", [True, False, True], tf.bool),
        const("h", [1.0, -2.5], tf.float16),
        const("empty", np.zeros([0, 3], np.float32)),
        const("u8", [0, 255], tf.uint8),
        const("d", [0.1], tf.float64),
    )
    for names in (["f:0"], ["s:0"], ["scalar:0"], ["i64:0"], ["i32:0"], ["b:0"], ["h:0"], ["empty:0"], ["u8:0"], ["d:0"]):
        outcome = m.run(hs, fetch=names)
        out[f"RunStep fetch {names[0]}"] = message_dict(outcome.response) if outcome.ok else f"{outcome.code.name}: {outcome.message}"
    for fetch in (["f", "f:0"], ["f:0", "f:0"], ["s:0", "f:0", "scalar:0"]):
        outcome = m.run(hs, fetch=fetch)
        out[f"RunStep fetch {fetch}: returned names in order"] = (
            [t.name for t in outcome.response.tensor] if outcome.ok else f"{outcome.code.name}: {outcome.message}"
        )
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference-observations.json"))
    parser.add_argument("--target", help="an already running TF server, grpc://host:port")
    args = parser.parse_args()

    if args.target:
        address = args.target.removeprefix("grpc://")
    else:
        server = tf.distribute.Server({"localhost": ["127.0.0.1:0"]}, protocol="grpc", start=True)
        address = server.target.removeprefix("grpc://")
    master = Master(address)
    recorder = Recorder(master)
    graph_cases(recorder)
    run_cases(recorder)
    result = {
        "tensorflow_version": tf.__version__,
        "notes": [
            "Produced by test/tf/observe_reference.py against tf.distribute.Server (grpc, one CPU, loopback).",
            "Calls go to /tensorflow.MasterService/<Method> with grpcio; code is the gRPC status name.",
            "'<session_handle>' stands for the real handle in observation messages and responses; "
            "the 'responses' section keeps real values.",
            "Bytes fields in responses are hex.",
            "'\\n<Recent warning and error logs: ...>' marks where TF appended the process's recent "
            "error-level log lines (timestamps, thread ids, other steps' errors) to a worker error; cut here.",
        ],
        "observations": recorder.observations,
        "responses": responses(master),
    }
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {args.out}: {len(recorder.observations)} observations", file=sys.stderr)
    sys.stdout.flush()
    os._exit(0)  # tf.distribute.Server cannot be stopped in TF 2.x; leave without waiting for it


if __name__ == "__main__":
    main()
