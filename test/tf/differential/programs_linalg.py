"""Programs with dense linear algebra and the incomplete gamma/beta functions the way tf.compat.v1
programs use them: tf.linalg inv / det / slogdet / solve on fed batches with their gradients,
cholesky, triangular_solve, eigh and svd (recorded through quantities that do not depend on the
sign of eigen- or singular vectors), tf.math.igamma / igammac / betainc and their gradients, and
what TF does with a singular matrix (an error) and a matrix that is not positive definite (NaNs)."""

import numpy as np
import tensorflow as tf
from programs import cap, program, session

v1 = tf.compat.v1

RNG = np.random.RandomState(11)
BATCH = (RNG.uniform(-1, 1, [2, 3, 3]) + 3 * np.eye(3)).astype(np.float32)
RHS = RNG.uniform(-1, 1, [2, 3, 2]).astype(np.float32)
A = RNG.uniform(-1, 1, [2, 3, 3])
SPD = (A @ np.swapaxes(A, -1, -2) + 3 * np.eye(3)).astype(np.float32)


@program()
def linalg_inverse_determinant(target):
    """tf.linalg.inv / det / slogdet / solve on a fed batch of 3×3 matrices, with the gradients
    TF's autodiff builds for them (MatMul, MatrixInverse, MatrixSolve with adjoint); an exactly
    singular matrix's inverse and solve fail with TF's INVALID_ARGUMENT; det of a singular matrix
    is 0 and slogdet's sign 0 with log|det| -inf."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 3, 3], name="x")
        b = v1.placeholder(tf.float32, [None, 3, 2], name="b")
        inv = tf.linalg.inv(x)
        inv_adj = tf.linalg.inv(x, adjoint=True)
        det = tf.linalg.det(x)
        sign, logdet = tf.linalg.slogdet(x)
        sol = tf.linalg.solve(x, b)
        sol_adj = tf.linalg.solve(x, b, adjoint=True)
        (dinv,) = tf.gradients(tf.reduce_sum(inv * inv), x)
        (ddet,) = tf.gradients(det, x)
        (dlogdet,) = tf.gradients(logdet, x)
        dsol = tf.gradients(tf.reduce_sum(sol * sol), [x, b])
    r = {}
    with session(target, g) as sess:
        feed = {x: BATCH, b: RHS}
        r["values"] = cap(lambda: sess.run([inv, inv_adj, det, sign, logdet, sol, sol_adj], feed))
        r["gradients"] = cap(lambda: sess.run([dinv, ddet, dlogdet, dsol], feed))
        singular = np.array([[[1, 2, 3], [2, 4, 6], [1, 0, 1]]], np.float32)
        r["singular_det"] = cap(lambda: sess.run([det, sign, logdet], {x: singular}))
        r["singular_inverse"] = cap(lambda: sess.run(inv, {x: singular}))
        r["singular_solve"] = cap(lambda: sess.run(sol, {x: singular, b: RHS[:1]}))
        r["empty_batch"] = cap(lambda: sess.run([inv, det], {x: np.zeros([0, 3, 3], np.float32)}))
    return r


@program()
def linalg_cholesky_triangular(target):
    """tf.linalg.cholesky of fed positive-definite matrices, cholesky_solve and triangular_solve
    (lower/upper, adjoint, a matrix broadcast against a batch of right-hand sides); a matrix that is
    not positive definite gives NaN in the lower triangle (TF 2.21 no longer fails; its upper
    triangle is uninitialized, so only the lower one is fetched); non-square and rank-1 inputs fail."""
    g = tf.Graph()
    with g.as_default():
        a = v1.placeholder(tf.float32, [None, 3, 3], name="a")
        rhs = v1.placeholder(tf.float32, [None, 3, 2], name="rhs")
        l = tf.linalg.cholesky(a)
        chol_sol = tf.linalg.cholesky_solve(l, rhs)
        lower = tf.linalg.triangular_solve(l, rhs, lower=True)
        upper_adj = tf.linalg.triangular_solve(tf.linalg.matrix_transpose(l), rhs, lower=False, adjoint=True)
        one = tf.linalg.triangular_solve(l[0], rhs, lower=True)
        lower_idx = [[i, j] for i in range(3) for j in range(i + 1)]
        lower_part = tf.gather_nd(l[0], lower_idx)
        any_shape = v1.placeholder(tf.float32, None, name="any_shape")
        l_any = tf.linalg.cholesky(any_shape)
    r = {}
    with session(target, g) as sess:
        r["values"] = cap(lambda: sess.run([l, chol_sol, lower, upper_adj, one], {a: SPD, rhs: RHS}))
        bad = np.array([[[1, 2, 0], [2, 1, 0], [0, 0, 1]]], np.float32)
        r["not_positive_definite"] = cap(lambda: sess.run(lower_part, {a: bad}))
        r["not_square"] = cap(lambda: sess.run(l_any, {any_shape: np.ones([1, 3, 2], np.float32)}))
        r["rank_1"] = cap(lambda: sess.run(l_any, {any_shape: np.ones([3], np.float32)}))
    return r


@program()
def linalg_eigh_svd(target):
    """tf.linalg.eigh / eigvalsh and tf.linalg.svd on fed batches: eigenvalues and singular values,
    and the sign-independent reconstructions V·diag(e)·Vᵀ and U·diag(s)·Vᵀ, UᵀU and VᵀV (thin and
    full), plus the shapes of their outputs."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 3, 3], name="x")
        m = v1.placeholder(tf.float64, [None, 4, 3], name="m")
        sym = (x + tf.linalg.matrix_transpose(x)) / 2
        e, v = tf.linalg.eigh(sym)
        ev_only = tf.linalg.eigvalsh(sym)
        rebuilt = tf.matmul(v * e[:, None, :], v, transpose_b=True)
        s, u, vv = tf.linalg.svd(m)
        s_only = tf.linalg.svd(m, compute_uv=False)
        usv = tf.matmul(u * s[:, None, :], vv, transpose_b=True)
        sf, uf, vf = tf.linalg.svd(m, full_matrices=True)
        gram_u = tf.matmul(uf, uf, transpose_a=True)
        gram_v = tf.matmul(vf, vf, transpose_a=True)
        shapes = [tf.shape(t) for t in (u, vv, uf, vf)]
    r = {}
    with session(target, g) as sess:
        mm = RNG.uniform(-1, 1, [2, 4, 3])
        r["eigh"] = cap(lambda: sess.run([e, ev_only, rebuilt, sym], {x: BATCH}))
        r["svd"] = cap(lambda: sess.run([s, s_only, usv, sf, gram_u, gram_v, shapes], {m: mm}))
        r["svd_wide"] = cap(lambda: sess.run(tf.linalg.svd(tf.constant(mm[0].T), compute_uv=False)))
    return r


@program()
def incomplete_gamma_beta(target):
    """tf.math.igamma / igammac / betainc / lbeta and the Bessel functions on fed values, with the
    gradients TF builds (IgammaGradA for igamma's a, betainc's x), and tf.random.gamma's
    reparameterization gradient (RandomGammaGrad)."""
    g = tf.Graph()
    with g.as_default():
        a = v1.placeholder(tf.float32, [None], name="a")
        x = v1.placeholder(tf.float32, [None], name="x")
        p = tf.math.igamma(a, x)
        q = tf.math.igammac(a, x)
        bi = tf.math.betainc(a, a + 1.0, x / (x + 1.0))
        lb = tf.math.lbeta(tf.stack([a, x], axis=1))
        i0 = tf.math.special.bessel_i0e(x)
        i1 = tf.math.special.bessel_i1e(-x)
        grads = tf.gradients(tf.reduce_sum(p) + tf.reduce_sum(q * q), [a, x])
        (dbx,) = tf.gradients(tf.reduce_sum(bi), x)
        alpha = v1.placeholder(tf.float32, [None], name="alpha")
        sample = tf.random.gamma([3], alpha, seed=7)
        (dalpha,) = tf.gradients(tf.reduce_sum(sample), alpha)
    r = {}
    with session(target, g) as sess:
        feed = {a: [0.5, 1.0, 2.5, 7.0, 30.0], x: [0.1, 1.5, 3.0, 8.0, 25.0]}
        r["values"] = cap(lambda: sess.run([p, q, bi, lb, i0, i1], feed))
        r["gradients"] = cap(lambda: sess.run([grads, dbx], feed))
        r["domain"] = cap(lambda: sess.run([p, q], {a: [-1.0, 0.0, 1.0], x: [1.0, 1.0, -1.0]}))
        r["gamma_sample_gradient"] = cap(lambda: sess.run([sample, dalpha], {alpha: [0.5, 2.0, 9.0]}))
    return r


@program()
def linalg_lu_lstsq_tridiagonal(target):
    """tf.linalg.lu (packed factors and permutation; tf.linalg.lu_solve needs MatrixBandPart, not
    here yet), MatrixSolveLs (tf.linalg.lstsq's op)
    (fast normal equations, regularized, and the minimum-norm fast=False path on a rank-deficient
    matrix), and tf.linalg.tridiagonal_solve with its gradient (pivoting and Thomas), including a
    singular tridiagonal system (NaN)."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float64, [None, 3, 3], name="x")
        lu, perm = tf.linalg.lu(x)
        a = v1.placeholder(tf.float64, [5, 3], name="a")
        rhs = v1.placeholder(tf.float64, [5, 1], name="rhs")
        # (tf.linalg.lstsq's Python wrapper also builds MatrixDiagV3, not here yet: the op directly)
        ls = tf.raw_ops.MatrixSolveLs(matrix=a, rhs=rhs, l2_regularizer=tf.constant(0.0, tf.float64))
        ls_reg = tf.raw_ops.MatrixSolveLs(matrix=a, rhs=rhs, l2_regularizer=tf.constant(0.5, tf.float64))
        ls_slow = tf.raw_ops.MatrixSolveLs(matrix=a, rhs=rhs, l2_regularizer=tf.constant(0.0, tf.float64), fast=False)
        diags = v1.placeholder(tf.float32, [3, 4], name="diags")
        trhs = v1.placeholder(tf.float32, [4, 2], name="trhs")
        tri = tf.linalg.tridiagonal_solve(diags, trhs)
        thomas = tf.linalg.tridiagonal_solve(diags, trhs, partial_pivoting=False)
        dtri = tf.gradients(tf.reduce_sum(tri * tri), [diags, trhs])
    r = {}
    with session(target, g) as sess:
        r["lu"] = cap(lambda: sess.run([lu, perm], {x: BATCH.astype(np.float64)}))
        av = RNG.uniform(-1, 1, [5, 3])
        rv = RNG.uniform(-1, 1, [5, 1])
        r["lstsq"] = cap(lambda: sess.run([ls, ls_reg, ls_slow], {a: av, rhs: rv}))
        deficient = np.array([[1, 2, 3], [2, 4, 6], [1, 0, 1], [0, 1, 1], [3, 6, 9]], np.float64)
        r["lstsq_rank_deficient"] = cap(lambda: sess.run(ls_slow, {a: deficient, rhs: rv}))
        dv = np.array([[0.5, -1.0, 2.0, 0.0], [3.0, 4.0, -2.5, 5.0], [0.0, 1.0, 0.25, -1.5]], np.float32)
        tv = RNG.uniform(-1, 1, [4, 2]).astype(np.float32)
        r["tridiagonal"] = cap(lambda: sess.run([tri, thomas, dtri], {diags: dv, trhs: tv}))
        r["tridiagonal_singular"] = cap(lambda: sess.run(tri, {diags: np.zeros([3, 4], np.float32), trhs: tv}))
    return r
