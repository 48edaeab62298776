"""Exports the SavedModels tfgate's tests serve (test/saved-models.test.ts), with TF 2.21.

    .venv-tf/bin/python test/tf/export_saved_models.py OUT_DIR [--keras]

Writes, under OUT_DIR:
  linear/      simple_save: resource variables w [2,3], b [3]; "serving_default" x [-1,2] -> y [-1,3]
  ref_vars/    Builder, ref (VariableV2) variables, two MetaGraphs: {"serve"} with signatures
               "serving_default" (x -> y = x*scale + offset) and "offset" (no inputs -> the offset
               variable), and {"serve", "gpu"} with "serving_default" only; a main_op that sets
               the counter variable to 41 + 1 after restoring (so a loader that skips it is seen)
  constants/   Builder, no variables at all: "serving_default" text [-1] string -> upper [-1]
               (no restore needed; served end to end by any engine)
  constants_text/  the same SavedModel as saved_model.pbtxt (Builder.save(as_text=True))
and with --keras (not in the committed fixtures):
  keras_export/    a Keras 3 model's model.export() (TF2 SavedModel: functions called by
                   StatefulPartitionedCall, the restore op inside a function, an init-op signature)
  keras_v1_graph/  a Keras 3 Dense layer called on a tf.compat.v1 placeholder, simple_save
and prints a JSON line with the expected outputs for the inputs the test feeds.
"""

import json
import os
import sys

import numpy as np
import tensorflow as tf

X = np.array([[1, 2], [3, 4], [-1.5, 0.25]], np.float32)


def linear(out):
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None, 2], name="x")
        w = tf.compat.v1.get_variable("w", initializer=tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]))
        b = tf.compat.v1.get_variable("b", initializer=tf.constant([0.5, -1.0, 2.0]))
        y = tf.identity(tf.matmul(x, w) + b, name="y")
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            tf.compat.v1.saved_model.simple_save(sess, os.path.join(out, "linear"), {"x": x}, {"y": y})
            return sess.run(y, {x: X}).tolist()


def ref_vars(out):
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None], name="x")
        scale = tf.compat.v1.Variable(3.0, name="scale", use_resource=False)
        offset = tf.compat.v1.Variable([0.25], name="offset", use_resource=False)
        counter = tf.compat.v1.Variable(0, name="counter", use_resource=False)
        y = tf.identity(x * scale + offset, name="y")
        main_op = tf.group(tf.compat.v1.assign(counter, 42), name="set_counter")
        sig = tf.compat.v1.saved_model.predict_signature_def({"x": x}, {"y": y})
        info = tf.compat.v1.saved_model.build_tensor_info
        offset_sig = tf.compat.v1.saved_model.build_signature_def(
            inputs={},
            outputs={"offset": info(offset.value()), "counter": info(counter.value())},
            method_name=tf.compat.v1.saved_model.PREDICT_METHOD_NAME,
        )
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            sess.run([tf.compat.v1.assign(scale, 2.0), tf.compat.v1.assign(offset, [-1.0])])
            builder = tf.compat.v1.saved_model.Builder(os.path.join(out, "ref_vars"))
            builder.add_meta_graph_and_variables(
                sess, ["serve"], signature_def_map={"serving_default": sig, "offset": offset_sig}, main_op=main_op
            )
            builder.add_meta_graph(["serve", "gpu"], signature_def_map={"serving_default": sig})
            builder.save()
            return sess.run(y, {x: [1.0, 2.0, 3.0]}).tolist()


def constants(out, name="constants", as_text=False):
    g = tf.Graph()
    with g.as_default():
        text = tf.compat.v1.placeholder(tf.string, [None], name="text")
        upper = tf.strings.upper(text, name="upper")
        with tf.compat.v1.Session() as sess:
            builder = tf.compat.v1.saved_model.Builder(os.path.join(out, name))
            builder.add_meta_graph_and_variables(
                sess,
                ["serve"],
                signature_def_map={
                    "serving_default": tf.compat.v1.saved_model.predict_signature_def({"text": text}, {"upper": upper})
                },
            )
            builder.save(as_text=as_text)


KERAS_X = np.arange(8, dtype=np.float32).reshape(2, 4) / 8


def keras_models(out):
    import keras

    keras.utils.set_random_seed(7)
    inp = keras.Input((4,), name="features")
    hidden = keras.layers.Dense(8, activation="relu")(inp)
    model = keras.Model(inp, keras.layers.Dense(3, activation="softmax", name="probs")(hidden))
    expected = {"keras_export": model.predict(KERAS_X, verbose=0).tolist()}
    model.export(os.path.join(out, "keras_export"))
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None, 4], name="x")
        y = keras.layers.Dense(3, name="dense_v1")(x)
        with tf.compat.v1.Session(graph=g) as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            expected["keras_v1_graph"] = sess.run(y, {x: KERAS_X}).tolist()
            tf.compat.v1.saved_model.simple_save(sess, os.path.join(out, "keras_v1_graph"), {"x": x}, {"y": y})
    return expected


def main():
    out = sys.argv[1]
    expected = {"linear": linear(out), "ref_vars": ref_vars(out)}
    constants(out)
    constants(out, "constants_text", as_text=True)
    if "--keras" in sys.argv[2:]:
        expected.update(keras_models(out))
    print(json.dumps(expected))


if __name__ == "__main__":
    main()
