#!/usr/bin/env python3
"""Writes segments-fixtures.json: TensorFlow 2.21's own results for the unique, segment-reduction and
bincount ops (and the gradient ops tf.gradients emits for them), read by ../segments-fixtures.test.ts.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_segments_fixtures.py

Each case is one tf.raw_ops call (eager, CPU):
    {"op", "attrs": {name: [kind, value]}, "inputs": [tensor], "outputs": [tensor] | "error":
     {"code", "message"}}
with tensors and attrs encoded by tf_fixtures.py. A dtype TF has no CPU kernel for is left out.
Data values are small integers or multiples of 1/8, so every sum, product and mean here is exact in
every float dtype whatever order TF accumulates in.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tf_fixtures import attr_of, clean, enc  # noqa: E402

R = tf.raw_ops
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "segments-fixtures.json")

f16, bf16, f32, f64 = tf.float16, tf.bfloat16, tf.float32, tf.float64
i8, i16, i32, i64 = tf.int8, tf.int16, tf.int32, tf.int64
u8, u16, u32, u64 = tf.uint8, tf.uint16, tf.uint32, tf.uint64
c64, c128 = tf.complex64, tf.complex128
FLOATS = [f32, f64, f16, bf16]
REALS = FLOATS + [i8, i16, i32, i64, u8, u16, u32, u64]
NUMBERS = REALS + [c64, c128]

cases = []


def case(op, inputs, attrs=None, inferred=None):
    """tf.raw_ops.<op>(**inputs, **attrs); `inferred` are the attrs TF infers from the inputs, which
    a GraphDef node carries explicitly."""
    attrs = attrs or {}
    try:
        out = getattr(R, op)(**inputs, **attrs)
    except tf.errors.NotFoundError:
        return
    except tf.errors.OpError as e:
        out = e
    c = {"op": op, "attrs": {k: attr_of(v) for k, v in {**(inferred or {}), **attrs}.items()}}
    c["inputs"] = [enc(t) for t in inputs.values()]
    if isinstance(out, tf.errors.OpError):
        c["error"] = {"code": out.error_code, "message": clean(out.message)}
    elif isinstance(out, (list, tuple)):
        c["outputs"] = [enc(o) for o in out]
    else:
        c["outputs"] = [enc(out)]
    cases.append(c)


def vals(dtype, values):
    """`values` (numbers) as a tensor of `dtype`; complex gets an imaginary part of -values/2."""
    a = np.asarray(values, np.float64)
    if dtype.is_complex:
        return tf.constant(a - 0.5j * a, dtype)
    if dtype.is_unsigned:
        a = np.abs(a)
    return tf.cast(tf.constant(a), dtype)


def ids(values, dtype=i32):
    return tf.constant(values, dtype)


# --- sorted segment reductions ---------------------------------------------------------------
SEGMENT_TYPES = {"SegmentSum": NUMBERS, "SegmentMean": NUMBERS, "SegmentProd": NUMBERS,
                 "SegmentMin": REALS, "SegmentMax": REALS}


def segment(op, data, seg, dtype=None):
    dtype = dtype or data.dtype
    case(op, {"data": data, "segment_ids": seg}, inferred={"T": data.dtype, "Tindices": seg.dtype})


def sorted_segments():
    d62 = [[1, -2], [3, 0.5], [-1.5, 2], [2, 2], [-3, 1], [0.25, -1]]
    for op, types in SEGMENT_TYPES.items():
        for dt in types:
            # A gap (segment 2) and a leading gap (segment 0 of the second case).
            segment(op, vals(dt, d62), ids([0, 0, 1, 3, 3, 3]))
            segment(op, vals(dt, [5, -7, 3, 2]), ids([1, 1, 1, 4], i64))
        data = vals(f32, d62)
        segment(op, vals(f32, np.arange(24).reshape(4, 3, 2) / 8 - 1), ids([0, 1, 1, 2]))
        segment(op, vals(f32, np.zeros((0, 3))), ids([]))
        segment(op, vals(f32, [[1, 2], [3, 4]]), ids([2, 2], i64))
        segment(op, vals(i32, [7, -7, 5, -5, 3]), ids([0, 0, 0, 1, 1]))
        segment(op, vals(f32, [1, float("nan"), 2, 3]), ids([0, 0, 1, 1]))
        # NaN by position, in rows narrower than a SIMD packet (TF's scalar path).
        for d in NAN_ORDERS:
            segment(op, vals(f32, d), ids([0, 0, 0, 1]))
        segment(op, vals(f32, [float("inf"), -1, float("-inf"), 3]), ids([0, 0, 1, 1]))
        # errors
        segment(op, data, ids([0, 0, 2, 1, 3, 3]))  # not increasing
        segment(op, data, ids([-1, 0, 0, 1, 1, 1]))  # negative first id
        segment(op, data, ids([-3, -2, -2, -1, -1, -1]))  # all negative
        segment(op, data, ids([0, 1, 2]))  # wrong length
        segment(op, data, ids([[0, 0, 1], [1, 2, 2]]))  # not a vector
        segment(op, tf.constant(1.0), ids([0]))  # scalar data
        segment(op, vals(f32, np.zeros((0, 2))), ids([-1]))


NAN = float("nan")
NAN_ORDERS = [[NAN, 1, 2, NAN], [1, NAN, 2, 5], [1, 2, NAN, 5]]


# --- unsorted segment reductions ---------------------------------------------------------------
UNSORTED_TYPES = {"UnsortedSegmentSum": NUMBERS, "UnsortedSegmentProd": NUMBERS,
                  "UnsortedSegmentMin": REALS, "UnsortedSegmentMax": REALS}


def unsorted(op, data, seg, n):
    case(op, {"data": data, "segment_ids": seg, "num_segments": n},
         inferred={"T": data.dtype, "Tindices": seg.dtype, "Tnumsegments": n.dtype})


def unsorted_segments():
    d52 = [[1, -2], [3, 0.5], [-1.5, 2], [2, 2], [-3, 1]]
    for op, types in UNSORTED_TYPES.items():
        for dt in types:
            unsorted(op, vals(dt, d52), ids([0, 2, -1, 0, 2]), tf.constant(4))
        unsorted(op, vals(f32, d52), ids([3, 1, 1, 0, 3], i64), tf.constant(4, i64))
        unsorted(op, vals(f32, np.arange(12).reshape(2, 3, 2) - 5), ids([[0, 1, 0], [2, -5, 1]]), tf.constant(3))
        unsorted(op, vals(f32, [1, float("nan"), 2]), ids([0, 0, 1]), tf.constant(2))
        unsorted(op, vals(f32, np.zeros((0, 2))), ids([]), tf.constant(2))
        unsorted(op, vals(f32, [1, 2]), ids([0, 1]), tf.constant(0))
        if op == "UnsortedSegmentSum":  # the only unsorted reduction TF registers int16 ids for
            unsorted(op, vals(f32, [1, 2]), ids([1, 1], i16), tf.constant(3))
        for d in NAN_ORDERS:
            unsorted(op, vals(f32, d), ids([0, 0, 0, 1]), tf.constant(2))
        # errors
        unsorted(op, vals(f32, d52), ids([0, 2, 4, 0, 2]), tf.constant(4))
        unsorted(op, vals(f32, d52), ids([0, 1]), tf.constant(4))
        unsorted(op, vals(f32, d52), ids([0, 1, 1, 1, 1]), tf.constant(-1))
        unsorted(op, vals(f32, d52), ids([0, 1, 1, 1, 1]), tf.constant([4]))
        unsorted(op, vals(f32, np.zeros((2, 3))), ids([[0, 1, 0], [2, 5, 1]]), tf.constant(3))


# --- sparse segment reductions and their gradients ----------------------------------------------
SPARSE_TYPES = {"SparseSegmentSum": REALS, "SparseSegmentMean": FLOATS, "SparseSegmentSqrtN": FLOATS}


def sparse(op, data, idx, seg, n=None):
    inputs = {"data": data, "indices": idx, "segment_ids": seg}
    inferred = {"T": data.dtype, "Tidx": idx.dtype, "Tsegmentids": seg.dtype}
    if n is not None:
        op += "WithNumSegments"
        inputs["num_segments"] = n
        inferred["Tnumsegments"] = n.dtype
    case(op, inputs, inferred=inferred)


def sparse_segments():
    d42 = [[1, -2], [3, 0.5], [-1.5, 2], [2, 2]]
    for op, types in SPARSE_TYPES.items():
        for dt in types:
            sparse(op, vals(dt, d42), ids([0, 1, 3, 1, 2]), ids([0, 0, 2, 2, 2]))
            sparse(op, vals(dt, d42), ids([3, 3, 0]), ids([1, 1, 3]), tf.constant(5))
        data = vals(f32, d42)
        sparse(op, data, ids([0, 2], i64), ids([0, 1], i64), tf.constant(3, i64))
        sparse(op, data, ids([0, 2], i64), ids([0, 1]))
        sparse(op, vals(f32, np.arange(16).reshape(4, 2, 2) / 4), ids([1, 1, 2]), ids([0, 1, 1]))
        sparse(op, vals(f32, [1, 2, 3]), ids([2, 0, 0, 1]), ids([0, 0, 1, 1]))
        sparse(op, data, ids([]), ids([]))
        sparse(op, data, ids([]), ids([]), tf.constant(2))
        # errors
        sparse(op, data, ids([0, 4]), ids([0, 1]))  # index out of range
        sparse(op, data, ids([0, -1]), ids([0, 1]))  # negative index
        sparse(op, data, ids([0, 1, 2]), ids([0, 2, 1]))  # ids not sorted
        sparse(op, data, ids([0, 1, 2]), ids([-1, 0, 1]))  # negative id
        sparse(op, data, ids([0, 1]), ids([0, 0, 1]))  # size mismatch
        sparse(op, data, ids([[0, 1]]), ids([0, 0]))  # indices not a vector
        sparse(op, data, ids([0, 1]), ids([[0, 0]]))  # segment ids not a vector
        sparse(op, data, ids([0, 1]), ids([0, 3]), tf.constant(2))  # id ≥ num_segments
        sparse(op, data, ids([0, 1]), ids([0, 1]), tf.constant([2]))
        sparse(op, tf.constant(1.0), ids([0]), ids([0]))


def sparse_grad(op, grad, idx, seg, dim0, v2=False):
    inputs = {"grad": grad, "indices": idx, "segment_ids": seg,
              ("dense_output_dim0" if v2 else "output_dim0"): dim0}
    case(op + ("GradV2" if v2 else "Grad"), inputs,
         inferred={"T": grad.dtype, "Tidx": idx.dtype, "Tsegmentids": seg.dtype})


def sparse_grads():
    g32 = [[1, -2], [3, 0.5], [-1.5, 2]]
    for op in ["SparseSegmentSum", "SparseSegmentMean", "SparseSegmentSqrtN"]:
        for v2 in (False, True):
            for dt in FLOATS:
                sparse_grad(op, vals(dt, g32), ids([0, 1, 3, 1, 2]), ids([0, 0, 2, 2, 2]), tf.constant(5), v2)
            g = vals(f32, g32)
            sparse_grad(op, g, ids([4, 0, 4], i64), ids([0, 1, 1], i64), tf.constant(6), v2)
            sparse_grad(op, g, ids([2, 2, 0]), ids([2, 0, 1]), tf.constant(3), v2)  # unsorted ids
            sparse_grad(op, vals(f32, np.arange(12).reshape(3, 2, 2) / 4), ids([1, 0]), ids([1, 2]),
                        tf.constant(2), v2)
            if v2:  # Grad (v1) leaves its output uninitialised when there are no indices
                sparse_grad(op, g, ids([]), ids([]), tf.constant(3), v2)
            sparse_grad(op, g, ids([0, 1]), ids([0, 1]), tf.constant(0), v2)
            # errors
            sparse_grad(op, g, ids([0, 5]), ids([0, 1]), tf.constant(5), v2)
            sparse_grad(op, g, ids([0, -1]), ids([0, 1]), tf.constant(5), v2)
            sparse_grad(op, g, ids([0, 1]), ids([0, 3]), tf.constant(5), v2)
            sparse_grad(op, g, ids([0, 1]), ids([0, -1]), tf.constant(5), v2)
            sparse_grad(op, g, ids([0, 1]), ids([0, 1, 1]), tf.constant(5), v2)
            sparse_grad(op, g, ids([[0, 1]]), ids([0, 1]), tf.constant(5), v2)
            sparse_grad(op, g, ids([0, 1]), ids([0, 1]), tf.constant([5]), v2)
            sparse_grad(op, tf.constant(1.0), ids([0]), ids([0]), tf.constant(5), v2)


# --- unique ------------------------------------------------------------------------------------
def unique(op, x, out_idx=i32, axis=None):
    inputs = {"x": x}
    inferred = {"T": x.dtype}
    if axis is not None:
        inputs["axis"] = axis
        inferred["Taxis"] = axis.dtype
    case(op, inputs, {"out_idx": out_idx}, inferred)


def uniques():
    for op in ["Unique", "UniqueWithCounts"]:
        for dt in REALS:
            unique(op, vals(dt, [3, 1, 3, 2, 1, 1, 0]))
        unique(op, tf.constant([b"b", b"a", b"b", b"", b"a"]))
        unique(op, tf.constant([True, False, True]), i64)
        unique(op, tf.constant([0.0, -0.0, float("nan"), 1, float("nan"), 0.0]))
        unique(op, tf.constant([], i32), i64)
        # float32/64 hash -0 like +0; half and bfloat16 hash their bits; NaN never equals itself
        unique(op, tf.constant([0.0, -0.0, float("nan"), float("nan")], f64))
        unique(op, tf.constant([0.0, -0.0, float("nan"), float("nan"), 0.0], f16))
        unique(op, tf.constant([-0.0, 0.0, 1.0, -0.0], bf16))
        unique(op, tf.constant([[1, 2], [1, 2]]))
        unique(op, tf.constant(5))
    for op in ["UniqueV2", "UniqueWithCountsV2"]:
        m = tf.constant([[1, 2, 1], [3, 4, 3], [1, 2, 1]])
        for dt in [f32, i64, u8]:
            unique(op, tf.cast(m, dt), axis=tf.constant([0], i64))
        unique(op, tf.constant([b"x", b"y", b"x"]), axis=tf.constant([0], i64))
        unique(op, m, i64, axis=tf.constant([1], i32))
        unique(op, m, axis=tf.constant([-1], i64))
        unique(op, m, axis=tf.constant([-2], i64))
        unique(op, tf.constant([4, 4, 2, 4]), axis=tf.constant([], i64))
        unique(op, tf.reshape(tf.constant([1, 2, 1, 2, 3, 4, 3, 4]), [2, 2, 2]), axis=tf.constant([2], i64))
        unique(op, tf.reshape(tf.constant([1, 2, 1, 2, 3, 4, 3, 4]), [2, 2, 2]), axis=tf.constant([1], i64))
        unique(op, tf.zeros([0, 3]), axis=tf.constant([0], i64))
        unique(op, tf.constant([[NAN, 1], [NAN, 1], [0, 1], [-0.0, 1]]), axis=tf.constant([0], i64))
        unique(op, tf.zeros([2, 0]), axis=tf.constant([0], i64))
        unique(op, tf.zeros([3, 0]), axis=tf.constant([1], i64))
        # errors
        unique(op, m, axis=tf.constant([2], i64))
        unique(op, m, axis=tf.constant([-3], i64))
        unique(op, m, axis=tf.constant([0, 1], i64))
        unique(op, m, axis=tf.constant([], i64))
        unique(op, tf.constant(5), axis=tf.constant([0], i64))
        unique(op, m, axis=tf.constant(0, i64))


# --- bincount ----------------------------------------------------------------------------------
def bincounts():
    arr = tf.constant([1, 1, 4, 0, 7, 1, 3])
    for dt in [i32, i64, f32, f64]:
        case("Bincount", {"arr": arr, "size": tf.constant(5), "weights": vals(dt, [2, 1, 0.5, 3, 4, 5, -1])},
             inferred={"T": dt})
        case("Bincount", {"arr": arr, "size": tf.constant(5), "weights": tf.zeros([0], dt)}, inferred={"T": dt})
    case("Bincount", {"arr": tf.constant([[1, 2], [2, 2]]), "size": tf.constant(3), "weights": tf.zeros([0])},
         inferred={"T": f32})
    case("Bincount", {"arr": tf.constant([], i32), "size": tf.constant(0), "weights": tf.zeros([0])},
         inferred={"T": f32})
    case("Bincount", {"arr": arr, "size": tf.constant(-1), "weights": tf.zeros([0])}, inferred={"T": f32})
    case("Bincount", {"arr": tf.constant([1, -1, 2]), "size": tf.constant(3), "weights": tf.zeros([0])},
         inferred={"T": f32})
    case("Bincount", {"arr": arr, "size": tf.constant([5]), "weights": tf.zeros([0])}, inferred={"T": f32})
    case("Bincount", {"arr": arr, "size": tf.constant(5), "weights": tf.ones([3])}, inferred={"T": f32})

    def dense(inp, size, weights, binary=False):
        case("DenseBincount", {"input": inp, "size": size, "weights": weights}, {"binary_output": binary},
             {"Tidx": inp.dtype, "T": weights.dtype})

    for it in [i32, i64]:
        for dt in [i32, i64, f32, f64]:
            for binary in (False, True):
                dense(tf.constant([1, 1, 4, 0, 7, 1, 3], it), tf.constant(5, it),
                      vals(dt, [2, 1, 0.5, 3, 4, 5, -1]), binary)
                dense(tf.constant([1, 1, 4, 0, 7, 1, 3], it), tf.constant(5, it), tf.zeros([0], dt), binary)
    m = tf.constant([[1, 2, 2, 0], [3, 3, 9, 1]])
    for binary in (False, True):
        dense(m, tf.constant(4), tf.zeros([0]), binary)
        dense(m, tf.constant(4), vals(f32, [[1, 2, 3, 4], [5, 6, 7, 8]]), binary)
    dense(tf.constant([], i32), tf.constant(3), tf.zeros([0]))
    dense(tf.zeros([2, 0], i32), tf.constant(3), tf.zeros([0]))
    dense(tf.constant([1, 2]), tf.constant(0), tf.zeros([0]))
    # errors
    dense(tf.constant([1, -1, 2]), tf.constant(3), tf.zeros([0]))
    dense(tf.constant([[1, -1, 2]]), tf.constant(3), tf.zeros([0]))
    dense(tf.constant([1, 2]), tf.constant(-2), tf.zeros([0]))
    dense(tf.constant([1, 2]), tf.constant([3]), tf.zeros([0]))
    dense(tf.constant([1, 2]), tf.constant(3), tf.ones([3]))
    dense(m, tf.constant(4), tf.ones([4]))
    dense(tf.constant(1), tf.constant(3), tf.zeros([0]))
    dense(tf.zeros([1, 2, 2], i32), tf.constant(3), tf.zeros([0]))

    def ragged(splits, values, size, weights, binary=False):
        case("RaggedBincount", {"splits": tf.constant(splits, i64), "values": values, "size": size, "weights": weights},
             {"binary_output": binary}, {"Tidx": values.dtype, "T": weights.dtype})

    for it in [i32, i64]:
        for dt in [i32, i64, f32, f64]:
            for binary in (False, True):
                ragged([0, 3, 3, 6], tf.constant([1, 2, 2, 3, 9, 0], it), tf.constant(4, it),
                       vals(dt, [1, 2, 3, 4, 5, 0.5]), binary)
                ragged([0, 3, 3, 6], tf.constant([1, 2, 2, 3, 9, 0], it), tf.constant(4, it), tf.zeros([0], dt), binary)
    e = tf.zeros([0])
    ragged([0, 3, 2, 4], tf.constant([1, 2, 2, 3]), tf.constant(4), e)  # TF tolerates unsorted splits
    ragged([0, 0, 4], tf.constant([1, 2, 2, 3]), tf.constant(4), e)
    ragged([0], tf.zeros([0], i32), tf.constant(4), e)
    ragged([0, 4], tf.constant([1, 2, 2, 3]), tf.constant(0), e)
    # errors
    ragged([0, 3, 4], tf.constant([1, -2, 2, 3]), tf.constant(4), e)
    ragged([0, 3, 4], tf.constant([1, 2, 2, 3]), tf.constant(-4), e)
    ragged([0, 3, 5], tf.constant([1, 2, 2, 3]), tf.constant(4), e)
    ragged([1, 3, 4], tf.constant([1, 2, 2, 3]), tf.constant(4), e)
    ragged([], tf.constant([1, 2, 2, 3]), tf.constant(4), e)
    ragged([0, 4], tf.constant([1, 2, 2, 3]), tf.constant([4]), e)

    def sparse_bc(indices, values, dense_shape, size, weights, binary=False):
        case("SparseBincount", {"indices": tf.constant(indices, i64), "values": values,
                                "dense_shape": tf.constant(dense_shape, i64), "size": size, "weights": weights},
             {"binary_output": binary}, {"Tidx": values.dtype, "T": weights.dtype})

    idx = [[0, 0], [0, 2], [1, 1], [1, 2], [2, 0]]
    for it in [i32, i64]:
        for dt in [i32, i64, f32, f64]:
            for binary in (False, True):
                sparse_bc(idx, tf.constant([1, 2, 2, 3, 7], it), [4, 3], tf.constant(4, it),
                          vals(dt, [1, 2, 3, 4, 5]), binary)
                sparse_bc(idx, tf.constant([1, 2, 2, 3, 7], it), [4, 3], tf.constant(4, it), tf.zeros([0], dt), binary)
    sparse_bc([[0], [2], [3]], tf.constant([1, 2, 2]), [5], tf.constant(4), e)
    sparse_bc([[0, 0], [0, 2]], tf.constant([1, -2]), [2, 3], tf.constant(4), e)  # negative values are skipped
    sparse_bc([[0, 0, 0], [1, 0, 2]], tf.constant([1, 2]), [2, 3, 3], tf.constant(4), e)
    sparse_bc(np.zeros([0, 2], np.int64), tf.zeros([0], i32), [2, 3], tf.constant(4), e)
    # errors
    sparse_bc([[0, 0], [0, 2]], tf.constant([1, 2]), [2, 3], tf.constant(-4), e)
    sparse_bc([[0, 0], [5, 2]], tf.constant([1, 2]), [2, 3], tf.constant(4), e)
    sparse_bc([[-1, 0], [0, 2]], tf.constant([1, 2]), [2, 3], tf.constant(4), e)
    sparse_bc([[0, 0], [0, 2]], tf.constant([1, 2, 3]), [2, 3], tf.constant(4), e)
    sparse_bc([[0, 0], [0, 2]], tf.constant([1, 2]), [2, 3, 4], tf.constant(4), e)
    sparse_bc([[0, 0], [0, 2]], tf.constant([1, 2]), [2, 3], tf.constant([4]), e)


def accumulation_order():
    """Inexact float sums, where the order of TF's additions shows: sequential for the sorted and
    unsorted reductions and the gradients, groups of 8 rows for the sparse reductions; half and
    bfloat16 rounded per operation, except in the sparse reductions (float accumulation)."""
    rng = np.random.RandomState(7)
    for dt in [f32, f64]:
        x = tf.constant(rng.randn(40, 3) * 1000 + rng.randn(40, 3), dt)
        seg = ids([0] * 17 + [1] * 23)
        segment("SegmentSum", x, seg)
        segment("SegmentMean", x, seg)
        unsorted("UnsortedSegmentSum", x, seg, tf.constant(2))
        for n in [10, 17, 40]:
            for op in SPARSE_TYPES:
                sparse(op, x, ids(list(range(n))), ids([0] * n))
        sparse("SparseSegmentSum", x, ids(list(range(40))), ids([0] * 9 + [1] * 16 + [3] * 15), tf.constant(4))
        sparse_grad("SparseSegmentSum", x, ids([0] * 40), ids(list(range(40))), tf.constant(2))
        sparse_grad("SparseSegmentMean", x, ids([1] * 40), ids([0] * 20 + [1] * 20), tf.constant(2))
        w = tf.constant(rng.randn(40) * 1000 + rng.randn(40), dt)
        arr = tf.constant(rng.randint(0, 3, 40), i32)
        case("Bincount", {"arr": arr, "size": tf.constant(3), "weights": w}, inferred={"T": dt})
        case("DenseBincount", {"input": arr, "size": tf.constant(3), "weights": w}, {"binary_output": False},
             {"Tidx": i32, "T": dt})
        case("DenseBincount", {"input": tf.reshape(arr, [4, 10]), "size": tf.constant(3), "weights": tf.reshape(w, [4, 10])},
             {"binary_output": False}, {"Tidx": i32, "T": dt})
    for dt, eps in [(f16, 2.0**-11), (bf16, 2.0**-8)]:
        x = tf.constant([[1.0, 1.0], [eps, eps], [eps, 3 * eps], [eps, eps]], dt)
        seg = ids([0, 0, 0, 0])
        for op in SEGMENT_TYPES:
            segment(op, x, seg)
        for op in UNSORTED_TYPES:
            unsorted(op, x, seg, tf.constant(1))
        for op in SPARSE_TYPES:
            sparse(op, x, ids([0, 1, 2, 3]), seg)
            sparse_grad(op, x, ids([0, 0, 0, 0]), ids([0, 1, 2, 3]), tf.constant(1))


def wide_min_max():
    """NaN and ±inf in min/max: TF's sorted reductions run the leading 8 float (4 double) columns in
    SIMD packets that skip NaNs and start from ±inf; the unsorted ones start from lowest/highest."""
    inf = float("inf")
    for dt in FLOATS:
        for cols in [1, 3, 4, 5, 8, 9, 12, 17]:
            x = vals(dt, np.repeat(np.array([[1, 2, NAN], [NAN, 1, 2], [5, NAN, 3]]).reshape(3, 3, 1), cols, 2).reshape(9, cols))
            for op in ["SegmentMax", "SegmentMin"]:
                segment(op, x, ids([0, 0, 0, 1, 1, 1, 2, 2, 2]))
        for op in ["SegmentMax", "SegmentMin", "UnsortedSegmentMax", "UnsortedSegmentMin"]:
            x = vals(dt, [[-inf] * 9, [-inf] * 9, [inf] * 9, [inf] * 9, [NAN] * 9, [NAN] * 9])
            if op.startswith("Unsorted"):
                unsorted(op, x, ids([0, 0, 1, 1, 2, 2]), tf.constant(3))
            else:
                segment(op, x, ids([0, 0, 1, 1, 2, 2]))


def main():
    wide_min_max()
    accumulation_order()
    sorted_segments()
    unsorted_segments()
    sparse_segments()
    sparse_grads()
    uniques()
    bincounts()
    with open(OUT, "w") as f:
        json.dump({"generator": "server/engine/kernels/testdata/gen_segments_fixtures.py", "tensorflow": tf.__version__,
                   "cases": cases}, f, separators=(",", ":"))
        f.write("\n")
    print(f"{len(cases)} cases -> {OUT}")


if __name__ == "__main__":
    main()
