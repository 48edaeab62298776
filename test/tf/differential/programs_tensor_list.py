"""Programs whose graphs hold TensorLists without loops: with TF 2.x's default control flow, a
tf.compat.v1 graph's tf.TensorArray is built from TensorList ops (TensorListReserve, SetItem,
GetItem, Stack, Gather, Split, ConcatV2, Resize, ScatterIntoExistingList ...), and its gradients
from more of them."""

import numpy as np
import tensorflow as tf
from programs import cap, program, session

v1 = tf.compat.v1


@program(control_flow_v2=True)
def tensor_array_v2_ops(target):
    """tf.TensorArray as TensorLists: write/read/stack, dynamic size (unstack, a write past the end),
    split/concat, gather, size, and the gradient of a loss through all of them."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [3, 2], name="x")
        ta = tf.TensorArray(tf.float32, size=3, element_shape=[2])
        for i in range(3):
            ta = ta.write(i, x[i] * float(i + 1))
        stacked = ta.stack()
        item = ta.read(1)
        grown = tf.TensorArray(tf.float32, size=0, dynamic_size=True).unstack(x).write(4, x[0])
        grown_stack = grown.stack()
        size = grown.size()
        parts = tf.TensorArray(tf.float32, size=2, infer_shape=False).split(tf.reshape(x, [6]), [2, 4])
        joined = parts.concat()
        gathered = grown.gather([1, 0])
        loss = tf.reduce_sum(stacked * stacked) + tf.reduce_sum(joined) + tf.reduce_sum(gathered * 3.0)
        (dx,) = tf.gradients(loss, x)
    r = {}
    with session(target, g) as sess:
        feed = {x: np.arange(6, dtype=np.float32).reshape(3, 2)}
        r["values"] = cap(lambda: sess.run([stacked, item, grown_stack, size, joined, gathered, dx], feed))
        r["ops"] = sorted({n.op for n in g.as_graph_def().node})
    return r


@program(control_flow_v2=True)
def tensor_array_v2_errors(target):
    """TensorList errors as tf.TensorArray users meet them: a read past the end, a write of the wrong
    shape, stacking an empty array of unknown element shape, a split whose lengths do not add up,
    and fetching the list itself (a DT_VARIANT the client cannot turn into numpy)."""
    g = tf.Graph()
    with g.as_default():
        i = v1.placeholder(tf.int32, [], name="i")
        v = v1.placeholder(tf.float32, None, name="v")
        n = v1.placeholder(tf.int32, [], name="n")
        ta = tf.TensorArray(tf.float32, size=3, element_shape=[2]).write(0, [1.0, 2.0])
        read = ta.read(i)
        written = tf.TensorArray(tf.float32, size=2, element_shape=[2]).write(1, v).stack()
        empty = tf.TensorArray(tf.float32, size=n, infer_shape=False).stack()
        split = tf.TensorArray(tf.float32, size=2).split([1.0, 2.0, 3.0], [1, n]).concat()
    r = {}
    with session(target, g) as sess:
        r["read_ok"] = cap(lambda: sess.run(read, {i: 2}))
        r["read_past_end"] = cap(lambda: sess.run(read, {i: 3}))
        r["read_negative"] = cap(lambda: sess.run(read, {i: -1}))
        r["write_shape"] = cap(lambda: sess.run(written, {v: [1.0, 2.0, 3.0]}))
        r["stack_empty_unknown"] = cap(lambda: sess.run(empty, {n: 0}))
        r["stack_unset_unknown"] = cap(lambda: sess.run(empty, {n: 2}))
        r["split_ok"] = cap(lambda: sess.run(split, {n: 2}))
        r["split_short"] = cap(lambda: sess.run(split, {n: 1}))
        r["fetch_list"] = cap(lambda: sess.run(ta.flow))
    return r
