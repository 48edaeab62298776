#!/usr/bin/env python3
"""Writes embeddings-fixtures.json: TensorFlow 2.21's own results for the ops embedding models and
sparse updates run (gathers from variables, scatters into variables and tensors, the SparseApply*
optimizers), read by ../embeddings-fixtures.test.ts.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_embeddings_fixtures.py

Most of these ops update ref (VariableV2) or resource (VarHandleOp) variables, which tf.raw_ops
cannot take eagerly for refs, so every case runs as a one-node tf.compat.v1 graph in a Session: the
variables are created with their initial values, the op runs once, and the variables are read
back whether or not the op failed (TF's CPU scatter kernels leave the rows before a bad index
updated). A case is

    {"op", "attrs": {name: [kind, value]}, "vars": [tensor], "inputs": [tensor],
     "outputs": [tensor] | "error": {"code", "message"}, "after": [tensor]}

where "vars" are the initial values of the op's variable inputs and "inputs" its other inputs, both
in the op's input order; "outputs" are the op's non-ref outputs; "after" the variables' values after
the run. Tensors are encoded as in tf_fixtures.py.
"""

import json
import os
import re

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow.python.framework import op_def_registry  # noqa: E402
from tf_fixtures import enc_value  # noqa: E402

R = tf.raw_ops
v1 = tf.compat.v1
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "embeddings-fixtures.json")

f16, bf16, f32, f64 = tf.float16, tf.bfloat16, tf.float32, tf.float64
i32, i64, u8, c64 = tf.int32, tf.int64, tf.uint8, tf.complex64
s, b = tf.string, tf.bool

cases = []


def enc_np(v, dtype):
    a = np.asarray(v)
    return {"dtype": dtype.as_datatype_enum, "shape": list(a.shape),
            "values": [x if isinstance(x, str) else enc_value(x, dtype) for x in a.ravel()]}


def session_error(msg):
    """The kernel's own message, without the "[[{{node …}}]]" annotation a Session adds."""
    m = re.search(r"\nNode: '[^']*'\n(.*?)(\n\t \[\[|$)", msg, re.S)
    msg = m.group(1) if m else msg
    return re.sub(r"\n\t \[\[.*$", "", msg, flags=re.S).strip()


def node_attrs(node_def):
    out = {}
    for k, a in node_def.attr.items():
        kind = a.WhichOneof("value")
        if kind == "type":
            out[k] = ["type", a.type]
        elif kind == "b":
            out[k] = ["bool", a.b]
        elif kind == "i":
            out[k] = ["int", a.i]
        elif kind == "s":
            out[k] = ["string", a.s.decode()]
    return out


def np_value(v, dtype):
    if dtype == s:
        return np.asarray(v, dtype=object)
    return np.asarray(v).astype(dtype.as_numpy_dtype)


def run(op, var_inputs, inputs, attrs=None, ref=False):
    """Runs tf.raw_ops.<op> once in a fresh graph. var_inputs: [(name, value, dtype)] in input
    order; inputs: [(name, value, dtype)] for the other inputs, in input order. Every shape is left
    unknown to the graph (fed placeholders, variables without validate_shape), so the kernel, not
    graph construction, sees bad shapes."""
    attrs = attrs or {}
    g = tf.Graph()
    with g.as_default():
        variables = [v1.Variable(v1.placeholder_with_default(np_value(v, dt), shape=None),
                                 use_resource=not ref, name=n, validate_shape=False)
                     for n, v, dt in var_inputs]
        placeholders = [v1.placeholder(dt, shape=None, name=n) for n, _, dt in inputs]
        args = {n: (var._ref() if ref else var.handle) for (n, _, _), var in zip(var_inputs, variables)}
        args.update({n: p for (n, _, _), p in zip(inputs, placeholders)})
        out = getattr(R, op)(**args, **attrs)
        if isinstance(out, (list, tuple)):  # a list output (DynamicPartition)
            node, fetches = out[0].op, list(out)
        else:
            node = out.op if isinstance(out, tf.Tensor) else out
            fetches = [out] if isinstance(out, tf.Tensor) and not out.dtype._is_ref_dtype else []
        c = {"op": op, "attrs": node_attrs(node.node_def),
             "vars": [enc_np(v, dt) for _, v, dt in var_inputs],
             "inputs": [enc_np(v, dt) for _, v, dt in inputs]}
        feeds = {p: np_value(v, dt) for p, (_, v, dt) in zip(placeholders, inputs)}
        with v1.Session(graph=g) as sess:
            try:
                sess.run(v1.global_variables_initializer())
            except tf.errors.InvalidArgumentError as e:
                if "No OpKernel was registered" in e.message:
                    return  # TF has no CPU kernel for this dtype
                raise
            try:
                values = sess.run(fetches + [node], feeds)[: len(fetches)]
                c["outputs"] = [enc_np(v, f.dtype) for f, v in zip(fetches, values)]
            except tf.errors.OpError as e:
                c["error"] = {"code": e.error_code, "message": session_error(e.message)}
            after = sess.run([var.value() if not ref else var for var in variables])
            c["after"] = [enc_np(v, dt) for v, (_, _, dt) in zip(after, var_inputs)]
    cases.append(c)


def grid(shape, seed, lo=-2.0, hi=2.0):
    """Multiples of 1/8: exact in every float dtype."""
    rng = np.random.RandomState(seed)
    return rng.randint(int(lo * 8), int(hi * 8), size=shape) / 8.0


def positive(shape, seed):
    rng = np.random.RandomState(seed)
    return rng.randint(1, 24, size=shape) / 8.0


# --- ResourceGather / ResourceGatherNd -------------------------------------------------------------

table = grid([4, 3], 1)
for dt in [f32, f64, i32, i64, f16, bf16, u8, c64]:
    for it in [i32, i64]:
        run("ResourceGather", [("resource", table, dt)], [("indices", [2, 0, 2], it)], {"dtype": dt})
run("ResourceGather", [("resource", [[True, False], [False, False]], b)], [("indices", [1, 0], i32)],
    {"dtype": b})
run("ResourceGather", [("resource", [["a", "b"], ["c", "d"], ["e", "f"]], s)],
    [("indices", [[2], [0]], i32)], {"dtype": s})
run("ResourceGather", [("resource", table, f32)], [("indices", [[1, 0], [3, 3]], i32)], {"dtype": f32})
run("ResourceGather", [("resource", table, f32)], [("indices", 3, i32)], {"dtype": f32})
run("ResourceGather", [("resource", table, f32)], [("indices", np.zeros([0], np.int32), i32)],
    {"dtype": f32})
run("ResourceGather", [("resource", np.zeros([0, 3]), f32)], [("indices", np.zeros([0], np.int32), i32)],
    {"dtype": f32})
run("ResourceGather", [("resource", grid([5], 2), f32)], [("indices", [4, 1], i64)], {"dtype": f32})
run("ResourceGather", [("resource", table, f32)], [("indices", [[0, 2], [1, 1], [2, 0], [3, 1]], i32)],
    {"dtype": f32, "batch_dims": 1})
run("ResourceGather", [("resource", table, f32)], [("indices", [0, 4], i32)], {"dtype": f32})
run("ResourceGather", [("resource", table, f32)], [("indices", [-1], i64)], {"dtype": f32})
run("ResourceGather", [("resource", table, f32)], [("indices", [[0, 1], [2, 9]], i32)], {"dtype": f32})
run("ResourceGather", [("resource", 3.0, f32)], [("indices", [0], i32)], {"dtype": f32})

cube = grid([3, 2, 2], 3)
for dt in [f32, f64, i32, i64, f16, b]:
    vals = cube if dt != b else (cube > 0)
    for it in [i32, i64]:
        run("ResourceGatherNd", [("resource", vals, dt)], [("indices", [[1, 0], [2, 1]], it)], {"dtype": dt})
run("ResourceGatherNd", [("resource", cube, f32)], [("indices", [[2], [0]], i32)], {"dtype": f32})
run("ResourceGatherNd", [("resource", cube, f32)], [("indices", [[[1, 1, 0]], [[0, 0, 1]]], i32)],
    {"dtype": f32})
run("ResourceGatherNd", [("resource", cube, f32)], [("indices", [[1], [3]], i32)], {"dtype": f32})
run("ResourceGatherNd", [("resource", cube, f32)], [("indices", [[1, 1, 1, 1]], i32)], {"dtype": f32})
run("ResourceGatherNd", [("resource", cube, f32)], [("indices", 1, i32)], {"dtype": f32})

# --- Scatter* (ref) and ResourceScatter* ------------------------------------------------------------

ARITH = ["Add", "Sub", "Mul", "Div", "Min", "Max", "Update"]
base = positive([5, 2], 4)
upd = positive([3, 2], 5)
for kind in ARITH:
    for ref in [False, True]:
        op = ("Scatter" if ref else "ResourceScatter") + kind
        dts = [f32, f64, i32, i64, f16, bf16]
        if not (ref and kind in ("Min", "Max")):
            dts += [u8, c64]
        for dt in dts:
            run(op, [("ref" if ref else "resource", base * 8 if not dt.is_floating and not dt.is_complex
                      else base, dt)],
                [("indices", [3, 0, 3], i32),
                 ("updates", upd * 8 if not dt.is_floating and not dt.is_complex else upd, dt)],
                {}, ref)
        # int64 indices, a scalar update, nd indices, no indices
        run(op, [("ref" if ref else "resource", base, f32)], [("indices", [4, 1], i64), ("updates", upd[:2], f32)],
            {}, ref)
        run(op, [("ref" if ref else "resource", base, f32)], [("indices", [2, 2, 0], i32), ("updates", 0.5, f32)],
            {}, ref)
        run(op, [("ref" if ref else "resource", base, f32)],
            [("indices", [[1, 2], [0, 1]], i32), ("updates", positive([2, 2, 2], 6), f32)], {}, ref)
        run(op, [("ref" if ref else "resource", base, f32)],
            [("indices", np.zeros([0], np.int32), i32), ("updates", np.zeros([0, 2]), f32)], {}, ref)
        run(op, [("ref" if ref else "resource", positive([6], 7), f64)],
            [("indices", [5, 0], i32), ("updates", [1.5, 2.5], f64)], {}, ref)
        # errors: an out-of-range index after a good one (the good row stays updated), a negative
        # index, a bad updates shape, a scalar variable
        run(op, [("ref" if ref else "resource", base, f32)],
            [("indices", [1, 5, 2], i32), ("updates", upd, f32)], {}, ref)
        run(op, [("ref" if ref else "resource", base, f32)],
            [("indices", [[0, 1], [-1, 2]], i64), ("updates", positive([2, 2, 2], 8), f32)], {}, ref)
        run(op, [("ref" if ref else "resource", base, f32)],
            [("indices", [7], i32), ("updates", 1.0, f32)], {}, ref)
        run(op, [("ref" if ref else "resource", base, f32)],
            [("indices", [1, 2], i32), ("updates", upd, f32)], {}, ref)
        if ref:
            # (TF's resource kernel does not check the inner dimensions: a mismatch there is
            # undefined behaviour, so it has no fixture.)
            run(op, [("ref", base, f32)],
                [("indices", [1, 2], i32), ("updates", positive([2, 3], 9), f32)], {}, ref)
        run(op, [("ref" if ref else "resource", base, f32)],
            [("indices", [1, 2], i32), ("updates", positive([2], 9), f32)], {}, ref)
        run(op, [("ref" if ref else "resource", 2.0, f32)],
            [("indices", [0], i32), ("updates", [1.0], f32)], {}, ref)
        if ref:
            run(op, [("ref", base, f32)], [("indices", [0], i32), ("updates", upd[:1], f32)],
                {"use_locking": True}, ref)
for ref in [False, True]:
    op = "ScatterUpdate" if ref else "ResourceScatterUpdate"
    run(op, [("ref" if ref else "resource", [["a", "b"], ["c", "d"]], s)],
        [("indices", [1], i32), ("updates", [["x", "y"]], s)], {}, ref)
    run(op, [("ref" if ref else "resource", [True, False, True], b)],
        [("indices", [0, 1], i32), ("updates", [False, True], b)], {}, ref)

# Min and Max are Eigen's cwiseMin/cwiseMax: a NaN update is ignored, a NaN element stays.
NAN = float("nan")
for kind in ["Min", "Max"]:
    for ref in [False, True]:
        for dt in [f32, f64, f16]:
            run(("Scatter" if ref else "ResourceScatter") + kind,
                [("ref" if ref else "resource", [[NAN, 1.0, 2.0], [3.0, NAN, 5.0]], dt)],
                [("indices", [0, 1], i32), ("updates", [[0.5, NAN, 3.0], [NAN, 0.0, -1.0]], dt)], {}, ref)
    run("TensorScatter" + kind, [], [("tensor", [[NAN, 1.0, 2.0], [3.0, NAN, 5.0]], f32),
                                     ("indices", [[0], [1]], i32),
                                     ("updates", [[0.5, NAN, 3.0], [NAN, 0.0, -1.0]], f32)])

# --- ScatterNd* (ref), ResourceScatterNd*, TensorScatter* ---------------------------------------------

ND = ["Update", "Add", "Sub", "Min", "Max"]
mat = positive([4, 3], 10)
for kind in ND + ["NonAliasingAdd"]:
    for form in ["ref", "resource", "tensor"] if kind != "NonAliasingAdd" else ["input"]:
        op = {"ref": "ScatterNd", "resource": "ResourceScatterNd", "tensor": "TensorScatter",
              "input": "ScatterNd"}[form] + kind

        def nd(var, indices, updates, dt=f32, it=i32, attrs=None):
            if form in ("tensor", "input"):
                run(op, [], [(form, var, dt), ("indices", indices, it), ("updates", updates, dt)],
                    attrs)
            else:
                run(op, [("ref", var, dt)], [("indices", indices, it), ("updates", updates, dt)],
                    attrs, form == "ref")

        for dt in [f32, f64, i32, i64, f16, bf16, c64]:
            scale = 1 if dt.is_floating or dt.is_complex else 8
            nd(mat * scale, [[1], [3], [1]], positive([3, 3], 11) * scale, dt)
        nd(mat, [[1, 2], [0, 0], [1, 2]], [1.0, 2.0, 3.0], f32, i64)
        nd(mat, [[[2]], [[0]]], positive([2, 1, 3], 12))
        nd(positive([6], 13), [[5], [0]], [4.0, 5.0], f64)
        nd(mat, np.zeros([0, 1], np.int32), np.zeros([0, 3]))
        nd(mat, [[1], [4]], positive([2, 3], 14))
        nd(mat, [[1, -1]], [1.0])
        nd(mat, [[1], [2]], positive([2, 2], 15))
        nd(mat, [[1, 1, 1]], [1.0])
        nd(mat, [[1], [2]], positive([3, 3], 18))
        nd(np.zeros([0, 3]), [[0]], positive([1, 3], 19))
        nd(np.zeros([0, 3]), np.zeros([0, 1], np.int32), np.zeros([0, 3]))
        nd(5.0, [[0]], [1.0])
        if form == "tensor":
            # (The other kernels read a scalar's dim_size(0): undefined, no fixture.)
            nd(mat, 1, positive([3], 16))
            nd(mat, [[1]], 2.0)
        if kind == "Update":
            nd([["a", "b"], ["c", "d"]], [[1, 0]], ["z"], s)
            nd([True, False], [[1]], [True], b)
        if form not in ("tensor", "input"):
            nd(mat, [[0]], positive([1, 3], 17), attrs={"use_locking": False})
        if kind == "NonAliasingAdd":
            nd([True, False, False], [[1], [2]], [True, False], b)

# --- DynamicPartition (partitioned embedding tables route ids with it) ------------------------------

for dt in [f32, f64, i32, i64, f16, b, s]:
    vals = {s: [["a", "b"], ["c", "d"], ["e", "f"]], b: [[True, False], [False, False], [True, True]]}.get(
        dt, grid([3, 2], 50))
    run("DynamicPartition", [], [("data", vals, dt), ("partitions", [1, 0, 1], i32)], {"num_partitions": 3})
run("DynamicPartition", [], [("data", [1.0, 2.0, 3.0, 4.0], f32), ("partitions", [[0, 1], [1, 0]], i32)],
    {"num_partitions": 2})
run("DynamicPartition", [], [("data", grid([2, 2, 3], 51), f32), ("partitions", [[0, 1], [1, 0]], i32)],
    {"num_partitions": 2})
run("DynamicPartition", [], [("data", 5.0, f32), ("partitions", 0, i32)], {"num_partitions": 2})
run("DynamicPartition", [], [("data", np.zeros([0, 2]), f32), ("partitions", np.zeros([0], np.int32), i32)],
    {"num_partitions": 2})
run("DynamicPartition", [], [("data", [1.0, 2.0], f32), ("partitions", [0, 2], i32)], {"num_partitions": 2})
run("DynamicPartition", [], [("data", [[1.0], [2.0]], f32), ("partitions", [[0], [-1]], i32)],
    {"num_partitions": 2})
run("DynamicPartition", [], [("data", [1.0, 2.0, 3.0], f32), ("partitions", [0, 1], i32)], {"num_partitions": 2})

# ScatterNd names the last out-of-range index (its functor skips bad slices and goes on).
run("ScatterNd", [], [("indices", [[5], [1], [7]], i32), ("updates", [1.0, 2.0, 3.0], f32), ("shape", [4], i32)])


# --- SparseApply* (ref) and ResourceSparseApply* ------------------------------------------------------

def sparse_apply(name, var_names, scalars, attrs=None, dtypes=(f32, f64, f16), extra=None,
                 extra_scalars=None, resource_only=False, scalar_types=None):
    """scalars: [(input name, value)] for the scalar inputs; grad and indices are placed at their
    position in the op's input list."""
    op_def = op_def_registry.get(("ResourceSparseApply" if resource_only else "SparseApply") + name)
    order = [a.name for a in op_def.input_arg]

    def one(dt, shape, indices, it=i32, grad=None, scal=None, vars_=None, at=None):
        nrows = len(np.asarray(indices).reshape(-1)) if np.ndim(indices) <= 1 else 1
        inner = list(shape[1:])
        g = grad if grad is not None else grid([nrows] + inner, 20)
        init = vars_ or [grid(shape, 21)] + [positive(shape, 22 + i) for i in range(len(var_names) - 1)]
        sc = dict(scalars)
        sc.update(scal or {})
        others = []
        for n in order[len(var_names):]:
            if n == "grad":
                others.append(("grad", g, dt))
            elif n == "indices":
                others.append(("indices", indices, it))
            else:
                others.append((n, sc[n], (scalar_types or {}).get(n, dt)))
        for ref in [False] if resource_only else [True, False]:
            op = ("SparseApply" if ref else "ResourceSparseApply") + name
            run(op, [(v, x, dt) for v, x in zip(var_names, init)], others, {**(attrs or {}), **(at or {})},
                ref)

    for dt in dtypes:
        one(dt, [4, 3], [1, 3, 1])
    one(f32, [5], [4, 0, 4, 2], i64)
    one(f32, [4, 3], np.zeros([0], np.int32))
    for at in extra or []:
        one(f32, [4, 3], [2, 0], at=at)
    for sc in extra_scalars or []:
        sc = dict(sc)
        one(f32, [4, 3], [2, 0], scal=sc, at=sc.pop("attrs", None))
    # errors
    one(f32, [4, 3], [1, 4])
    one(f32, [4, 3], [-1])
    one(f32, [4, 3], [[1]], grad=grid([1, 3], 23))
    one(f32, [4, 3], [1, 2], grad=grid([3, 3], 24))
    one(f32, [4, 3], [1], grad=grid([1, 2], 25))
    one(f32, [4, 0], [1], grad=np.zeros([1, 0]))
    for scalar in [n for n in order if n not in var_names and n not in ("grad", "indices")]:
        one(f32, [4, 3], [1], scal={scalar: [0.1, 0.2]})
    if len(var_names) > 1:
        init = [grid([4, 3], 21)] + [positive([4, 2], 30)] + [positive([4, 3], 31 + i) for i in range(len(var_names) - 2)]
        one(f32, [4, 3], [1], vars_=init)
    one(f32, [], [0], grad=grid([1], 27), vars_=[grid([], 28)] + [positive([], 29)] * (len(var_names) - 1))


sparse_apply("Adagrad", ["var", "accum"], [("lr", 0.25)], extra=[{"update_slots": False}])
sparse_apply("AdagradV2", ["var", "accum"], [("lr", 0.25), ("epsilon", 0.125)],
             extra=[{"update_slots": False}])
sparse_apply("Momentum", ["var", "accum"], [("lr", 0.25), ("momentum", 0.875)],
             extra=[{"use_nesterov": True}])
sparse_apply("Ftrl", ["var", "accum", "linear"],
             [("lr", 0.25), ("l1", 0.125), ("l2", 0.25), ("lr_power", -0.5)],
             extra=[{"multiply_linear_by_lr": True}],
             extra_scalars=[{"lr_power": -0.625}, {"lr": -0.25}, {"lr": 0.0},
                            {"lr": 0.0, "attrs": {"multiply_linear_by_lr": True}},
                            {"l1": -0.125}, {"l2": -0.25}, {"lr_power": 0.5}, {"l1": 3.0}])
sparse_apply("FtrlV2", ["var", "accum", "linear"],
             [("lr", 0.25), ("l1", 0.125), ("l2", 0.25), ("l2_shrinkage", 0.125), ("lr_power", -0.625)],
             extra=[{"multiply_linear_by_lr": True}],
             extra_scalars=[{"lr_power": -0.5}, {"lr": -0.25}, {"l1": -0.125}, {"l2": -0.25},
                            {"l2_shrinkage": -0.125}, {"lr_power": 0.5}])
sparse_apply("RMSProp", ["var", "ms", "mom"],
             [("lr", 0.25), ("rho", 0.875), ("momentum", 0.5), ("epsilon", 0.125)])
sparse_apply("CenteredRMSProp", ["var", "mg", "ms", "mom"],
             [("lr", 0.25), ("rho", 0.875), ("momentum", 0.5), ("epsilon", 0.125)])
sparse_apply("ProximalGradientDescent", ["var"], [("alpha", 0.25), ("l1", 0.125), ("l2", 0.25)],
             extra_scalars=[{"l1": 0.0}, {"alpha": -0.25}, {"l1": -0.125}, {"l2": -0.25}])
sparse_apply("ProximalAdagrad", ["var", "accum"], [("lr", 0.25), ("l1", 0.125), ("l2", 0.25)],
             extra_scalars=[{"l1": 0.0}, {"lr": -0.25}, {"lr": 0.0}, {"l1": -0.125}, {"l2": -0.25}])
sparse_apply("Adadelta", ["var", "accum", "accum_update"], [("lr", 0.25), ("rho", 0.875), ("epsilon", 0.125)])
sparse_apply("AdagradDA", ["var", "gradient_accumulator", "gradient_squared_accumulator"],
             [("lr", 0.25), ("l1", 0.125), ("l2", 0.125), ("global_step", 3)],
             extra_scalars=[{"l1": 0.0}, {"global_step": 0}], scalar_types={"global_step": i64})
sparse_apply("KerasMomentum", ["var", "accum"], [("lr", 0.25), ("momentum", 0.875)],
             extra=[{"use_nesterov": True}], resource_only=True)


# --- Dense ApplyProximal* and ApplyAdagradDA, which those optimizers use for their dense variables ------

def dense_apply(name, var_names, scalars, grad_name, extra_scalars, scalar_types=None):
    order = [a.name for a in op_def_registry.get("Apply" + name).input_arg]

    def one(dt, shape, scal=None, grad=None, vars_=None):
        sc = {**dict(scalars), **(scal or {})}
        init = vars_ or [grid(shape, 40)] + [positive(shape, 41 + i) for i in range(len(var_names) - 1)]
        g = grad if grad is not None else grid(shape, 45)
        types = scalar_types or {}
        others = [(n, g if n == grad_name else sc[n], types.get(n, dt)) for n in order[len(var_names):]]
        for ref in [True, False]:
            op = ("Apply" if ref else "ResourceApply") + name
            run(op, [(v, x, dt) for v, x in zip(var_names, init)], others, {}, ref)

    for dt in [f32, f64, f16]:
        one(dt, [2, 3])
    for sc in extra_scalars:
        one(f32, [5], scal=sc)
    for scalar in [n for n in order[len(var_names):] if n != grad_name]:
        one(f32, [3], scal={scalar: [0.1, 0.2]})
    one(f32, [3], grad=grid([2], 46))
    if len(var_names) > 1:
        one(f32, [3], vars_=[grid([3], 47), positive([4], 48)] + [positive([3], 49)] * (len(var_names) - 2))


dense_apply("ProximalAdagrad", ["var", "accum"], [("lr", 0.25), ("l1", 0.125), ("l2", 0.25)], "grad",
               [{"l1": 0.0}, {"lr": -0.25}, {"lr": 0.0}, {"l1": -0.125}, {"l2": -0.25}])
dense_apply("ProximalGradientDescent", ["var"], [("alpha", 0.25), ("l1", 0.125), ("l2", 0.25)], "delta",
               [{"l1": 0.0}, {"alpha": -0.25}, {"l1": -0.125}, {"l2": -0.25}])
dense_apply("AdagradDA", ["var", "gradient_accumulator", "gradient_squared_accumulator"],
            [("lr", 0.25), ("l1", 0.125), ("l2", 0.125), ("global_step", 3)], "grad",
            [{"l1": 0.0}, {"global_step": 0}], scalar_types={"global_step": i64})

with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "cases": cases}, f, separators=(",", ":"))
print(f"wrote {len(cases)} cases to {OUT}")
