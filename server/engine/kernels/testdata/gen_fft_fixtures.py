#!/usr/bin/env python3
"""Writes fft-fixtures.json: TensorFlow 2.21's own results for the FFT ops (FFT/IFFT, RFFT/IRFFT
and their 2D and 3D forms) and Roll (tf.signal.fftshift / ifftshift), read by
../fft-fixtures.test.ts.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_fft_fixtures.py

Each case is one tf.raw_ops call (eager, CPU):
    {"op", "attrs": {name: [kind, value]}, "inputs": [tensor], "outputs": [tensor] | "error":
     {"code", "message"}}
with tensors and attrs encoded by tf_fixtures.py. Lengths cover powers of two and other sizes
(odd, prime), cropping through fft_length, empty batches and TF's argument errors. A zero
fft_length on a non-empty input is left out: TF 2.21's ducc call aborts the process on it.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tf_fixtures import attr_of, clean, enc  # noqa: E402

R = tf.raw_ops
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fft-fixtures.json")

f32, f64, c64, c128 = tf.float32, tf.float64, tf.complex64, tf.complex128
PAIRS = [(f32, c64), (f64, c128)]

cases = []
rng = np.random.RandomState(11)


def case(op, inputs, attrs, inferred):
    try:
        out = getattr(R, op)(**inputs, **attrs)
    except tf.errors.OpError as e:
        out = e
    c = {"op": op, "attrs": {k: attr_of(v) for k, v in {**inferred, **attrs}.items()}}
    c["inputs"] = [enc(t) for t in inputs.values()]
    if isinstance(out, tf.errors.OpError):
        c["error"] = {"code": out.error_code, "message": clean(out.message)}
    else:
        c["outputs"] = [enc(out)]
    cases.append(c)


def rand(shape, dtype):
    a = rng.uniform(-1, 1, size=shape)
    if dtype.is_complex:
        a = a + 1j * rng.uniform(-1, 1, size=shape)
    return tf.constant(a, dtype)


def cfft(op, x):
    case(op, {"input": x}, {}, {"Tcomplex": x.dtype})


def rfft(op, x, lengths, tc):
    case(op, {"input": x, "fft_length": tf.constant(lengths, tf.int32)}, {"Tcomplex": tc}, {"Treal": x.dtype})


def irfft(op, x, lengths, tr):
    case(op, {"input": x, "fft_length": tf.constant(lengths, tf.int32)}, {"Treal": tr}, {"Tcomplex": x.dtype})


SHAPES_1D = [[1], [2], [8], [3], [5], [7], [12], [17], [2, 16], [3, 6], [2, 2, 9], [0, 4], [4, 0], [64], [100]]
SHAPES_2D = [[1, 1], [2, 4], [3, 5], [4, 4], [2, 3, 6], [0, 2, 2], [7, 8]]
SHAPES_3D = [[1, 2, 3], [2, 2, 2], [3, 4, 5], [2, 3, 2, 4]]

for _, tc in PAIRS:
    for op in ["FFT", "IFFT"]:
        for s in SHAPES_1D:
            cfft(op, rand(s, tc))
    for op in ["FFT2D", "IFFT2D"]:
        for s in SHAPES_2D:
            cfft(op, rand(s, tc))
    for op in ["FFT3D", "IFFT3D"]:
        for s in SHAPES_3D:
            cfft(op, rand(s, tc))
    for op, r in [("FFT", 0), ("FFT2D", 1), ("IFFT3D", 2)]:
        cfft(op, rand([2] * r, tc))  # rank too small

for tr, tc in PAIRS:
    # RFFT: fft_length crops the innermost axis (TF's Python wrapper pads; the op only crops).
    for n, length in [(1, 1), (2, 2), (8, 8), (8, 5), (8, 6), (3, 3), (7, 7), (9, 4), (16, 16), (17, 17), (10, 1), (100, 100)]:
        rfft("RFFT", rand([2, n], tr), [length], tc)
    rfft("RFFT", rand([0, 6], tr), [6], tc)
    rfft("RFFT", rand([3, 4], tr), [5], tc)  # input shorter than fft_length
    rfft("RFFT", rand([3, 4], tr), [-1], tc)
    rfft("RFFT", rand([3, 4], tr), [4, 4], tc)
    rfft("RFFT", rand([], tr), [1], tc)
    # IRFFT: the innermost axis holds fft_length/2+1 bins, cropped when longer.
    for bins, length in [(1, 1), (2, 2), (5, 8), (5, 9), (4, 6), (4, 7), (9, 16), (9, 17), (6, 4), (3, 1), (51, 100), (10, 5)]:
        irfft("IRFFT", rand([2, bins], tc), [length], tr)
    irfft("IRFFT", rand([0, 5], tc), [8], tr)
    irfft("IRFFT", rand([2, 4], tc), [8], tr)  # needs 5 bins
    irfft("IRFFT", rand([2, 4], tc), [-3], tr)
    irfft("IRFFT", rand([2, 4], tc), [[4]], tr)
    # 2D and 3D
    for shape, lengths in [([4, 4], [4, 4]), ([3, 5], [3, 5]), ([2, 6, 7], [5, 6]), ([5, 8], [2, 3])]:
        rfft("RFFT2D", rand(shape, tr), lengths, tc)
    rfft("RFFT2D", rand([3, 4], tr), [4, 4], tc)
    rfft("RFFT2D", rand([4], tr), [4, 4], tc)
    for shape, lengths in [([4, 3], [4, 4]), ([3, 3], [3, 5]), ([2, 6, 4], [5, 6]), ([5, 8], [2, 3]), ([4, 5], [4, 7])]:
        irfft("IRFFT2D", rand(shape, tc), lengths, tr)
    irfft("IRFFT2D", rand([4, 2], tc), [4, 4], tr)
    for shape, lengths in [([2, 3, 4], [2, 3, 4]), ([3, 4, 5], [3, 3, 5]), ([2, 2, 3, 6], [2, 3, 6])]:
        rfft("RFFT3D", rand(shape, tr), lengths, tc)
    for shape, lengths in [([2, 3, 3], [2, 3, 4]), ([3, 4, 5], [3, 3, 9]), ([2, 2, 3, 4], [2, 3, 6])]:
        irfft("IRFFT3D", rand(shape, tc), lengths, tr)
    rfft("RFFT3D", rand([2, 3, 4], tr), [2, 3], tc)

# Mismatched real/complex pairs reach the kernel's own type check.
rfft("RFFT", rand([2, 4], f32), [4], c128)
irfft("IRFFT", rand([2, 3], c128), [4], f32)

# Signals whose spectra are exact, so both transforms must agree to the last bits of rounding.
case("RFFT", {"input": tf.constant([1.0, 0, 0, 0, 0], f32), "fft_length": tf.constant([5])}, {"Tcomplex": c64}, {"Treal": f32})
case("FFT", {"input": tf.constant([1, 1, 1, 1], c64)}, {}, {"Tcomplex": c64})

# Roll: scalar and vector shifts, negative shifts and axes, a repeated axis, shifts beyond the
# length, empty tensors, int64 shift/axis, every storage kind, and TF's argument errors.
def roll(x, shift, axis, ts=tf.int32, ta=tf.int32):
    inputs = {"input": x, "shift": tf.constant(shift, ts), "axis": tf.constant(axis, ta)}
    case("Roll", inputs, {}, {"T": x.dtype, "Tshift": ts, "Taxis": ta})


grid = np.arange(24).reshape([2, 3, 4])
for dt in [tf.float32, tf.int32, tf.int64, tf.bool, tf.complex64, tf.string, tf.float16]:
    x = tf.constant(grid % 2 == 0) if dt == tf.bool else tf.constant(grid.astype(str)) if dt == tf.string else tf.cast(grid, dt)
    roll(x, 1, 2)
    roll(x, [1, -2], [0, 2])
roll(tf.constant(grid), [2, 5, -7], [1, 1, -1])
roll(tf.constant(grid), [3], [-3], tf.int64, tf.int64)
roll(tf.constant(grid), 0, 0)
roll(tf.constant(np.zeros([2, 0, 3], np.float32)), [1, 2], [0, 2])
roll(tf.constant(np.arange(5.0)), 7, 0)
roll(tf.constant(np.arange(5.0)), -12, 0, tf.int64, tf.int32)
roll(tf.constant(3.0), 1, 0)
roll(tf.constant(grid), [[1]], [[0]])
roll(tf.constant(grid), 1, [[0]])
roll(tf.constant(grid), [1, 1], [0])
roll(tf.constant(grid), 1, 3)
roll(tf.constant(grid), 1, -4)

with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "cases": cases}, f, indent=None, separators=(",", ":"))
    f.write("\n")
print(f"{len(cases)} cases -> {OUT}")
