"""Programs using the linear-algebra and array ops of ordinary tf.compat.v1 code: Keras LSTM and GRU
layers in a v1 graph (Orthogonal recurrent initializer: Qr), tf.roll, tf.reverse_sequence,
space/depth/batch rearrangements, tf.searchsorted, tf.histogram_fixed_width, tf.bitwise,
tf.nn.in_top_k, tf.image.extract_patches, tf.nn.max_pool_with_argmax, tf.nn.conv3d and the
tf.linalg band/diag/qr family, each with its gradient where it has one and TF's error for a bad
input."""

import numpy as np
import tensorflow as tf
from programs import cap, program, session

v1 = tf.compat.v1


def _grid(seed, shape, lo=-8, hi=8):
    """Multiples of 1/4: sums and products stay exact in float32."""
    return (np.random.RandomState(seed).randint(lo, hi, shape) / 4.0).astype(np.float32)


def _keras_rnn(target, make_layer):
    """A Keras RNN layer on a placeholder in a v1 graph: its initialised weights, outputs and the
    gradient of a loss with respect to the input, on a fixed batch."""
    g = tf.Graph()
    with g.as_default():
        tf.keras.utils.set_random_seed(7)
        x = v1.placeholder(tf.float32, [2, 5, 3], name="x")
        layer = make_layer()
        y = layer(x)
        loss = tf.reduce_sum(y * y)
        (dx,) = tf.gradients(loss, x)
        init = v1.global_variables_initializer()
    xv = _grid(1, [2, 5, 3])
    r = {}
    with session(target, g) as sess:
        r["init"] = cap(lambda: sess.run(init))
        r["weights"] = cap(lambda: sess.run([w.value for w in layer.weights]))
        r["outputs"] = cap(lambda: sess.run([y, loss, dx], {x: xv}))
    return r


# The Keras RNN layers also need the TensorList ops of their While loop and the stateless random
# ops of their seeded initializers: pending until those land.
@program(control_flow_v2=True)
def keras_lstm_layer(target):
    """tf.keras.layers.LSTM (seeded Glorot kernel, Orthogonal recurrent kernel via Qr) in a v1
    graph: initial weights, outputs and input gradient (functional While with TensorLists)."""
    return _keras_rnn(
        target,
        lambda: tf.keras.layers.LSTM(
            4,
            return_sequences=True,
            kernel_initializer=tf.keras.initializers.GlorotUniform(seed=11),
            recurrent_initializer=tf.keras.initializers.Orthogonal(seed=12),
        ),
    )


@program(control_flow_v2=True)
def keras_gru_layer(target):
    """tf.keras.layers.GRU with seeded initializers in a v1 graph, as keras_lstm_layer."""
    return _keras_rnn(
        target,
        lambda: tf.keras.layers.GRU(
            4,
            kernel_initializer=tf.keras.initializers.GlorotUniform(seed=21),
            recurrent_initializer=tf.keras.initializers.Orthogonal(seed=22),
        ),
    )


@program()
def roll_and_reverse_sequence(target):
    """tf.roll over one and several axes (negative shifts and axes, a repeated axis) and
    tf.reverse_sequence along time and batch axes, with their gradients (Roll and ReverseSequence
    again), plus an out-of-range axis and a too-long sequence length."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [3, 4, 2], name="x")
        shift = v1.placeholder(tf.int32, [None], name="shift")
        axis = v1.placeholder(tf.int32, [None], name="axis")
        lens = v1.placeholder(tf.int64, [3], name="lens")
        rolled = tf.roll(x, shift, axis)
        rolled1 = tf.roll(x, -1, 1)
        rev = tf.reverse_sequence(x, lens, seq_axis=1, batch_axis=0)
        rev_t = tf.reverse_sequence(tf.transpose(x, [1, 0, 2]), lens, seq_axis=0, batch_axis=1)
        w = tf.constant(_grid(2, [3, 4, 2]))
        loss = tf.reduce_sum(rolled * w) + tf.reduce_sum(rev * w * w)
        (dx,) = tf.gradients(loss, x)
    xv = np.arange(24, dtype=np.float32).reshape([3, 4, 2])
    r = {}
    with session(target, g) as sess:
        feeds = {x: xv, shift: [1, -2, 3], axis: [0, -2, 0], lens: [2, 4, 0]}
        r["values"] = cap(lambda: sess.run([rolled, rolled1, rev, rev_t, dx], feeds))
        r["bad_axis"] = cap(lambda: sess.run(rolled, {**feeds, shift: [1], axis: [3]}))
        r["shift_axis_mismatch"] = cap(lambda: sess.run(rolled, {**feeds, shift: [1, 2], axis: [0]}))
        r["too_long"] = cap(lambda: sess.run(rev, {**feeds, lens: [2, 5, 0]}))
        r["negative_len"] = cap(lambda: sess.run(rev, {**feeds, lens: [2, -1, 0]}))
    return r


@program()
def space_depth_batch(target):
    """tf.nn.space_to_depth / depth_to_space and tf.space_to_batch_nd / batch_to_space_nd (with
    paddings and crops), each with its gradient (the inverse op), plus indivisible sizes."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, None, None, 2], name="x")
        s2d = tf.nn.space_to_depth(x, 2)
        d2s = tf.nn.depth_to_space(s2d * 2.0, 2)
        s2b = tf.space_to_batch_nd(x, [2, 2], [[1, 1], [0, 2]])
        b2s = tf.batch_to_space(s2b, [2, 2], [[1, 1], [0, 2]])
        wd = tf.constant(_grid(3, [2, 2, 3, 8]))
        loss = tf.reduce_sum(s2d * wd) + tf.reduce_sum(tf.square(s2b))
        (dx,) = tf.gradients(loss, x)
    xv = np.arange(2 * 4 * 6 * 2, dtype=np.float32).reshape([2, 4, 6, 2]) / 8.0
    r = {}
    with session(target, g) as sess:
        r["values"] = cap(lambda: sess.run([s2d, d2s, s2b, b2s, dx], {x: xv}))
        r["odd_height"] = cap(lambda: sess.run(s2d, {x: np.zeros([1, 3, 4, 2], np.float32)}))
        r["indivisible_padded"] = cap(lambda: sess.run(s2b, {x: np.zeros([1, 3, 4, 2], np.float32)}))
    return r


@program()
def search_histogram_bitwise_topk(target):
    """tf.searchsorted (left and right, int64 output), tf.histogram_fixed_width,
    tf.bitwise.{bitwise_and, bitwise_or, bitwise_xor, invert, left_shift, right_shift} and
    tf.math.population_count-style counts via tf.raw_ops, and tf.nn.in_top_k, plus bad inputs."""
    g = tf.Graph()
    with g.as_default():
        srt = v1.placeholder(tf.float32, [None, None], name="sorted")
        vals = v1.placeholder(tf.float32, [None, None], name="vals")
        left = tf.searchsorted(srt, vals)
        right = tf.searchsorted(srt, vals, side="right", out_type=tf.int64)
        hv = v1.placeholder(tf.float32, [None], name="hv")
        hist = tf.histogram_fixed_width(hv, [0.0, 10.0], nbins=5)
        a = v1.placeholder(tf.int32, [None], name="a")
        b = v1.placeholder(tf.int32, [None], name="b")
        bits = [
            tf.bitwise.bitwise_and(a, b),
            tf.bitwise.bitwise_or(a, b),
            tf.bitwise.bitwise_xor(a, b),
            tf.bitwise.invert(a),
            tf.bitwise.left_shift(a, b),
            tf.bitwise.right_shift(a, b),
            tf.raw_ops.PopulationCount(x=a),
            tf.bitwise.bitwise_and(tf.cast(a, tf.uint8), tf.cast(b, tf.uint8)),
        ]
        pred = v1.placeholder(tf.float32, [None, 4], name="pred")
        tgt = v1.placeholder(tf.int32, [None], name="tgt")
        top2 = tf.nn.in_top_k(tgt, pred, 2)
    r = {}
    with session(target, g) as sess:
        sv = [[0.0, 1.0, 1.0, 3.0, 5.0], [2.0, 2.0, 4.0, 6.0, 8.0]]
        vv = [[1.0, 2.0, 9.0], [0.0, 2.0, 7.0]]
        r["search"] = cap(lambda: sess.run([left, right], {srt: sv, vals: vv}))
        r["search_rows_mismatch"] = cap(lambda: sess.run(left, {srt: sv, vals: [[1.0]]}))
        r["hist"] = cap(lambda: sess.run(hist, {hv: [-1.0, 0.0, 2.5, 9.99, 10.0, 42.0, 5.0]}))
        r["bits"] = cap(lambda: sess.run(bits, {a: [12, -7, 255, 1 << 30, 0], b: [10, 3, 40, 1, -1]}))
        r["bits_bad_shapes"] = cap(lambda: sess.run(bits[0], {a: [1, 2, 3], b: [1, 2]}))
        pv = [[0.1, 0.3, 0.2, 0.4], [0.5, 0.5, 0.1, 0.0], [np.nan, 0.2, 0.3, 0.1]]
        r["in_top_k"] = cap(lambda: sess.run(top2, {pred: pv, tgt: [3, 1, 2]}))
        r["in_top_k_mismatch"] = cap(lambda: sess.run(top2, {pred: pv, tgt: [3, 1]}))
    return r


@program()
def patches_argmax_conv3d(target):
    """tf.image.extract_patches (strides, rates, SAME and VALID), tf.nn.max_pool_with_argmax with
    the gradient of its output (MaxPoolGradWithArgmax), and tf.nn.conv3d with its input and filter
    gradients (Conv3DBackpropInputV2, Conv3DBackpropFilterV2), plus bad ranks and depths."""
    g = tf.Graph()
    with g.as_default():
        img = v1.placeholder(tf.float32, [None, 5, 5, None], name="img")
        patches = tf.image.extract_patches(img, [1, 2, 3, 1], [1, 2, 1, 1], [1, 1, 2, 1], "SAME")
        patches_valid = tf.image.extract_patches(img, [1, 3, 3, 1], [1, 1, 1, 1], [1, 1, 1, 1], "VALID")
        pooled, argmax = tf.nn.max_pool_with_argmax(img, 2, 2, "SAME")
        pooled_b, argmax_b = tf.nn.max_pool_with_argmax(img, 3, 1, "VALID", include_batch_in_index=True)
        (dimg,) = tf.gradients(tf.reduce_sum(pooled * pooled) + tf.reduce_sum(pooled_b), img)
        vol = v1.placeholder(tf.float32, [None, 4, 4, 3, None], name="vol")
        fil = tf.constant(_grid(4, [2, 3, 2, 2, 3]))
        conv = tf.nn.conv3d(vol, fil, [1, 1, 2, 1, 1], "SAME")
        conv_valid = tf.nn.conv3d(vol, fil, [1, 2, 1, 1, 1], "VALID")
        loss = tf.reduce_sum(conv * conv) + tf.reduce_sum(conv_valid)
        dvol, dfil = tf.gradients(loss, [vol, fil])
    r = {}
    iv = _grid(5, [2, 5, 5, 3])
    vv = _grid(6, [1, 4, 4, 3, 2])
    with session(target, g) as sess:
        r["patches"] = cap(lambda: sess.run([patches, patches_valid], {img: iv}))
        r["argmax"] = cap(lambda: sess.run([pooled, argmax, pooled_b, argmax_b, dimg], {img: iv}))
        r["conv3d"] = cap(lambda: sess.run([conv, conv_valid, dvol, dfil], {vol: vv}))
        r["conv3d_bad_depth"] = cap(lambda: sess.run(conv, {vol: np.zeros([1, 4, 4, 3, 3], np.float32)}))
    return r


@program()
def linalg_band_diag_qr(target):
    """tf.linalg.band_part / diag (k ranges, alignments, non-square) / diag_part / set_diag with
    their gradients, tf.linalg.qr (reduced and full) and the Orthogonal-initializer recipe
    (qr of a Gaussian matrix, columns signed by diag(R)), plus bad diagonal indices."""
    g = tf.Graph()
    with g.as_default():
        m = v1.placeholder(tf.float32, [None, 4, 5], name="m")
        d = v1.placeholder(tf.float32, [3, 4], name="d")
        band = tf.linalg.band_part(m, 1, 2)
        upper = tf.linalg.band_part(m, 0, -1)
        dmat = tf.linalg.diag(d, k=(-1, 1), num_rows=4, num_cols=5, padding_value=-1.0, align="LEFT_RIGHT")
        dsq = tf.linalg.diag(d[0])
        part = tf.linalg.diag_part(m, k=(-2, 1), padding_value=9.0)
        part0 = tf.linalg.diag_part(m)
        setd = tf.linalg.set_diag(m, tf.ones([2, 4]))
        # A static shape: TF's shape function rejects a k range on a partially known input.
        m2 = tf.reshape(m, [2, 4, 5])
        setk = tf.linalg.set_diag(m2, d[None] * tf.ones([2, 1, 1]), k=(-1, 1), align="LEFT_LEFT")
        loss = tf.reduce_sum(band * m) + tf.reduce_sum(part * part) + tf.reduce_sum(setd) + tf.reduce_sum(setk)
        (dm,) = tf.gradients(loss, m)
        a = v1.placeholder(tf.float32, [None, None], name="a")
        q, rr = tf.linalg.qr(a)
        qf, rf = tf.linalg.qr(a, full_matrices=True)
        orth = q * tf.sign(tf.linalg.diag_part(rr))
        kk = v1.placeholder(tf.int32, [], name="kk")
        part_k = tf.linalg.diag_part(m, k=kk)
    mv = np.arange(40, dtype=np.float32).reshape([2, 4, 5]) / 4.0
    dv = _grid(7, [3, 4])
    av = np.random.RandomState(8).standard_normal([6, 3]).astype(np.float32)
    r = {}
    with session(target, g) as sess:
        r["band_diag"] = cap(lambda: sess.run([band, upper, dmat, dsq, part, part0, setd, setk, dm], {m: mv, d: dv}))
        r["qr"] = cap(lambda: sess.run([q, rr, qf, rf, orth], {a: av}))
        r["qr_wide"] = cap(lambda: sess.run([q, rr], {a: av.T}))
        r["part_k"] = cap(lambda: sess.run(part_k, {m: mv, kk: -3}))
        r["bad_k"] = cap(lambda: sess.run(part_k, {m: mv, kk: 5}))
        r["bad_set_diag"] = cap(lambda: sess.run(setd, {m: np.zeros([1, 4, 5], np.float32)}))
    return r


@program()
def linalg_solvers_and_gradients(target):
    """tf.linalg.inv / det / cholesky / solve / triangular_solve (lower, upper, adjoint, broadcast
    batch) and tf.linalg.qr, each with its gradient (MatrixTriangularSolve, MatrixInverse,
    MatrixBandPart and the diagonal ops in the gradient graphs), plus a singular matrix, a
    non-square input and mismatched right-hand sides."""
    g = tf.Graph()
    with g.as_default():
        a = v1.placeholder(tf.float64, [None, None], name="a")
        rhs = v1.placeholder(tf.float64, [None, None], name="rhs")
        spd = tf.matmul(a, a, transpose_b=True) + 4.0 * tf.eye(tf.shape(a)[0], dtype=tf.float64)
        inv = tf.linalg.inv(a)
        det = tf.linalg.det(a)
        chol = tf.linalg.cholesky(spd)
        sol = tf.linalg.solve(a, rhs)
        sol_adj = tf.linalg.solve(a, rhs, adjoint=True)
        tri_lo = tf.linalg.triangular_solve(a, rhs)
        tri_up = tf.linalg.triangular_solve(a, rhs, lower=False, adjoint=True)
        tri_b = tf.linalg.triangular_solve(a[None] * tf.ones([2, 1, 1], tf.float64), rhs)
        # Qr's gradient needs static shapes.
        q, r = tf.linalg.qr(tf.reshape(a, [3, 3]))
        loss = (
            tf.reduce_sum(inv * inv) + det + tf.reduce_sum(chol) + tf.reduce_sum(sol * sol)
            + tf.reduce_sum(tri_lo) + tf.reduce_sum(tri_up * tri_up) + tf.reduce_sum(q * q * 3.0) + tf.reduce_sum(r)
        )
        da, drhs = tf.gradients(loss, [a, rhs])
        b32 = v1.placeholder(tf.float32, [None, None], name="b32")
        inv32 = tf.linalg.inv(b32)
        det32 = tf.linalg.det(b32)
    av = np.array([[4.0, 1.0, -1.0], [2.0, 5.0, 0.5], [-1.0, 0.5, 3.0]])
    rv = np.array([[1.0, -2.0], [0.5, 3.0], [2.0, 1.0]])
    r_ = {}
    with session(target, g) as sess:
        r_["values"] = cap(lambda: sess.run([inv, det, chol, sol, sol_adj, tri_lo, tri_up, tri_b, q, r], {a: av, rhs: rv}))
        r_["gradients"] = cap(lambda: sess.run([da, drhs], {a: av, rhs: rv}))
        r_["float32"] = cap(lambda: sess.run([inv32, det32], {b32: av.astype(np.float32)}))
        r_["singular_inv"] = cap(lambda: sess.run(inv32, {b32: [[1.0, 2.0], [2.0, 4.0]]}))
        r_["singular_det"] = cap(lambda: sess.run(det32, {b32: [[1.0, 2.0], [2.0, 4.0]]}))
        r_["singular_solve"] = cap(lambda: sess.run(sol, {a: [[1.0, 2.0], [2.0, 4.0]], rhs: [[1.0], [1.0]]}))
        r_["non_square"] = cap(lambda: sess.run(inv32, {b32: np.ones([2, 3], np.float32)}))
        r_["rhs_mismatch"] = cap(lambda: sess.run(sol, {a: av, rhs: np.ones([2, 1])}))
        r_["tri_mismatch"] = cap(lambda: sess.run(tri_lo, {a: av, rhs: np.ones([2, 1])}))
    return r_


@program()
def pool3d_and_patch_gradients(target):
    """tf.nn.max_pool3d / avg_pool3d (SAME and VALID, ties in the max windows) with their gradients
    (MaxPool3DGrad, AvgPool3DGrad), and the gradient of tf.image.extract_patches (built from
    ExtractImagePatches over an index image and UnsortedSegmentSum), plus a batch-dimension ksize."""
    g = tf.Graph()
    with g.as_default():
        vol = v1.placeholder(tf.float32, [None, 4, 5, 3, 2], name="vol")
        mx = tf.nn.max_pool3d(vol, [2, 2, 2], [1, 2, 1], "SAME")
        av = tf.nn.avg_pool3d(vol, [3, 2, 2], [2, 2, 2], "SAME")
        av_valid = tf.nn.avg_pool3d(vol, 2, 1, "VALID")
        loss = tf.reduce_sum(mx * mx) + tf.reduce_sum(av * 3.0) + tf.reduce_sum(av_valid * av_valid)
        (dvol,) = tf.gradients(loss, vol)
        img = v1.placeholder(tf.float32, [2, 5, 5, 2], name="img")
        patches = tf.image.extract_patches(img, [1, 3, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1], "SAME")
        (dimg,) = tf.gradients(tf.reduce_sum(patches * patches), img)
        bad = tf.raw_ops.AvgPool3D(input=vol, ksize=[2, 1, 1, 1, 1], strides=[1, 1, 1, 1, 1], padding="VALID")
    vv = (np.random.RandomState(9).randint(-3, 3, [2, 4, 5, 3, 2]) / 2.0).astype(np.float32)
    iv = _grid(10, [2, 5, 5, 2])
    r = {}
    with session(target, g) as sess:
        r["pool3d"] = cap(lambda: sess.run([mx, av, av_valid, dvol], {vol: vv}))
        r["patch_grad"] = cap(lambda: sess.run([patches, dimg], {img: iv}))
        r["batch_ksize"] = cap(lambda: sess.run(bad, {vol: vv}))
    return r


@program()
def lstsq_slogdet_cross_eye(target):
    """tf.linalg.lstsq (fast and not, tall and wide, regularised) with its gradient,
    tf.linalg.slogdet and logdet, tf.linalg.cross, tf.eye (MatrixDiagV3) and the complex
    tf.linalg.adjoint (ConjugateTranspose), plus a rank-deficient lstsq and a negative l2."""
    g = tf.Graph()
    with g.as_default():
        a = v1.placeholder(tf.float64, [None, None], name="a")
        b = v1.placeholder(tf.float64, [None, None], name="b")
        l2 = v1.placeholder_with_default(tf.constant(0.0, tf.float64), [], name="l2")
        ls = tf.linalg.lstsq(a, b, l2_regularizer=l2)
        ls_slow = tf.linalg.lstsq(a, b, fast=False)
        (dls,) = tf.gradients(tf.reduce_sum(ls * ls), a)
        sq = v1.placeholder(tf.float32, [3, 3], name="sq")
        sign, logabs = tf.linalg.slogdet(sq)
        logdet = tf.linalg.logdet(tf.matmul(sq, sq, transpose_b=True) + tf.eye(3))
        u = v1.placeholder(tf.float32, [None, 3], name="u")
        cr = tf.linalg.cross(u, u[::-1] + 1.0)
        eye = tf.eye(3, 4, batch_shape=[2], dtype=tf.int32)
        z = tf.complex(sq, sq * 0.5)
        adj = tf.linalg.adjoint(z)
    av = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 4.0], [2.0, 2.0]])
    bv = np.array([[1.0], [0.0], [2.0], [-1.0]])
    sv = np.array([[2.0, -1.0, 0.5], [1.0, 3.0, -2.0], [0.0, 1.0, 1.5]], np.float32)
    r = {}
    with session(target, g) as sess:
        r["tall"] = cap(lambda: sess.run([ls, ls_slow, dls], {a: av, b: bv}))
        r["tall_l2"] = cap(lambda: sess.run(ls, {a: av, b: bv, l2: 0.5}))
        r["wide"] = cap(lambda: sess.run([ls, ls_slow], {a: av.T, b: [[1.0], [2.0]]}))
        r["rank_deficient"] = cap(lambda: sess.run(ls, {a: [[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]], b: [[1.0], [1.0], [1.0]]}))
        r["negative_l2"] = cap(lambda: sess.run(ls, {a: av, b: bv, l2: -1.0}))
        r["dets"] = cap(lambda: sess.run([sign, logabs, logdet], {sq: sv}))
        r["singular_slogdet"] = cap(lambda: sess.run([sign, logabs], {sq: np.ones([3, 3], np.float32)}))
        r["cross_eye_adjoint"] = cap(lambda: sess.run([cr, eye, adj], {u: [[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]], sq: sv}))
        r["cross_empty"] = cap(lambda: sess.run(cr, {u: np.ones([0, 3], np.float32)}))
    return r


@program()
def variable_slice_assign(target):
    """`var[slice].assign(value)` on ref (tf.compat.v1 Variable) and resource variables: strides,
    negative steps, a broadcast scalar, chained slice assignments in one step through control
    dependencies, and a value that does not broadcast to the slice."""
    g = tf.Graph()
    with g.as_default():
        ref = v1.Variable(np.arange(12, dtype=np.float32).reshape([3, 4]), use_resource=False, name="ref")
        res = v1.Variable(np.arange(12, dtype=np.float32).reshape([3, 4]), use_resource=True, name="res")
        val = v1.placeholder(tf.float32, None, name="val")
        ops = []
        for v in (ref, res):
            a1 = v[1:, ::2].assign(tf.fill([2, 2], 7.0))
            with tf.control_dependencies([a1]):
                a2 = v[0, ::-1].assign(tf.constant([1.0, 2.0, 3.0, 4.0]))
            with tf.control_dependencies([a2]):
                a3 = v[:, 3].assign(val)
            ops.append(a3)
        init = v1.global_variables_initializer()
    r = {}
    with session(target, g) as sess:
        r["init"] = cap(lambda: sess.run(init))
        r["assign"] = cap(lambda: sess.run(ops, {val: [9.0, 8.0, 7.0]}) and None)
        r["values"] = cap(lambda: sess.run([ref.value(), res.value()]))
        r["broadcast"] = cap(lambda: sess.run(ops, {val: 5.0}) and sess.run([ref.value(), res.value()]))
        r["bad_value"] = cap(lambda: sess.run(ops[1], {val: [1.0, 2.0]}))
    return r
