#!/usr/bin/env python3
"""Records the exact MasterService calls a real TF client makes, as reference data for tfgate.

    .venv-tf/bin/python test/tf/trace_client.py [--out test/tf/reference-client-trace.json]

Starts a real TF server (tf.distribute.Server) and a recording gRPC proxy in front of it (grpcio,
raw bytes forwarded unchanged), then runs test/tf/linear_client.py (tf.compat.v1.Session, i.e. TF's
C++ GrpcSession) against the proxy. For every call it records the method path, the request decoded
(GraphDefs summarised as node name/op/inputs/device), the request metadata keys, the deadline the
client set, and the status and response the server gave.
"""

import argparse
import json
import os
import subprocess
import sys
import threading
from concurrent import futures

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import grpc  # noqa: E402
import tensorflow as tf  # noqa: E402
from observe_reference import M, message_dict  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def summarise(method, request_dict):
    """Keep everything but the bulky GraphDef node attrs: name, op, inputs and device per node."""
    graph = request_dict.get("graph_def")
    if graph is not None:
        graph["node"] = [
            {k: n[k] for k in ("name", "op", "input", "device") if k in n} | {"attr_keys": sorted(n.get("attr", {}))}
            for n in graph.get("node", [])
        ]
    return request_dict


class RecordingProxy(grpc.GenericRpcHandler):
    def __init__(self, upstream):
        self.channel = grpc.insecure_channel(upstream, options=[("grpc.max_receive_message_length", 2**31 - 1)])
        self.calls = []
        self.lock = threading.Lock()

    def service(self, handler_call_details):
        method = handler_call_details.method
        metadata = [k for k, _ in handler_call_details.invocation_metadata]

        def handle(request_bytes, context):
            name = method.rsplit("/", 1)[1]
            entry = {"path": method, "metadata_keys": metadata}
            remaining = context.time_remaining()
            entry["deadline_seconds"] = None if remaining is None or remaining > 1e8 else round(remaining)
            if f"{name}Request" in M:
                entry["request"] = summarise(name, message_dict(M[f"{name}Request"].FromString(request_bytes)))
            forward = self.channel.unary_unary(method)
            try:
                response = forward(request_bytes, timeout=remaining if remaining and remaining < 1e8 else None)
                entry["status"] = "OK"
                if f"{name}Response" in M:
                    entry["response"] = message_dict(M[f"{name}Response"].FromString(response))
                    for t in entry["response"].get("tensor", []):
                        t["tensor"].pop("tensor_content", None)  # bytes are in reference-observations.json
                return response
            except grpc.RpcError as error:
                entry["status"] = error.code().name
                entry["message"] = error.details()
                context.abort(error.code(), error.details())
            finally:
                with self.lock:
                    self.calls.append(entry)

        return grpc.unary_unary_rpc_method_handler(handle)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(HERE, "reference-client-trace.json"))
    args = parser.parse_args()

    tf_server = tf.distribute.Server({"localhost": ["127.0.0.1:0"]}, protocol="grpc", start=True)
    proxy = RecordingProxy(tf_server.target.removeprefix("grpc://"))
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), handlers=[proxy])
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()

    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "no_grpc_proxy": "127.0.0.1,localhost"}
    client = subprocess.run(
        [sys.executable, os.path.join(HERE, "linear_client.py"), "--target", f"grpc://127.0.0.1:{port}"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    server.stop(grace=1)
    result = {
        "tensorflow_version": tf.__version__,
        "client": "test/tf/linear_client.py (tf.compat.v1.Session -> C++ GrpcSession)",
        "client_exit_code": client.returncode,
        "client_stdout": json.loads(client.stdout) if client.returncode == 0 else client.stdout,
        "client_stderr_tail": client.stderr[-2000:] if client.returncode != 0 else "",
        "calls": proxy.calls,
    }
    with open(args.out, "w") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {args.out}: {len(proxy.calls)} calls, client exit {client.returncode}", file=sys.stderr)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
