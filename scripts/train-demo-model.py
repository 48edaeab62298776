"""Trains the demo page's digit classifier and exports it as a tf.compat.v1 SavedModel.

    .venv-tf/bin/python scripts/train-demo-model.py [--out models/digits] [--steps 3000]

The training data is generated: each digit 0-9 is a handful of pen strokes (polylines in a unit
box), drawn with random slant, rotation, scale, aspect, stroke width and jitter, rasterized with
anti-aliasing into a 20x20 box centred in 28x28 (as MNIST and the demo page's canvas preprocessing
do). No data set is downloaded. The network is a small CNN (two conv+pool layers, one dense layer;
~12k parameters, ~50 KB of variables) trained with Adam in a tf.compat.v1 graph.

The export is an inference-only graph (no optimizer slots) written by
tf.compat.v1.saved_model.Builder with tags {"serve"} and one signature, "serving_default":
    inputs:  image         float32 [-1, 28, 28]  ink in [0, 1], background 0
    outputs: probabilities float32 [-1, 10]
             class         int64   [-1]
so tfgate serves it with RestoreV2 restoring the variables, as TF Serving would.
"""

import argparse
import os
import shutil

import numpy as np
import tensorflow as tf

# Pen strokes per digit in a unit box (x right, y down), written the way people draw them.
STROKES = {
    0: [[(0.5, 0.0), (0.2, 0.12), (0.05, 0.5), (0.2, 0.88), (0.5, 1.0), (0.8, 0.88), (0.95, 0.5), (0.8, 0.12), (0.5, 0.0)]],
    1: [[(0.3, 0.2), (0.55, 0.0), (0.55, 1.0)]],
    2: [[(0.1, 0.22), (0.3, 0.02), (0.65, 0.0), (0.88, 0.2), (0.85, 0.42), (0.1, 1.0), (0.95, 1.0)]],
    3: [[(0.1, 0.1), (0.45, 0.0), (0.8, 0.1), (0.82, 0.35), (0.45, 0.48), (0.85, 0.62), (0.85, 0.88), (0.5, 1.0), (0.1, 0.92)]],
    4: [[(0.7, 1.0), (0.7, 0.0), (0.05, 0.7), (0.95, 0.7)]],
    5: [[(0.85, 0.0), (0.2, 0.0), (0.15, 0.45), (0.55, 0.38), (0.85, 0.55), (0.85, 0.85), (0.5, 1.0), (0.1, 0.92)]],
    6: [[(0.8, 0.05), (0.45, 0.0), (0.15, 0.35), (0.1, 0.75), (0.35, 1.0), (0.7, 0.95), (0.85, 0.72), (0.65, 0.5), (0.3, 0.52), (0.12, 0.7)]],
    7: [[(0.05, 0.0), (0.95, 0.0), (0.4, 1.0)]],
    8: [[(0.5, 0.48), (0.15, 0.3), (0.25, 0.05), (0.5, 0.0), (0.75, 0.05), (0.85, 0.28), (0.5, 0.48), (0.1, 0.7), (0.25, 0.95), (0.5, 1.0), (0.78, 0.95), (0.9, 0.72), (0.5, 0.48)]],
    9: [[(0.85, 0.35), (0.6, 0.05), (0.3, 0.02), (0.12, 0.25), (0.3, 0.48), (0.65, 0.45), (0.85, 0.3), (0.85, 0.6), (0.7, 1.0)]],
}

SIZE = 28
BOX = 20


def render(digit, rng):
    """One 28x28 float32 image of `digit` with random style."""
    angle = rng.normal(0, 0.12)
    slant = rng.normal(0.1, 0.15)
    sx, sy = rng.uniform(0.6, 1.1), rng.uniform(0.85, 1.1)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    shear = np.array([[1, -slant], [0, 1]])
    m = rot @ shear @ np.diag([sx, sy])
    strokes = []
    for line in STROKES[digit]:
        pts = np.array(line, dtype=np.float64) - 0.5
        pts = pts + rng.normal(0, 0.025, pts.shape)
        strokes.append(pts @ m.T)
    allpts = np.concatenate(strokes)
    lo, hi = allpts.min(0), allpts.max(0)
    scale = (BOX - 2) / max(hi[0] - lo[0], hi[1] - lo[1], 1e-6)
    centre = (lo + hi) / 2
    width = rng.uniform(1.2, 2.6)
    shift = rng.normal(0, 0.8, 2)
    ys, xs = np.mgrid[0:SIZE, 0:SIZE] + 0.5
    dist = np.full((SIZE, SIZE), np.inf)
    for pts in strokes:
        p = (pts - centre) * scale + SIZE / 2 + shift
        for a, b in zip(p[:-1], p[1:]):
            d = b - a
            t = np.clip(((xs - a[0]) * d[0] + (ys - a[1]) * d[1]) / max(d @ d, 1e-9), 0, 1)
            dist = np.minimum(dist, np.hypot(xs - (a[0] + t * d[0]), ys - (a[1] + t * d[1])))
    img = np.clip(width / 2 + 0.5 - dist, 0, 1)
    img = img * rng.uniform(0.7, 1.0) + rng.normal(0, 0.03, img.shape)
    return np.clip(img, 0, 1).astype(np.float32)


def dataset(n, rng):
    labels = rng.integers(0, 10, n)
    return np.stack([render(int(d), rng) for d in labels]), labels.astype(np.int64)


def build(images):
    """The network on [-1, 28, 28] images; returns (logits, variables)."""
    init = tf.compat.v1.glorot_uniform_initializer(seed=1)
    x = tf.reshape(images, [-1, SIZE, SIZE, 1])
    k1 = tf.compat.v1.get_variable("conv1/kernel", [5, 5, 1, 8], initializer=init)
    b1 = tf.compat.v1.get_variable("conv1/bias", [8], initializer=tf.compat.v1.zeros_initializer())
    h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, k1, [1, 1, 1, 1], "SAME"), b1))
    h = tf.nn.max_pool2d(h, 2, 2, "VALID")
    k2 = tf.compat.v1.get_variable("conv2/kernel", [3, 3, 8, 16], initializer=init)
    b2 = tf.compat.v1.get_variable("conv2/bias", [16], initializer=tf.compat.v1.zeros_initializer())
    h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(h, k2, [1, 1, 1, 1], "SAME"), b2))
    h = tf.nn.max_pool2d(h, 2, 2, "VALID")
    h = tf.reshape(h, [-1, 7 * 7 * 16])
    w = tf.compat.v1.get_variable("dense/kernel", [7 * 7 * 16, 10], initializer=init)
    b = tf.compat.v1.get_variable("dense/bias", [10], initializer=tf.compat.v1.zeros_initializer())
    return tf.nn.bias_add(tf.matmul(h, w), b), [k1, b1, k2, b2, w, b]


def train(steps, rng):
    train_x, train_y = dataset(20000, rng)
    test_x, test_y = dataset(2000, rng)
    g = tf.Graph()
    with g.as_default():
        tf.compat.v1.set_random_seed(1)
        images = tf.compat.v1.placeholder(tf.float32, [None, SIZE, SIZE])
        labels = tf.compat.v1.placeholder(tf.int64, [None])
        logits, variables = build(images)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
        step = tf.compat.v1.train.AdamOptimizer(2e-3).minimize(loss)
        accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32))
        with tf.compat.v1.Session(graph=g) as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            for i in range(steps):
                idx = rng.integers(0, len(train_x), 128)
                _, l = sess.run([step, loss], {images: train_x[idx], labels: train_y[idx]})
                if i % 500 == 0:
                    print(f"step {i}: loss {l:.3f}")
            acc = sess.run(accuracy, {images: test_x, labels: test_y})
            print(f"held-out accuracy on generated digits: {acc:.3f}")
            return [(v.op.name, sess.run(v)) for v in variables]


def export(values, out):
    """An inference-only graph with the trained values, saved by Builder under {"serve"}."""
    if os.path.exists(out):
        shutil.rmtree(out)
    g = tf.Graph()
    with g.as_default():
        images = tf.compat.v1.placeholder(tf.float32, [None, SIZE, SIZE], name="image")
        logits, variables = build(images)
        probabilities = tf.nn.softmax(logits, name="probabilities")
        predicted = tf.argmax(logits, 1, name="class")
        with tf.compat.v1.Session(graph=g) as sess:
            for v, (name, value) in zip(variables, values):
                assert v.op.name == name
                v.load(value, sess)
            builder = tf.compat.v1.saved_model.Builder(out)
            signature = tf.compat.v1.saved_model.predict_signature_def(
                inputs={"image": images},
                outputs={"probabilities": probabilities, "class": predicted},
            )
            builder.add_meta_graph_and_variables(
                sess,
                [tf.compat.v1.saved_model.tag_constants.SERVING],
                signature_def_map={"serving_default": signature},
                strip_default_attrs=True,
            )
            builder.save()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "models", "digits"))
    parser.add_argument("--steps", type=int, default=3000)
    args = parser.parse_args()
    rng = np.random.default_rng(20261206)
    export(train(args.steps, rng), os.path.normpath(args.out))
    print(f"wrote {os.path.normpath(args.out)}")


if __name__ == "__main__":
    main()
