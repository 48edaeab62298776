#!/usr/bin/env python3
"""Exports TF1-style training graphs, built by TensorFlow itself, as fixtures for test/training.test.ts.

    .venv-tf/bin/python test/tf/export_training_graphs.py [--out test/tf/training] [--steps 12] [--only cnn_sgd …]

Each case is built with tf.compat.v1 in graph mode, the way a TF1 program builds it: placeholders,
variables with constant initial values (so runs are deterministic), a loss, and
`optimizer.minimize(loss)`, which emits TF's autodiff gradient ops and the optimizer's apply ops.
Every model is built twice: with ref variables (VariableV2, `use_resource=False`, ApplyX ops) and
with resource variables (VarHandleOp, ResourceApplyX ops).

  linreg_sgd       y = x·W + b, mean squared error, GradientDescentOptimizer
  linreg_<opt>     the same model with Adam, Momentum (plain and Nesterov), RMSProp (plain and
                   centered), Adagrad, Adadelta, Ftrl (ApplyFtrl) and Ftrl with l2 shrinkage
                   (ApplyFtrlV2): every optimizer with no NN op in the graph
  mlp_adam         4 → 6 (relu) → 3 logits, sparse softmax cross-entropy, AdamOptimizer
  mlp_momentum     the same MLP, MomentumOptimizer (use_nesterov=False)
  mlp_nesterov     the same MLP, MomentumOptimizer (use_nesterov=True)
  mlp_rmsprop      the same MLP, RMSPropOptimizer (momentum 0.9)
  mlp_rmsprop_centered   the same MLP, RMSPropOptimizer (centered=True)
  mlp_adagrad      the same MLP, AdagradOptimizer
  mlp_adadelta     the same MLP, AdadeltaOptimizer
  mlp_ftrl         the same MLP, FtrlOptimizer
  mlp_slices_adam  the MLP with h[:, :3] / h[:, 3:], concat, a reduce_prod gate and REFLECT padding,
                   AdamOptimizer (autodiff adds StridedSliceGrad, ConcatOffset, MirrorPadGrad, ListDiff)
  cnn_sgd          8×8×1 images of two stripe classes: Conv2D 3×3 SAME + BiasAdd + Relu, MaxPool 2×2,
                   Conv2D 3×3 SAME + BiasAdd + Relu, Reshape, dense logits, sparse softmax
                   cross-entropy, GradientDescentOptimizer (autodiff emits Conv2DBackpropInput/Filter,
                   MaxPoolGrad, BiasAddGrad, ReluGrad)
  cnn_adam         the same CNN, AdamOptimizer
  cnn_dwbn_momentum  Conv2D + FusedBatchNormV3 (training mode) + Relu, MaxPool, DepthwiseConv2dNative +
                   BiasAdd + Relu, Reshape, dense, SoftmaxCrossEntropyWithLogits on one-hot labels,
                   MomentumOptimizer (adds FusedBatchNormGradV3 and the depthwise backprop ops)
  while_mul        a TF1 tf.while_loop (control flow v1: Enter/Merge/Switch/NextIteration/Exit) that
                   runs y = tanh(y·w + b) for 4 iterations with variables w and b, a squared error on
                   the result, AdamOptimizer; the gradient loop pops the forward values that the
                   forward loop pushed (StackV2/StackPushV2/StackPopV2)
  rnn_tanh         tf.compat.v1.nn.dynamic_rnn over a hand-written tanh cell (h' = tanh(x·Wx + h·Wh + b);
                   Keras 3 has no BasicRNNCell), 5 time steps of batch 4, a dense readout, GradientDescentOptimizer; dynamic_rnn keeps inputs and outputs in
                   TensorArrays (TensorArrayV3/ScatterV3/ReadV3/WriteV3/GatherV3, TensorArrayGradV3 in
                   the gradient) inside a v1 while loop; the readout uses the last state plus the
                   mean output over time
The CNN cases run 25 steps (the others 12); their data is a synthetic two-class pattern made from a
fixed seed and stored in the .json as the feeds. The loop cases are built with control flow v1
(tf.compat.v1.disable_control_flow_v2 while building), as TF1 programs were; export checks that
their graphs hold Enter/Exit and stack or TensorArray ops, not While/StatelessWhile.

For each case <name>_<ref|resource> it writes <name>.pb (GraphDef, binary, from as_graph_def()) and
<name>.json:
  {tf_version, graph, init_op, train_op, loss, feeds: {name: {dtype, shape, values}}, steps,
   losses: [loss before step 1, …, loss before step N], final_loss (after N steps),
   ops: sorted op types in the graph}
The losses are what TF computes when each step runs `sess.run([loss, train_op], feeds)` (the loss of
the variables before that step's update) in a fresh tf.compat.v1.Session.
"""

import argparse
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow.python.ops import control_flow_util  # noqa: E402

v1 = tf.compat.v1


def dataset():
    """A fixed small dataset (same for every run of this script)."""
    rng = np.random.RandomState(1234)
    lin_x = rng.uniform(-1, 1, size=(8, 3)).astype(np.float32)
    lin_w = np.array([[0.5], [-1.0], [2.0]], dtype=np.float32)
    lin_y = (lin_x @ lin_w + 0.25).astype(np.float32)
    mlp_x = rng.uniform(-1, 1, size=(10, 4)).astype(np.float32)
    mlp_labels = rng.randint(0, 3, size=(10,)).astype(np.int32)
    mlp_w1 = rng.uniform(-0.5, 0.5, size=(4, 6)).astype(np.float32)
    mlp_b1 = rng.uniform(0.0, 0.1, size=(6,)).astype(np.float32)
    mlp_w2 = rng.uniform(-0.5, 0.5, size=(6, 3)).astype(np.float32)
    mlp_b2 = np.zeros((3,), dtype=np.float32)
    # Two classes of 8×8 images: a bright horizontal (class 0) or vertical (class 1) bar at a random
    # row/column, plus noise.
    cnn_labels = np.array([i % 2 for i in range(16)], dtype=np.int32)
    cnn_x = rng.normal(0.0, 0.1, size=(16, 8, 8, 1)).astype(np.float32)
    for i, label in enumerate(cnn_labels):
        k = rng.randint(1, 7)
        if label == 0:
            cnn_x[i, k, :, 0] += 1.0
        else:
            cnn_x[i, :, k, 0] += 1.0
    return {
        "cnn_x": cnn_x,
        "cnn_labels": cnn_labels,
        "cnn_k1": rng.normal(0.0, 0.3, size=(3, 3, 1, 4)).astype(np.float32),
        "cnn_b1": np.full((4,), 0.01, dtype=np.float32),
        "cnn_k2": rng.normal(0.0, 0.2, size=(3, 3, 4, 4)).astype(np.float32),
        "cnn_dw": rng.normal(0.0, 0.3, size=(3, 3, 4, 2)).astype(np.float32),
        "cnn_b2": np.full((8,), 0.01, dtype=np.float32),
        "cnn_w": rng.normal(0.0, 0.1, size=(4 * 4 * 8, 2)).astype(np.float32),
        "lin_x": lin_x,
        "lin_y": lin_y,
        "mlp_x": mlp_x,
        "mlp_labels": mlp_labels,
        "mlp_w1": mlp_w1,
        "mlp_b1": mlp_b1,
        "mlp_w2": mlp_w2,
        "mlp_b2": mlp_b2,
    }


def loop_dataset():
    """Data of the loop cases, from their own seed so dataset()'s draws (and fixtures) stay as they are."""
    rng = np.random.RandomState(4321)
    return {
        "while_x": rng.uniform(-1, 1, size=(6, 3)).astype(np.float32),
        "while_y": rng.uniform(-0.5, 0.5, size=(6, 3)).astype(np.float32),
        "rnn_x": rng.uniform(-1, 1, size=(4, 5, 3)).astype(np.float32),
        "rnn_y": rng.uniform(-1, 1, size=(4, 1)).astype(np.float32),
        "rnn_wx": rng.uniform(-0.5, 0.5, size=(3, 4)).astype(np.float32),
        "rnn_wh": rng.uniform(-0.5, 0.5, size=(4, 4)).astype(np.float32),
        "rnn_wo": rng.uniform(-0.5, 0.5, size=(4, 1)).astype(np.float32),
    }


def variable(value, name, resource):
    return v1.Variable(value, name=name, use_resource=resource)


def linreg(d, resource):
    x = v1.placeholder(tf.float32, shape=[None, 3], name="x")
    y = v1.placeholder(tf.float32, shape=[None, 1], name="y")
    w = variable(np.zeros((3, 1), dtype=np.float32), "w", resource)
    b = variable(np.zeros((1,), dtype=np.float32), "b", resource)
    pred = tf.matmul(x, w) + b
    loss = tf.reduce_mean(tf.square(pred - y), name="loss")
    feeds = {x: d["lin_x"], y: d["lin_y"]}
    return loss, feeds


def mlp(d, resource):
    x = v1.placeholder(tf.float32, shape=[None, 4], name="x")
    labels = v1.placeholder(tf.int32, shape=[None], name="labels")
    w1 = variable(d["mlp_w1"], "w1", resource)
    b1 = variable(d["mlp_b1"], "b1", resource)
    w2 = variable(d["mlp_w2"], "w2", resource)
    b2 = variable(d["mlp_b2"], "b2", resource)
    hidden = tf.nn.relu(tf.matmul(x, w1) + b1)
    logits = tf.nn.bias_add(tf.matmul(hidden, w2), b2)
    xent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    loss = tf.reduce_mean(xent, name="loss")
    feeds = {x: d["mlp_x"], labels: d["mlp_labels"]}
    return loss, feeds


def mlp_slices(d, resource):
    """The MLP with slicing, concatenation, mirror padding and a product in the forward pass, so
    autodiff emits StridedSliceGrad, ConcatOffset (+ Slice), MirrorPadGrad and ListDiff (Prod)."""
    x = v1.placeholder(tf.float32, shape=[None, 4], name="x")
    labels = v1.placeholder(tf.int32, shape=[None], name="labels")
    w1 = variable(d["mlp_w1"], "w1", resource)
    b1 = variable(d["mlp_b1"], "b1", resource)
    w2 = variable(np.concatenate([d["mlp_w2"][:1], d["mlp_w2"], d["mlp_w2"][-1:]]) * 0.8, "w2", resource)
    gate = variable(np.linspace(-0.5, 0.5, 6, dtype=np.float32).reshape(2, 3), "gate", resource)
    h = tf.matmul(x, w1) + b1
    left, right = h[:, :3], h[:, 3:]
    h = tf.concat([tf.nn.relu(left) * tf.reduce_prod(tf.sigmoid(gate) + 0.5, axis=0), tf.tanh(right)], axis=1)
    h = tf.pad(h, [[0, 0], [1, 1]], mode="REFLECT")
    logits = tf.matmul(h, w2)
    xent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return tf.reduce_mean(xent, name="loss"), {x: d["mlp_x"], labels: d["mlp_labels"]}


def cnn_input(d, resource, one_hot):
    x = v1.placeholder(tf.float32, shape=[None, 8, 8, 1], name="images")
    if one_hot:
        labels = v1.placeholder(tf.float32, shape=[None, 2], name="labels")
        label_values = np.eye(2, dtype=np.float32)[d["cnn_labels"]]
    else:
        labels = v1.placeholder(tf.int32, shape=[None], name="labels")
        label_values = d["cnn_labels"]
    k1 = variable(d["cnn_k1"], "conv1/kernel", resource)
    b1 = variable(d["cnn_b1"], "conv1/bias", resource)
    w = variable(d["cnn_w"], "dense/kernel", resource)
    bw = variable(np.zeros((2,), dtype=np.float32), "dense/bias", resource)
    return x, labels, {x: d["cnn_x"], labels: label_values}, k1, b1, w, bw


def cnn(d, resource):
    x, labels, feeds, k1, b1, w, bw = cnn_input(d, resource, one_hot=False)
    k2 = variable(np.concatenate([d["cnn_k2"], d["cnn_k2"][..., ::-1]], axis=3), "conv2/kernel", resource)
    b2 = variable(d["cnn_b2"], "conv2/bias", resource)
    h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, k1, strides=1, padding="SAME"), b1))
    h = tf.nn.max_pool2d(h, ksize=2, strides=2, padding="VALID")
    h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(h, k2, strides=1, padding="SAME"), b2))
    logits = tf.nn.bias_add(tf.matmul(tf.reshape(h, [-1, 4 * 4 * 8]), w), bw)
    xent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return tf.reduce_mean(xent, name="loss"), feeds


def cnn_dwbn(d, resource):
    x, labels, feeds, k1, b1, w, bw = cnn_input(d, resource, one_hot=True)
    gamma = variable(np.ones((4,), dtype=np.float32), "bn/gamma", resource)
    beta = variable(np.zeros((4,), dtype=np.float32), "bn/beta", resource)
    dw = variable(d["cnn_dw"], "dw/kernel", resource)
    b2 = variable(d["cnn_b2"], "dw/bias", resource)
    h = tf.nn.conv2d(x, k1, strides=1, padding="SAME")
    h, _mean, _var = v1.nn.fused_batch_norm(h, gamma, beta, is_training=True)
    h = tf.nn.max_pool2d(tf.nn.relu(h), ksize=2, strides=2, padding="VALID")
    h = tf.nn.depthwise_conv2d(h, dw, strides=[1, 1, 1, 1], padding="SAME")
    h = tf.nn.relu(tf.nn.bias_add(h, b2))
    logits = tf.nn.bias_add(tf.matmul(tf.reshape(h, [-1, 4 * 4 * 8]), w), bw)
    xent = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return tf.reduce_mean(xent, name="loss"), feeds


def while_mul(_d, resource):
    d = loop_dataset()
    x = v1.placeholder(tf.float32, shape=[None, 3], name="x")
    target = v1.placeholder(tf.float32, shape=[None, 3], name="target")
    # Names of their own: training.test.ts runs every case on one master, where ref variables (and
    # their optimizer slots) are shared by name across sessions, as on a TF server.
    w = variable(np.array([0.9, -0.6, 1.2], dtype=np.float32), "loop/w", resource)
    b = variable(np.full((3,), 0.05, dtype=np.float32), "loop/b", resource)
    _, y = v1.while_loop(lambda i, y: i < 4, lambda i, y: (i + 1, tf.tanh(y * w + b)), [tf.constant(0), x])
    loss = tf.reduce_mean(tf.square(y - target), name="loss")
    return loss, {x: d["while_x"], target: d["while_y"]}


class TanhCell:
    """The smallest RNNCell dynamic_rnn accepts: h' = tanh(x·Wx + h·Wh + b), output = h'."""

    def __init__(self, wx, wh, b, units):
        self.wx, self.wh, self.b, self.units = wx, wh, b, units

    @property
    def state_size(self):
        return self.units

    @property
    def output_size(self):
        return self.units

    def zero_state(self, batch_size, dtype):
        return tf.zeros([batch_size, self.units], dtype)

    def __call__(self, x, h, scope=None):
        h = tf.tanh(tf.matmul(x, self.wx) + tf.matmul(h, self.wh) + self.b)
        return h, h


def rnn_tanh(_d, resource):
    d = loop_dataset()
    x = v1.placeholder(tf.float32, shape=[None, 5, 3], name="x")
    y = v1.placeholder(tf.float32, shape=[None, 1], name="y")
    cell = TanhCell(
        variable(d["rnn_wx"], "rnn/wx", resource),
        variable(d["rnn_wh"], "rnn/wh", resource),
        variable(np.zeros((4,), dtype=np.float32), "rnn/b", resource),
        4,
    )
    outputs, state = v1.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    wo = variable(d["rnn_wo"], "out/w", resource)
    # Read out the last state and the mean output over time, so the gradient also flows back through
    # the outputs' TensorArray (TensorArrayGradV3).
    pred = tf.matmul(state + tf.reduce_mean(outputs, axis=1), wo)
    return tf.reduce_mean(tf.square(pred - y), name="loss"), {x: d["rnn_x"], y: d["rnn_y"]}


CASES = {
    "linreg_sgd": (linreg, lambda: v1.train.GradientDescentOptimizer(0.2)),
    "linreg_adam": (linreg, lambda: v1.train.AdamOptimizer(0.1)),
    "linreg_momentum": (linreg, lambda: v1.train.MomentumOptimizer(0.05, 0.9)),
    "linreg_nesterov": (linreg, lambda: v1.train.MomentumOptimizer(0.05, 0.9, use_nesterov=True)),
    "linreg_rmsprop": (linreg, lambda: v1.train.RMSPropOptimizer(0.05, momentum=0.5)),
    "linreg_rmsprop_centered": (linreg, lambda: v1.train.RMSPropOptimizer(0.05, centered=True)),
    "linreg_adagrad": (linreg, lambda: v1.train.AdagradOptimizer(0.3)),
    "linreg_adadelta": (linreg, lambda: v1.train.AdadeltaOptimizer(50.0)),
    "linreg_ftrl": (linreg, lambda: v1.train.FtrlOptimizer(0.3)),
    "linreg_ftrl_shrinkage": (
        linreg,
        lambda: v1.train.FtrlOptimizer(0.3, learning_rate_power=-0.7, l1_regularization_strength=0.01,
                                       l2_regularization_strength=0.02, l2_shrinkage_regularization_strength=0.05),
    ),
    "mlp_adam": (mlp, lambda: v1.train.AdamOptimizer(0.05)),
    "mlp_momentum": (mlp, lambda: v1.train.MomentumOptimizer(0.3, 0.9)),
    "mlp_nesterov": (mlp, lambda: v1.train.MomentumOptimizer(0.3, 0.9, use_nesterov=True)),
    "mlp_rmsprop": (mlp, lambda: v1.train.RMSPropOptimizer(0.02, momentum=0.9)),
    "mlp_rmsprop_centered": (mlp, lambda: v1.train.RMSPropOptimizer(0.05, centered=True)),
    "mlp_adagrad": (mlp, lambda: v1.train.AdagradOptimizer(0.3)),
    "mlp_adadelta": (mlp, lambda: v1.train.AdadeltaOptimizer(30.0)),
    "mlp_ftrl": (mlp, lambda: v1.train.FtrlOptimizer(0.3)),
    "mlp_slices_adam": (mlp_slices, lambda: v1.train.AdamOptimizer(0.05)),
    "cnn_sgd": (cnn, lambda: v1.train.GradientDescentOptimizer(0.1)),
    "cnn_adam": (cnn, lambda: v1.train.AdamOptimizer(0.005)),
    "cnn_dwbn_momentum": (cnn_dwbn, lambda: v1.train.MomentumOptimizer(0.02, 0.9)),
    "while_mul": (while_mul, lambda: v1.train.AdamOptimizer(0.1)),
    "rnn_tanh": (rnn_tanh, lambda: v1.train.GradientDescentOptimizer(0.5)),
}

# Cases built with TF1's control flow (v1 while loops); the ops their graphs must hold.
V1_CONTROL_FLOW = {
    "while_mul": {"Enter", "Exit", "StackV2", "StackPushV2", "StackPopV2"},
    "rnn_tanh": {"Enter", "Exit", "StackV2", "TensorArrayV3", "TensorArrayGradV3"},
}

# RunSteps per case where the default is not enough to show the loss falling.
STEPS = {"cnn_sgd": 25, "cnn_adam": 25, "cnn_dwbn_momentum": 25}


def dtype_name(a):
    return {np.dtype(np.float32): "float32", np.dtype(np.int32): "int32"}[a.dtype]


def export(name, model, make_opt, resource, steps, out):
    d = dataset()
    g = tf.Graph()
    v2_enabled = control_flow_util.ENABLE_CONTROL_FLOW_V2
    if name in V1_CONTROL_FLOW:
        v1.disable_control_flow_v2()
    try:
        with g.as_default():
            loss, feeds = model(d, resource)
            train_op = make_opt().minimize(loss, name="train")
            init = v1.global_variables_initializer()
    finally:
        control_flow_util.ENABLE_CONTROL_FLOW_V2 = v2_enabled
    gd = g.as_graph_def()
    graph_ops = {n.op for n in gd.node}
    if name in V1_CONTROL_FLOW:
        missing = V1_CONTROL_FLOW[name] - graph_ops
        assert not missing and not graph_ops & {"While", "StatelessWhile"}, (name, missing, graph_ops)
    losses = []
    with v1.Session(graph=g) as sess:
        sess.run(init)
        for _ in range(steps):
            value, _unused = sess.run([loss, train_op], feeds)
            losses.append(float(value))
        final_loss = float(sess.run(loss, feeds))
    case = f"{name}_{'resource' if resource else 'ref'}"
    with open(os.path.join(out, f"{case}.pb"), "wb") as f:
        f.write(gd.SerializeToString())
    meta = {
        "tf_version": tf.__version__,
        "graph": f"{case}.pb",
        "variables": "resource" if resource else "ref",
        "init_op": init.name,
        "train_op": train_op.name,
        "loss": loss.name,
        "feeds": {
            t.name: {"dtype": dtype_name(v), "shape": list(v.shape), "values": v.flatten().tolist()}
            for t, v in feeds.items()
        },
        "steps": steps,
        "losses": losses,
        "final_loss": final_loss,
        "ops": sorted({n.op for n in gd.node}),
    }
    with open(os.path.join(out, f"{case}.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    print(case, len(gd.node), "nodes", f"loss {losses[0]:.5f} -> {final_loss:.5f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "training"))
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--only", nargs="*", help="export only these case names (e.g. cnn_sgd)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    v1.disable_eager_execution()
    for name, (model, make_opt) in CASES.items():
        if args.only and name not in args.only:
            continue
        for resource in (False, True):
            export(name, model, make_opt, resource, STEPS.get(name, args.steps), args.out)


if __name__ == "__main__":
    main()
