"""Programs with unique, segment reductions and bincount the way tf.compat.v1 programs use them:
tf.unique on fed ids, segment sums/means/maxima with their gradients, the sparse segment reductions
behind embedding_lookup_sparse (and their *Grad ops), tf.math.bincount, and TF's errors for bad ids."""

import numpy as np
import tensorflow as tf
from programs import cap, program, session

v1 = tf.compat.v1


@program()
def unique_ids(target):
    """tf.unique / tf.unique_with_counts on a fed vector (first-occurrence order, int64 idx), and a
    gather of the unique rows; a matrix fed to Unique fails."""
    g = tf.Graph()
    with g.as_default():
        ids = v1.placeholder(tf.int32, None, name="ids")
        words = v1.placeholder(tf.string, [None], name="words")
        y, idx = tf.unique(ids)
        y64, idx64 = tf.unique(ids, out_idx=tf.int64)
        wy, widx, wcount = tf.unique_with_counts(words)
        table = tf.constant([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0], [6.0, 7.0], [8.0, 9.0]])
        rows = tf.gather(table, y)
    r = {}
    with session(target, g) as sess:
        r["unique"] = cap(lambda: sess.run([y, idx, y64, idx64], {ids: [3, 1, 3, 4, 1, 1, 0]}))
        r["unique_empty"] = cap(lambda: sess.run([y, idx], {ids: np.zeros([0], np.int32)}))
        r["unique_rows"] = cap(lambda: sess.run(rows, {ids: [4, 4, 2, 0, 2]}))
        r["with_counts"] = cap(lambda: sess.run([wy, widx, wcount], {words: [b"b", b"a", b"b", b"c", b"a", b"b"]}))
        r["not_a_vector"] = cap(lambda: sess.run(y, {ids: [[1, 2], [2, 3]]}))
    return r


@program()
def segment_reductions_and_gradients(target):
    """tf.math.segment_sum/mean/max/min/prod of fed data with sorted ids and their gradients
    (SegmentSum, GatherV2, SelectV2 in the backward graph); unsorted ids and negative ids fail."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        ids = v1.placeholder(tf.int32, [None], name="seg_ids")
        outs = {
            "sum": tf.math.segment_sum(x, ids),
            "mean": tf.math.segment_mean(x, ids),
            "max": tf.math.segment_max(x, ids),
            "min": tf.math.segment_min(x, ids),
            "prod": tf.math.segment_prod(x, ids),
        }
        weights = tf.constant([[1.0, -2.0, 0.5]])
        grads = {k: tf.gradients(tf.reduce_sum(v * weights), x)[0] for k, v in outs.items()}
    data = [[1.0, 2.0, 3.0], [4.0, -5.0, 6.0], [0.5, 0.0, -1.0], [2.0, 2.0, 2.0], [-3.0, 8.0, 1.5]]
    r = {}
    with session(target, g) as sess:
        feed = {x: data, ids: [0, 0, 1, 3, 3]}
        r["values"] = cap(lambda: sess.run(outs, feed))
        r["gradients"] = cap(lambda: sess.run(grads, feed))
        r["not_increasing"] = cap(lambda: sess.run(outs["sum"], {x: data, ids: [0, 1, 0, 2, 2]}))
        r["negative"] = cap(lambda: sess.run(outs["max"], {x: data, ids: [-1, 0, 0, 1, 1]}))
        r["all_negative"] = cap(lambda: sess.run(outs["mean"], {x: data, ids: [-3, -2, -2, -1, -1]}))
        r["length_mismatch"] = cap(lambda: sess.run(outs["sum"], {x: data, ids: [0, 1]}))
    return r


@program()
def unsorted_segment_reductions(target):
    """tf.math.unsorted_segment_max/min/prod/sum with dropped negative ids, empty segments (lowest /
    highest values), an id ≥ num_segments, and the max's gradient."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 2], name="x")
        ids = v1.placeholder(tf.int64, [None], name="ids")
        n = 4
        outs = {
            "max": tf.math.unsorted_segment_max(x, ids, n),
            "min": tf.math.unsorted_segment_min(x, ids, n),
            "prod": tf.math.unsorted_segment_prod(x, ids, n),
            "sum": tf.math.unsorted_segment_sum(x, ids, n),
            "mean": tf.math.unsorted_segment_mean(x, ids, n),
            "sqrt_n": tf.math.unsorted_segment_sqrt_n(x, ids, n),
        }
        grad_max = tf.gradients(tf.reduce_sum(outs["max"][:2]), x)[0]
        grad_prod = tf.gradients(tf.reduce_sum(outs["prod"]), x)[0]
        ints = tf.math.unsorted_segment_max(tf.constant([[3, 1], [2, 7]]), tf.constant([1, 1]), 3)
    data = [[1.0, -2.0], [3.0, 0.5], [-1.5, 2.0], [2.0, 2.0], [-3.0, 1.0]]
    r = {}
    with session(target, g) as sess:
        feed = {x: data, ids: [0, 2, -1, 0, 2]}
        r["values"] = cap(lambda: sess.run(outs, feed))
        r["grad_max"] = cap(lambda: sess.run(grad_max, feed))
        r["grad_prod"] = cap(lambda: sess.run(grad_prod, feed))
        r["int_empty_segments"] = cap(lambda: sess.run(ints))
        r["id_out_of_range"] = cap(lambda: sess.run(outs["max"], {x: data, ids: [0, 2, 4, 0, 2]}))
    return r


@program()
def sparse_segment_embeddings(target):
    """tf.sparse.segment_sum/mean/sqrt_n over an embedding variable the way embedding_lookup_sparse
    uses them, their gradients (SparseSegment*Grad) and a GradientDescent step; sparse_gradient=True
    (the GradV2 ops); bad indices and unsorted ids fail."""
    g = tf.Graph()
    with g.as_default():
        var = v1.get_variable(
            "emb", initializer=tf.constant(np.arange(12, dtype=np.float32).reshape(6, 2) / 4 - 1), use_resource=True
        )
        # A dense read, so that lookups are GatherV2 and the update a dense ResourceApplyGradientDescent.
        emb = tf.identity(var)
        idx = v1.placeholder(tf.int32, [None], name="idx")
        seg = v1.placeholder(tf.int32, [None], name="seg")
        outs = {
            "sum": tf.sparse.segment_sum(emb, idx, seg),
            "mean": tf.sparse.segment_mean(emb, idx, seg),
            "sqrt_n": tf.sparse.segment_sqrt_n(emb, idx, seg),
            "sum_n": tf.sparse.segment_sum(emb, idx, seg, num_segments=5),
            "mean_n": tf.sparse.segment_mean(emb, idx, seg, num_segments=5),
        }
        loss = tf.add_n([tf.reduce_sum(v * v) for v in outs.values()])
        grads = {k: tf.gradients(tf.reduce_sum(v * [1.0, -2.0]), emb)[0] for k, v in outs.items()}
        sparse_grad = tf.gradients(tf.reduce_sum(tf.sparse.segment_mean(emb, idx, seg, sparse_gradient=True)), emb)[0]
        opt = v1.train.GradientDescentOptimizer(0.1)
        step = opt.apply_gradients([(tf.convert_to_tensor(tf.gradients(loss, emb)[0]), var)])
        sp_ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [3, 2]], tf.constant([1, 5, 2, 1], tf.int64), [4, 3])
        sp_w = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [3, 2]], [1.0, 2.0, 0.5, -1.0], [4, 3])
        looked = tf.nn.embedding_lookup_sparse(emb, sp_ids, None, combiner="sqrtn")
        weighted = tf.nn.embedding_lookup_sparse(emb, sp_ids, sp_w, combiner="mean")
        lookup_grad = tf.convert_to_tensor(tf.gradients(tf.reduce_sum(looked) + tf.reduce_sum(weighted), emb)[0])
        init = v1.global_variables_initializer()
    r = {}
    feed = {idx: [0, 1, 5, 1, 2, 2], seg: [0, 0, 2, 2, 2, 3]}
    with session(target, g) as sess:
        sess.run(init)
        r["values"] = cap(lambda: sess.run(outs, feed))
        r["gradients"] = cap(lambda: sess.run(grads, feed))
        r["sparse_gradient"] = cap(lambda: sess.run([sparse_grad.values, sparse_grad.indices], feed))
        r["lookup"] = cap(lambda: sess.run([looked, weighted]))
        r["lookup_grad"] = cap(lambda: sess.run(lookup_grad))
        r["train"] = cap(lambda: [sess.run([loss, step], feed)[0] for _ in range(3)] + [sess.run(var.value())])
        r["index_out_of_range"] = cap(lambda: sess.run(outs["sum"], {idx: [0, 6], seg: [0, 1]}))
        r["unsorted_ids"] = cap(lambda: sess.run(outs["mean"], {idx: [0, 1, 2], seg: [1, 0, 0]}))
        r["ids_past_num_segments"] = cap(lambda: sess.run(outs["sum_n"], {idx: [0, 1], seg: [0, 5]}))
        r["size_mismatch"] = cap(lambda: sess.run(outs["sqrt_n"], {idx: [0, 1], seg: [0]}))
    return r


@program()
def bincount_programs(target):
    """tf.math.bincount (DenseBincount) with and without weights, minlength/maxlength, binary_output,
    a 2-D input with axis=-1, ragged (RaggedBincount) and sparse (SparseBincount) inputs, and
    negative values."""
    g = tf.Graph()
    with g.as_default():
        arr = v1.placeholder(tf.int32, [None], name="arr")
        w = v1.placeholder(tf.float32, [None], name="w")
        outs = {
            "counts": tf.math.bincount(arr),
            "weighted": tf.math.bincount(arr, weights=w),
            "min_max": tf.math.bincount(arr, minlength=8, maxlength=3),
            "binary": tf.math.bincount(arr, binary_output=True),
            "int64": tf.math.bincount(arr, dtype=tf.int64),
        }
        m = v1.placeholder(tf.int32, [None, None], name="m")
        rows = tf.math.bincount(m, axis=-1, minlength=5)
        rows_binary = tf.math.bincount(m, axis=-1, minlength=5, binary_output=True)
        vals = v1.placeholder(tf.int32, [None], name="vals")
        splits = v1.placeholder(tf.int64, [None], name="splits")
        rt = tf.RaggedTensor.from_row_splits(vals, splits, validate=False)
        ragged_rows = tf.math.bincount(rt, axis=-1, minlength=4)
        ragged_flat = tf.math.bincount(rt, weights=tf.RaggedTensor.from_row_splits(tf.cast(vals, tf.float32) / 2, splits, validate=False))
        sp = tf.SparseTensor(v1.placeholder(tf.int64, [None, 2], name="sp_idx"), vals, [3, 4])
        sparse_rows = tf.math.bincount(sp, axis=-1, binary_output=True, minlength=4)
    r = {}
    with session(target, g) as sess:
        r["values"] = cap(lambda: sess.run(outs, {arr: [1, 1, 4, 0, 7, 1, 3], w: [2.0, 1.0, 0.5, 3.0, 4.0, 5.0, -1.0]}))
        r["empty"] = cap(lambda: sess.run(outs["counts"], {arr: np.zeros([0], np.int32)}))
        r["rows"] = cap(lambda: sess.run([rows, rows_binary], {m: [[1, 2, 2, 0], [3, 3, 4, 1]]}))
        r["ragged"] = cap(lambda: sess.run([ragged_rows, ragged_flat], {vals: [1, 2, 2, 5, 0], splits: [0, 3, 3, 5]}))
        r["ragged_bad_splits"] = cap(lambda: sess.run(ragged_rows, {vals: [1, 2], splits: [0, 3]}))
        sp_idx = g.get_tensor_by_name("sp_idx:0")
        r["sparse"] = cap(lambda: sess.run(sparse_rows, {vals: [1, 3, 3, 0], sp_idx: [[0, 0], [0, 1], [2, 0], [2, 3]]}))
        r["negative"] = cap(lambda: sess.run(outs["counts"], {arr: [1, -1, 2]}))
        r["negative_rows"] = cap(lambda: sess.run(rows, {m: [[1, -2]]}))
        r["weights_mismatch"] = cap(lambda: sess.run(outs["weighted"], {arr: [1, 2], w: [1.0]}))
    return r
