#!/usr/bin/env python3
"""Writes sparse-fixtures.json: TensorFlow 2.21's own results for the tf.sparse kernels (a SparseTensor
travels as three tensors: int64 indices [N, rank], values [N], int64 dense_shape [rank]), read by
../sparse-fixtures.test.ts.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_sparse_fixtures.py

Each case is one tf.raw_ops call (eager, CPU), looped over the dtypes the op registers:
    {"op", "attrs": {name: [kind, value]}, "inputs": [tensor], "outputs": [tensor] | "error": {"code", "message"}}
in the format of tf_fixtures.py. An op TF has no CPU kernel for at a dtype is left out.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tf_fixtures import attr_of, clean, enc  # noqa: E402

R = tf.raw_ops
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sparse-fixtures.json")

f16, bf16, f32, f64 = tf.float16, tf.bfloat16, tf.float32, tf.float64
i8, i16, i32, i64, u8, s, b = tf.int8, tf.int16, tf.int32, tf.int64, tf.uint8, tf.string, tf.bool
c64, c128 = tf.complex64, tf.complex128
REALS = [f32, f64, i32, i64, f16, bf16, i8, i16, u8]
NUMBERS = REALS + [c64, c128]

cases = []


def case(op, inputs, attrs=None, inferred=None):
    """Runs tf.raw_ops.<op>(**inputs, **attrs); `inputs` maps an input name to a tensor or a list of
    tensors; `inferred` are the attrs TF infers from the inputs (a GraphDef node carries them)."""
    attrs = attrs or {}
    try:
        out = getattr(R, op)(**inputs, **attrs)
    except tf.errors.NotFoundError:
        return  # TF has no CPU kernel for this dtype
    except tf.errors.OpError as e:
        out = e
    c = {"op": op, "attrs": {k: attr_of(v) for k, v in {**(inferred or {}), **attrs}.items()}}
    c["inputs"] = [enc(x) for t in inputs.values() for x in (t if isinstance(t, list) else [t])]
    if isinstance(out, tf.errors.OpError):
        c["error"] = {"code": out.error_code, "message": clean(out.message)}
    elif isinstance(out, (list, tuple)):
        # A list output (SparseSplit's N tensors per output arg) is flattened, as the kernel's outputs are.
        c["outputs"] = [enc(x) for o in out for x in (o if isinstance(o, list) else [o])]
    else:
        c["outputs"] = [enc(out)]
    cases.append(c)


def ix(rows, rank=None):
    a = np.asarray(rows, np.int64)
    if a.size == 0:
        a = a.reshape([0, rank if rank is not None else 2])
    return tf.constant(a, i64)


def vals(dt, n, seed=0, lo=-2.0, hi=2.0):
    """n values, multiples of 1/8 (exact in every float dtype); unsigned types get non-negatives."""
    rng = np.random.RandomState(seed)
    if dt in (u8,):
        lo = 0.0
    v = rng.randint(int(lo * 8), int(hi * 8), size=[n]) / 8.0
    if dt.is_integer:
        v = np.round(v * 4)
    if dt.is_complex:
        w = rng.randint(-16, 16, size=[n]) / 8.0
        return tf.constant(v + 1j * w, dt)
    return tf.cast(tf.constant(v, f64), dt)


def dense(dt, shape, seed=1, nonzero=False):
    rng = np.random.RandomState(seed)
    n = int(np.prod(shape))
    v = rng.randint(1 if nonzero else -16, 24, size=[n]) / 8.0
    if dt.is_integer:
        v = np.round(v * 4) + (1 if nonzero else 0)
        if nonzero:
            v = np.where(v == 0, 1, v)
    if dt.is_complex:
        w = rng.randint(1, 16, size=[n]) / 8.0
        return tf.reshape(tf.constant(v + 1j * w, dt), shape)
    return tf.reshape(tf.cast(tf.constant(v, f64), dt), shape)


def sh(*dims):
    return tf.constant(list(dims), i64)


# --- SparseToDense -------------------------------------------------------------------------------

I2 = [[0, 1], [1, 0], [1, 2], [3, 3]]
for dt in REALS + [b, s]:
    for it in [i32, i64]:
        if dt == s:
            v, d = tf.constant(["a", "b", "c", "d"]), tf.constant("z")
        elif dt == b:
            v, d = tf.constant([True, False, True, True]), tf.constant(False)
        else:
            v, d = vals(dt, 4), tf.cast(tf.constant(0.5 if dt.is_floating else 7), dt)
        case("SparseToDense", {"sparse_indices": tf.constant(I2, it), "output_shape": tf.constant([4, 4], it),
                               "sparse_values": v, "default_value": d}, inferred={"T": dt, "Tindices": it})
STD = {"T": f32, "Tindices": i64}


def std(indices, shape, values, default=tf.constant(0.0), **attrs):
    indices = indices if isinstance(indices, tf.Tensor) else tf.constant(np.asarray(indices, np.int64))
    it = indices.dtype
    case("SparseToDense", {"sparse_indices": indices, "output_shape": tf.convert_to_tensor(shape, it),
                           "sparse_values": values, "default_value": default}, attrs, {"T": values.dtype, "Tindices": it})


std([1, 3], [5], tf.constant(7.0))
std(3, [5], tf.constant(7.0))
std([[0, 1, 2], [1, 0, 0]], [2, 2, 3], tf.constant([1.0, 2.0]))
std(np.zeros([0, 2], np.int64), [2, 2], tf.zeros([0]), tf.constant(5.0))
std(np.zeros([0, 2], np.int64), [0, 3], tf.zeros([0]))
std([[0, 1], [0, 0]], [2, 2], tf.constant([1.0, 2.0]))  # out of order
std([[0, 1], [0, 1]], [2, 2], tf.constant([1.0, 2.0]))  # repeated
std([[0, 1], [2, 1]], [2, 2], tf.constant([1.0, 2.0]))  # out of bounds
std([[0, 1], [1, -1]], [2, 2], tf.constant([1.0, 2.0]))  # negative
std([1, 0], [5], tf.constant([1.0, 2.0]))  # vector out of order
std([1, 1], [5], tf.constant([1.0, 2.0]))  # vector repeated
std([1, 5], [5], tf.constant([1.0, 2.0]))
std([-1, 2], [5], tf.constant([1.0, 2.0]))
std([[0, 1, 2], [0, 1, 1]], [2, 2, 3], tf.constant([1.0, 2.0]))
std([[0, 1], [0, 0]], [2, 2], tf.constant([1.0, 2.0]), validate_indices=False)
std([[0, 1], [0, 1]], [2, 2], tf.constant([1.0, 2.0]), validate_indices=False)
std([[0, 1], [2, 1]], [2, 2], tf.constant([1.0, 2.0]), validate_indices=False)
std([[0, 1], [1, -1]], [2, 2], tf.constant([1.0, 2.0]), validate_indices=False)
std([[0, 1], [1, 1]], [2, 2], tf.constant([1.0, 2.0, 3.0]))
std([[0, 1], [1, 1]], [2, 2], tf.constant([[1.0, 2.0]]))
std([[0, 1], [1, 1]], [2], tf.constant([1.0, 2.0]))
std([[0, 1], [1, 1]], [2, -1], tf.constant([1.0, 2.0]))
std([[0, 1], [1, 1]], [2, 2], tf.constant([1.0, 2.0]), tf.constant([0.0]))
std([[[0, 1], [1, 1]]], [2, 2], tf.constant([1.0, 2.0]))
std([[0, 1], [1, 1]], [[2, 2]], tf.constant([1.0, 2.0]))
std(tf.constant([[0, 1], [1, 0]], i32), tf.constant([2, 2], i32), tf.constant([1.0, 2.0]))

# --- SparseTensorDenseMatMul ---------------------------------------------------------------------

A_IX = [[0, 0], [0, 2], [1, 1], [2, 0], [2, 3]]
for dt in NUMBERS:
    for it in [i64, i32]:
        for adj_a in [False, True]:
            for adj_b in [False, True]:
                a_shape = [3, 4] if not adj_a else [4, 3]
                a_ix = A_IX if not adj_a else [[c, r] for r, c in A_IX]
                inner = 4 if not adj_a else 4
                bshape = [inner, 2] if not adj_b else [2, inner]
                case("SparseTensorDenseMatMul",
                     {"a_indices": tf.constant(a_ix, it), "a_values": vals(dt, 5), "a_shape": sh(*a_shape),
                      "b": dense(dt, bshape)}, {"adjoint_a": adj_a, "adjoint_b": adj_b}, {"T": dt, "Tindices": it})
# a wide right-hand side (TF's vectorised path), empty operands, and bad input
case("SparseTensorDenseMatMul", {"a_indices": ix(A_IX), "a_values": vals(f32, 5), "a_shape": sh(3, 4), "b": dense(f32, [4, 40])},
     inferred={"T": f32, "Tindices": i64})
case("SparseTensorDenseMatMul", {"a_indices": ix([], 2), "a_values": tf.zeros([0]), "a_shape": sh(3, 4), "b": dense(f32, [4, 2])},
     inferred={"T": f32, "Tindices": i64})
case("SparseTensorDenseMatMul", {"a_indices": ix([], 2), "a_values": tf.zeros([0]), "a_shape": sh(0, 4), "b": dense(f32, [4, 2])},
     inferred={"T": f32, "Tindices": i64})


def stdm(a_ix, a_vals, a_shape, bm, **attrs):
    case("SparseTensorDenseMatMul", {"a_indices": a_ix, "a_values": a_vals, "a_shape": a_shape, "b": bm}, attrs,
         {"T": f32, "Tindices": a_ix.dtype})


stdm(ix(A_IX), vals(f32, 5), sh(3, 4), dense(f32, [3, 2]))
stdm(ix(A_IX), vals(f32, 5), sh(3, 4), dense(f32, [3, 2]), adjoint_a=True)
stdm(ix(A_IX), vals(f32, 5), sh(3, 4), dense(f32, [4]))
stdm(ix(A_IX), vals(f32, 5), sh(3, 4), dense(f32, [2, 4, 2]))
stdm(ix(A_IX), vals(f32, 5), sh(3, 4, 1), dense(f32, [4, 2]))
stdm(ix(A_IX), vals(f32, 5), tf.constant([[3, 4]], i64), dense(f32, [4, 2]))
stdm(ix(A_IX), vals(f32, 4), sh(3, 4), dense(f32, [4, 2]))
stdm(ix(A_IX), tf.reshape(vals(f32, 6), [2, 3]), sh(3, 4), dense(f32, [4, 2]))
stdm(ix([0, 1]), vals(f32, 2), sh(3, 4), dense(f32, [4, 2]))
stdm(ix([[0, 0, 0]]), vals(f32, 1), sh(3, 4), dense(f32, [4, 2]))
stdm(ix([[0, 0], [3, 1]]), vals(f32, 2), sh(3, 4), dense(f32, [4, 2]))
stdm(ix([[0, 0], [1, 4]]), vals(f32, 2), sh(3, 4), dense(f32, [4, 2]))
stdm(ix([[0, 0], [1, -1]]), vals(f32, 2), sh(3, 4), dense(f32, [4, 2]))
stdm(ix([[0, 0], [-1, 1]]), vals(f32, 2), sh(3, 4), dense(f32, [4, 2]))
stdm(ix([[0, 0], [1, 4]]), vals(f32, 2), sh(3, 4), dense(f32, [4, 40]))
stdm(ix([[0, 0], [3, 1]]), vals(f32, 2), sh(4, 3), dense(f32, [4, 2]), adjoint_a=True)
stdm(ix([[1, 1], [0, 0]]), vals(f32, 2), sh(3, 4), dense(f32, [4, 2]))  # unordered is fine

# --- SparseReduceSum / SparseReduceMax (+Sparse) --------------------------------------------------

R_IX = [[0, 0, 1], [0, 2, 0], [1, 1, 1], [1, 2, 0], [1, 2, 1], [3, 0, 0]]
R_SHAPE = [4, 3, 2]
AXES = [[0], [1], [2], [-1], [0, 2], [2, 0], [0, 1, 2], [], 1]
for op in ["SparseReduceSum", "SparseReduceSumSparse", "SparseReduceMax", "SparseReduceMaxSparse"]:
    types = NUMBERS if "Sum" in op else REALS
    for dt in types:
        for keep in [False, True]:
            case(op, {"input_indices": ix(R_IX), "input_values": vals(dt, 6, seed=3), "input_shape": sh(*R_SHAPE),
                      "reduction_axes": tf.constant([1], i32)}, {"keep_dims": keep}, {"T": dt})
    for axes in AXES:
        for keep in [False, True]:
            case(op, {"input_indices": ix(R_IX), "input_values": vals(f32, 6, seed=4), "input_shape": sh(*R_SHAPE),
                      "reduction_axes": tf.constant(axes, i32)}, {"keep_dims": keep}, {"T": f32})
    # unordered input, empty input, bad axes and shapes
    case(op, {"input_indices": ix(R_IX[::-1]), "input_values": vals(f32, 6, seed=4), "input_shape": sh(*R_SHAPE),
              "reduction_axes": tf.constant([0], i32)}, {}, {"T": f32})
    case(op, {"input_indices": ix([], 3), "input_values": tf.zeros([0]), "input_shape": sh(*R_SHAPE),
              "reduction_axes": tf.constant([0], i32)}, {}, {"T": f32})
    case(op, {"input_indices": ix([], 3), "input_values": tf.zeros([0]), "input_shape": sh(*R_SHAPE),
              "reduction_axes": tf.constant([0, 1, 2], i32)}, {}, {"T": f32})
    case(op, {"input_indices": ix(R_IX), "input_values": vals(f32, 6), "input_shape": sh(*R_SHAPE),
              "reduction_axes": tf.constant([3], i32)}, {}, {"T": f32})
    case(op, {"input_indices": ix(R_IX), "input_values": vals(f32, 6), "input_shape": sh(*R_SHAPE),
              "reduction_axes": tf.constant([-4], i32)}, {}, {"T": f32})
    case(op, {"input_indices": ix(R_IX), "input_values": vals(f32, 6), "input_shape": sh(*R_SHAPE),
              "reduction_axes": tf.constant([1, 1], i32)}, {}, {"T": f32})
    case(op, {"input_indices": ix(R_IX), "input_values": vals(f32, 6), "input_shape": tf.constant([R_SHAPE], i64),
              "reduction_axes": tf.constant([1], i32)}, {}, {"T": f32})
    case(op, {"input_indices": ix(R_IX), "input_values": vals(f32, 5), "input_shape": sh(*R_SHAPE),
              "reduction_axes": tf.constant([1], i32)}, {}, {"T": f32})
    case(op, {"input_indices": ix(R_IX), "input_values": vals(f32, 6), "input_shape": sh(4, 3),
              "reduction_axes": tf.constant([1], i32)}, {}, {"T": f32})
    case(op, {"input_indices": ix(R_IX), "input_values": vals(f32, 6), "input_shape": sh(*R_SHAPE),
              "reduction_axes": tf.constant([[1]], i32)}, {}, {"T": f32})
    case(op, {"input_indices": ix([[0, 0, 1], [5, 0, 0]]), "input_values": vals(f32, 2), "input_shape": sh(*R_SHAPE),
              "reduction_axes": tf.constant([1], i32)}, {}, {"T": f32})
    case(op, {"input_indices": ix([[0, 0, 1], [0, 0, 1]]), "input_values": vals(f32, 2), "input_shape": sh(*R_SHAPE),
              "reduction_axes": tf.constant([1], i32)}, {}, {"T": f32})
case("SparseReduceMax", {"input_indices": ix([[0, 0], [0, 1], [1, 1]]), "input_values": tf.constant([-1.0, float("nan"), -3.0]),
                         "input_shape": sh(2, 2), "reduction_axes": tf.constant([1], i32)}, {}, {"T": f32})
case("SparseReduceMax", {"input_indices": ix([[0, 0], [0, 1], [1, 1]]), "input_values": tf.constant([-1.0, -2.0, -3.0]),
                         "input_shape": sh(3, 2), "reduction_axes": tf.constant([1], i32)}, {}, {"T": f32})

# --- SparseDenseCwise{Mul,Add,Div} ----------------------------------------------------------------

C_IX = [[0, 0, 1], [0, 2, 0], [1, 1, 1], [1, 2, 0]]
for op in ["SparseDenseCwiseMul", "SparseDenseCwiseAdd", "SparseDenseCwiseDiv"]:
    for dt in NUMBERS:
        case(op, {"sp_indices": ix(C_IX), "sp_values": vals(dt, 4), "sp_shape": sh(2, 3, 2),
                  "dense": dense(dt, [2, 3, 2], nonzero=True)}, {}, {"T": dt})
    for dshape in [[2, 3, 2], [3, 2], [1, 2], [2, 1, 1], [], [1, 1, 1, 2], [2], [2, 3, 1]]:
        case(op, {"sp_indices": ix(C_IX), "sp_values": vals(f32, 4), "sp_shape": sh(2, 3, 2),
                  "dense": dense(f32, dshape, nonzero=True)}, {}, {"T": f32})
    case(op, {"sp_indices": ix(C_IX), "sp_values": vals(f32, 4), "sp_shape": sh(2, 3, 2), "dense": dense(f32, [3, 3])}, {}, {"T": f32})
    case(op, {"sp_indices": ix(C_IX), "sp_values": vals(f32, 4), "sp_shape": sh(2, 3, 2), "dense": dense(f32, [2, 3, 2, 2])},
         {}, {"T": f32})
    case(op, {"sp_indices": ix(C_IX), "sp_values": vals(f32, 3), "sp_shape": sh(2, 3, 2), "dense": dense(f32, [2])}, {}, {"T": f32})
    case(op, {"sp_indices": ix([[0, 0, 1], [0, 3, 0]]), "sp_values": vals(f32, 2), "sp_shape": sh(2, 3, 2),
              "dense": dense(f32, [2, 3, 2])}, {}, {"T": f32})
    case(op, {"sp_indices": ix([[0, 0, 1], [0, 3, 0]]), "sp_values": vals(f32, 2), "sp_shape": sh(2, 3, 2),
              "dense": dense(f32, [2])}, {}, {"T": f32})
    case(op, {"sp_indices": ix(C_IX), "sp_values": vals(f32, 4), "sp_shape": sh(2, 3), "dense": dense(f32, [2])}, {}, {"T": f32})
    case(op, {"sp_indices": ix([], 3), "sp_values": tf.zeros([0]), "sp_shape": sh(2, 3, 2), "dense": dense(f32, [2])}, {}, {"T": f32})
    case(op, {"sp_indices": tf.constant([1, 2], i64), "sp_values": vals(f32, 2), "sp_shape": sh(2, 3, 2), "dense": dense(f32, [2])},
         {}, {"T": f32})
case("SparseDenseCwiseDiv", {"sp_indices": ix([[0], [1], [2]]), "sp_values": tf.constant([1.0, 0.0, -1.0]), "sp_shape": sh(3),
                             "dense": tf.constant([0.0, 0.0, 0.0])}, {}, {"T": f32})
case("SparseDenseCwiseDiv", {"sp_indices": ix([[0], [1]]), "sp_values": tf.constant([7, -7]), "sp_shape": sh(2),
                             "dense": tf.constant([2, 2])}, {}, {"T": i32})
case("SparseDenseCwiseDiv", {"sp_indices": ix([[0], [1]]), "sp_values": tf.constant([7, -7]), "sp_shape": sh(2),
                             "dense": tf.constant([0, 2])}, {}, {"T": i32})

# --- SparseTensorDenseAdd -------------------------------------------------------------------------

for dt in NUMBERS:
    for it in [i64, i32]:
        case("SparseTensorDenseAdd", {"a_indices": tf.constant(C_IX, it), "a_values": vals(dt, 4), "a_shape": tf.constant([2, 3, 2], it),
                                      "b": dense(dt, [2, 3, 2])}, {}, {"T": dt, "Tindices": it})


def stda(a_ix, a_vals, a_shape, bd):
    case("SparseTensorDenseAdd", {"a_indices": a_ix, "a_values": a_vals, "a_shape": a_shape, "b": bd}, {},
         {"T": a_vals.dtype, "Tindices": a_ix.dtype})


stda(ix([[0, 1], [0, 1]]), tf.constant([1.0, 2.0]), sh(2, 2), dense(f32, [2, 2]))
stda(ix([[1, 1], [0, 1]]), tf.constant([1.0, 2.0]), sh(2, 2), dense(f32, [2, 2]))
stda(ix([[0, 1], [2, 1]]), tf.constant([1.0, 2.0]), sh(2, 2), dense(f32, [2, 2]))
stda(ix([[0, 1], [1, -1]]), tf.constant([1.0, 2.0]), sh(2, 2), dense(f32, [2, 2]))
stda(ix([[0, 1]]), tf.constant([1.0]), sh(2, 2), dense(f32, [2, 3]))
stda(ix([[0, 1]]), tf.constant([1.0]), sh(2, 2), dense(f32, [2]))
stda(ix([[0, 1]]), tf.constant([1.0, 2.0]), sh(2, 2), dense(f32, [2, 2]))
stda(ix([0, 1]), tf.constant([1.0, 2.0]), sh(2, 2), dense(f32, [2, 2]))
stda(ix([[0, 1]]), tf.constant([1.0]), tf.constant([[2, 2]], i64), dense(f32, [2, 2]))
stda(ix([], 2), tf.zeros([0]), sh(2, 2), dense(f32, [2, 2]))
stda(ix([[0, 1, 0]]), tf.constant([1.0]), sh(2, 2, 1), dense(f32, [2, 2, 1]))

# --- SparseAdd / SparseAddGrad --------------------------------------------------------------------

A1 = [[0, 0], [0, 2], [1, 1], [2, 3]]
B1 = [[0, 1], [0, 2], [1, 1], [2, 0], [3, 3]]
for dt in NUMBERS:
    treal = f32 if dt.is_complex else (dt if dt not in (c64, c128) else f32)
    if dt.is_complex:
        treal = {c64: f32, c128: f64}[dt]
    case("SparseAdd", {"a_indices": ix(A1), "a_values": vals(dt, 4), "a_shape": sh(4, 4), "b_indices": ix(B1),
                       "b_values": vals(dt, 5, seed=2), "b_shape": sh(4, 4), "thresh": tf.cast(tf.constant(0), treal)},
         {}, {"T": dt, "Treal": treal})


def sadd(a_ix, a_v, a_sh, b_ix, b_v, b_sh, thresh):
    case("SparseAdd", {"a_indices": a_ix, "a_values": a_v, "a_shape": a_sh, "b_indices": b_ix, "b_values": b_v,
                       "b_shape": b_sh, "thresh": thresh}, {}, {"T": a_v.dtype, "Treal": thresh.dtype})


av, bv = tf.constant([1.0, -2.0, 0.5, 3.0]), tf.constant([0.25, 2.0, -0.5, 1.0, -3.0])
sadd(ix(A1), av, sh(4, 4), ix(B1), bv, sh(4, 4), tf.constant(0.0))
sadd(ix(A1), av, sh(4, 4), ix(B1), bv, sh(4, 4), tf.constant(0.3))
sadd(ix(A1), av, sh(4, 4), ix(B1), bv, sh(4, 4), tf.constant(1.0))
sadd(ix(A1), av, sh(4, 4), ix(B1), bv, sh(4, 4), tf.constant(-1.0))
sadd(ix(A1), av, sh(4, 4), ix([], 2), tf.zeros([0]), sh(4, 4), tf.constant(0.0))
sadd(ix([], 2), tf.zeros([0]), sh(4, 4), ix([], 2), tf.zeros([0]), sh(4, 4), tf.constant(0.0))
sadd(ix(A1), av, sh(4, 4), ix(B1), bv, sh(4, 5), tf.constant(0.0))
sadd(ix(A1), av, sh(4, 4), ix([[0, 0, 0]]), tf.constant([1.0]), sh(4, 4, 1), tf.constant(0.0))
sadd(ix(A1), av, sh(4, 4), ix(B1), bv[:4], sh(4, 4), tf.constant(0.0))
sadd(ix(A1), av, sh(4, 4), ix(B1), bv, sh(4, 4), tf.constant([0.0]))
sadd(ix(A1), av, tf.constant([[4, 4]], i64), ix(B1), bv, sh(4, 4), tf.constant(0.0))
sadd(ix([0, 1]), tf.constant([1.0, 2.0]), sh(4, 4), ix(B1), bv, sh(4, 4), tf.constant(0.0))
sadd(ix([[1, 1], [0, 0]]), tf.constant([1.0, 2.0]), sh(4, 4), ix(B1), bv, sh(4, 4), tf.constant(0.0))  # unordered
sadd(ix([[0, 0], [0, 0]]), tf.constant([1.0, 2.0]), sh(4, 4), ix([[0, 0]]), tf.constant([5.0]), sh(4, 4), tf.constant(0.0))
sadd(ix([[0, 0], [9, 9]]), tf.constant([1.0, 2.0]), sh(4, 4), ix([[0, 0]]), tf.constant([5.0]), sh(4, 4), tf.constant(0.0))
sadd(ix([[0], [2]]), tf.constant([1, 2]), sh(3), ix([[1], [2]]), tf.constant([5, -2]), sh(3), tf.constant(1))
for dt in NUMBERS:
    case("SparseAddGrad", {"backprop_val_grad": vals(dt, 7, seed=5), "a_indices": ix(A1), "b_indices": ix(B1),
                           "sum_indices": ix([[0, 0], [0, 1], [0, 2], [1, 1], [2, 0], [2, 3], [3, 3]])}, {}, {"T": dt})
case("SparseAddGrad", {"backprop_val_grad": vals(f32, 2), "a_indices": ix([[0, 0]]), "b_indices": ix([[1, 1]]),
                       "sum_indices": ix([[0, 0], [1, 1]])}, {}, {"T": f32})
case("SparseAddGrad", {"backprop_val_grad": vals(f32, 3), "a_indices": ix([[0, 0]]), "b_indices": ix([[1, 1]]),
                       "sum_indices": ix([[0, 0], [1, 1]])}, {}, {"T": f32})
case("SparseAddGrad", {"backprop_val_grad": vals(f32, 2), "a_indices": ix([[0, 0]]), "b_indices": ix([[1, 1, 1]]),
                       "sum_indices": ix([[0, 0], [1, 1]])}, {}, {"T": f32})
case("SparseAddGrad", {"backprop_val_grad": vals(f32, 1), "a_indices": ix([[0, 0]]), "b_indices": ix([[1, 1]]),
                       "sum_indices": ix([[0, 0]])}, {}, {"T": f32})
case("SparseAddGrad", {"backprop_val_grad": tf.reshape(vals(f32, 2), [1, 2]), "a_indices": ix([[0, 0]]), "b_indices": ix([[1, 1]]),
                       "sum_indices": ix([[0, 0], [1, 1]])}, {}, {"T": f32})
case("SparseAddGrad", {"backprop_val_grad": vals(f32, 0), "a_indices": ix([], 2), "b_indices": ix([], 2),
                       "sum_indices": ix([], 2)}, {}, {"T": f32})

# --- SparseReshape --------------------------------------------------------------------------------


def srs(indices, in_shape, new_shape):
    case("SparseReshape", {"input_indices": indices, "input_shape": tf.constant(in_shape, i64), "new_shape": tf.constant(new_shape, i64)})


srs(ix(R_IX), R_SHAPE, [6, 4])
srs(ix(R_IX), R_SHAPE, [-1, 2])
srs(ix(R_IX), R_SHAPE, [24])
srs(ix(R_IX), R_SHAPE, [2, -1, 3])
srs(ix(R_IX), R_SHAPE, [4, 3, 2])
srs(ix(R_IX), R_SHAPE, [5, 5])
srs(ix(R_IX), R_SHAPE, [-1, -1])
srs(ix(R_IX), R_SHAPE, [-1, 5])
srs(ix(R_IX), R_SHAPE, [-2, 12])
srs(ix(R_IX), R_SHAPE, [[6, 4]])
srs(ix(R_IX), [[4, 3, 2]], [6, 4])
srs(ix(R_IX), [4, 3], [6, 2])
srs(tf.constant([0, 1], i64), [4], [2, 2])
srs(ix([], 2), [0, 4], [-1, 2])
srs(ix([], 2), [0, 4], [0, -1])
srs(ix([], 2), [3, 4], [0, -1])
srs(ix([[9, 9]]), [3, 4], [12])

# --- SparseConcat ---------------------------------------------------------------------------------


def scat(parts, dim, dt=f32):
    case("SparseConcat", {"indices": [p[0] for p in parts], "values": [p[1] for p in parts], "shapes": [p[2] for p in parts]},
         {"concat_dim": dim}, {"T": dt, "N": len(parts)})


P1 = (ix([[0, 1], [1, 0]]), tf.constant([1.0, 2.0]), sh(2, 3))
P2 = (ix([[0, 0], [1, 2], [1, 3]]), tf.constant([3.0, 4.0, 5.0]), sh(2, 4))
P3 = (ix([[1, 1]]), tf.constant([6.0]), sh(2, 2))
for dt in NUMBERS + [b, s]:
    def cv(v):
        if dt == s:
            return tf.strings.as_string(v)
        if dt == b:
            return v > 2.5
        return tf.cast(v, dt)
    scat([(P1[0], cv(P1[1]), P1[2]), (P2[0], cv(P2[1]), P2[2])], 1, dt)
scat([P1, P2, P3], 1)
scat([P1, P2, P3], -1)
scat([P1, P1], 0)
scat([P1, P1], -2)
scat([P1, (ix([], 2), tf.zeros([0]), sh(2, 5))], 1)
scat([P1, P2], 0)
scat([P1, P2], 2)
scat([P1, P2], -3)
scat([P1, (ix([[0, 0, 0]]), tf.constant([1.0]), sh(2, 2, 1))], 1)
scat([P1, (ix([[0, 0]]), tf.constant([1.0, 2.0]), sh(2, 2))], 1)
scat([P1, (ix([0, 0]), tf.constant([1.0, 2.0]), sh(2, 2))], 1)
scat([P1, (ix([[0, 0]]), tf.constant([1.0]), tf.constant([[2, 2]], i64))], 1)
scat([(ix([[1, 1], [0, 1]]), tf.constant([1.0, 2.0]), sh(2, 3)), P2], 1)  # unordered inputs
scat([(ix([[0, 1, 0], [1, 0, 1]]), tf.constant([1.0, 2.0]), sh(2, 3, 2)), (ix([[0, 0, 1]]), tf.constant([7.0]), sh(2, 1, 2))], 1)
scat([(ix([[0], [2]]), tf.constant([1.0, 2.0]), sh(3)), (ix([[1]]), tf.constant([7.0]), sh(2))], 0)

# --- SparseReorder --------------------------------------------------------------------------------

for dt in NUMBERS + [b, s]:
    v = vals(dt, 5) if dt not in (b, s) else (tf.constant([True, False, True, False, True]) if dt == b else tf.constant(list("abcde")))
    case("SparseReorder", {"input_indices": ix([[1, 2], [0, 3], [1, 0], [0, 0], [2, 1]]), "input_values": v, "input_shape": sh(3, 4)},
         {}, {"T": dt})


def sro(indices, v, shape):
    case("SparseReorder", {"input_indices": indices, "input_values": v, "input_shape": shape}, {}, {"T": v.dtype})


sro(ix([[1, 2, 0], [0, 0, 1], [1, 0, 0], [0, 0, 0]]), tf.constant([1.0, 2.0, 3.0, 4.0]), sh(2, 3, 2))
sro(ix([[0], [3], [1]]), tf.constant([1, 2, 3]), sh(4))
sro(ix([], 2), tf.zeros([0]), sh(3, 4))
sro(ix([[1, 0], [1, 0]]), tf.constant([1.0, 2.0]), sh(3, 4))
sro(ix([[1, 0], [5, 0]]), tf.constant([1.0, 2.0]), sh(3, 4))
sro(ix([[1, 0], [0, -1]]), tf.constant([1.0, 2.0]), sh(3, 4))
sro(ix([[1, 0], [0, 1]]), tf.constant([1.0, 2.0, 3.0]), sh(3, 4))
sro(ix([[1, 0], [0, 1]]), tf.constant([1.0, 2.0]), sh(3, 4, 5))
sro(ix([1, 0]), tf.constant([1.0, 2.0]), sh(3))
sro(ix([[1, 0], [0, 1]]), tf.constant([[1.0, 2.0]]), sh(3, 4))
sro(ix([[1, 0], [0, 1]]), tf.constant([1.0, 2.0]), tf.constant([[3, 4]], i64))

# --- SparseFillEmptyRows / Grad -------------------------------------------------------------------

for dt in NUMBERS + [b, s]:
    if dt == s:
        v, d = tf.constant(["a", "b", "c"]), tf.constant("z")
    elif dt == b:
        v, d = tf.constant([True, True, False]), tf.constant(True)
    else:
        v, d = vals(dt, 3), tf.cast(tf.constant(3), dt)
    case("SparseFillEmptyRows", {"indices": ix([[0, 1], [2, 0], [2, 3]]), "values": v, "dense_shape": sh(5, 4), "default_value": d},
         {}, {"T": dt})


def sfer(indices, v, shape, d=tf.constant(-1.0)):
    case("SparseFillEmptyRows", {"indices": indices, "values": v, "dense_shape": shape, "default_value": d}, {}, {"T": v.dtype})


sfer(ix([[2, 0], [0, 1], [2, 3]]), tf.constant([1.0, 2.0, 3.0]), sh(4, 4))  # unordered rows
sfer(ix([[0, 1], [0, 0], [1, 3]]), tf.constant([1.0, 2.0, 3.0]), sh(2, 4))  # unordered within a row
sfer(ix([], 2), tf.zeros([0]), sh(3, 4))
sfer(ix([], 2), tf.zeros([0]), sh(0, 4))
sfer(ix([[0, 1, 1], [3, 0, 0]]), tf.constant([1.0, 2.0]), sh(4, 2, 2))
sfer(ix([[0], [2]]), tf.constant([1.0, 2.0]), sh(4))
sfer(ix([[0, 1], [5, 0]]), tf.constant([1.0, 2.0]), sh(4, 4))
sfer(ix([[0, 1], [-1, 0]]), tf.constant([1.0, 2.0]), sh(4, 4))
sfer(ix([[0, 1], [1, 9]]), tf.constant([1.0, 2.0]), sh(4, 4))
sfer(ix([[0, 1]]), tf.constant([1.0, 2.0]), sh(4, 4))
sfer(ix([[0, 1]]), tf.constant([1.0]), sh(4, 4), tf.constant([1.0]))
sfer(ix([[0, 1]]), tf.constant([1.0]), tf.constant([[4, 4]], i64))
sfer(ix([0, 1]), tf.constant([1.0, 2.0]), sh(4, 4))
sfer(ix([[0, 1]]), tf.constant([[1.0]]), sh(4, 4))
sfer(ix([[0, 1]]), tf.constant([1.0]), sh(4, 2, 2))
sfer(ix([[0, 1]]), tf.constant([1.0]), tf.zeros([0], i64))
for dt in NUMBERS:
    case("SparseFillEmptyRowsGrad", {"reverse_index_map": ix([0, 2, 3]), "grad_values": vals(dt, 6, seed=7)}, {}, {"T": dt})
case("SparseFillEmptyRowsGrad", {"reverse_index_map": ix([0, 0, 3]), "grad_values": vals(f32, 4, seed=7)}, {}, {"T": f32})
case("SparseFillEmptyRowsGrad", {"reverse_index_map": ix([0, 4]), "grad_values": vals(f32, 4, seed=7)}, {}, {"T": f32})
case("SparseFillEmptyRowsGrad", {"reverse_index_map": ix([-1, 2]), "grad_values": vals(f32, 4, seed=7)}, {}, {"T": f32})
case("SparseFillEmptyRowsGrad", {"reverse_index_map": ix([[0, 2]]), "grad_values": vals(f32, 4, seed=7)}, {}, {"T": f32})
case("SparseFillEmptyRowsGrad", {"reverse_index_map": ix([0, 2]), "grad_values": tf.reshape(vals(f32, 4, seed=7), [2, 2])}, {}, {"T": f32})
case("SparseFillEmptyRowsGrad", {"reverse_index_map": tf.zeros([0], i64), "grad_values": vals(f32, 2, seed=7)}, {}, {"T": f32})

# --- SparseSlice / SparseSliceGrad ----------------------------------------------------------------

S_IX = [[0, 0], [0, 3], [1, 1], [2, 2], [2, 4], [3, 0]]
for dt in NUMBERS + [b, s]:
    v = vals(dt, 6) if dt not in (b, s) else (tf.constant([True, False] * 3) if dt == b else tf.constant(list("abcdef")))
    case("SparseSlice", {"indices": ix(S_IX), "values": v, "shape": sh(4, 5), "start": sh(1, 1), "size": sh(2, 3)}, {}, {"T": dt})


def ssl(start, size, shape=(4, 5), indices=S_IX, n=6):
    case("SparseSlice", {"indices": ix(indices), "values": vals(f32, n), "shape": tf.constant(list(shape), i64),
                         "start": tf.constant(start, i64), "size": tf.constant(size, i64)}, {}, {"T": f32})


ssl([0, 0], [4, 5])
ssl([0, 0], [10, 10])
ssl([2, 3], [5, 5])
ssl([5, 0], [2, 2])
ssl([4, 5], [1, 1])
ssl([1, 0], [0, 5])
ssl([-1, 0], [2, 2])
ssl([0, 0], [-1, 2])
ssl([0, 0], [2])
ssl([0], [2, 2])
ssl([[0, 0]], [2, 2])
ssl([1, 1], [2, 2], indices=[[3, 0], [1, 1], [2, 2]], n=3)
ssl([1, 1], [2, 2], indices=[[0, 1], [1, 1]], n=3)
ssl([0, 0], [2, 2], indices=[], n=0)
for dt in NUMBERS:
    case("SparseSliceGrad", {"backprop_val_grad": vals(dt, 2, seed=8), "input_indices": ix(S_IX), "input_start": sh(1, 1),
                             "output_indices": ix([[0, 0], [1, 1]])}, {}, {"T": dt})


def sslg(grad, in_ix, start, out_ix):
    case("SparseSliceGrad", {"backprop_val_grad": grad, "input_indices": ix(in_ix), "input_start": tf.constant(start, i64),
                             "output_indices": ix(out_ix)}, {}, {"T": grad.dtype})


sslg(tf.constant([1.0, 2.0, 3.0]), S_IX, [0, 0], [[0, 0], [2, 2], [3, 0]])
sslg(tf.constant([1.0, 2.0]), S_IX, [0, 0], [[0, 0], [2, 1]])
sslg(tf.constant([1.0, 2.0, 3.0]), S_IX, [0, 0], [[0, 0], [2, 2]])
sslg(tf.constant([1.0]), S_IX, [0], [[0, 0]])
sslg(tf.constant([1.0]), S_IX, [0, 0], [[0, 0, 0]])
sslg(tf.zeros([0]), S_IX, [0, 0], np.zeros([0, 2]))
sslg(tf.constant([1.0, 2.0]), S_IX, [0, 0], [[2, 2], [0, 0]])

# --- SparseSoftmax --------------------------------------------------------------------------------

for dt in [f32, f64, f16]:
    case("SparseSoftmax", {"sp_indices": ix(R_IX), "sp_values": vals(dt, 6, seed=9), "sp_shape": sh(*R_SHAPE)}, {}, {"T": dt})


def ssm(indices, v, shape):
    case("SparseSoftmax", {"sp_indices": indices, "sp_values": v, "sp_shape": shape}, {}, {"T": v.dtype})


ssm(ix([[0, 0], [0, 1], [0, 3], [2, 1], [2, 2]]), tf.constant([1.0, 2.0, 3.0, -1.0, 100.0]), sh(3, 4))
ssm(ix([[0], [1], [3]]), tf.constant([1.0, 2.0, 0.5]), sh(4))
ssm(ix([[0, 1], [0, 0], [1, 0]]), tf.constant([1.0, 2.0, 3.0]), sh(2, 2))  # unordered
ssm(ix([], 2), tf.zeros([0]), sh(2, 2))
ssm(ix([[0, 0], [0, 1]]), tf.constant([1.0, 2.0, 3.0]), sh(2, 2))
ssm(ix([[0, 0], [0, 1]]), tf.constant([1.0, 2.0]), sh(2, 2, 2))
ssm(ix([0, 1]), tf.constant([1.0, 2.0]), sh(2))
ssm(ix([[0, 0], [0, 1]]), tf.constant([[1.0, 2.0]]), sh(2, 2))
ssm(ix([[0, 0], [0, 1]]), tf.constant([1.0, 2.0]), tf.constant([[2, 2]], i64))
ssm(ix([[0, 0], [0, 1]]), tf.constant([float("inf"), 2.0]), sh(2, 2))

# --- SparseSplit ----------------------------------------------------------------------------------

for dt in NUMBERS + [b, s]:
    v = vals(dt, 6) if dt not in (b, s) else (tf.constant([True, False] * 3) if dt == b else tf.constant(list("abcdef")))
    case("SparseSplit", {"split_dim": tf.constant(1, i64), "indices": ix(S_IX), "values": v, "shape": sh(4, 5)},
         {"num_split": 2}, {"T": dt})


def ssp(dim, n, indices=S_IX, shape=(4, 5), nv=None):
    nv = len(indices) if nv is None else nv
    case("SparseSplit", {"split_dim": tf.constant(dim, i64), "indices": ix(indices, len(shape)), "values": vals(f32, nv),
                         "shape": tf.constant(list(shape), i64)}, {"num_split": n}, {"T": f32})


ssp(0, 2)
ssp(0, 3)
ssp(1, 3)
ssp(-1, 2)
ssp(-2, 4)
ssp(1, 1)
ssp(0, 5)
ssp(0, 6)
ssp(2, 2)
ssp(-3, 2)
ssp(1, 2, indices=[[3, 0], [0, 4], [1, 1]])
ssp(0, 2, indices=[], nv=0)
ssp(0, 2, nv=5)
ssp(0, 2, shape=(4, 5, 1))
ssp(0, 2, indices=[[0, 0], [9, 1]])
ssp(0, 2, indices=[[0, 0], [-1, 1]])
case("SparseSplit", {"split_dim": tf.constant([0], i64), "indices": ix(S_IX), "values": vals(f32, 6), "shape": sh(4, 5)},
     {"num_split": 2}, {"T": f32})

# --- SparseSparseMaximum / Minimum ----------------------------------------------------------------

for op, types in [("SparseSparseMaximum", REALS), ("SparseSparseMinimum", NUMBERS)]:
    for dt in types:
        case(op, {"a_indices": ix(A1), "a_values": vals(dt, 4), "a_shape": sh(4, 4), "b_indices": ix(B1),
                  "b_values": vals(dt, 5, seed=2), "b_shape": sh(4, 4)}, {}, {"T": dt})

    def smm(a_ix, a_v, a_sh, b_ix, b_v, b_sh):
        case(op, {"a_indices": a_ix, "a_values": a_v, "a_shape": a_sh, "b_indices": b_ix, "b_values": b_v, "b_shape": b_sh},
             {}, {"T": a_v.dtype})

    smm(ix(A1), av, sh(4, 4), ix([], 2), tf.zeros([0]), sh(4, 4))
    smm(ix([], 2), tf.zeros([0]), sh(4, 4), ix([], 2), tf.zeros([0]), sh(4, 4))
    smm(ix(A1), av, sh(4, 4), ix(B1), bv, sh(4, 5))
    smm(ix(A1), av, sh(4, 4), ix([[0, 0, 0]]), tf.constant([1.0]), sh(4, 4, 1))
    smm(ix(A1), av, sh(4, 4), ix(B1), bv[:4], sh(4, 4))
    smm(ix(A1), av, tf.constant([[4, 4]], i64), ix(B1), bv, sh(4, 4))
    smm(ix([0, 1]), tf.constant([1.0, 2.0]), sh(4, 4), ix(B1), bv, sh(4, 4))
    smm(ix([[1, 1], [0, 0]]), tf.constant([1.0, 2.0]), sh(4, 4), ix(B1), bv, sh(4, 4))
    smm(ix([[0, 0], [0, 0]]), tf.constant([1.0, 2.0]), sh(4, 4), ix([[0, 0]]), tf.constant([5.0]), sh(4, 4))
    smm(ix([[0, 0], [9, 9]]), tf.constant([1.0, 2.0]), sh(4, 4), ix([[0, 0]]), tf.constant([5.0]), sh(4, 4))
    smm(ix([[0, 0], [-1, 1]]), tf.constant([1.0, 2.0]), sh(4, 4), ix([[0, 0]]), tf.constant([5.0]), sh(4, 4))
    smm(ix([[0, 0]]), tf.constant([1.0]), sh(4, 5), ix([[0, 0], [0, 7]]), tf.constant([5.0, 3.0]), sh(4, 6))
    smm(ix([[0, 0], [0, 1]]), tf.constant([float("nan"), -1.0]), sh(2, 2), ix([[0, 0], [1, 1]]), tf.constant([1.0, float("nan")]),
        sh(2, 2))

# --- SparseMatMul (tf.matmul with a_is_sparse / b_is_sparse) -------------------------------------
# Multiples of 1/8 with few terms: every partial sum is exact, so any summation order agrees.

for ta_dt in [f32, bf16]:
    for tb_dt in [f32, bf16]:
        for t_a in [False, True]:
            for t_b in [False, True]:
                for a_sp, b_sp in [(False, False), (True, False), (False, True), (True, True)]:
                    a_m = tf.where(tf.constant(np.random.RandomState(3).rand(3, 4) < 0.5), 0.0, dense(f32, [3, 4], seed=4))
                    b_m = tf.where(tf.constant(np.random.RandomState(5).rand(4, 2) < 0.5), 0.0, dense(f32, [4, 2], seed=6))
                    case("SparseMatMul", {"a": tf.cast(tf.transpose(a_m) if t_a else a_m, ta_dt),
                                          "b": tf.cast(tf.transpose(b_m) if t_b else b_m, tb_dt)},
                         {"transpose_a": t_a, "transpose_b": t_b, "a_is_sparse": a_sp, "b_is_sparse": b_sp},
                         {"Ta": ta_dt, "Tb": tb_dt})


def smat(a, b_, **attrs):
    case("SparseMatMul", {"a": tf.constant(a, f32), "b": tf.constant(b_, f32)}, attrs, {"Ta": f32, "Tb": f32})


INF, NAN = float("inf"), float("nan")
smat([[0.0, 1.0]], [[INF], [1.0]], a_is_sparse=True)
smat([[0.0, 1.0]], [[INF], [1.0]])
smat([[0.0, 1.0]], [[INF], [1.0]], b_is_sparse=True)
smat([[2.0, 1.0]], [[0.0], [1.0]], b_is_sparse=True)
smat([[INF, 1.0]], [[0.0], [1.0]], b_is_sparse=True)
smat([[INF, 1.0]], [[0.0], [1.0]], a_is_sparse=True, b_is_sparse=True)
smat([[NAN, 1.0]], [[0.0], [1.0]], a_is_sparse=True)
smat(np.zeros([0, 3]), np.ones([3, 4]), a_is_sparse=True)
smat(np.zeros([2, 0]), np.zeros([0, 4]), a_is_sparse=True)
smat(np.ones([2, 3]), np.ones([2, 3]), a_is_sparse=True)
smat(np.ones([3]), np.ones([3, 4]))
smat(np.ones([2, 3]), np.ones([3]))

# --- tf.sets: DenseToDenseSetOperation, DenseToSparseSetOperation, SparseToSparseSetOperation, SetSize

SET_TYPES = [i8, i16, i32, i64, u8, tf.uint16, s]
OPS = ["a-b", "b-a", "intersection", "union"]


def set_vals(dt, rows):
    if dt == s:
        return tf.constant([[str(v) for v in r] for r in rows]) if isinstance(rows[0], list) else tf.constant([str(v) for v in rows])
    return tf.constant(rows, dt)


D1 = [[3, 1, 1], [2, 5, 7]]
D2 = [[1, 4, 4], [7, 2, 9]]
SP_IX = [[0, 0], [0, 1], [1, 0]]
for dt in SET_TYPES:
    for op in OPS:
        case("DenseToDenseSetOperation", {"set1": set_vals(dt, D1), "set2": set_vals(dt, D2)}, {"set_operation": op},
             {"T": dt})
        case("DenseToSparseSetOperation", {"set1": set_vals(dt, D1), "set2_indices": ix(SP_IX), "set2_values": set_vals(dt, [1, 4, 7]),
                                           "set2_shape": sh(2, 3)}, {"set_operation": op}, {"T": dt})
        case("SparseToSparseSetOperation", {"set1_indices": ix(SP_IX), "set1_values": set_vals(dt, [1, 4, 7]), "set1_shape": sh(2, 3),
                                            "set2_indices": ix([[0, 0], [1, 2]]), "set2_values": set_vals(dt, [4, 5]),
                                            "set2_shape": sh(2, 3)}, {"set_operation": op}, {"T": dt})
    case("SetSize", {"set_indices": ix([[0, 0], [0, 1], [1, 0], [1, 2]]), "set_values": set_vals(dt, [4, 4, 1, 2]), "set_shape": sh(3, 3)},
         {}, {"T": dt})


def dd(a, b_, op="union", **attrs):
    case("DenseToDenseSetOperation", {"set1": tf.constant(a), "set2": tf.constant(b_)}, {"set_operation": op, **attrs}, {"T": i32})


def ds(a, ixs, v, shape, op="union", **attrs):
    case("DenseToSparseSetOperation", {"set1": tf.constant(a), "set2_indices": ix(ixs, len(shape)), "set2_values": tf.constant(v, i32),
                                       "set2_shape": tf.constant(shape, i64)}, {"set_operation": op, **attrs}, {"T": i32})


def ss_(ix1, v1, sh1, ix2, v2, sh2, op="union", **attrs):
    case("SparseToSparseSetOperation", {"set1_indices": ix(ix1, len(sh1)), "set1_values": tf.constant(v1, i32), "set1_shape": tf.constant(sh1, i64),
                                        "set2_indices": ix(ix2, len(sh2)), "set2_values": tf.constant(v2, i32), "set2_shape": tf.constant(sh2, i64)},
         {"set_operation": op, **attrs}, {"T": i32})


def ssz(ixs, v, shape, **attrs):
    case("SetSize", {"set_indices": ix(ixs, len(shape)), "set_values": tf.constant(v, i32), "set_shape": tf.constant(shape, i64)}, attrs,
         {"T": i32})


dd(D1, D2, "UNION")
dd(D1, D2, "bad")
dd([1, 2], [1, 3])
dd(D1, [[1, 2], [3, 4], [5, 6]])
dd(D1, [[1], [3]])
dd(D1, [[[1], [3]]])
dd([[[1, 2], [3, 3]], [[4, 4], [5, 6]]], [[[2, 9]], [[4, 4]]], "intersection")
dd(np.zeros([2, 0], np.int32), np.zeros([2, 0], np.int32))
dd([[1, 1], [2, 2]], [[1, 1], [2, 2]], "a-b")
ds(D1, [[0, 1], [0, 0]], [1, 4], [2, 3])
ds(D1, [[0, 1], [0, 0]], [1, 4], [2, 3], validate_indices=False)
ds(D1, [[0, 1], [5, 0]], [1, 4], [2, 3], validate_indices=False)
ds(D1, [[0, 1], [5, 0]], [1, 4], [2, 3])
ds(D1, [[0], [1]], [1, 4], [2])
ds(D1, [[1, 0]], [1], [2, 5], "b-a")
ds(D1, [], [], [2, 3], "b-a")
ds(D1, [[0, 0]], [1], [3, 3])
ss_(SP_IX, [1, 4, 7], [2, 3], [[1, 0], [0, 1]], [4, 5], [2, 2])
ss_([[1, 0], [0, 1]], [4, 5], [2, 2], SP_IX, [1, 4, 7], [2, 3])
ss_([[1, 0], [0, 1]], [4, 5], [2, 2], SP_IX, [1, 4, 7], [2, 3], validate_indices=False)
ss_(SP_IX, [1, 4, 7], [2, 3], [[1, 0], [0, 9]], [4, 5], [2, 2])
ss_(SP_IX, [1, 4, 7], [2, 3], [[1, 0], [0, 9]], [4, 5], [2, 2], validate_indices=False)
ss_(SP_IX, [1, 4, 7], [2, 3], [], [], [2, 3], "intersection")
ss_([], [], [2, 3], [], [], [2, 3])
ss_(SP_IX, [1, 4, 7], [2, 3], [[0, 0, 0]], [1], [2, 3, 1])
ss_([[0, 0, 1], [1, 2, 0], [1, 2, 1]], [3, 3, 1], [2, 3, 2], [[1, 2, 0], [1, 1, 0]], [3, 8], [2, 3, 4], "a-b", validate_indices=False)
ssz([[0, 0], [0, 1], [1, 0]], [4, 4, 1], [2, 3])
ssz([[0, 1], [0, 0]], [4, 4], [2, 3])
ssz([[0, 1], [0, 0]], [4, 4], [2, 3], validate_indices=False)
ssz([[0], [1]], [4, 4], [3])
ssz([[0, 0], [3, 1]], [4, 4], [2, 3], validate_indices=False)
ssz([[0, 0], [1, 1]], [4, 4], [2, 3, 1])
ssz([[0, 0, 0], [1, 1, 1]], [4, 4], [2, 3, 2])
ssz([], [], [2, 3])

with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "cases": cases}, f, separators=(",", ":"))
print(f"{len(cases)} cases -> {OUT}")
