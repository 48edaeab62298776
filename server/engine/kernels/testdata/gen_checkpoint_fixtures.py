#!/usr/bin/env python3
"""Writes checkpoint-fixtures.json: TensorFlow 2.21's own behaviour for the checkpoint and file ops
(SaveV2, RestoreV2, MergeV2Checkpoints, ShardedFilename, ShardedFilespec, MatchingFiles, ReadFile,
WriteFile), read by ../checkpoint-fixtures.test.ts.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_checkpoint_fixtures.py

Each case is one eager tf.raw_ops call in the format of tf_fixtures.py, run with an empty temporary
directory as the working directory (paths are relative, so they mean the same under tfgate's files
root), plus:
  "setup": {path: base64}   files put in the directory before the call,
  "files": {path: base64}   every file in the directory after the call (what TF wrote, byte for
                            byte: tfgate's checkpoints must be identical).
"""

import base64
import json
import os
import shutil
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tf_fixtures import attr_of, clean, enc, graph_record  # noqa: E402

R = tf.raw_ops
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "checkpoint-fixtures.json")
WORK = tempfile.mkdtemp(prefix="ckpt-fixtures-")

cases = []


def tree():
    out = {}
    for base, _dirs, names in os.walk("."):
        for n in names:
            p = os.path.normpath(os.path.join(base, n))
            with open(p, "rb") as f:
                out[p] = base64.b64encode(f.read()).decode("ascii")
    return dict(sorted(out.items()))


def reset(setup):
    os.chdir("/")
    shutil.rmtree(WORK)
    os.makedirs(WORK)
    os.chdir(WORK)
    for p, data in setup.items():
        d = os.path.dirname(p)
        if d:
            os.makedirs(d, exist_ok=True)
        with open(p, "wb") as f:
            f.write(base64.b64decode(data))


def case(op, inputs, attrs=None, setup=None, note=None):
    setup = setup or {}
    reset(setup)
    attrs = attrs or {}
    ins = [tf.convert_to_tensor(x) if not isinstance(x, list) or not x or not isinstance(x[0], tf.Tensor) else x
           for x in inputs]
    c = {"op": op, "attrs": {k: attr_of(v) for k, v in attrs.items()}, "setup": setup}
    if op == "SaveV2":
        # The attr TF infers from the tensors (the kernel needs it as a node attr).
        c["attrs"]["dtypes"] = attr_of([t.dtype for t in ins[3]])
    if op in ("Save", "SaveSlices"):
        c["attrs"]["T"] = attr_of([t.dtype for t in ins[-1]])
    if note:
        c["note"] = note
    flat = []
    for x in ins:
        flat.extend(x if isinstance(x, list) else [x])
    c["inputs"] = [enc(x) for x in flat]
    try:
        out = call(op, ins, attrs)
        outs = out if isinstance(out, (list, tuple)) else ([] if out is None else [out])
        c["outputs"] = [enc(o) for o in outs]
    except tf.errors.OpError as e:
        c["error"] = {"code": e.error_code, "message": clean(e.message)}
    c["files"] = tree()
    cases.append(c)
    return c


ARG_NAMES = {
    "SaveV2": ["prefix", "tensor_names", "shape_and_slices", "tensors"],
    "RestoreV2": ["prefix", "tensor_names", "shape_and_slices"],
    "MergeV2Checkpoints": ["checkpoint_prefixes", "destination_prefix"],
    "ShardedFilename": ["basename", "shard", "num_shards"],
    "ShardedFilespec": ["basename", "num_shards"],
    "MatchingFiles": ["pattern"],
    "ReadFile": ["filename"],
    "WriteFile": ["filename", "contents"],
    "Save": ["filename", "tensor_names", "data"],
    "SaveSlices": ["filename", "tensor_names", "shapes_and_slices", "data"],
    "Restore": ["file_pattern", "tensor_name"],
    "RestoreSlice": ["file_pattern", "tensor_name", "shape_and_slice"],
}


def call(op, ins, attrs):
    kw = dict(zip(ARG_NAMES[op], ins))
    kw.update(attrs)
    return getattr(R, op)(**kw)


# Numeric and string tensors of every dtype SaveV2 and RestoreV2 handle.
ALL = {
    "f32": tf.constant([[0.5, -1.25, float("nan")], [float("inf"), 3.0, -0.0]], tf.float32),
    "f64": tf.constant([1e300, -2.5], tf.float64),
    "f16": tf.constant([1.5, -65504.0, 0.1], tf.float16),
    "bf16": tf.constant([1.5, -3.0e38], tf.bfloat16),
    "i8": tf.constant([-128, 127], tf.int8),
    "i16": tf.constant([-32768, 7], tf.int16),
    "i32": tf.constant([[1, -2], [3, 2**31 - 1]], tf.int32),
    "i64": tf.constant([-(2**63), 2**62 + 3], tf.int64),
    "u8": tf.constant([0, 255], tf.uint8),
    "u16": tf.constant([65535], tf.uint16),
    "u32": tf.constant([2**32 - 1, 0], tf.uint32),
    "u64": tf.constant([2**64 - 1], tf.uint64),
    "c64": tf.constant([1 + 2j, -0.5j], tf.complex64),
    "c128": tf.constant([[3 - 4j]], tf.complex128),
    "b": tf.constant([True, False, True], tf.bool),
    "scalar": tf.constant(7.0, tf.float32),
    "empty": tf.zeros([0, 4], tf.float32),
    "s": tf.constant([["", "a"], ["h\u00e9llo\u0000 w\u00f6rld", "x" * 300]]),
    "s_empty": tf.constant([], tf.string),
    "s_scalar": tf.constant("only"),
}
NAMES = list(ALL)


def save_all(prefix="ck/all"):
    reset({})
    R.SaveV2(prefix=prefix, tensor_names=NAMES, shape_and_slices=[""] * len(NAMES),
             tensors=[ALL[n] for n in NAMES])
    return tree()


# --- SaveV2 -------------------------------------------------------------------------------------
case("SaveV2", ["ck/all", NAMES, [""] * len(NAMES), [ALL[n] for n in NAMES]],
     note="every dtype, byte for byte")
case("SaveV2", ["model", ["w"], [""], [tf.constant([1.0, 2.0])]], note="no directory")
case("SaveV2", ["deep/er/dir/m", ["z", "a"], ["", ""], [tf.constant([1]), tf.constant(["q"])]],
     note="creates directories; keys sorted in the index, data in input order")
P = tf.constant(np.arange(18, dtype=np.float32).reshape(6, 3))
case("SaveV2", ["part/m", ["p", "p", "other"], ["6 3 0,4:-", "6 3 4,2:-", ""], [P[:4], P[4:], tf.constant(1)]],
     note="a partitioned tensor saved in two slices")
case("SaveV2", ["part2/m", ["p"], ["6 3 0,6:0,3"], [P]], note="a slice covering the whole tensor is a plain entry")
case("SaveV2", ["part3/m", ["p", "p"], ["6 3 0,6:0,1", "6 3 -:1,2"], [P[:, :1], P[:, 1:]]],
     note="slices along the second dimension")
case("SaveV2", [["a", "b"], ["w"], [""], [tf.constant(1.0)]], note="prefix with two elements")
case("SaveV2", ["m", [["w"]], [[""]], [tf.constant(1.0)]], note="names not a vector")
case("SaveV2", ["m", ["w", "v"], [""], [tf.constant(1.0), tf.constant(2.0)]], note="name/spec count")
case("SaveV2", ["m", ["w"], ["x 3 0,1:-"], [tf.constant([[1.0, 2.0, 3.0]])]], note="non-numeric dim")
case("SaveV2", ["m", ["w"], ["3"], [tf.constant([1.0])]], note="one element")
case("SaveV2", ["m", ["w"], ["3 3 0,1:-"], [tf.constant([[1.0, 2.0]])]], note="slice vs tensor shape")
case("SaveV2", ["m", ["w"], ["3 3 0,1"], [tf.constant([[1.0, 2.0]])]], note="slice rank vs shape rank")
case("SaveV2", ["m", ["w"], ["3 3 2,5:-"], [tf.constant([[1.0, 2.0]])]], note="slice out of bounds")
case("SaveV2", ["m", ["w"], ["3 3 a,b:-"], [tf.constant([[1.0, 2.0]])]], note="bad slice syntax")
case("SaveV2", ["m", ["w"], ["3 3 0,0:-"], [tf.constant([[1.0, 2.0]])]], note="zero length")
case("SaveV2", ["m", ["w", "w"], ["", ""], [tf.constant(1.0), tf.constant(2.0)]], note="duplicate key")

# --- RestoreV2 ----------------------------------------------------------------------------------
ALL_FILES = save_all()
case("RestoreV2", ["ck/all", NAMES, [""] * len(NAMES)], {"dtypes": [ALL[n].dtype for n in NAMES]},
     setup=ALL_FILES, note="every dtype")
case("RestoreV2", ["ck/all", ["s", "f32"], ["", ""]], {"dtypes": [tf.string, tf.float32]}, setup=ALL_FILES)
case("RestoreV2", ["ck/all", ["f32"], ["2 3 1,1:0,2"]], {"dtypes": [tf.float32]}, setup=ALL_FILES,
     note="a slice of a tensor saved whole")
case("RestoreV2", ["ck/all", ["nope"], [""]], {"dtypes": [tf.float32]}, setup=ALL_FILES)
case("RestoreV2", ["ck/all", ["f32", "s"], ["", ""]], {"dtypes": [tf.int32, tf.int32]}, setup=ALL_FILES,
     note="every dtype mismatch is reported")
case("RestoreV2", ["ck/all", ["f32"], ["3 3 0,1:-"]], {"dtypes": [tf.float32]}, setup=ALL_FILES)
case("RestoreV2", ["ck/none", ["f32"], [""]], {"dtypes": [tf.float32]}, setup=ALL_FILES, note="no checkpoint")
case("RestoreV2", ["ck/all", ["f32", "s"], [""]], {"dtypes": [tf.float32, tf.string]}, setup=ALL_FILES)
case("RestoreV2", ["ck/all", ["f32"], [""]], {"dtypes": [tf.float32, tf.string]}, setup=ALL_FILES)

reset({})
R.SaveV2(prefix="part/m", tensor_names=["p", "p"], shape_and_slices=["6 3 0,4:-", "6 3 4,2:-"], tensors=[P[:4], P[4:]])
R.SaveV2(prefix="half/m", tensor_names=["p"], shape_and_slices=["6 3 0,4:-"], tensors=[P[:4]])
R.SaveV2(prefix="cols/m", tensor_names=["p", "p"], shape_and_slices=["6 3 -:0,1", "6 3 -:1,2"],
         tensors=[P[:, :1], P[:, 1:]])
PART_FILES = tree()
case("RestoreV2", ["part/m", ["p"], [""]], {"dtypes": [tf.float32]}, setup=PART_FILES, note="slices joined")
case("RestoreV2", ["part/m", ["p", "p"], ["6 3 0,4:-", "6 3 3,3:1,2"]], {"dtypes": [tf.float32] * 2},
     setup=PART_FILES, note="a stored slice, and a slice across two stored ones")
case("RestoreV2", ["cols/m", ["p"], ["6 3 1,2:-"]], {"dtypes": [tf.float32]}, setup=PART_FILES)
case("RestoreV2", ["half/m", ["p"], [""]], {"dtypes": [tf.float32]}, setup=PART_FILES,
     note="missing slices")
case("RestoreV2", ["half/m", ["p"], ["6 3 0,2:-"]], {"dtypes": [tf.float32]}, setup=PART_FILES,
     note="the saved part is enough")


def corrupt(files, path, fn):
    out = dict(files)
    b = bytearray(base64.b64decode(out[path]))
    out[path] = base64.b64encode(bytes(fn(b))).decode("ascii")
    return out


def flip(at):
    def f(b):
        b[at % len(b)] ^= 0x55
        return b
    return f


IDX, DATA = "ck/all.index", "ck/all.data-00000-of-00001"
for note, files in [
    ("index truncated", corrupt(ALL_FILES, IDX, lambda b: b[:-10])),
    ("index too short", corrupt(ALL_FILES, IDX, lambda b: b[:20])),
    ("index empty", corrupt(ALL_FILES, IDX, lambda b: b[:0])),
    ("index data block flipped", corrupt(ALL_FILES, IDX, flip(30))),
    ("index magic flipped", corrupt(ALL_FILES, IDX, flip(-3))),
    ("data truncated", corrupt(ALL_FILES, DATA, lambda b: b[:10])),
    ("data flipped", corrupt(ALL_FILES, DATA, lambda b: bytearray(x ^ 0x21 for x in b))),
]:
    for name, dt in [("f32", tf.float32), ("s", tf.string), ("c128", tf.complex128)]:
        case("RestoreV2", ["ck/all", [name], [""]], {"dtypes": [dt]}, setup=files, note=note)
no_data = {k: v for k, v in ALL_FILES.items() if k != DATA}
case("RestoreV2", ["ck/all", ["f32"], [""]], {"dtypes": [tf.float32]}, setup=no_data, note="data file missing")

# --- MergeV2Checkpoints ---------------------------------------------------------------------------
reset({})
R.SaveV2(prefix="tmp_x/part-00000-of-00002", tensor_names=["a", "p"], shape_and_slices=["", "6 3 0,4:-"],
         tensors=[tf.constant([1.0, 2.0]), P[:4]])
R.SaveV2(prefix="tmp_x/part-00001-of-00002", tensor_names=["b", "p"], shape_and_slices=["", "6 3 4,2:-"],
         tensors=[tf.constant(["x", "yz"]), P[4:]])
SHARDS = tree()
MERGED = case("MergeV2Checkpoints", [["tmp_x/part-00000-of-00002", "tmp_x/part-00001-of-00002"], "final/model"],
     setup=SHARDS, note="two shards, one partitioned tensor across them; the temporary directory goes")
case("MergeV2Checkpoints", [["tmp_x/part-00000-of-00002", "tmp_x/part-00001-of-00002"], "final/model"],
     {"delete_old_dirs": False}, setup=SHARDS)
case("MergeV2Checkpoints", [["tmp_x/part-00000-of-00002", "tmp_x/missing"], "final/model"],
     {"allow_missing_files": True}, setup=SHARDS)
case("MergeV2Checkpoints", [["tmp_x/part-00000-of-00002", "tmp_x/missing"], "final/model"],
     setup=SHARDS, note="a missing shard")
reset({})
R.SaveV2(prefix="dup/a", tensor_names=["w"], shape_and_slices=[""], tensors=[tf.constant(1)])
R.SaveV2(prefix="dup/b", tensor_names=["w"], shape_and_slices=[""], tensors=[tf.constant(2)])
case("MergeV2Checkpoints", [["dup/a", "dup/b"], "final/model"], setup=tree(), note="a tensor twice")
case("MergeV2Checkpoints", [["tmp_x/m1", "tmp_x/m2"], "final/model"], {"allow_missing_files": True},
     setup=SHARDS, note="none there")
case("MergeV2Checkpoints", ["tmp_x/part-00000-of-00002", "final/model"], setup=SHARDS)
case("MergeV2Checkpoints", [["tmp_x/part-00000-of-00002"], ["final/model"]], setup=SHARDS)
case("RestoreV2", ["final/model", ["p", "b", "a"], ["", "", ""]], {"dtypes": [tf.float32, tf.string, tf.float32]},
     setup=MERGED["files"], note="restoring the merged checkpoint")

# --- ShardedFilename / ShardedFilespec --------------------------------------------------------------
case("ShardedFilename", ["x/y", 4, 123456])
case("ShardedFilename", ["x/y", -4, -1])
case("ShardedFilename", [["x"], 0, 1])
case("ShardedFilespec", ["x/y", 3])
case("ShardedFilespec", ["x/y", -12])
case("ShardedFilespec", [["x"], 3])

# --- MatchingFiles / ReadFile / WriteFile -------------------------------------------------------------
TREE = {p: base64.b64encode(p.encode()).decode("ascii")
        for p in ["a.txt", "b.txt", "ab.txt", ".hidden", "sub/c.txt", "sub/deep/d.txt", "sub/e.bin", "[x].txt"]}
for pattern in ["*.txt", "*", "sub/*", "*/*.txt", "?.txt", "[a]*.txt", "[!a]*.txt", "[^a]*.txt", "[a-b].txt",
                "nodir/*", "sub", "a.txt", "missing.txt", "", "sub/deep/*", "**/*.txt", "./*.txt",
                "s*/c.txt", "s*/*/d.txt", "a\\.txt", "\\[x].txt", "{a,b}.txt", "sub/*.txt", "*/deep"]:
    case("MatchingFiles", [pattern], setup=TREE, note=pattern)
case("MatchingFiles", [["b.txt", "a.txt", "a.txt", "sub/*"]], setup=TREE, note="several patterns, sorted together")
case("MatchingFiles", [[["a"]]], setup=TREE)
case("ReadFile", ["sub/c.txt"], setup=TREE)
case("ReadFile", ["nope.txt"], setup=TREE)
case("ReadFile", ["sub"], setup=TREE)
case("ReadFile", [["a", "b"]], setup=TREE)
case("WriteFile", ["a.txt", "new contents \u00e9"], setup=TREE)
case("WriteFile", ["new/dir/w.txt", "x"], setup=TREE, note="creates directories")
case("WriteFile", ["sub", "x"], setup=TREE)
case("WriteFile", [["a"], "x"], setup=TREE)
case("WriteFile", ["w.txt", ["x"]], setup=TREE)



# --- the V1 format: Save / SaveSlices / Restore / RestoreSlice, and RestoreV2 reading it ---------------
V1_OK = [n for n in NAMES if n not in ("bf16", "u32", "u64")]
case("Save", ["v1_all", V1_OK, [ALL[n] for n in V1_OK]], note="every dtype V1 saves, byte for byte")
case("Save", ["v1_b", ["x"], [ALL["bf16"]]], note="bfloat16")
case("Save", ["v1_u", ["x"], [ALL["u32"]]], note="uint32")
case("Save", [["a", "b"], ["x"], [ALL["f32"]]], note="two filenames")
case("SaveSlices", ["v1_part", ["p", "q"], ["6 3 0,4:-", ""], [P[:4], tf.constant([1, 2])]], note="a slice")
case("SaveSlices", ["v1_part", ["p"], ["6 3 0,4:-", ""], [P[:4]]], note="spec count")
case("SaveSlices", ["v1_part", ["p"], ["6 3 0,3:-"], [P[:4]]], note="slice vs tensor shape")
reset({})
R.Save(filename="v1_all", tensor_names=V1_OK, data=[ALL[n] for n in V1_OK])
R.SaveSlices(filename="v1_part-00000-of-00002", tensor_names=["p"], shapes_and_slices=["6 3 0,4:-"], data=[P[:4]])
R.SaveSlices(filename="v1_part-00001-of-00002", tensor_names=["p"], shapes_and_slices=["6 3 4,2:-"], data=[P[4:]])
V1_FILES = tree()
for n in ["f32", "s", "c128", "i64", "b", "f16", "scalar", "empty"]:
    case("Restore", ["v1_all", n], {"dt": ALL[n].dtype}, setup=V1_FILES, note=n)
case("Restore", ["v1_all", "nope"], {"dt": tf.float32}, setup=V1_FILES)
case("Restore", ["v1_all", "f32"], {"dt": tf.int32}, setup=V1_FILES)
case("Restore", ["v1_none", "f32"], {"dt": tf.float32}, setup=V1_FILES)
case("Restore", ["v1_part-*", "p"], {"dt": tf.float32}, setup=V1_FILES, note="a pattern over two files")
case("Restore", ["v1_part-00000-of-00002", "p"], {"dt": tf.float32}, setup=V1_FILES, note="only part of it")
case("RestoreSlice", ["v1_part-*", "p", "6 3 3,2:1,2"], {"dt": tf.float32}, setup=V1_FILES)
case("RestoreSlice", ["v1_all", "f32", "2 3 1,1:-"], {"dt": tf.float32}, setup=V1_FILES)
case("RestoreSlice", ["v1_all", "f32", "3 3 1,1:-"], {"dt": tf.float32}, setup=V1_FILES)
case("RestoreV2", ["v1_all", ["f32", "s"], ["", ""]], {"dtypes": [tf.float32, tf.string]}, setup=V1_FILES,
     note="a V1 checkpoint through RestoreV2")
case("RestoreV2", ["v1_part-*", ["p"], ["6 3 1,4:-"]], {"dtypes": [tf.float32]}, setup=V1_FILES)
case("Restore", ["v1_all", "f32"], {"dt": tf.float32}, setup=corrupt(V1_FILES, "v1_all", lambda b: b[:-9]),
     note="truncated")
case("Restore", ["ck/all.index", "f32"], {"dt": tf.float32}, setup=ALL_FILES, note="a V2 index is no V1 file")

# --- graphs: ops that only make sense on a variable -------------------------------------------------
def disable_copy_on_read():
    """What a Saver runs on a resource variable before reading it for SaveV2."""
    v = tf.compat.v1.Variable([1.5, -2.0], use_resource=True, name="v")
    never = tf.compat.v1.Variable([1.0], use_resource=True, name="never")
    d = R.DisableCopyOnRead(resource=v.handle)
    with tf.control_dependencies([d]):
        read = v.read_value()
    d_never = R.DisableCopyOnRead(resource=never.handle)
    return [([v.initializer], []), ([], [read]), ([d_never], [])]


graphs = [graph_record("disable_copy_on_read", disable_copy_on_read)]

os.chdir("/")
shutil.rmtree(WORK)
with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "cases": cases, "graphs": graphs}, f, indent=None,
              separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(cases)} cases to {OUT}")
