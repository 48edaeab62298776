"""Prints the FileDescriptorProtos that the installed TensorFlow was compiled with, for the given
.proto paths, as {"<path>": "<base64 of the serialized FileDescriptorProto>"}.

TensorFlow's C++ libraries embed each compiled .proto file's serialized descriptor; this finds it
by its leading name field and parses it back, so test/worker-proto.test.ts can compare tfgate's
transcriptions (proto/) with what TF 2.21 itself uses on the wire.

Usage: proto_descriptors.py tensorflow/core/protobuf/worker.proto ...
"""

import base64
import glob
import importlib.util
import json
import os
import sys

from google.protobuf import descriptor_pb2


def varint(data, i):
    value, shift = 0, 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def end_of_message(data, start):
    """Where a run of well-formed FileDescriptorProto fields starting at `start` ends."""
    i = start
    while i < len(data):
        tag, j = varint(data, i)
        field, wire = tag >> 3, tag & 7
        if field < 1 or field > 20:
            return i
        if wire == 2:
            length, j = varint(data, j)
            i = j + length
        elif wire == 0:
            _, i = varint(data, j)
        else:
            return i
    return i


def find(libraries, path):
    key = b"\x0a" + bytes([len(path)]) + path.encode()
    for data in libraries:
        pos = data.find(key)
        while pos >= 0:
            fd = descriptor_pb2.FileDescriptorProto()
            try:
                fd.ParseFromString(data[pos:end_of_message(data, pos)])
                if fd.name == path and (fd.message_type or fd.service or fd.enum_type):
                    return fd
            except Exception:  # noqa: BLE001 - not a descriptor at this offset
                pass
            pos = data.find(key, pos + 1)
    raise SystemExit(f"no compiled descriptor for {path} in TensorFlow's libraries")


def main():
    # Located, not imported: loading TensorFlow is slow and not needed to read its libraries.
    root = os.path.dirname(importlib.util.find_spec("tensorflow").origin)
    libraries = [open(p, "rb").read() for p in sorted(glob.glob(os.path.join(root, "libtensorflow*.so*")))]
    out = {p: base64.b64encode(find(libraries, p).SerializeToString()).decode() for p in sys.argv[1:]}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
