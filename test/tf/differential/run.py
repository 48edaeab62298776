#!/usr/bin/env python3
"""Runs the differential programs (programs.py) through tf.compat.v1.Session against one target.

    .venv-tf/bin/python test/tf/differential/run.py [--target grpc://HOST:PORT] [--out FILE]
                                                   [--only NAME[,NAME…]] [--list]

Without --target it starts a real TensorFlow server (tf.distribute.Server, one task "localhost",
master + worker, --cpus CPU devices (default 2), an ephemeral loopback port) in a CHILD process and runs against that. Not
in this process: TF's GrpcSession finds a master living in its own process (LocalMaster::Lookup)
and calls it directly, bypassing gRPC, which changes what is observable (e.g. a step timeout is then
LocalMaster's "Operation timed out." instead of the gRPC deadline). `--serve` is that child: it
prints `READY <port>` and serves until stdin closes. Every
program gets a fresh tf.Graph and its own session(s); programs run one after another in the order
they are defined (the timeout program last, so a step that is not stopped cannot slow the others),
each after a Session.reset(target) so state left in the default container by one cannot leak into
the next.

Output (stdout, or --out): JSON
  {"meta": {"tensorflow_version", "target", "server": "tensorflow"|"external", "seconds"},
   "programs": {name: {"doc", "expected_to_differ_until", "seconds", "record"}}}
"record" is what the program returned, or {"crash": <error record>} when it raised outside its own
captures. What varies from run to run is normalised here, the same way for both servers: session
handles in messages ("Session 1a2b… is not found") and the host name of "in binary running on …".
--list prints {name: {"doc", "expected_to_differ_until"}} without running anything.
"""

import argparse
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ beside the programs (it is not git-ignored)
import threading
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# TF's portable kernels, not its oneDNN ones: which of the two a TF build runs depends on the host
# CPU, and some messages differ between them (oneDNN's MatMul appends the transpose flags to
# "Matrix size-incompatible"), so the reference must not depend on the machine CI lands on.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
# gRPC C-core honours http(s)_proxy; a loopback target must never go through a proxy.
os.environ.setdefault("no_grpc_proxy", "127.0.0.1,localhost")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

_HANDLE = re.compile(r"(Session |session_handle[ :=]+|handle )[0-9a-fA-F]{8,}")
_HOST = re.compile(r"in binary running on \S+\.")
# The Python client quotes where the failing node was defined ("Detected at node 'x' defined at (most
# recent call last):" then one "    File …, line N, in …" line per frame): client-side, the same for
# both servers by construction, and it moves whenever this directory's code does.
_FRAME = re.compile(r'^    File "[^"]*", line \d+, in .*\n', re.M)


def _normalise(value):
    if isinstance(value, str):
        value = _FRAME.sub("", _HANDLE.sub(r"\1<session_handle>", value))
        return _HOST.sub("in binary running on <host>.", value)
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


_out_path = None


def serve(cpus):
    import tensorflow as tf

    # Port 0: TF binds an ephemeral port and reports it in server.target.
    config = tf.compat.v1.ConfigProto(device_count={"CPU": cpus})
    server = tf.distribute.Server({"localhost": ["127.0.0.1:0"]}, protocol="grpc", config=config, start=True)
    print(f"READY {int(server.target.rsplit(':', 1)[1])}", flush=True)
    for _ in sys.stdin:  # until the parent closes stdin (or dies)
        pass
    os._exit(0)  # tf.distribute.Server cannot be stopped in TF 2.x


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", help="grpc://HOST:PORT; default: start a real TF server here")
    parser.add_argument("--out", help="write the JSON here instead of stdout")
    parser.add_argument("--only", help="comma-separated program names")
    parser.add_argument("--list", action="store_true", help="list the programs and exit")
    parser.add_argument("--serve", action="store_true", help="only run a real TF server (the child)")
    parser.add_argument("--cpus", type=int, default=2, help="CPU devices of the TF server started here (default 2)")
    parser.add_argument(
        "--program-timeout", type=float, default=45.0, help="seconds one program may take before the run is abandoned"
    )
    args = parser.parse_args()
    global _out_path
    _out_path = args.out

    if args.serve:
        return serve(args.cpus)

    # The child server imports TensorFlow (seconds) while this process does the same.
    child = None
    if args.target is None and not args.list:
        child = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--serve", "--cpus", str(args.cpus)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    import programs as p
    import tensorflow as tf

    if args.list:
        print(json.dumps({n: {"doc": e["doc"], "expected_to_differ_until": e["expected_to_differ_until"]} for n, e in p.PROGRAMS.items()}, indent=1))
        return 0

    names = list(p.PROGRAMS)
    if args.only:
        wanted = args.only.split(",")
        unknown = [n for n in wanted if n not in p.PROGRAMS]
        if unknown:
            parser.error(f"unknown programs: {', '.join(unknown)}")
        names = [n for n in names if n in wanted]

    started = time.monotonic()
    server_kind = "external"
    target = args.target
    if target is None:
        line = child.stdout.readline()
        if not line.startswith("READY "):
            print(f"run.py: the TF server did not start (got {line!r})", file=sys.stderr)
            return 1
        target = f"grpc://127.0.0.1:{int(line.split()[1])}"
        server_kind = "tensorflow"

    results = {}
    current = {}

    def watchdog():
        # A program that hangs (a step that never finishes) must not hang the caller: report what
        # ran, mark the hung program, and leave.
        name = current.get("name")
        results[name] = {
            "doc": p.PROGRAMS[name]["doc"],
            "expected_to_differ_until": p.PROGRAMS[name]["expected_to_differ_until"],
            "seconds": args.program_timeout,
            "record": {"crash": {"error": "watchdog", "message": f"did not finish within {args.program_timeout} s"}},
        }
        print(f"run.py: {name} did not finish within {args.program_timeout} s", file=sys.stderr, flush=True)
        write(results, target, server_kind, started, tf.__version__)
        if child is not None:
            child.kill()
        os._exit(3)

    for name in names:
        current["name"] = name
        timer = threading.Timer(args.program_timeout, watchdog)
        timer.daemon = True
        timer.start()
        entry = p.PROGRAMS[name]
        t0 = time.monotonic()
        try:
            # Variables and other resources outlive sessions in the server's default container, so
            # every program starts from an empty one: Reset clears it (and closes all sessions).
            tf.compat.v1.Session.reset(target)
            rec = entry["fn"](target)
        except Exception as e:  # noqa: BLE001 - a program that raises is still an observation
            rec = {"crash": p.error_record(e)}
        results[name] = {
            "doc": entry["doc"],
            "expected_to_differ_until": entry["expected_to_differ_until"],
            "seconds": round(time.monotonic() - t0, 3),
            "record": _normalise(rec),
        }
        timer.cancel()
        print(f"run.py: {name} {results[name]['seconds']}s", file=sys.stderr, flush=True)

    write(results, target, server_kind, started, tf.__version__)
    if child is not None:
        child.stdin.close()
        child.wait(timeout=30)
    return 0


def write(results, target, server_kind, started, tf_version):
    out = {
        "meta": {
            "tensorflow_version": tf_version,
            "target": target,
            "server": server_kind,
            "seconds": round(time.monotonic() - started, 3),
        },
        "programs": results,
    }
    text = json.dumps(out, indent=1, sort_keys=False)
    if _out_path:
        with open(_out_path, "w") as f:
            f.write(text + "\n")
    else:
        print(text)
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
