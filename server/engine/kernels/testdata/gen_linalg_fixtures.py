#!/usr/bin/env python3
"""Writes linalg-fixtures.json: TensorFlow 2.21's own results for the dense linear-algebra ops
(tf.linalg inv/det/slogdet/cholesky/solve/triangular_solve/eigh/svd and the CholeskyGrad op their
gradients emit) and the incomplete gamma/beta and Bessel special functions, read by
../linalg-fixtures.test.ts.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_linalg_fixtures.py

Each case is one tf.raw_ops call (eager, CPU):
    {"op", "attrs": {name: [kind, value]}, "inputs": [tensor], "outputs": [tensor] | "error":
     {"code", "message"}}
with tensors and attrs encoded by tf_fixtures.py. A dtype TF has no CPU kernel for is left out.
Inputs are random but well conditioned (diagonally dominant, or A·Aᵀ + n·I for positive-definite
ones), so results agree to float tolerance whatever order the arithmetic runs in.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tf_fixtures import attr_of, clean, enc  # noqa: E402

R = tf.raw_ops
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "linalg-fixtures.json")

f16, bf16, f32, f64 = tf.float16, tf.bfloat16, tf.float32, tf.float64
c64, c128 = tf.complex64, tf.complex128
REAL = [f32, f64]
LINALG = [f32, f64, c64, c128]

cases = []


def case(op, inputs, attrs=None, inferred=None):
    attrs = attrs or {}
    try:
        out = getattr(R, op)(**inputs, **attrs)
    except tf.errors.NotFoundError:
        return
    except tf.errors.OpError as e:
        out = e
    if isinstance(out, tf.errors.OpError) and "is not in the list of allowed values" in out.message:
        return  # the op definition rejects the dtype before any kernel runs
    c = {"op": op, "attrs": {k: attr_of(v) for k, v in {**(inferred or {}), **attrs}.items()}}
    c["inputs"] = [enc(t) for t in inputs.values()]
    if isinstance(out, tf.errors.OpError):
        c["error"] = {"code": out.error_code, "message": clean(out.message)}
    elif isinstance(out, (list, tuple)):
        c["outputs"] = [enc(o) for o in out]
    else:
        c["outputs"] = [enc(out)]
    cases.append(c)


rng = np.random.RandomState(7)


def rand(shape, dtype):
    a = rng.uniform(-1, 1, size=shape)
    if dtype.is_complex:
        a = a + 1j * rng.uniform(-1, 1, size=shape)
    return tf.constant(a, dtype)


def square(batch, n, dtype, dominant=True):
    a = rng.uniform(-1, 1, size=batch + [n, n])
    if dtype.is_complex:
        a = a + 1j * rng.uniform(-1, 1, size=batch + [n, n])
    if dominant:
        a = a + n * np.eye(n)
    return tf.constant(a, dtype)


def spd(batch, n, dtype):
    a = rng.uniform(-1, 1, size=batch + [n, n])
    if dtype.is_complex:
        a = a + 1j * rng.uniform(-1, 1, size=batch + [n, n])
    m = a @ np.conj(np.swapaxes(a, -1, -2)) + n * np.eye(n)
    return tf.constant(m, dtype)


def T(dt):
    return {"T": dt}


SHAPES = [([], 1), ([], 3), ([2], 4), ([2, 3], 2), ([], 0), ([0], 3)]

for dt in LINALG:
    for batch, n in SHAPES:
        for adj in (False, True):
            case("MatrixInverse", {"input": square(batch, n, dt)}, {"adjoint": adj}, T(dt))
        case("MatrixDeterminant", {"input": square(batch, n, dt, dominant=n != 3)}, None, T(dt))
        case("LogMatrixDeterminant", {"input": square(batch, n, dt, dominant=n != 3)}, None, T(dt))
        case("Cholesky", {"input": spd(batch, n, dt)}, None, T(dt))
        for adj in (False, True):
            case("MatrixSolve", {"matrix": square(batch, n, dt), "rhs": rand(batch + [n, 2], dt)},
                 {"adjoint": adj}, T(dt))
    # singular / invalid inputs
    sing = tf.constant([[1.0, 2.0], [2.0, 4.0]], dt)
    zero = tf.zeros([2, 2], dt)
    case("MatrixInverse", {"input": zero}, {"adjoint": False}, T(dt))
    case("MatrixInverse", {"input": tf.constant([[0.0, 1.0], [0.0, 0.0]], dt)}, {"adjoint": False}, T(dt))
    case("MatrixSolve", {"matrix": zero, "rhs": tf.ones([2, 1], dt)}, {"adjoint": False}, T(dt))
    case("MatrixDeterminant", {"input": zero}, None, T(dt))
    case("MatrixDeterminant", {"input": sing}, None, T(dt))
    case("LogMatrixDeterminant", {"input": zero}, None, T(dt))
    case("LogMatrixDeterminant", {"input": tf.constant([[0.0, 1.0], [1.0, 0.0]], dt)}, None, T(dt))
    case("Cholesky", {"input": tf.constant([[1.0, 2.0], [2.0, 1.0]], dt)}, None, T(dt))
    case("Cholesky", {"input": tf.constant([[-1.0]], dt)}, None, T(dt))
    # Cholesky reads only the lower triangle
    case("Cholesky", {"input": tf.constant([[4.0, 99.0], [2.0, 5.0]], dt)}, None, T(dt))
    case("MatrixInverse", {"input": rand([2, 3], dt)}, {"adjoint": False}, T(dt))
    case("MatrixInverse", {"input": rand([3], dt)}, {"adjoint": False}, T(dt))
    case("MatrixDeterminant", {"input": rand([2, 3], dt)}, None, T(dt))
    case("Cholesky", {"input": rand([3, 2], dt)}, None, T(dt))
    case("MatrixSolve", {"matrix": square([], 3, dt), "rhs": rand([2, 1], dt)}, {"adjoint": False}, T(dt))
    case("MatrixSolve", {"matrix": rand([3, 2], dt), "rhs": rand([3, 1], dt)}, {"adjoint": False}, T(dt))
    case("MatrixSolve", {"matrix": square([2], 2, dt), "rhs": rand([3, 2, 1], dt)}, {"adjoint": False}, T(dt))
    case("MatrixSolve", {"matrix": square([2], 2, dt), "rhs": rand([2, 1], dt)}, {"adjoint": False}, T(dt))

TRI = [f32, f64, c64, c128, f16, bf16]
for dt in TRI:
    for lower in (True, False):
        for adj in (False, True):
            for mb, rb in (([], []), ([2], [2]), ([2, 1], [3]), ([1], [2, 3])):
                case("MatrixTriangularSolve",
                     {"matrix": square(mb, 3, dt), "rhs": rand(rb + [3, 2], dt)},
                     {"lower": lower, "adjoint": adj}, T(dt))
    case("MatrixTriangularSolve", {"matrix": square([], 0, dt), "rhs": rand([0, 2], dt)},
         {"lower": True, "adjoint": False}, T(dt))
    case("MatrixTriangularSolve", {"matrix": rand([2, 3], dt), "rhs": rand([2, 2], dt)},
         {"lower": True, "adjoint": False}, T(dt))
    case("MatrixTriangularSolve", {"matrix": square([], 3, dt), "rhs": rand([2, 2], dt)},
         {"lower": True, "adjoint": True}, T(dt))
    case("MatrixTriangularSolve", {"matrix": square([2], 3, dt), "rhs": rand([3, 3, 2], dt)},
         {"lower": True, "adjoint": False}, T(dt))
    case("MatrixTriangularSolve", {"matrix": rand([3], dt), "rhs": rand([3, 2], dt)},
         {"lower": True, "adjoint": False}, T(dt))
    case("MatrixTriangularSolve", {"matrix": tf.zeros([2, 2], dt), "rhs": tf.ones([2, 1], dt)},
         {"lower": True, "adjoint": False}, T(dt))

for dt in REAL:
    for batch, n in SHAPES:
        a = spd(batch, n, dt)
        l = tf.linalg.cholesky(a) if n > 0 else a
        case("CholeskyGrad", {"l": l, "grad": rand(batch + [n, n], dt)}, None, T(dt))
    case("CholeskyGrad", {"l": square([], 3, dt), "grad": rand([3, 2], dt)}, None, T(dt))
    case("CholeskyGrad", {"l": rand([3, 2], dt), "grad": rand([3, 2], dt)}, None, T(dt))

for batch, n in SHAPES:
    case("MatrixInverse", {"input": square(batch, n, f16)}, {"adjoint": False}, T(f16))
case("MatrixInverse", {"input": tf.zeros([2, 2], f16)}, {"adjoint": False}, T(f16))

for dt in LINALG:
    for idx in (tf.int32, tf.int64):
        for batch, n in SHAPES:
            case("Lu", {"input": square(batch, n, dt, dominant=False)}, {"output_idx_type": idx}, T(dt))
    case("Lu", {"input": tf.constant([[1.0, 2.0], [2.0, 4.0]], dt)}, {"output_idx_type": tf.int32}, T(dt))
    case("Lu", {"input": rand([2, 3], dt)}, {"output_idx_type": tf.int32}, T(dt))
    case("Lu", {"input": rand([3], dt)}, {"output_idx_type": tf.int32}, T(dt))
    for fast in (True, False):
        for mshape, rshape in (([4, 3], [4, 2]), ([2, 5, 2], [2, 5, 1]), ([2, 4], [2, 3]), ([3, 3], [3, 0]),
                               ([0, 3], [0, 2])):
            for l2 in (0.0, 0.5):
                if not fast and dt.is_complex:
                    continue
                case("MatrixSolveLs", {"matrix": rand(mshape, dt), "rhs": rand(rshape, dt),
                                       "l2_regularizer": tf.constant(l2, f64)}, {"fast": fast}, T(dt))
    rankdef = tf.constant([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]], dt)
    # (a rank-deficient matrix on the fast path is left out: whether TF's Cholesky of the rounded
    # Gramian fails depends on its rounding, and when it does not the result is noise)
    if not dt.is_complex:
        case("MatrixSolveLs", {"matrix": rankdef, "rhs": rand([3, 1], dt), "l2_regularizer": tf.constant(0.0, f64)},
             {"fast": False}, T(dt))
    case("MatrixSolveLs", {"matrix": rand([3, 2], dt), "rhs": rand([3, 1], dt),
                           "l2_regularizer": tf.constant([1.0], f64)}, {"fast": True}, T(dt))
    case("MatrixSolveLs", {"matrix": rand([3, 2], dt), "rhs": rand([3, 1], dt),
                           "l2_regularizer": tf.constant(-1.0, f64)}, {"fast": True}, T(dt))
    case("MatrixSolveLs", {"matrix": rand([3, 2], dt), "rhs": rand([2, 1], dt),
                           "l2_regularizer": tf.constant(0.0, f64)}, {"fast": True}, T(dt))


for dt in REAL:  # (tfgate's TridiagonalSolve has no complex kernels yet)
    for piv, pert in ((True, False), (False, False), (True, True)):
        for batch, n, k in (([], 1, 1), ([], 4, 2), ([2], 5, 3), ([2, 1], 2, 1), ([], 0, 2)):
            case("TridiagonalSolve", {"diagonals": rand(batch + [3, n], dt), "rhs": rand(batch + [n, k], dt)},
                 {"partial_pivoting": piv, "perturb_singular": pert}, T(dt))
        # a zero leading diagonal needs pivoting; an all-zero matrix is singular
        zdiag = tf.constant([[1.0, 2.0, 3.0, 0.0], [0.0, 1.0, 2.0, 3.0], [0.0, 4.0, 5.0, 6.0]], dt)
        case("TridiagonalSolve", {"diagonals": zdiag, "rhs": rand([4, 2], dt)},
             {"partial_pivoting": piv, "perturb_singular": pert}, T(dt))
        case("TridiagonalSolve", {"diagonals": tf.zeros([3, 3], dt), "rhs": rand([3, 1], dt)},
             {"partial_pivoting": piv, "perturb_singular": pert}, T(dt))
        case("TridiagonalSolve", {"diagonals": tf.zeros([3, 1], dt), "rhs": rand([1, 1], dt)},
             {"partial_pivoting": piv, "perturb_singular": pert}, T(dt))
    case("TridiagonalSolve", {"diagonals": rand([2, 4], dt), "rhs": rand([4, 1], dt)},
         {"partial_pivoting": True}, T(dt))
    case("TridiagonalSolve", {"diagonals": rand([3, 4], dt), "rhs": rand([3, 1], dt)},
         {"partial_pivoting": True}, T(dt))
    case("TridiagonalSolve", {"diagonals": rand([3, 4], dt), "rhs": rand([4, 1], dt)},
         {"partial_pivoting": False, "perturb_singular": True}, T(dt))


def sym(batch, n, dtype):
    a = rng.uniform(-1, 1, size=batch + [n, n])
    return tf.constant(a + np.swapaxes(a, -1, -2), dtype)


def herm(batch, n, dtype):
    a = rng.uniform(-1, 1, size=batch + [n, n]) + 1j * rng.uniform(-1, 1, size=batch + [n, n])
    return tf.constant(a + np.conj(np.swapaxes(a, -1, -2)), dtype)


for dt in (c64, c128):
    for batch, n in SHAPES:
        for cv in (True, False):
            case("SelfAdjointEigV2", {"input": herm(batch, n, dt)}, {"compute_v": cv}, T(dt))
    case("SelfAdjointEigV2", {"input": tf.constant(np.array([[1.0, 0], [np.nan, 3.0]]), dt)}, {"compute_v": True}, T(dt))
    case("SelfAdjointEigV2", {"input": tf.constant(np.array([[2.0, 50j], [1j, 3.0]]), dt)}, {"compute_v": True}, T(dt))
    for shape in ([3, 3], [4, 2], [2, 4], [2, 3, 2], [0, 3], [3, 0]):
        for uv in (True, False):
            for full in (False, True):
                case("Svd", {"input": rand(shape, dt)}, {"compute_uv": uv, "full_matrices": full}, T(dt))
    case("Svd", {"input": tf.constant(np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]]) * (1 + 1j), dt)},
         {"compute_uv": True, "full_matrices": True}, T(dt))
    case("Svd", {"input": tf.constant(np.array([[1.0, np.nan], [2.0, 4.0]]), dt)},
         {"compute_uv": True, "full_matrices": False}, T(dt))

for dt in REAL:
    for batch, n in SHAPES:
        for cv in (True, False):
            case("SelfAdjointEigV2", {"input": sym(batch, n, dt)}, {"compute_v": cv}, T(dt))
    # only the lower triangle is read
    case("SelfAdjointEigV2", {"input": tf.constant([[2.0, 50.0], [1.0, 3.0]], dt)}, {"compute_v": True}, T(dt))
    case("SelfAdjointEigV2", {"input": tf.constant([[1.0, 0.0], [float("nan"), 3.0]], dt)}, {"compute_v": True}, T(dt))
    case("SelfAdjointEigV2", {"input": rand([2, 3], dt)}, {"compute_v": True}, T(dt))
    case("SelfAdjointEigV2", {"input": rand([3], dt)}, {"compute_v": True}, T(dt))
    for shape in ([3, 3], [4, 2], [2, 4], [2, 3, 2], [2, 2, 3], [1, 5, 3], [0, 3], [3, 0], [2, 0, 0]):
        for uv in (True, False):
            for full in (False, True):
                case("Svd", {"input": rand(shape, dt)}, {"compute_uv": uv, "full_matrices": full}, T(dt))
    case("Svd", {"input": tf.constant([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]], dt)},
         {"compute_uv": True, "full_matrices": False}, T(dt))
    case("Svd", {"input": tf.constant([[1.0, float("nan")], [2.0, 4.0]], dt)},
         {"compute_uv": True, "full_matrices": False}, T(dt))
    case("Svd", {"input": rand([3], dt)}, {"compute_uv": True, "full_matrices": False}, T(dt))

# Incomplete gamma / beta and Bessel functions over their regimes (series, continued fraction,
# large arguments) and domain edges.
A_VALS = [0.5, 1.0, 2.5, 7.0, 30.0, 0.01, 150.0]
X_VALS = [0.0, 0.1, 0.9, 1.5, 3.0, 8.0, 40.0, 200.0]
EDGE = [(-1.0, 1.0), (0.0, 1.0), (1.0, -1.0), (float("nan"), 1.0), (1.0, float("nan")), (2.0, float("inf"))]
for dt in [f32, f64, f16, bf16]:
    a = tf.constant([[a] for a in A_VALS], dt)
    x = tf.constant([X_VALS], dt)
    ea = tf.constant([e[0] for e in EDGE], dt)
    ex = tf.constant([e[1] for e in EDGE], dt)
    for op in ("Igamma", "Igammac", "IgammaGradA"):
        case(op, {"a": a, "x": x}, None, T(dt))
        case(op, {"a": ea, "x": ex}, None, T(dt))
    samples = tf.constant([[0.05, 0.5, 1.0, 3.0, 20.0]], dt)
    case("RandomGammaGrad", {"alpha": a, "sample": samples}, None, T(dt))
    case("RandomGammaGrad", {"alpha": tf.constant([2.0, 3.0], dt), "sample": tf.constant([1.0, 2.0, 3.0], dt)},
         None, T(dt))
    case("Igamma", {"a": tf.constant([2.0, 3.0], dt), "x": tf.constant([1.0, 2.0, 3.0], dt)}, None, T(dt))
    bx = tf.constant(np.linspace(-2, 22, 49), dt)
    case("BesselI0e", {"x": bx}, None, T(dt))
    case("BesselI1e", {"x": bx}, None, T(dt))
    case("BesselI0e", {"x": tf.constant([float("nan"), float("inf"), -float("inf"), 0.0, 1e-30], dt)}, None, T(dt))
    case("BesselI1e", {"x": tf.constant([float("nan"), float("inf"), -float("inf"), 0.0, -0.0], dt)}, None, T(dt))
    grid_a = np.array([0.5, 1.0, 2.0, 5.0, 15.0, 60.0])
    ga, gb, gx = np.meshgrid(grid_a, grid_a, np.array([0.01, 0.2, 0.5, 0.8, 0.97]), indexing="ij")
    case("Betainc", {"a": tf.constant(ga, dt), "b": tf.constant(gb, dt), "x": tf.constant(gx, dt)}, None, T(dt))
    case("Betainc", {"a": tf.constant(2.0, dt), "b": tf.constant([1.0, 3.0], dt), "x": tf.constant(0.5, dt)},
         None, T(dt))
    case("Betainc", {"a": tf.constant([0.0, 0.0, -1.0, 1.0, 1.0, 2.0, 2.0, 2.0, float("nan")], dt),
                     "b": tf.constant([0.0, 1.0, 1.0, 0.0, 1.0, 2.0, 2.0, 2.0, 1.0], dt),
                     "x": tf.constant([0.5, 0.5, 0.5, 0.5, 1.5, 0.0, 1.0, -0.1, 0.5], dt)}, None, T(dt))
    case("Betainc", {"a": tf.constant([1.0, 2.0], dt), "b": tf.constant([1.0, 2.0, 3.0], dt),
                     "x": tf.constant(0.5, dt)}, None, T(dt))
    case("Betainc", {"a": tf.constant([1.0, 2.0], dt), "b": tf.constant(1.0, dt),
                     "x": tf.constant([0.5, 0.5, 0.5], dt)}, None, T(dt))

# A Cholesky that fails leaves the upper triangle of its output uninitialized in TF (the lower one
# is NaN, or 0 for complex dtypes); tfgate writes zeros there, which is what the fixture records
# (a successful one has zeros there anyway).
for c in cases:
    if c["op"] == "Cholesky" and "outputs" in c:
        out = c["outputs"][0]
        n = out["shape"][-1]
        zero = [0.0, 0.0] if out["dtype"] in (8, 18) else 0.0
        out["values"] = [zero if (i % (n * n)) % n > (i % (n * n)) // n else v for i, v in enumerate(out["values"])]

# MatrixSolveLs with an empty matrix (0 rows) leaves its n×k output uninitialized in TF; tfgate
# outputs zeros, which is what the fixture records.
for c in cases:
    if c["op"] == "MatrixSolveLs" and "outputs" in c and 0 in c["inputs"][0]["shape"][-2:]:
        out = c["outputs"][0]
        out["values"] = [[0.0, 0.0] if out["dtype"] in (8, 18) else 0.0 for _ in out["values"]]

# Without compute_v / compute_uv TF 2.21 allocates the unused outputs as uninitialized scalars;
# tfgate outputs scalar zeros, which is what the fixture records.
for c in cases:
    if c["op"] in ("SelfAdjointEigV2", "Svd") and "outputs" in c:
        for o in c["outputs"][1:]:
            if o["shape"] == []:
                o["values"] = [0.0]

with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "cases": cases}, f, separators=(",", ":"))
print(len(cases), "cases")
