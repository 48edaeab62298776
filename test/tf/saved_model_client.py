"""TF's own SavedModel loader against a tfgate server (test/saved-models-tf.test.ts).

    python saved_model_client.py TARGET ROOT

Runs from ROOT (the server's --files-root): tf.compat.v1.saved_model.loader.load reads each model's
files here on the client, then runs the restore op on the server with the variables path, which
the server resolves inside its sandbox. Loads "linear" by a relative path and "ref_vars" by the
root's absolute path, runs their signatures, prints one JSON line of results (or of the error).
"""

import json
import os
import sys

import numpy as np
import tensorflow as tf

tf.compat.v1.disable_eager_execution()


def run_signature(sess, meta, key, feeds):
    sig = meta.signature_def[key]
    fetches = {name: info.name for name, info in sig.outputs.items()}
    values = sess.run(fetches, {sig.inputs[name].name: value for name, value in feeds.items()})
    return {name: np.asarray(v).tolist() for name, v in values.items()}


def main():
    target, root = sys.argv[1], sys.argv[2]
    os.chdir(root)
    out = {}
    try:
        with tf.compat.v1.Session(target, graph=tf.Graph()) as sess:
            meta = tf.compat.v1.saved_model.loader.load(sess, ["serve"], "linear")
            out["linear"] = run_signature(sess, meta, "serving_default", {"x": [[1, 2], [3, 4], [-1.5, 0.25]]})
        with tf.compat.v1.Session(target, graph=tf.Graph()) as sess:
            meta = tf.compat.v1.saved_model.loader.load(sess, ["serve"], os.path.join(root, "ref_vars"))
            out["ref_vars"] = run_signature(sess, meta, "serving_default", {"x": [1.0, 2.0, 3.0]})
            out["ref_vars_offset"] = run_signature(sess, meta, "offset", {})
    except tf.errors.OpError as e:
        out["error"] = {"class": type(e).__name__, "code": e.error_code, "message": e.message}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
