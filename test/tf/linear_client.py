#!/usr/bin/env python3
"""A real TensorFlow client for interop tests: drives a MasterService through tf.compat.v1.Session.

    python test/tf/linear_client.py --target grpc://127.0.0.1:PORT [--x JSON] [--w JSON] [--b JSON]
                                    [--strings JSON] [--timeout-ms N]

Builds y = x·W + b in graph mode (x a [None, 2] float32 placeholder, W a 2x3 float32 Const, b a [3]
float32 Const) and runs it through tf.compat.v1.Session(target), i.e. TF's C++ GrpcSession, which
sends /tensorflow.MasterService/* calls exactly as any TF program would. The steps, in order:

  1. "init"      CreateSession (the client sends the graph lazily, on the first run) and run the
                 initializer of v, a VariableV2 (ref variable, use_resource=False) holding b.
  2. "linear"    run y with x fed.
  3. "read"      run v (reads a ref variable through the Identity the Variable wrapper adds).
  4. "assign"    ExtendSession: add v.assign_add(ones) after the first runs, run it.
  5. "extended"  ExtendSession again: add y2 = x·W + v and a DT_STRING Const, fetch both in one step.
  6. "large"     ExtendSession: add Neg of a [LARGE_ELEMENTS] float32 placeholder, feed it 6 MiB
                 (element i is (i % 4093) - 2046.5, exact in float32) and fetch the 6 MiB result:
                 large bodies both ways, sent in the frames grpcio picks for its peer's frame size.
  7. "devices"   ListDevices.

Prints one JSON object on stdout:
  {"tf_version", "y", "v_initial", "v_after_assign_add", "y2", "strings", "large", "devices",
   "device_details"}; "large" holds the fetch's element count, its float64 sum and the elements
  at LARGE_SAMPLES.
Strings are decoded as UTF-8. On failure prints {"phase", "error", "message"} on stderr and exits 1,
so a caller can tell which step (and so which RPC path) failed.
"""

import argparse
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

# The default strings fetched in step 5: an ASCII word, a multi-byte UTF-8 word and the empty string,
# so the varint-length layout of DT_STRING tensor_content is exercised with a zero length too.
STRINGS = ["hello", "tfgate \u00e9\u00e8", ""]

# Step 6's feed: 6 MiB of float32, and the indices whose fetched elements are reported.
LARGE_ELEMENTS = 6 * 1024 * 1024 // 4
LARGE_SAMPLES = [0, 1, 4092, 4093, LARGE_ELEMENTS // 2, LARGE_ELEMENTS - 1]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", required=True, help="e.g. grpc://127.0.0.1:8500")
    parser.add_argument("--x", default="[[1, 2], [3, 4], [-1, 0.5]]", help="JSON, shape [n, 2]")
    parser.add_argument("--w", default="[[1, 2, 3], [4, 5, 6]]", help="JSON, shape [2, 3]")
    parser.add_argument("--b", default="[0.5, -1, 2]", help="JSON, shape [3]")
    parser.add_argument("--strings", default=json.dumps(STRINGS), help="JSON list of strings, shape [n]")
    parser.add_argument(
        "--timeout-ms",
        type=int,
        default=30000,
        help="ConfigProto.operation_timeout_in_ms: GrpcSession's deadline for every call",
    )
    return parser.parse_args()


def main():
    args = parse_args()
    phase = "import"
    try:
        import numpy as np
        import tensorflow as tf

        x_value = np.asarray(json.loads(args.x), dtype=np.float32)
        w_value = np.asarray(json.loads(args.w), dtype=np.float32)
        b_value = np.asarray(json.loads(args.b), dtype=np.float32)

        v1 = tf.compat.v1
        graph = tf.Graph()
        with graph.as_default():
            x = v1.placeholder(tf.float32, shape=[None, 2], name="x")
            w = tf.constant(w_value, name="W")
            b = tf.constant(b_value, name="b")
            y = tf.add(tf.matmul(x, w, name="xW"), b, name="y")
            v = v1.Variable(b_value, name="v", use_resource=False)

        config = v1.ConfigProto(operation_timeout_in_ms=args.timeout_ms)
        result = {"tf_version": tf.__version__}
        phase = "session"
        with v1.Session(args.target, graph=graph, config=config) as sess:
            phase = "init"
            sess.run(v.initializer)

            phase = "linear"
            result["y"] = sess.run(y, feed_dict={x: x_value}).tolist()

            phase = "read"
            result["v_initial"] = sess.run(v).tolist()

            phase = "assign"
            with graph.as_default():
                increment = v1.assign_add(v, tf.ones([3], tf.float32), name="v_increment")
            result["v_after_assign_add"] = sess.run(increment).tolist()

            phase = "extended"
            with graph.as_default():
                y2 = tf.add(tf.matmul(x, w), v, name="y2")
                strings = tf.constant(
                    [s.encode("utf-8") for s in json.loads(args.strings)], dtype=tf.string, name="strings"
                )
            y2_value, strings_value = sess.run([y2, strings], feed_dict={x: x_value})
            result["y2"] = y2_value.tolist()
            result["strings"] = [s.decode("utf-8") for s in strings_value.tolist()]

            phase = "large"
            with graph.as_default():
                big = v1.placeholder(tf.float32, shape=[LARGE_ELEMENTS], name="big")
                negated = tf.negative(big, name="big_negated")
            big_value = (np.arange(LARGE_ELEMENTS) % 4093 - 2046.5).astype(np.float32)
            fetched = sess.run(negated, feed_dict={big: big_value})
            result["large"] = {
                "elements": int(fetched.size),
                "sum": float(fetched.astype(np.float64).sum()),
                "samples": [float(fetched[i]) for i in LARGE_SAMPLES],
            }

            phase = "devices"
            devices = sess.list_devices()
            result["devices"] = [d.name for d in devices]
            result["device_details"] = [
                {
                    "name": d.name,
                    "device_type": d.device_type,
                    "memory_limit_bytes": d.memory_limit_bytes,
                    "incarnation": str(d.incarnation),
                }
                for d in devices
            ]
            phase = "close"
    except Exception as error:  # noqa: BLE001 - every failure is reported, with the step it happened in
        report = {"phase": phase, "error": type(error).__name__, "message": str(error)}
        code = getattr(error, "error_code", None)
        if code is not None:
            report["code"] = int(code)
        print(json.dumps(report), file=sys.stderr)
        return 1

    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
