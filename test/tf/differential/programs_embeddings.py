"""Embedding models and sparse updates as tf.compat.v1 programs write them: tf.nn.embedding_lookup
on a variable (ResourceGather, or GatherV2 on a ref variable), the optimizers' sparse updates
(ResourceSparseApply*, ResourceScatterAdd), the tf.compat.v1.scatter_* family on ref and resource
variables, tf.tensor_scatter_nd_*, and out-of-range ids."""

import numpy as np
import tensorflow as tf
from programs import cap, program, session

v1 = tf.compat.v1

VOCAB, DIM = 8, 3
# Batches of ids with repeats (the sparse gradient has duplicate indices) and their targets.
BATCHES = [
    ([1, 3, 3, 0], [[1.0], [-1.0], [-1.0], [0.5]]),
    ([5, 1, 7, 1], [[0.25], [1.0], [-0.5], [1.0]]),
    ([2, 2, 2, 6], [[2.0], [2.0], [2.0], [-2.0]]),
]


def _embedding_model(target, name, make_optimizer, steps=4, use_resource=True):
    """An embedding table, a dense layer on the looked-up rows, a squared loss; a few training steps,
    recording every loss and the final table and weights."""
    g = tf.Graph()
    with g.as_default(), tf.name_scope(name):
        ids = v1.placeholder(tf.int32, [None], name="ids")
        y = v1.placeholder(tf.float32, [None, 1], name="y")
        table0 = (np.arange(VOCAB * DIM, dtype=np.float32).reshape(VOCAB, DIM) % 7 - 3) / 4
        table = v1.Variable(table0, name="table", use_resource=use_resource)
        w = v1.Variable([[0.5], [-0.25], [0.125]], name="w", use_resource=use_resource)
        b = v1.Variable([0.1], name="b", use_resource=use_resource)
        emb = tf.nn.embedding_lookup(table, ids)
        pred = tf.matmul(emb, w) + b
        loss = tf.reduce_mean(tf.square(pred - y))
        train = make_optimizer().minimize(loss)
        init = v1.global_variables_initializer()
    r = {}
    with session(target, g) as sess:
        r["init"] = cap(lambda: sess.run(init))
        losses = []
        for step in range(steps):
            i, t = BATCHES[step % len(BATCHES)]
            losses.append(cap(lambda: sess.run([train, loss], {ids: i, y: t})[1]))
        r["losses"] = losses
        r["table"] = cap(lambda: sess.run(table))
        r["dense"] = cap(lambda: sess.run([w, b]))
        r["lookup"] = cap(lambda: sess.run(emb, {ids: [[0, 7], [3, 3]]}))
        r["ops"] = sorted({n.op for n in g.as_graph_def().node})
    return r


@program()
def embedding_gradient_descent(target):
    """An embedding model trained with GradientDescentOptimizer: ResourceGather forward, and the
    sparse gradient applied with ResourceScatterAdd (no de-duplication)."""
    return _embedding_model(target, "emb_gd", lambda: v1.train.GradientDescentOptimizer(0.5))


@program()
def embedding_adagrad(target):
    """An embedding model trained with AdagradOptimizer: the sparse gradient is de-duplicated (Unique,
    UnsortedSegmentSum) and applied with ResourceSparseApplyAdagrad."""
    return _embedding_model(target, "emb_adagrad", lambda: v1.train.AdagradOptimizer(0.5))


@program()
def embedding_adam(target):
    """An embedding model trained with AdamOptimizer: its sparse path updates the slots with
    ResourceScatterAdd after de-duplicating (Unique)."""
    return _embedding_model(target, "emb_adam", lambda: v1.train.AdamOptimizer(0.1))


@program()
def embedding_ref_variables_adagrad(target):
    """The embedding model on ref variables (use_resource=False): GatherV2 on the ref, SparseApplyAdagrad."""
    return _embedding_model(target, "emb_ref_adagrad", lambda: v1.train.AdagradOptimizer(0.5), use_resource=False)


@program()
def embedding_sparse_optimizers(target):
    """Two steps each of the other optimizers with a sparse path (Momentum, RMSProp, Ftrl, Adadelta,
    ProximalAdagrad, ProximalGradientDescent, AdagradDA) on an embedding table."""
    makers = {
        "momentum": lambda: v1.train.MomentumOptimizer(0.5, 0.9, use_nesterov=True),
        "rmsprop": lambda: v1.train.RMSPropOptimizer(0.1, momentum=0.5, centered=True),
        "ftrl": lambda: v1.train.FtrlOptimizer(0.5, l1_regularization_strength=0.01, l2_shrinkage_regularization_strength=0.01),
        "adadelta": lambda: v1.train.AdadeltaOptimizer(1.0),
        "proximal_adagrad": lambda: v1.train.ProximalAdagradOptimizer(0.5, l1_regularization_strength=0.01),
        "proximal_gd": lambda: v1.train.ProximalGradientDescentOptimizer(0.5, l1_regularization_strength=0.01),
        "rmsprop_plain": lambda: v1.train.RMSPropOptimizer(0.1),
        "ftrl_power": lambda: v1.train.FtrlOptimizer(0.5, learning_rate_power=-0.75),
        "adagrad_da": lambda: v1.train.AdagradDAOptimizer(
            0.5, global_step=v1.train.get_or_create_global_step(), l1_regularization_strength=0.01
        ),
    }
    return {k: _embedding_model(target, f"emb_{k}", m, steps=2) for k, m in makers.items()}


@program()
def ref_variable_scatter(target):
    """tf.compat.v1.scatter_* on a ref variable (use_resource=False): each op's output is the updated
    ref; duplicates accumulate in order; an out-of-range index fails with TF's message and leaves
    the rows before it updated."""
    g = tf.Graph()
    with g.as_default(), tf.name_scope("ref_scatter"):
        v = v1.Variable(np.arange(12, dtype=np.float32).reshape(4, 3), name="v", use_resource=False)
        idx = v1.placeholder(tf.int32, [None], name="idx")
        upd = v1.placeholder(tf.float32, [None, 3], name="upd")
        ops = {
            "add": v1.scatter_add(v, idx, upd),
            "sub": v1.scatter_sub(v, idx, upd),
            "mul": v1.scatter_mul(v, idx, upd),
            "div": v1.scatter_div(v, idx, upd),
            "min": v1.scatter_min(v, idx, upd),
            "max": v1.scatter_max(v, idx, upd),
            "update": v1.scatter_update(v, idx, upd),
        }
        nd_idx = v1.placeholder(tf.int32, [None, 2], name="nd_idx")
        nd_upd = v1.placeholder(tf.float32, [None], name="nd_upd")
        nd_update = v1.scatter_nd_update(v, nd_idx, nd_upd)
        nd_add = v1.scatter_nd_add(v, nd_idx, nd_upd)
        nd_sub = v1.scatter_nd_sub(v, nd_idx, nd_upd)
        init = v1.global_variables_initializer()
    feed = {idx: [2, 0, 2], upd: [[1, 2, 3], [4, 5, 6], [0.5, 0.5, 0.5]]}
    r = {}
    with session(target, g) as sess:
        r["scatter_before_init"] = cap(lambda: sess.run(ops["add"], feed))
        r["init"] = cap(lambda: sess.run(init))
        for k, op in ops.items():
            r[k] = cap(lambda: sess.run(op, feed))
        r["nd_update"] = cap(lambda: sess.run(nd_update, {nd_idx: [[0, 0], [3, 2]], nd_upd: [-1, -2]}))
        r["nd_add"] = cap(lambda: sess.run(nd_add, {nd_idx: [[1, 1], [1, 1]], nd_upd: [10, 20]}))
        r["nd_sub"] = cap(lambda: sess.run(nd_sub, {nd_idx: [[2, 0]], nd_upd: [3]}))
        r["bad_index"] = cap(lambda: sess.run(ops["add"], {idx: [1, 9], upd: [[1, 1, 1], [1, 1, 1]]}))
        r["after_bad_index"] = cap(lambda: sess.run(v))
        r["bad_nd_index"] = cap(lambda: sess.run(nd_add, {nd_idx: [[0, 5], [1, 0]], nd_upd: [1, 1]}))
        r["after_bad_nd_index"] = cap(lambda: sess.run(v))
        r["bad_shape"] = cap(lambda: sess.run(ops["update"], {idx: [0, 1], upd: [[1, 1, 1]]}))
    return r


@program()
def resource_variable_scatter(target):
    """The same updates on a resource variable (ResourceScatter*, ResourceScatterNd*) and its sparse
    reads (sparse_read, gather_nd)."""
    g = tf.Graph()
    with g.as_default(), tf.name_scope("resource_scatter"):
        v = v1.Variable(np.arange(12, dtype=np.float32).reshape(4, 3), name="v", use_resource=True)
        idx = v1.placeholder(tf.int32, [None], name="idx")
        upd = v1.placeholder(tf.float32, [None, 3], name="upd")
        ops = {
            "add": v1.scatter_add(v, idx, upd),
            "sub": v1.scatter_sub(v, idx, upd),
            "mul": v1.scatter_mul(v, idx, upd),
            "div": v1.scatter_div(v, idx, upd),
            "min": v1.scatter_min(v, idx, upd),
            "max": v1.scatter_max(v, idx, upd),
            "update": v1.scatter_update(v, idx, upd),
        }
        nd_idx = v1.placeholder(tf.int32, [None, 2], name="nd_idx")
        nd_upd = v1.placeholder(tf.float32, [None], name="nd_upd")
        nd_update = v.scatter_nd_update(nd_idx, nd_upd)
        nd_add = v.scatter_nd_add(nd_idx, nd_upd)
        rows = v.sparse_read(idx)
        cells = v.gather_nd(nd_idx)
        init = v1.global_variables_initializer()
    feed = {idx: [2, 0, 2], upd: [[1, 2, 3], [4, 5, 6], [0.5, 0.5, 0.5]]}
    r = {}
    with session(target, g) as sess:
        r["read_before_init"] = cap(lambda: sess.run(rows, {idx: [0]}))
        r["scatter_before_init"] = cap(lambda: sess.run(ops["add"], feed))
        r["init"] = cap(lambda: sess.run(init))
        for k, op in ops.items():
            r[k] = cap(lambda: sess.run(op, feed))
        r["nd_update"] = cap(lambda: sess.run(nd_update, {nd_idx: [[0, 0], [3, 2]], nd_upd: [-1, -2]}))
        r["nd_add"] = cap(lambda: sess.run(nd_add, {nd_idx: [[1, 1], [1, 1]], nd_upd: [10, 20]}))
        r["sparse_read"] = cap(lambda: sess.run(rows, {idx: [3, 0, 3]}))
        r["gather_nd"] = cap(lambda: sess.run(cells, {nd_idx: [[3, 2], [0, 1]]}))
        r["bad_index"] = cap(lambda: sess.run(ops["add"], {idx: [1, 9], upd: [[1, 1, 1], [1, 1, 1]]}))
        r["after_bad_index"] = cap(lambda: sess.run(v.value()))
        r["bad_read"] = cap(lambda: sess.run(rows, {idx: [0, -1]}))
        r["bad_gather_nd"] = cap(lambda: sess.run(cells, {nd_idx: [[4, 0]]}))
    return r


@program()
def tensor_scatter(target):
    """tf.tensor_scatter_nd_update / _add / _sub on a fed tensor (TensorScatter*), and their shape and
    index errors."""
    g = tf.Graph()
    with g.as_default():
        t = v1.placeholder(tf.float32, [None, None], name="t")
        i = v1.placeholder(tf.int64, None, name="i")
        u = v1.placeholder(tf.float32, None, name="u")
        upd = tf.tensor_scatter_nd_update(t, i, u)
        add = tf.tensor_scatter_nd_add(t, i, u)
        sub = tf.tensor_scatter_nd_sub(t, i, u)
    tv = np.arange(6, dtype=np.float32).reshape(2, 3)
    r = {}
    with session(target, g) as sess:
        r["rows"] = cap(lambda: sess.run([upd, add, sub], {t: tv, i: [[1], [0]], u: [[7, 8, 9], [1, 1, 1]]}))
        r["cells"] = cap(lambda: sess.run([upd, add, sub], {t: tv, i: [[0, 2], [0, 2]], u: [5, 6]}))
        r["out_of_range"] = cap(lambda: sess.run(upd, {t: tv, i: [[0, 0], [2, 1]], u: [5, 6]}))
        r["bad_updates"] = cap(lambda: sess.run(add, {t: tv, i: [[1]], u: [[1, 2]]}))
        r["scalar_indices"] = cap(lambda: sess.run(sub, {t: tv, i: 1, u: [1, 2, 3]}))
    return r


@program()
def embedding_lookup_errors(target):
    """Out-of-range ids: embedding_lookup on a resource variable (ResourceGather), on a ref variable
    and on a constant (GatherV2), with TF's "indices[i] = j is not in [0, n)" texts."""
    g = tf.Graph()
    with g.as_default(), tf.name_scope("lookup_errors"):
        ids = v1.placeholder(tf.int64, None, name="ids")
        table = np.arange(8, dtype=np.float32).reshape(4, 2)
        rv = v1.Variable(table, name="rv", use_resource=True)
        refv = v1.Variable(table, name="refv", use_resource=False)
        from_resource = tf.nn.embedding_lookup(rv, ids)
        from_ref = tf.nn.embedding_lookup(refv, ids)
        from_const = tf.nn.embedding_lookup(tf.constant(table), ids)
        init = v1.global_variables_initializer()
    r = {}
    with session(target, g) as sess:
        r["init"] = cap(lambda: sess.run(init))
        r["ok"] = cap(lambda: sess.run([from_resource, from_ref, from_const], {ids: [[3, 0], [1, 1]]}))
        for name, t in [("resource", from_resource), ("ref", from_ref), ("const", from_const)]:
            r[f"{name}_too_big"] = cap(lambda: sess.run(t, {ids: [0, 4]}))
            r[f"{name}_negative"] = cap(lambda: sess.run(t, {ids: [[1, 2], [-1, 0]]}))
    return r


@program()
def scatter_gradients(target):
    """Gradients through tf.tensor_scatter_nd_update / _add / _max and tf.gather_nd on a fed tensor
    (the ops TF's autodiff emits for them), and the dense gradient of a gather from a variable."""
    g = tf.Graph()
    with g.as_default(), tf.name_scope("scatter_grads"):
        x = v1.placeholder(tf.float32, [None, None], name="x")
        i = v1.placeholder(tf.int32, [None, 2], name="i")
        u = v1.placeholder(tf.float32, [None], name="u")
        y = tf.tensor_scatter_nd_update(x, i, u)
        z = tf.tensor_scatter_nd_add(x, i, u)
        m = tf.tensor_scatter_nd_max(x, i, u)
        picked = tf.gather_nd(x * x, i)
        loss = tf.reduce_sum(y * y) + tf.reduce_sum(z * 3.0) + tf.reduce_sum(m * m) + tf.reduce_sum(picked)
        grads = tf.gradients(loss, [x, u])
        table = v1.Variable(np.arange(6, dtype=np.float32).reshape(3, 2), name="table")
        rows = tf.gather(table, [2, 0, 2])
        dense = tf.convert_to_tensor(tf.gradients(tf.reduce_sum(rows * rows), table)[0])
        init = v1.global_variables_initializer()
    xv = np.array([[1, -2, 3], [0.5, 4, -1]], np.float32)
    r = {}
    with session(target, g) as sess:
        r["init"] = cap(lambda: sess.run(init))
        r["grads"] = cap(lambda: sess.run(grads, {x: xv, i: [[0, 1], [1, 2], [0, 1]], u: [5, -3, 2]}))
        r["values"] = cap(lambda: sess.run([y, z, m, picked], {x: xv, i: [[1, 0]], u: [9]}))
        r["dense_gather_grad"] = cap(lambda: sess.run(dense))
    return r


@program()
def partitioned_embedding(target):
    """A table split into shards (get_variable with fixed_size_partitioner), looked up with the "mod"
    and "div" partition strategies (DynamicPartition, ResourceGather per shard, DynamicStitch) and
    trained with GradientDescentOptimizer."""
    g = tf.Graph()
    with g.as_default(), v1.variable_scope("partitioned"):
        ids = v1.placeholder(tf.int32, [None], name="ids")
        init0 = v1.random_uniform_initializer(-1.0, 1.0, seed=3)
        table = v1.get_variable("table", [10, 2], initializer=init0, partitioner=v1.fixed_size_partitioner(3))
        mod = v1.nn.embedding_lookup(table, ids, partition_strategy="mod")
        div = v1.nn.embedding_lookup(table, ids, partition_strategy="div")
        loss = tf.reduce_sum(tf.square(mod - 1.0)) + tf.reduce_sum(div)
        train = v1.train.GradientDescentOptimizer(0.1).minimize(loss)
        init = v1.global_variables_initializer()
    r = {}
    with session(target, g) as sess:
        r["init"] = cap(lambda: sess.run(init))
        r["lookup"] = cap(lambda: sess.run([mod, div], {ids: [9, 0, 4, 4, 7]}))
        r["losses"] = [cap(lambda: sess.run([train, loss], {ids: [1, 5, 9, 5]})[1]) for _ in range(3)]
        r["shards"] = cap(lambda: sess.run(list(table)))
        # (With "div", both of the lookup's DynamicPartition nodes fail on an id past the table, and
        # which error a step reports first is up to the executor; "mod" fails in one gather.)
        r["bad_id"] = cap(lambda: sess.run(mod, {ids: [3, 12]}))
        r["ops"] = sorted({n.op for n in g.as_graph_def().node})
    return r
