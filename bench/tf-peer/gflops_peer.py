#!/usr/bin/env python3
"""Kernel-level peers of bench/gflops.ts: numpy (OpenBLAS) and TensorFlow eager on CPU, in-process.

    .venv-tf/bin/python bench/tf-peer/gflops_peer.py [--threads N] [--min-seconds 1.5]

Times float32 MatMul 1024x1024x1024 (numpy.matmul and tf.linalg.matmul), TF's MatMul 2048³ and
Conv2D 1x64x64x32 * 3x3x32x64 and 8x64x64x64 * 3x3x64x64 SAME (tf.nn.conv2d; numpy has no
convolution) and prints one JSON line:
{"numpy": {...}, "tf": {...}, "threads": N, "versions": {...}} with median milliseconds per call.
--threads 0 leaves the libraries' defaults (every core); N > 0 pins OpenBLAS and TF's intra-op pool
to N threads (set before the libraries load, as both read it once).
"""

import argparse
import json
import os
import sys
import time


def median_ms(fn, min_seconds, min_reps=3):
    fn()  # warm-up: first-call allocation, operator setup
    times = []
    start = time.perf_counter()
    while len(times) < min_reps or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return times[len(times) // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--min-seconds", type=float, default=1.5)
    args = parser.parse_args()
    if args.threads > 0:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.threads)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

    import numpy as np
    import tensorflow as tf

    if args.threads > 0:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)

    rng = np.random.default_rng(1)
    a = rng.standard_normal((1024, 1024), dtype=np.float32)
    b = rng.standard_normal((1024, 1024), dtype=np.float32)
    x = rng.standard_normal((1, 64, 64, 32), dtype=np.float32)
    f = rng.standard_normal((3, 3, 32, 64), dtype=np.float32)
    a2 = rng.standard_normal((2048, 2048), dtype=np.float32)
    xb = rng.standard_normal((8, 64, 64, 64), dtype=np.float32)
    fb = rng.standard_normal((3, 3, 64, 64), dtype=np.float32)

    out = {
        "threads": args.threads,
        "versions": {"numpy": np.__version__, "tensorflow": tf.__version__},
        "numpy": {"matMulMs": median_ms(lambda: np.matmul(a, b), args.min_seconds)},
    }
    ta, tb, tx, tf_, ta2, txb, tfb = (tf.constant(v) for v in (a, b, x, f, a2, xb, fb))
    # .numpy() waits for the result (eager ops may run asynchronously) and copies it out, as a
    # client of the kernel would.
    out["tf"] = {
        "matMulMs": median_ms(lambda: tf.linalg.matmul(ta, tb).numpy(), args.min_seconds),
        "conv2DMs": median_ms(
            lambda: tf.nn.conv2d(tx, tf_, strides=1, padding="SAME").numpy(), args.min_seconds
        ),
        "matMul2048Ms": median_ms(lambda: tf.linalg.matmul(ta2, ta2).numpy(), args.min_seconds),
        "convBigMs": median_ms(
            lambda: tf.nn.conv2d(txb, tfb, strides=1, padding="SAME").numpy(), args.min_seconds
        ),
    }
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    sys.exit(main())
