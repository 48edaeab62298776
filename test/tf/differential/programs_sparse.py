"""Programs with tf.sparse, as tf.compat.v1 users write them: SparseTensors fed through
tf.compat.v1.sparse_placeholder (TF's client feeds indices, values and dense_shape as three tensors)
and fetched back as SparseTensorValues, through to_dense, sparse_dense_matmul (and its gradient),
reductions, sparse·dense arithmetic, sparse additions, reshape, concat, reorder, slice,
fill_empty_rows and softmax; and what TF says about bad indices."""

import numpy as np
import tensorflow as tf
from programs import Plain, cap, program, record, session

v1 = tf.compat.v1


def sparse_record(value):
    """A fetched SparseTensorValue as its three arrays (record() has no case for it)."""
    if isinstance(value, v1.SparseTensorValue):
        return Plain({"sparse": [record(value.indices), record(value.values), record(value.dense_shape)]})
    if isinstance(value, dict):
        return {k: sparse_record(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [sparse_record(v) for v in value]
    return value


def scap(fn):
    return cap(lambda: sparse_record(fn()))


def feed(indices, values, shape, dtype=np.float32):
    return v1.SparseTensorValue(np.array(indices, np.int64).reshape([-1, len(shape)]), np.array(values, dtype),
                                np.array(shape, np.int64))


X = feed([[0, 0], [0, 2], [1, 1], [2, 0], [2, 3]], [1.5, -2.0, 0.5, 3.0, -1.25], [3, 4])


@program()
def sparse_to_dense_and_fetch(target):
    """sparse_placeholder → tf.sparse.to_dense (default value, bool and string values), a SparseTensor
    fetched from the session, and TF's errors for out-of-order, repeated and out-of-bounds indices."""
    g = tf.Graph()
    with g.as_default():
        sp = v1.sparse_placeholder(tf.float32, name="sp")
        dense = tf.sparse.to_dense(sp)
        filled = tf.sparse.to_dense(sp, default_value=-1.0)
        unchecked = tf.sparse.to_dense(sp, validate_indices=False)
        doubled = tf.SparseTensor(sp.indices, sp.values * 2.0, sp.dense_shape)
        sb = v1.sparse_placeholder(tf.bool, shape=[2, 3], name="sb")
        ss = v1.sparse_placeholder(tf.string, name="ss")
        bd = tf.sparse.to_dense(sb)
        sd = tf.sparse.to_dense(ss, default_value="-")
    r = {}
    with session(target, g) as sess:
        r["dense"] = scap(lambda: sess.run([dense, filled], {sp: X}))
        r["fetch_sparse"] = scap(lambda: sess.run(doubled, {sp: X}))
        r["fetch_sparse_and_dense"] = scap(lambda: sess.run({"sp": doubled, "d": dense}, {sp: X}))
        r["empty"] = scap(lambda: sess.run([dense, doubled], {sp: feed([], [], [2, 3])}))
        r["bool"] = scap(lambda: sess.run(bd, {sb: feed([[0, 1], [1, 2]], [True, True], [2, 3], np.bool_)}))
        r["string"] = scap(lambda: sess.run(sd, {ss: feed([[1], [3]], [b"a", b"bc"], [4], object)}))
        r["out_of_order"] = scap(lambda: sess.run(dense, {sp: feed([[1, 0], [0, 1]], [1, 2], [2, 2])}))
        r["repeated"] = scap(lambda: sess.run(dense, {sp: feed([[0, 1], [0, 1]], [1, 2], [2, 2])}))
        r["out_of_bounds"] = scap(lambda: sess.run(dense, {sp: feed([[0, 1], [2, 0]], [1, 2], [2, 2])}))
        r["negative"] = scap(lambda: sess.run(dense, {sp: feed([[0, -1]], [1], [2, 2])}))
        r["unchecked_out_of_order"] = scap(lambda: sess.run(unchecked, {sp: feed([[1, 0], [0, 1]], [1, 2], [2, 2])}))
        r["unchecked_out_of_bounds"] = scap(lambda: sess.run(unchecked, {sp: feed([[5, 0]], [1], [2, 2])}))
    return r


@program()
def sparse_dense_matmul_and_gradient(target):
    """tf.sparse.sparse_dense_matmul with its adjoint flags, the gradient wrt the dense matrix and
    wrt the sparse values, a few GradientDescent steps on a variable through it, and an index outside
    the sparse shape."""
    g = tf.Graph()
    with g.as_default():
        sp = v1.sparse_placeholder(tf.float32, name="sp")
        w = v1.placeholder(tf.float32, [4, 2], name="w")
        y = tf.sparse.sparse_dense_matmul(sp, w)
        loss = tf.reduce_sum(y * y)
        dw, dvals = tf.gradients(loss, [w, sp.values])
        wt = v1.placeholder(tf.float32, [2, 4], name="wt")
        y_adj_b = tf.sparse.sparse_dense_matmul(sp, wt, adjoint_b=True)
        (dwt,) = tf.gradients(tf.reduce_sum(y_adj_b * y_adj_b), [wt])
        w3 = v1.placeholder(tf.float32, [3, 2], name="w3")
        y_adj_a = tf.sparse.sparse_dense_matmul(sp, w3, adjoint_a=True)
        (dw3,) = tf.gradients(tf.reduce_sum(y_adj_a), [w3])
        var = v1.get_variable("emb", initializer=tf.constant(np.arange(8, dtype=np.float32).reshape(4, 2) / 8))
        pred = tf.sparse.sparse_dense_matmul(sp, var)
        train_loss = tf.reduce_mean(tf.square(pred - 1.0))
        step = v1.train.GradientDescentOptimizer(0.1).minimize(train_loss)
        init = v1.global_variables_initializer()
    wv = np.array([[1, 2], [0.5, -1], [2, 0.25], [-1, 1]], np.float32)
    r = {}
    with session(target, g) as sess:
        r["forward_and_grads"] = scap(lambda: sess.run([y, dw, dvals], {sp: X, w: wv}))
        r["adjoint_b"] = scap(lambda: sess.run([y_adj_b, dwt], {sp: X, wt: wv.T}))
        r["adjoint_a"] = scap(lambda: sess.run([y_adj_a, dw3], {sp: X, w3: wv[:3]}))
        sess.run(init)
        losses = []
        for _ in range(3):
            losses.append(sess.run([train_loss, step], {sp: X})[0])
        r["training"] = scap(lambda: [np.array(losses), sess.run(var)])
        r["out_of_bounds"] = scap(lambda: sess.run(y, {sp: feed([[0, 0], [1, 4]], [1, 2], [3, 4]), w: wv}))
        r["inner_mismatch"] = scap(lambda: sess.run(y, {sp: feed([[0, 0]], [1], [3, 5]), w: wv}))
    return r


@program()
def sparse_reductions(target):
    """tf.sparse.reduce_sum and reduce_max over axes (dense and sparse output, keepdims), their
    gradients wrt the values, and tf.sparse.softmax."""
    g = tf.Graph()
    with g.as_default():
        sp = v1.sparse_placeholder(tf.float32, name="sp")
        s_all = tf.sparse.reduce_sum(sp)
        s1 = tf.sparse.reduce_sum(sp, axis=1)
        s0k = tf.sparse.reduce_sum(sp, axis=0, keepdims=True)
        ss1 = tf.sparse.reduce_sum(sp, axis=1, output_is_sparse=True)
        m1 = tf.sparse.reduce_max(sp, axis=1)
        ms0 = tf.sparse.reduce_max(sp, axis=-2, output_is_sparse=True)
        (ds,) = tf.gradients(tf.reduce_sum(s1 * s1), [sp.values])
        soft = tf.sparse.softmax(sp)
        (dsoft,) = tf.gradients(tf.reduce_sum(soft.values * sp.values), [sp.values])
        bad = tf.sparse.reduce_sum(sp, axis=2)
    r = {}
    with session(target, g) as sess:
        r["reductions"] = scap(lambda: sess.run([s_all, s1, s0k, ss1, m1, ms0], {sp: X}))
        r["grad"] = scap(lambda: sess.run(ds, {sp: X}))
        r["softmax"] = scap(lambda: sess.run([soft, dsoft], {sp: X}))
        r["bad_axis"] = scap(lambda: sess.run(bad, {sp: X}))
    return r


@program()
def sparse_dense_arithmetic(target):
    """SparseTensor times, divided by and plus dense tensors (with broadcasting), the gradients
    wrt the dense side, and a dense side that does not broadcast."""
    g = tf.Graph()
    with g.as_default():
        sp = v1.sparse_placeholder(tf.float32, name="sp")
        d = v1.placeholder(tf.float32, [None], name="d")
        dm = v1.placeholder(tf.float32, [3, 4], name="dm")
        prod = sp * d
        quot = sp / d
        total = tf.sparse.add(sp, dm)
        (dd_mul,) = tf.gradients(tf.reduce_sum(prod.values), [d])
        (dd_div,) = tf.gradients(tf.reduce_sum(quot.values), [d])
        ddm, dvals = tf.gradients(tf.reduce_sum(total * total), [dm, sp.values])
    dv = np.array([2, -0.5, 4, 1], np.float32)
    dmv = np.arange(12, dtype=np.float32).reshape(3, 4) / 4
    r = {}
    with session(target, g) as sess:
        r["mul_div"] = scap(lambda: sess.run([prod, quot], {sp: X, d: dv}))
        r["add_dense"] = scap(lambda: sess.run(total, {sp: X, dm: dmv}))
        r["grads"] = scap(lambda: sess.run([dd_mul, dd_div, ddm, dvals], {sp: X, d: dv, dm: dmv}))
        r["no_broadcast"] = scap(lambda: sess.run(prod, {sp: X, d: np.ones([3], np.float32)}))
        r["divide_by_zero"] = scap(lambda: sess.run(quot, {sp: X, d: np.zeros([4], np.float32)}))
    return r


@program()
def sparse_add_two(target):
    """tf.sparse.add of two SparseTensors (overlapping entries, a threshold), its gradient wrt both
    value vectors (SparseAddGrad), and mismatched shapes."""
    g = tf.Graph()
    with g.as_default():
        a = v1.sparse_placeholder(tf.float32, name="a")
        b = v1.sparse_placeholder(tf.float32, name="b")
        s = tf.sparse.add(a, b)
        st = tf.sparse.add(a, b, threshold=0.75)
        da, db = tf.gradients(tf.reduce_sum(s.values * s.values), [a.values, b.values])
    bv = feed([[0, 1], [0, 2], [1, 1], [2, 3]], [1.0, 2.0, -0.5, 1.0], [3, 4])
    r = {}
    with session(target, g) as sess:
        r["sum"] = scap(lambda: sess.run([s, st], {a: X, b: bv}))
        r["grads"] = scap(lambda: sess.run([da, db], {a: X, b: bv}))
        r["shape_mismatch"] = scap(lambda: sess.run(s, {a: X, b: feed([[0, 0]], [1.0], [3, 5])}))
    return r


@program()
def sparse_structure_ops(target):
    """tf.sparse.reshape (with -1), concat along both axes, reorder (and its gradient), slice,
    fill_empty_rows (and its gradient), fetched as SparseTensors; an impossible reshape."""
    g = tf.Graph()
    with g.as_default():
        sp = v1.sparse_placeholder(tf.float32, name="sp")
        sp2 = v1.sparse_placeholder(tf.float32, name="sp2")
        rs = tf.sparse.reshape(sp, [-1, 2])
        rs3 = tf.sparse.reshape(sp, [2, 3, 2])
        c0 = tf.sparse.concat(0, [sp, sp2])
        c1 = tf.sparse.concat(1, [sp, sp2])
        ro = tf.sparse.reorder(sp)
        (dro,) = tf.gradients(tf.reduce_sum(ro.values * tf.range(1.0, 6.0)), [sp.values])
        sl = tf.sparse.slice(sp, [1, 1], [2, 3])
        filled, empty = tf.sparse.fill_empty_rows(sp, -7.0)
        (dfill,) = tf.gradients(tf.reduce_sum(filled.values * filled.values), [sp.values])
    other = feed([[0, 1], [2, 0]], [9.0, 8.0], [3, 2])
    shuffled = feed([[2, 3], [0, 2], [1, 1], [0, 0], [2, 0]], [1, 2, 3, 4, 5], [3, 4])
    sparse_rows = feed([[0, 1], [3, 0], [3, 2]], [1, 2, 3], [5, 4])
    r = {}
    with session(target, g) as sess:
        r["reshape"] = scap(lambda: sess.run([rs, rs3], {sp: X}))
        r["concat_rows"] = scap(lambda: sess.run(c0, {sp: X, sp2: feed([[0, 3], [1, 0]], [9.0, 8.0], [2, 4])}))
        r["concat_columns"] = scap(lambda: sess.run(c1, {sp: X, sp2: other}))
        r["reorder"] = scap(lambda: sess.run([ro, dro], {sp: shuffled}))
        r["slice"] = scap(lambda: sess.run(sl, {sp: X}))
        r["fill_empty_rows"] = scap(lambda: sess.run([filled, empty, dfill], {sp: sparse_rows}))
        r["bad_reshape"] = scap(lambda: sess.run(rs3, {sp: feed([[0, 0]], [1], [5, 5])}))
        r["concat_mismatch"] = scap(lambda: sess.run(c0, {sp: X, sp2: feed([[0, 0]], [1], [3, 5])}))
    return r


@program()
def sparse_more_ops(target):
    """What tf.sparse users reach next: split, maximum/minimum, transpose, from_dense, retain,
    expand_dims, to_indicator, the gradients of slice and to_dense wrt the values, and an index
    outside the shape for maximum."""
    g = tf.Graph()
    with g.as_default():
        sp = v1.sparse_placeholder(tf.float32, name="sp")
        sp2 = v1.sparse_placeholder(tf.float32, name="sp2")
        parts = tf.sparse.split(sp_input=sp, num_split=2, axis=1)
        mx = tf.sparse.maximum(sp, sp2)
        mn = tf.sparse.minimum(sp, sp2)
        tr = tf.sparse.transpose(sp)
        dense = v1.placeholder(tf.float32, [2, 3], name="dense")
        fd = tf.sparse.from_dense(dense)
        kept = tf.sparse.retain(sp, sp.values > 0)
        ed = tf.sparse.expand_dims(sp, axis=0)
        ids = v1.sparse_placeholder(tf.int64, name="ids")
        ind = tf.sparse.to_indicator(ids, 5)
        sl = tf.sparse.slice(sp, [0, 1], [3, 2])
        (dsl,) = tf.gradients(tf.reduce_sum(sl.values * sl.values), [sp.values])
        (dtd,) = tf.gradients(tf.reduce_sum(tf.sparse.to_dense(sp) * tf.range(4.0)), [sp.values])
    other = feed([[0, 0], [0, 1], [2, 3]], [-3.0, 0.5, 4.0], [3, 4])
    r = {}
    with session(target, g) as sess:
        r["split"] = scap(lambda: sess.run(parts, {sp: X}))
        r["max_min"] = scap(lambda: sess.run([mx, mn], {sp: X, sp2: other}))
        r["transpose"] = scap(lambda: sess.run(tr, {sp: X}))
        r["from_dense"] = scap(lambda: sess.run(fd, {dense: [[0, 1.5, 0], [-2, 0, 0]]}))
        r["retain_expand"] = scap(lambda: sess.run([kept, ed], {sp: X}))
        r["to_indicator"] = scap(lambda: sess.run(ind, {ids: feed([[0, 0], [0, 1], [1, 0]], [1, 4, 2], [2, 2], np.int64)}))
        r["grads"] = scap(lambda: sess.run([dsl, dtd], {sp: X}))
        r["max_out_of_bounds"] = scap(lambda: sess.run(mx, {sp: X, sp2: feed([[5, 0]], [1.0], [3, 4])}))
    return r


@program()
def matmul_with_sparsity_hints(target):
    """tf.matmul with a_is_sparse / b_is_sparse (SparseMatMul), its gradients, and a mismatch."""
    g = tf.Graph()
    with g.as_default():
        a = v1.placeholder(tf.float32, [None, 4], name="a")
        b = v1.placeholder(tf.float32, [4, 3], name="b")
        ya = tf.matmul(a, b, a_is_sparse=True)
        yb = tf.matmul(a, b, b_is_sparse=True)
        yt = tf.matmul(b, a, transpose_a=True, transpose_b=True, a_is_sparse=True)
        da, db = tf.gradients(tf.reduce_sum(ya * ya), [a, b])
        loose = v1.placeholder(tf.float32, name="loose")
        ym = tf.matmul(loose, b, a_is_sparse=True)
    av = np.array([[0, 1.5, 0, -2], [0.5, 0, 0, 0]], np.float32)
    bv = np.array([[1, 0, 2], [0, 0, -1], [3, 0.25, 0], [0, 1, 0]], np.float32)
    r = {}
    with session(target, g) as sess:
        r["products"] = cap(lambda: sess.run([ya, yb, yt], {a: av, b: bv}))
        r["grads"] = cap(lambda: sess.run([da, db], {a: av, b: bv}))
        r["mismatch"] = cap(lambda: sess.run(ym, {loose: np.ones([2, 3], np.float32), b: bv}))
    return r


@program()
def sets(target):
    """tf.sets.intersection / union / difference / size on dense and sparse inputs (ints and
    strings), fetched as SparseTensors, and TF's errors for mismatched shapes and unsorted indices."""
    g = tf.Graph()
    with g.as_default():
        a = v1.placeholder(tf.int64, [None, 3], name="a")
        b = v1.placeholder(tf.int64, [None, 3], name="b")
        sp = v1.sparse_placeholder(tf.int64, name="sp")
        words = v1.placeholder(tf.string, [None, 2], name="words")
        others = v1.placeholder(tf.string, [None, 2], name="others")
        out = {
            "intersection": tf.sets.intersection(a, b),
            "union": tf.sets.union(a, b),
            "a_minus_b": tf.sets.difference(a, b),
            "b_minus_a": tf.sets.difference(a, b, aminusb=False),
            "dense_sparse": tf.sets.union(a, sp),
            "sparse_sparse": tf.sets.intersection(sp, sp),
            "size": tf.sets.size(sp),
            "dense_size": tf.sets.size(tf.sparse.from_dense(a)),
            "strings": tf.sets.union(words, others),
        }
        loose = v1.placeholder(tf.int64, name="loose")
        bad = tf.sets.union(loose, b)
    av = np.array([[3, 1, 1], [2, 5, 7]], np.int64)
    bv = np.array([[1, 4, 4], [7, 2, 9]], np.int64)
    spv = feed([[0, 0], [0, 1], [1, 2]], [1, 6, 2], [2, 3], np.int64)
    r = {}
    with session(target, g) as sess:
        feeds = {a: av, b: bv, sp: spv, words: [[b"x", b"y"], [b"z", b"z"]], others: [[b"y", b"w"], [b"a", b"z"]]}
        r["sets"] = scap(lambda: sess.run(out, feeds))
        r["mismatch"] = scap(lambda: sess.run(bad, {loose: np.ones([3, 3], np.int64), b: bv}))
        r["unsorted"] = scap(lambda: sess.run(out["size"], {sp: feed([[1, 0], [0, 0]], [1, 2], [2, 3], np.int64)}))
    return r
