"""Programs that save and restore checkpoints and touch files, as tf.compat.v1 users write them:
tf.compat.v1.train.Saver (plain and sharded), tf.train.load_checkpoint / latest_checkpoint on the
result, tf.io.write_file / read_file / matching_files, and the errors of a bad restore.

Both servers need a directory to write in: the differential test passes one in
TFGATE_DIFFERENTIAL_FILES and starts tfgate with it as --files-root; each run works in its own
subdirectory (named after the target, the two runs go in parallel) by absolute path, which real TF
takes as is and tfgate resolves inside its root. Paths in what is recorded are shown relative to that
subdirectory, so both runs record the same text."""

import os
import re
import shutil
import tempfile

import numpy as np
import tensorflow as tf
from programs import cap, program, session

v1 = tf.compat.v1


def workdir(target, name):
    base = os.environ.get("TFGATE_DIFFERENTIAL_FILES") or tempfile.gettempdir()
    d = os.path.join(base, re.sub(r"\W+", "_", target), name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def relative(value, d):
    """The record with the run's own directory spelled "<dir>"."""
    if isinstance(value, str):
        return value.replace(d, "<dir>")
    if isinstance(value, dict):
        return {k: relative(v, d) for k, v in value.items()}
    if isinstance(value, list):
        return [relative(v, d) for v in value]
    return value


def variables():
    w = v1.get_variable("w", initializer=tf.constant([[1.5, -2.0, 0.25], [3.0, 4.0, -0.5]]))
    n = v1.get_variable("n", initializer=tf.constant([7, -9], tf.int64))
    s = v1.Variable(tf.constant([b"alpha", b"", b"\xc3\xa9t\xc3\xa9"]), name="s", use_resource=False)
    p = v1.get_variable("p", shape=[5, 2], initializer=v1.constant_initializer(0.5),
                        partitioner=v1.fixed_size_partitioner(3))
    step = v1.train.get_or_create_global_step()
    return w, n, s, p, step


@program()
def saver_save_restore(target):
    """Saver.save of resource, ref, string and partitioned variables; changing them; Saver.restore;
    the checkpoint read back with tf.train.load_checkpoint; a sharded Saver with max_to_keep and
    latest_checkpoint."""
    d = workdir(target, "saver")
    g = tf.Graph()
    with g.as_default():
        w, n, s, p, step = variables()
        whole_p = tf.concat(list(p), 0)
        init = v1.global_variables_initializer()
        change = tf.group(w.assign(w * 10), n.assign_add([1, 1]), v1.assign(s, [b"x", b"y", b"z"]),
                          *[part.assign(part + 1) for part in p], step.assign_add(5))
        saver = v1.train.Saver()
        sharded = v1.train.Saver(sharded=True, max_to_keep=2)
    os.makedirs(os.path.join(d, "sharded"))
    r = {}
    with session(target, g) as sess:
        sess.run(init)
        r["saved_as"] = cap(lambda: saver.save(sess, os.path.join(d, "model"), global_step=step))
        sess.run(change)
        r["changed"] = cap(lambda: sess.run([w, n, s, whole_p, step]))
        r["restore"] = cap(lambda: saver.restore(sess, os.path.join(d, "model-0")))
        r["restored"] = cap(lambda: sess.run([w, n, s, whole_p, step]))
        for k in range(3):
            sess.run(step.assign_add(1))
            r[f"sharded_{k}"] = cap(lambda: sharded.save(sess, os.path.join(d, "sharded", "m"), global_step=step))
    r["latest"] = cap(lambda: v1.train.latest_checkpoint(os.path.join(d, "sharded")))
    r["files"] = cap(lambda: sorted(os.listdir(os.path.join(d, "sharded"))))
    reader = tf.train.load_checkpoint(os.path.join(d, "model-0"))
    r["variables"] = cap(lambda: sorted(tf.train.list_variables(os.path.join(d, "model-0"))))
    r["load_checkpoint"] = cap(lambda: [reader.get_tensor(k) for k in ["w", "n", "s", "p", "global_step"]])
    return relative(r, d)


@program()
def restore_errors(target):
    """What a bad restore reports: no checkpoint at the prefix, a variable missing from the
    checkpoint, a dtype and a shape that do not match, and a corrupt index file."""
    d = workdir(target, "errors")
    g = tf.Graph()
    with g.as_default():
        a = v1.get_variable("a", initializer=tf.constant([1.0, 2.0]))
        init = v1.global_variables_initializer()
        saver = v1.train.Saver()
        prefix = v1.placeholder(tf.string, [])
        names = tf.constant(["a"])
        specs = tf.constant([""])
        as_int = tf.raw_ops.RestoreV2(prefix=prefix, tensor_names=names, shape_and_slices=specs, dtypes=[tf.int32])
        as_3x = tf.raw_ops.RestoreV2(prefix=prefix, tensor_names=names, shape_and_slices=["3 0,1"],
                                     dtypes=[tf.float32])
        missing = tf.raw_ops.RestoreV2(prefix=prefix, tensor_names=["b"], shape_and_slices=specs, dtypes=[tf.float32])
        ok = tf.raw_ops.RestoreV2(prefix=prefix, tensor_names=names, shape_and_slices=specs, dtypes=[tf.float32])
    r = {}
    path = os.path.join(d, "m")
    with session(target, g) as sess:
        sess.run(init)
        r["save"] = cap(lambda: saver.save(sess, path))
        r["no_checkpoint"] = cap(lambda: sess.run(ok, {prefix: os.path.join(d, "nothing")}))
        r["wrong_dtype"] = cap(lambda: sess.run(as_int, {prefix: path}))
        r["wrong_shape"] = cap(lambda: sess.run(as_3x, {prefix: path}))
        r["missing_key"] = cap(lambda: sess.run(missing, {prefix: path}))
        with open(path + ".index", "r+b") as f:
            f.seek(-5, os.SEEK_END)
            f.write(b"\x00\x00\x00\x00\x00")
        r["corrupt_index"] = cap(lambda: sess.run(ok, {prefix: path}))
        with open(path + ".index", "r+b") as f:
            f.truncate(10)
        r["truncated_index"] = cap(lambda: sess.run(ok, {prefix: path}))
    return relative(r, d)


@program()
def file_ops(target):
    """tf.io.write_file (creating directories), read_file, matching_files over several patterns,
    a missing file and a directory read as a file."""
    d = workdir(target, "files")
    g = tf.Graph()
    with g.as_default():
        name = v1.placeholder(tf.string, [])
        contents = v1.placeholder(tf.string, [])
        pattern = v1.placeholder(tf.string, [None])
        write = tf.io.write_file(name, contents)
        read = tf.io.read_file(name)
        match = tf.io.matching_files(pattern)
    r = {}
    with session(target, g) as sess:
        for f, text in [("a.txt", b"first"), ("sub/b.txt", b"second \x00 \xff"), ("sub/deep/c.log", b"")]:
            r[f"write_{f}"] = cap(lambda f=f, text=text: sess.run(write, {name: os.path.join(d, f), contents: text}))
        r["read"] = cap(lambda: sess.run(read, {name: os.path.join(d, "sub/b.txt")}))
        r["overwrite"] = cap(lambda: sess.run(write, {name: os.path.join(d, "a.txt"), contents: b"again"}))
        r["read_again"] = cap(lambda: sess.run(read, {name: os.path.join(d, "a.txt")}))
        patterns = [os.path.join(d, p) for p in ["*.txt", "s*/*", "sub/deep/*.log", "none/*"]]
        r["match"] = cap(lambda: [m.decode() for m in sess.run(match, {pattern: patterns})])
        r["missing"] = cap(lambda: sess.run(read, {name: os.path.join(d, "nope.txt")}))
        r["directory"] = cap(lambda: sess.run(read, {name: os.path.join(d, "sub")}))
    return relative(r, d)
