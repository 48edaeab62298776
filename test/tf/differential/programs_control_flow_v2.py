"""Programs with TF 2.x control flow, as a tf.compat.v1 program builds it by default: tf.cond and
tf.while_loop (and map_fn, scan, foldl on top of it) become functional If/While ops whose loop
state and gradient accumulators are TensorLists."""

import numpy as np
import tensorflow as tf
from programs import cap, program, session

v1 = tf.compat.v1


@program(control_flow_v2=True)
def v2_cond(target):
    """tf.cond with v2 control flow: StatelessIf, both branches, its gradient, and an If (stateful)
    branch that asserts."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [], name="x")
        y = tf.cond(x > 0, lambda: x * x, lambda: -x)
        (dy,) = tf.gradients(y, x)
        checked = tf.cond(x > 0, lambda: tf.identity(x), lambda: tf.debugging.Assert(False, [x]) and x)
    r = {}
    with session(target, g) as sess:
        r["positive"] = cap(lambda: sess.run([y, dy], {x: 3.0}))
        r["negative"] = cap(lambda: sess.run([y, dy], {x: -2.0}))
        r["ops"] = sorted({n.op for n in g.as_graph_def().node})
        del checked
    return r
