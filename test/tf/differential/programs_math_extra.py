"""Programs using tf.einsum (products, traces, transposes, ellipsis broadcasting and their
gradients), complex numbers (tf.complex, tf.math.real / imag / abs / angle / conj), tf.math.rint
and tf.broadcast_dynamic_shape, the way a tf.compat.v1 program writes them."""

import numpy as np
import tensorflow as tf
from programs import cap, program, session

v1 = tf.compat.v1


def _values(seed, *shapes):
    rng = np.random.RandomState(seed)
    return [rng.uniform(-1, 1, s).astype(np.float32) for s in shapes]


@program()
def einsum_products(target):
    """tf.einsum as matmul, batch matmul, outer product, transpose, a reduction and ellipsis
    broadcasting, with tf.gradients through each (the gradient graph is more Einsums, Reshape,
    Sum and BroadcastGradientArgs)."""
    a, b, ba, bb, u, v, e, w = _values(1, [3, 4], [4, 5], [2, 3, 4], [2, 4, 5], [3], [4], [2, 2, 3, 4], [4, 5])
    g = tf.Graph()
    with g.as_default():
        pa = v1.placeholder(tf.float32, [3, 4], name="a")
        pb = v1.placeholder(tf.float32, [4, 5], name="b")
        pba = v1.placeholder(tf.float32, [2, 3, 4], name="ba")
        pbb = v1.placeholder(tf.float32, [2, 4, 5], name="bb")
        pu = v1.placeholder(tf.float32, [3], name="u")
        pv = v1.placeholder(tf.float32, [4], name="v")
        pe = v1.placeholder(tf.float32, None, name="e")  # unknown rank: the gradient works dynamically
        pw = v1.placeholder(tf.float32, [None, None], name="w")
        outs = {
            "matmul": tf.einsum("ij,jk->ik", pa, pb),
            "matmul_implicit": tf.einsum("ij,jk", pa, pb),
            "batch_matmul": tf.einsum("bij,bjk->bik", pba, pbb),
            "outer": tf.einsum("i,j->ij", pu, pv),
            "transpose": tf.einsum("ij->ji", pa),
            "row_sums": tf.einsum("ij->i", pa),
            "bilinear": tf.einsum("i,ij,j->", pu, pa, pv),
            "ellipsis": tf.einsum("...ij,jk->...ik", pe, pw),
        }
        grads = {k: tf.gradients(tf.reduce_sum(y * y), [t for t in (pa, pb, pba, pbb, pu, pv, pe, pw)
                                                         if t.op in _ancestors(y)])
                 for k, y in outs.items()}
    feeds = {pa: a, pb: b, pba: ba, pbb: bb, pu: u, pv: v, pe: e, pw: w}
    r = {}
    with session(target, g) as sess:
        for k in outs:
            r[k] = cap(lambda k=k: sess.run(outs[k], feeds))
            r[k + "_grad"] = cap(lambda k=k: sess.run(grads[k], feeds))
    return r


def _ancestors(t):
    seen, stack = set(), [t.op]
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        stack.extend(i.op for i in op.inputs)
    return seen


@program()
def einsum_diagonals(target):
    """Repeated labels: trace (ii->), diagonal (ii->i), batched diagonals (...ii->...i) and a
    diagonal embedding (i->ii), with gradients (BroadcastTo, Range, inflating Einsums)."""
    (m, bm, d) = _values(2, [4, 4], [2, 3, 3], [3])
    g = tf.Graph()
    with g.as_default():
        pm = v1.placeholder(tf.float32, [4, 4], name="m")
        pbm = v1.placeholder(tf.float32, [2, 3, 3], name="bm")
        pd = v1.placeholder(tf.float32, [3], name="d")
        trace = tf.einsum("ii->", pm)
        diag = tf.einsum("ii->i", pm)
        bdiag = tf.einsum("...ii->...i", pbm)
        # tf.einsum refuses repeated output labels; the raw op (what Einsum's gradient emits) takes them.
        embed = tf.raw_ops.Einsum(inputs=[pd], equation="i->ii")
        g_trace = tf.gradients(trace, pm)
        g_diag = tf.gradients(tf.reduce_sum(diag * diag), pm)
        g_bdiag = tf.gradients(tf.reduce_sum(bdiag), pbm)
        g_embed = tf.gradients(tf.reduce_sum(embed * 2.0), pd)
    feeds = {pm: m, pbm: bm, pd: d}
    r = {}
    with session(target, g) as sess:
        r["values"] = cap(lambda: sess.run([trace, diag, bdiag, embed], feeds))
        r["grads"] = cap(lambda: sess.run([g_trace, g_diag, g_bdiag, g_embed], feeds))
    return r


@program()
def einsum_large(target):
    """A large float32 einsum (tfgate runs it on XNNPACK) against tf.matmul of the same operands."""
    a, b = _values(3, [96, 128], [128, 80])
    g = tf.Graph()
    with g.as_default():
        pa = v1.placeholder(tf.float32, [96, 128])
        pb = v1.placeholder(tf.float32, [128, 80])
        e = tf.einsum("ij,jk->ik", pa, pb)
        et = tf.einsum("ij,kj->ki", pa, tf.transpose(pb))
        diff = tf.reduce_max(tf.abs(e - tf.matmul(pa, pb)))
    r = {}
    with session(target, g) as sess:
        out, out_t, d = sess.run([e, et, diff], {pa: a, pb: b})
        r["sum"] = cap(lambda: np.float32(out.sum()))
        r["corner"] = cap(lambda: out[:3, :3])
        r["transposed_corner"] = cap(lambda: out_t[:3, :3])
        r["close_to_matmul"] = cap(lambda: bool(d < 1e-4))
    return r


@program()
def einsum_errors(target):
    """Einsum errors: a malformed equation (rejected while building, by TF's shape function), and
    at run time mismatched dimensions, a wrong rank, and broadcasting dimensions without an ellipsis
    in the output, fed through placeholders of unknown shape."""
    r = {}
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, None, name="x")
        y = v1.placeholder(tf.float32, None, name="y")
        r["malformed_build"] = cap(lambda: tf.raw_ops.Einsum(inputs=[x, y], equation="ij,jk->ik->"))
        r["three_inputs_build"] = cap(lambda: tf.raw_ops.Einsum(inputs=[x], equation="ij,jk,kl->il"))
        mm = tf.einsum("ij,jk->ik", x, y)
        tr = tf.raw_ops.Einsum(inputs=[x], equation="...ij->ij")
    with session(target, g) as sess:
        r["ok"] = cap(lambda: sess.run(mm, {x: np.ones([2, 3]), y: np.ones([3, 2])}))
        r["mismatch"] = cap(lambda: sess.run(mm, {x: np.ones([2, 3]), y: np.ones([4, 2])}))
        r["rank"] = cap(lambda: sess.run(mm, {x: np.ones([2, 3, 1]), y: np.ones([3, 2])}))
        r["no_output_ellipsis"] = cap(lambda: sess.run(tr, {x: np.ones([2, 2, 3])}))
        r["no_output_ellipsis_ok"] = cap(lambda: sess.run(tr, {x: np.ones([2, 3])}))
    return r


@program()
def complex_parts(target):
    """tf.complex from fed real and imaginary parts, then real / imag / abs / angle / conj fetched as
    complex64 and float32 (and complex128 / float64), with gradients back to the parts."""
    re_v = np.array([3.0, -1.5, 0.0, -0.0, 2.0, -4.0], np.float32)
    im_v = np.array([4.0, 2.0, -1.0, 0.0, 0.0, -3.0], np.float32)
    g = tf.Graph()
    with g.as_default():
        re = v1.placeholder(tf.float32, [6], name="re")
        im = v1.placeholder(tf.float32, [6], name="im")
        z = tf.complex(re, im)
        zc = tf.math.conj(z)
        z128 = tf.complex(tf.cast(re, tf.float64), tf.cast(im, tf.float64))
        parts = [tf.math.real(z), tf.math.imag(z), tf.abs(z), tf.math.angle(z)]
        # abs and angle only where z != 0 (their gradients divide by |z|).
        loss = tf.reduce_sum(tf.abs(z[:2]) + tf.math.angle(z[:2])) + tf.reduce_sum(tf.math.real(zc * z) + tf.math.imag(zc))
        grads = tf.gradients(loss, [re, im])
        parts128 = [tf.math.real(z128), tf.math.imag(z128), tf.abs(z128), tf.math.angle(z128), tf.math.conj(z128)]
        broadcast = tf.complex(tf.reshape(re, [6, 1])[:2], im[:3])
        # Unknown static shapes, so the mismatch reaches the kernel.
        bad = tf.complex(v1.placeholder_with_default(re, None), v1.placeholder_with_default(im[:4], None))
    feeds = {re: re_v, im: im_v}
    r = {}
    with session(target, g) as sess:
        r["z"] = cap(lambda: sess.run(z, feeds))
        r["conj"] = cap(lambda: sess.run(zc, feeds))
        r["parts"] = cap(lambda: sess.run(parts, feeds))
        r["parts128"] = cap(lambda: sess.run(parts128, feeds))
        r["grads"] = cap(lambda: sess.run(grads, feeds))
        r["broadcast"] = cap(lambda: sess.run(broadcast, feeds))
        r["bad_shapes"] = cap(lambda: sess.run(bad, feeds))
    return r


@program()
def rint_and_broadcast_shape(target):
    """tf.math.rint (ties to even, signed zeros) and tf.broadcast_dynamic_shape on fed shapes,
    including incompatible ones (BroadcastArgs' error)."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None], name="x")
        xd = v1.placeholder(tf.float64, [None], name="xd")
        s0 = v1.placeholder(tf.int32, [None], name="s0")
        s1 = v1.placeholder(tf.int32, [None], name="s1")
        l0 = v1.placeholder(tf.int64, [None], name="l0")
        l1 = v1.placeholder(tf.int64, [None], name="l1")
        rint = tf.math.rint(x)
        rint_d = tf.math.rint(xd)
        shape = tf.broadcast_dynamic_shape(s0, s1)
        shape64 = tf.broadcast_dynamic_shape(l0, l1)
        filled = tf.broadcast_to(tf.constant(1.0), shape)
    vals = [-2.5, -1.5, -0.5, -0.4, 0.0, 0.5, 1.5, 2.5, 3.49, 1e10 + 0.5]
    r = {}
    with session(target, g) as sess:
        r["rint"] = cap(lambda: sess.run(rint, {x: vals}))
        r["rint_double"] = cap(lambda: sess.run(rint_d, {xd: vals + [4503599627370495.5]}))
        r["shape"] = cap(lambda: sess.run(shape, {s0: [2, 1, 3], s1: [4, 1]}))
        r["shape_scalar"] = cap(lambda: sess.run(shape, {s0: [], s1: [5]}))
        r["shape64"] = cap(lambda: sess.run(shape64, {l0: [1, 7], l1: [3, 1, 1]}))
        r["filled"] = cap(lambda: sess.run(filled, {s0: [2, 1], s1: [3]}))
        r["incompatible"] = cap(lambda: sess.run(shape, {s0: [2, 3], s1: [4]}))
    return r
