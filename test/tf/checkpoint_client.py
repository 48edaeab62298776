#!/usr/bin/env python3
"""Checkpoints in TF's own format between real TensorFlow and a MasterService, through TF's client.

    python test/tf/checkpoint_client.py --target grpc://127.0.0.1:PORT --root DIR

DIR is the server's --files-root; the client uses absolute paths inside it, so TF's client-side
steps (Saver's directory check, the `checkpoint` state file, the .meta graph) and the server's ops
see the same files. Scenarios (each recorded, none stops the others):

  tfgate_to_tf      variables of every dtype (ref and resource, strings, a partitioned variable
                    over fixed_size_partitioner(3)) saved by tf.compat.v1.train.Saver on the target,
                    then read by real TF: tf.train.load_checkpoint and a local Saver.restore.
  tf_to_tfgate      the same graph saved by real TF locally, restored by Saver on the target.
  sharded           Saver(sharded=True) on the target (ShardedFilename, SaveV2 per device,
                    MergeV2Checkpoints), max_to_keep, latest_checkpoint, then restored and read by TF.
  v1                Saver(write_version=V1) on the target read by TF, and TF's read on the target.
  monitored         tf.compat.v1.train.MonitoredTrainingSession(master=target, checkpoint_dir=...)
                    trains, saves, is reopened and resumes from its checkpoint; real TF reads it.

Prints {"tf_version", "results": {scenario: {"ok": bool, "detail": ...}}} on stdout.
"""

import argparse
import json
import os
import shutil
import traceback

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

v1 = tf.compat.v1
v1.disable_eager_execution()

BF16 = tf.bfloat16.as_numpy_dtype
VALUES = {
    "f32": (tf.float32, np.array([[1.5, -2.25], [np.inf, -0.0]], np.float32)),
    "f64": (tf.float64, np.array([1e300, -1e-300], np.float64)),
    "f16": (tf.float16, np.array([0.1, -65504], np.float16)),
    "bf16": (tf.bfloat16, np.array([1.5, -3.0e38], BF16)),
    "i8": (tf.int8, np.array([-128, 127], np.int8)),
    "i16": (tf.int16, np.array([-32768, 5], np.int16)),
    "i32": (tf.int32, np.array([[2**31 - 1, -7]], np.int32)),
    "i64": (tf.int64, np.array([-(2**63), 2**62 + 1], np.int64)),
    "u8": (tf.uint8, np.array([0, 255], np.uint8)),
    "u16": (tf.uint16, np.array([65535], np.uint16)),
    "u32": (tf.uint32, np.array([2**32 - 1], np.uint32)),
    "u64": (tf.uint64, np.array([2**64 - 1], np.uint64)),
    "c64": (tf.complex64, np.array([1 + 2j, -3.5j], np.complex64)),
    "c128": (tf.complex128, np.array([[1e200 - 1j]], np.complex128)),
    "b": (tf.bool, np.array([True, False, True])),
    "s": (tf.string, np.array([b"", b"h\xc3\xa9llo\x00", b"x" * 300, b"\xff\xfe"], object)),
    "scalar": (tf.float32, np.float32(42.0)),
    "empty": (tf.int32, np.zeros([0, 3], np.int32)),
}
# Resource variables (TF2's default for get_variable) for these, ref variables (VariableV2) for the
# rest: both save through SaveV2 and restore through RestoreV2.
REF = {"f64", "i16", "u8", "c64", "s", "empty"}
# TF's CPU kernels for ref-variable Assign do not cover every dtype: keep those as resources.
PART_SHAPE = [7, 3]


def build(values, part_init):
    g = tf.Graph()
    with g.as_default():
        variables = {}
        for name, (dtype, value) in values.items():
            variables[name] = v1.Variable(value, dtype=dtype, name=name, use_resource=name not in REF)
        part = v1.get_variable(
            "part", shape=PART_SHAPE, dtype=tf.float32, initializer=part_init,
            partitioner=v1.fixed_size_partitioner(3))
        step = v1.train.get_or_create_global_step()
        init = v1.global_variables_initializer()
    return g, variables, part, step, init


def fetch_all(sess, variables, part):
    names = list(variables)
    got = sess.run([variables[n] for n in names] + [list(part)])
    out = dict(zip(names, got[:-1]))
    out["part"] = np.concatenate(got[-1], axis=0)
    return out


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype and not (a.dtype == object or b.dtype == object):
        return False
    if a.shape != b.shape:
        return False
    if a.dtype == object or b.dtype == object:
        return [bytes(x) for x in a.ravel()] == [bytes(x) for x in b.ravel()]
    return a.tobytes() == b.tobytes()


def compare(want, got, what):
    bad = [k for k in want if k not in got or not same(want[k], got[k])]
    if bad:
        raise AssertionError(f"{what}: differ for {bad}: " + "; ".join(
            f"{k}: want {want[k]!r} got {got.get(k)!r}" for k in bad[:3]))


def shifted(values, k):
    """Different values of the same dtypes (so a restore is visible)."""
    out = {}
    for name, (dtype, value) in values.items():
        a = np.array(value)
        if dtype == tf.string:
            a = np.array([bytes(x) + b"#" * k for x in a.ravel()], object).reshape(a.shape)
        elif dtype == tf.bool:
            a = np.logical_not(a) if k % 2 else a
        elif a.size:
            a = np.roll(a.ravel(), k).reshape(a.shape)
        out[name] = (dtype, a)
    return out


def load_with_tf(prefix, names):
    reader = tf.train.load_checkpoint(prefix)
    return {n: reader.get_tensor(n) for n in names}


def scenario_tfgate_to_tf(target, root):
    prefix = os.path.join(root, "a", "model")
    os.makedirs(os.path.dirname(prefix), exist_ok=True)
    g, variables, part, step, init = build(VALUES, v1.random_uniform_initializer(-1, 1, seed=3))
    with g.as_default(), v1.Session(target, graph=g) as sess:
        sess.run(init)
        want = fetch_all(sess, variables, part)
        saved = v1.train.Saver().save(sess, prefix, global_step=7)
    got = load_with_tf(saved, list(want))
    compare(want, got, "tf.train.load_checkpoint of tfgate's checkpoint")
    shapes = dict(tf.train.list_variables(saved))
    if shapes.get("part") != PART_SHAPE:
        raise AssertionError(f"partitioned variable listed as {shapes.get('part')}")
    # And a local TF session restores it with its own Saver.
    g2, variables2, part2, _, _ = build(shifted(VALUES, 1), v1.zeros_initializer())
    with g2.as_default(), v1.Session(graph=g2) as sess:
        v1.train.Saver().restore(sess, saved)
        compare(want, fetch_all(sess, variables2, part2), "local Saver.restore of tfgate's checkpoint")
    return {"prefix": os.path.relpath(saved, root), "tensors": sorted(shapes)}


def scenario_tf_to_tfgate(target, root):
    prefix = os.path.join(root, "b", "model")
    os.makedirs(os.path.dirname(prefix), exist_ok=True)
    values = shifted(VALUES, 2)
    g, variables, part, step, init = build(values, v1.random_uniform_initializer(-5, 5, seed=11))
    with g.as_default(), v1.Session(graph=g) as sess:
        sess.run(init)
        want = fetch_all(sess, variables, part)
        saved = v1.train.Saver().save(sess, prefix)
    g2, variables2, part2, _, init2 = build(VALUES, v1.zeros_initializer())
    with g2.as_default(), v1.Session(target, graph=g2) as sess:
        sess.run(init2)
        v1.train.Saver().restore(sess, saved)
        compare(want, fetch_all(sess, variables2, part2), "Saver.restore on tfgate of TF's checkpoint")
    return {"prefix": os.path.relpath(saved, root)}


def scenario_sharded(target, root):
    ckdir = os.path.join(root, "c")
    os.makedirs(ckdir, exist_ok=True)
    g, variables, part, step, init = build(VALUES, v1.random_uniform_initializer(-1, 1, seed=5))
    with g.as_default():
        bump = v1.assign_add(step, 1)
        saver = v1.train.Saver(sharded=True, max_to_keep=2)
    paths = []
    with g.as_default(), v1.Session(target, graph=g) as sess:
        sess.run(init)
        for _ in range(3):
            sess.run(bump)
            paths.append(saver.save(sess, os.path.join(ckdir, "model"), global_step=step))
        want = fetch_all(sess, variables, part)
    latest = v1.train.latest_checkpoint(ckdir)
    if latest != paths[-1]:
        raise AssertionError(f"latest_checkpoint {latest}, saved {paths}")
    kept = sorted(f for f in os.listdir(ckdir) if f.endswith(".index"))
    if len(kept) != 2:
        raise AssertionError(f"max_to_keep=2 kept {kept}")
    leftovers = [f for f in os.listdir(ckdir) if "_temp" in f or "tempstate" in f]
    if leftovers:
        raise AssertionError(f"temporary files left: {leftovers}")
    compare(want, load_with_tf(latest, list(want)), "TF reading tfgate's sharded checkpoint")
    g2, variables2, part2, step2, init2 = build(shifted(VALUES, 3), v1.zeros_initializer())
    with g2.as_default(), v1.Session(target, graph=g2) as sess:
        sess.run(init2)
        v1.train.Saver(sharded=True).restore(sess, latest)
        compare(want, fetch_all(sess, variables2, part2), "tfgate restoring its sharded checkpoint")
        restored_step = int(sess.run(step2))
    return {"kept": kept, "step": restored_step, "files": sorted(os.listdir(ckdir))}


def scenario_v1(target, root):
    """Saver(write_version=V1) both ways (the V1 format holds no bfloat16, uint32 or uint64)."""
    d = os.path.join(root, "v1")
    os.makedirs(d, exist_ok=True)
    values = {k: v for k, v in VALUES.items() if k not in ("bf16", "u32", "u64")}
    v1_saver = lambda: v1.train.Saver(write_version=v1.train.SaverDef.V1)  # noqa: E731
    g, variables, part, _, init = build(values, v1.random_uniform_initializer(-1, 1, seed=7))
    with g.as_default(), v1.Session(target, graph=g) as sess:
        sess.run(init)
        want = fetch_all(sess, variables, part)
        saved = v1_saver().save(sess, os.path.join(d, "ours"))
    g2, variables2, part2, _, _ = build(shifted(values, 1), v1.zeros_initializer())
    with g2.as_default(), v1.Session(graph=g2) as sess:
        v1_saver().restore(sess, saved)
        compare(want, fetch_all(sess, variables2, part2), "TF restoring tfgate's V1 checkpoint")
    g3, variables3, part3, _, init3 = build(shifted(values, 2), v1.random_uniform_initializer(-3, 3, seed=9))
    with g3.as_default(), v1.Session(graph=g3) as sess:
        sess.run(init3)
        want3 = fetch_all(sess, variables3, part3)
        saved3 = v1_saver().save(sess, os.path.join(d, "theirs"))
    g4, variables4, part4, _, init4 = build(values, v1.zeros_initializer())
    with g4.as_default(), v1.Session(target, graph=g4) as sess:
        sess.run(init4)
        v1_saver().restore(sess, saved3)
        compare(want3, fetch_all(sess, variables4, part4), "tfgate restoring TF's V1 checkpoint")
    return {"files": sorted(os.listdir(d))}


def scenario_monitored(target, root):
    ckdir = os.path.join(root, "mts")
    shutil.rmtree(ckdir, ignore_errors=True)

    def run(steps):
        g = tf.Graph()
        with g.as_default():
            step = v1.train.get_or_create_global_step()
            w = v1.get_variable("w", shape=[4, 2], initializer=v1.constant_initializer(0.5),
                                partitioner=v1.fixed_size_partitioner(3))
            whole = tf.concat(list(w), 0)
            loss = tf.reduce_sum(tf.square(whole - 3.0))
            train = v1.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
            seen = []
            with v1.train.MonitoredTrainingSession(
                    master=target, is_chief=True, checkpoint_dir=ckdir, save_checkpoint_steps=2,
                    save_summaries_steps=None, save_summaries_secs=None, log_step_count_steps=None) as sess:
                seen.append(int(sess.run(step)))
                for _ in range(steps):
                    sess.run(train)
                seen.append(int(sess.run(step)))
                final_w = sess.run(whole)
        return seen, final_w

    first, w1 = run(3)
    second, w2 = run(2)
    if first != [0, 3] or second != [3, 5]:
        raise AssertionError(f"global steps {first} then {second}: the second session did not resume")
    latest = v1.train.latest_checkpoint(ckdir)
    reader = tf.train.load_checkpoint(latest)
    if int(reader.get_tensor("global_step")) != 5:
        raise AssertionError(f"checkpoint {latest} holds step {reader.get_tensor('global_step')}")
    if not same(reader.get_tensor("w"), w2):
        raise AssertionError(f"checkpointed w {reader.get_tensor('w')} vs session's {w2}")
    return {"steps": [first, second], "latest": os.path.relpath(latest, root)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    scenarios = {
        "tfgate_to_tf": scenario_tfgate_to_tf,
        "tf_to_tfgate": scenario_tf_to_tfgate,
        "sharded": scenario_sharded,
        "v1": scenario_v1,
        "monitored": scenario_monitored,
    }
    only = [s for s in args.only.split(",") if s]
    results = {}
    for name, fn in scenarios.items():
        if only and name not in only:
            continue
        try:
            results[name] = {"ok": True, "detail": fn(args.target, args.root)}
        except Exception as e:  # noqa: BLE001 - every failure is reported to the test
            results[name] = {"ok": False, "detail": f"{type(e).__name__}: {e}",
                             "trace": traceback.format_exc()[-3000:]}
    print(json.dumps({"tf_version": tf.__version__, "results": results}))


if __name__ == "__main__":
    main()
