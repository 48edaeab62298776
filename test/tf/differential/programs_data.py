"""tf.data input pipelines as a tf.compat.v1 program builds them with TF 2.x's defaults: datasets
(map, filter, seeded shuffle, batch, padded batch, repeat, take, zip, interleave, prefetch, cache)
read through one-shot, initializable and feedable iterators, the end of a sequence and
re-initialisation, and a small training loop fed by a dataset."""

import numpy as np
import tensorflow as tf
from programs import cap, program, session

v1 = tf.compat.v1


def drain(sess, fetch, limit=50, feed=None):
    """Every element until TF's OutOfRangeError (recorded as the last entry), at most `limit`."""
    out = []
    for _ in range(limit):
        r = cap(lambda: sess.run(fetch, feed))
        out.append(r)
        if "error" in r:
            break
    return out


@program(control_flow_v2=True)
def data_pipeline_one_shot(target):
    """A one-shot iterator over map, filter, seeded shuffle, batch, repeat, take and prefetch, read
    past its end (OutOfRangeError, then again), with the session still usable afterwards."""
    g = tf.Graph()
    with g.as_default():
        ds = (
            tf.data.Dataset.range(20)
            .map(lambda x: (x, tf.cast(x, tf.float32) / 4.0))
            .filter(lambda i, f: tf.not_equal(i % 3, 1))
            .shuffle(5, seed=7)
            .batch(3)
            .repeat(2)
            .take(7)
            .prefetch(2)
        )
        nx = v1.data.make_one_shot_iterator(ds).get_next()
        other = tf.constant(5) * 2
    r = {}
    with session(target, g) as sess:
        r["elements"] = drain(sess, nx)
        r["again_after_end"] = cap(lambda: sess.run(nx))
        r["session_still_usable"] = cap(lambda: sess.run(other))
    return r


@program(control_flow_v2=True)
def data_initializable_reinit(target):
    """An initializable iterator whose dataset depends on a placeholder: read before initialising
    (FailedPrecondition), drained to its end, re-initialised with another feed, and an iterator
    over a reshuffling shuffle re-initialised (same order) and repeated (a new order per epoch)."""
    g = tf.Graph()
    with g.as_default():
        n = v1.placeholder(tf.int64, [], name="n")
        ds = tf.data.Dataset.range(n).map(lambda x: x * x)
        it = v1.data.make_initializable_iterator(ds)
        nx = it.get_next()
        sh = tf.data.Dataset.range(8).shuffle(8, seed=3).repeat(2)
        it2 = v1.data.make_initializable_iterator(sh)
        nx2 = it2.get_next()
    r = {}
    with session(target, g) as sess:
        r["before_init"] = cap(lambda: sess.run(nx))
        sess.run(it.initializer, {n: 3})
        r["first"] = drain(sess, nx)
        sess.run(it.initializer, {n: 5})
        r["second"] = drain(sess, nx)
        sess.run(it2.initializer)
        r["shuffled"] = drain(sess, nx2)
        sess.run(it2.initializer)
        r["shuffled_again"] = drain(sess, nx2)
    return r


@program(control_flow_v2=True)
def data_padded_batch_zip_interleave_cache(target):
    """Padded batches of variable-length rows (default and explicit shapes, padding values, drop
    remainder), zip of datasets with different structures, interleave (sequential and parallel),
    flat_map, cache then repeat, and string components."""
    g = tf.Graph()
    with g.as_default():
        rows = tf.data.Dataset.range(1, 6).map(lambda x: tf.range(x, dtype=tf.int32))
        padded = rows.padded_batch(2)
        padded_fixed = rows.padded_batch(2, padded_shapes=[6], padding_values=-1, drop_remainder=True)
        words = tf.data.Dataset.from_tensor_slices(tf.constant(["a", "bb", "ccc"]))
        zipped = tf.data.Dataset.zip((words, tf.data.Dataset.range(10), rows)).map(
            lambda w, i, r: {"w": tf.strings.join([w, tf.strings.as_string(i)], "-"), "n": tf.size(r)}
        )
        base = tf.data.Dataset.range(1, 5)
        inter = base.interleave(lambda x: tf.data.Dataset.from_tensors(x).repeat(x), cycle_length=2, block_length=2)
        par = base.interleave(
            lambda x: tf.data.Dataset.range(x * 10, x * 10 + 3), cycle_length=3, num_parallel_calls=2
        )
        flat = base.flat_map(lambda x: tf.data.Dataset.range(x))
        cached = tf.data.Dataset.range(4).map(lambda x: x + 100).cache().repeat(3)
        its = [v1.data.make_one_shot_iterator(d) for d in (padded, padded_fixed, zipped, inter, par, flat, cached)]
        nxs = [it.get_next() for it in its]
    r = {}
    with session(target, g) as sess:
        for name, nx in zip(("padded", "padded_fixed", "zipped", "interleave", "parallel_interleave", "flat_map", "cached"), nxs):
            r[name] = drain(sess, nx)
    return r


@program(control_flow_v2=True)
def data_feedable_iterator(target):
    """A feedable iterator (Iterator.from_string_handle) switching between a one-shot training
    iterator and an initializable validation iterator by their fed string handles, and
    get_next_as_optional at the end of a sequence."""
    g = tf.Graph()
    with g.as_default():
        train = tf.data.Dataset.range(100).map(lambda x: x * 2).repeat()
        val = tf.data.Dataset.range(3).map(lambda x: -x)
        t_it = v1.data.make_one_shot_iterator(train)
        v_it = v1.data.make_initializable_iterator(val)
        handle = v1.placeholder(tf.string, [], name="handle")
        it = v1.data.Iterator.from_string_handle(
            handle, v1.data.get_output_types(train), v1.data.get_output_shapes(train)
        )
        nx = it.get_next()
        t_h = t_it.string_handle()
        v_h = v_it.string_handle()
        o_it = v1.data.make_initializable_iterator(tf.data.Dataset.range(2))
        opt = o_it.get_next_as_optional()
        has, value = opt.has_value(), tf.cond(opt.has_value(), opt.get_value, lambda: tf.constant(-1, tf.int64))
    r = {}
    with session(target, g) as sess:
        th, vh = sess.run([t_h, v_h])
        r["train"] = [cap(lambda: sess.run(nx, {handle: th})) for _ in range(3)]
        sess.run(v_it.initializer)
        r["val"] = drain(sess, nx, feed={handle: vh})
        r["train_resumes"] = [cap(lambda: sess.run(nx, {handle: th})) for _ in range(2)]
        r["bad_handle"] = cap(lambda: sess.run(nx, {handle: b"not a handle"}))
        sess.run(o_it.initializer)
        r["optional"] = [cap(lambda: sess.run([has, value])) for _ in range(3)]
    return r


@program(control_flow_v2=True)
def data_training_loop(target):
    """Linear regression trained for a few steps on shuffled, batched, repeated slices of numpy
    arrays through a one-shot iterator (the usual tf.compat.v1 input pipeline)."""
    g = tf.Graph()
    with g.as_default():
        v1.set_random_seed(3)
        xs = np.linspace(-1, 1, 24, dtype=np.float32).reshape(12, 2)
        ys = (xs @ np.array([[1.5], [-2.0]], np.float32) + 0.25).astype(np.float32)
        ds = tf.data.Dataset.from_tensor_slices((xs, ys)).shuffle(12).batch(4).repeat()
        x, y = v1.data.make_one_shot_iterator(ds).get_next()
        w = v1.get_variable("w", [2, 1], initializer=v1.zeros_initializer())
        b = v1.get_variable("b", [1], initializer=v1.zeros_initializer())
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
        train = v1.train.GradientDescentOptimizer(0.2).minimize(loss)
        init = v1.global_variables_initializer()
    r = {}
    with session(target, g) as sess:
        sess.run(init)
        r["losses"] = [cap(lambda: sess.run([loss, train])[0]) for _ in range(6)]
        r["params"] = cap(lambda: sess.run([w, b]))
    return r


@program(control_flow_v2=True)
def data_errors(target):
    """Errors inside pipelines keep TF's codes: a batch of differently shaped rows, padding to a
    smaller shape, and cardinality of a few datasets. (A failing map function is left out: TF's
    message names the dataset node by a process-wide counter.)"""
    g = tf.Graph()
    with g.as_default():
        ragged = tf.data.Dataset.from_tensors([1]).concatenate(tf.data.Dataset.from_tensors([1, 2])).batch(2)
        small = tf.data.Dataset.range(1, 4).map(lambda x: tf.range(x)).padded_batch(3, padded_shapes=[2])
        checked = tf.data.Dataset.from_tensor_slices(tf.constant([1.0, 0.0, 2.0])).map(lambda x: 1.0 / x)
        nxs = [v1.data.make_one_shot_iterator(d).get_next() for d in (ragged, small, checked)]
        card = [
            tf.data.experimental.cardinality(d)
            for d in (ragged, tf.data.Dataset.range(10).repeat(), checked.filter(lambda x: x > 0), tf.data.Dataset.range(7).batch(2))
        ]
    r = {}
    with session(target, g) as sess:
        r["ragged"] = cap(lambda: sess.run(nxs[0]))
        r["small"] = cap(lambda: sess.run(nxs[1]))
        r["checked"] = drain(sess, nxs[2])
        r["cardinality"] = cap(lambda: sess.run(card))
    return r


@program(control_flow_v2=True)
def data_random_augmentation(target):
    """Random ops inside map functions (seeded through the graph seed): the sequence of an
    initializable iterator, its restart on re-initialisation, and a reshuffling repeat."""
    g = tf.Graph()
    with g.as_default():
        v1.set_random_seed(21)
        ds = (
            tf.data.Dataset.range(6)
            .map(lambda x: tf.cast(x, tf.float32) + tf.random.uniform([2], -1.0, 1.0, seed=4))
            .shuffle(4, seed=8)
            .repeat(2)
            .batch(4)
        )
        it = v1.data.make_initializable_iterator(ds)
        nx = it.get_next()
    r = {}
    with session(target, g) as sess:
        sess.run(it.initializer)
        r["first"] = drain(sess, nx)
        sess.run(it.initializer)
        r["again"] = drain(sess, nx)
    return r
