"""Writes loop-fixtures.json: small tf.compat.v1 graphs that exercise the stack ops (StackV2,
StackPushV2, StackPopV2, StackCloseV2) and the TensorArray ops (TensorArrayV3 and its Write, Read,
Gather, Scatter, Concat, Split, Size, Close and Grad ops), including their errors, plus v1 while
loops whose gradients TF builds from them (tf.while_loop, tf.map_fn, tf.scan). Each graph runs in
a tf.compat.v1.Session of TensorFlow 2.21; loop-fixtures.test.ts runs the same GraphDef through
tfgate's master and compares.

Sessions run with Grappler disabled (see SESSION_CONFIG).

Run: .venv-tf/bin/python server/engine/kernels/testdata/gen_loop_fixtures.py

Format: {"tensorflow", "graphs": [{"name", "graph" (base64 GraphDef), "ops" (op types in the
graph), "names" (stack/TensorArray names whose "_<n>" counter suffix differs between processes),
"steps": [{"targets", "fetches", "feeds"?, "outputs" | "error": {"code", "message"}}]}]}.
Tensors are {"dtype" (DataType enum), "shape", "values"}; int64 values are strings.
"""

import base64
import json
import os
import re

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

R = tf.raw_ops
v1 = tf.compat.v1
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "loop-fixtures.json")

f32, i32, i64 = tf.float32, tf.int32, tf.int64


def enc_tensor(dtype, value):
    a = np.asarray(value)
    vals = a.ravel().tolist()
    if dtype == i64:
        vals = [str(int(v)) for v in vals]
    return {"dtype": dtype.as_datatype_enum, "shape": list(a.shape), "values": vals}


def session_error(msg):
    """The kernel's own message inside a Python session error ("Graph execution error: … Node:
    '<name>'\n<message>\n\t [[{{node …}}]]"), without the Python traceback TF adds around it."""
    m = re.search(r"\nNode: '[^']*'\n(.*?)(\n\t \[\[|$)", msg, re.S)
    return (m.group(1) if m else msg.split("\n\t [[")[0]).strip()


graphs = []

# Grappler off: its loop optimizer turns the pushes of a stack that has no pop in the pruned graph
# into Identity (so a push of the wrong type or onto a closed stack "succeeds"); the fixtures record
# what the kernels do. tfgate has no graph optimizer.
SESSION_CONFIG = v1.ConfigProto()
SESSION_CONFIG.graph_options.rewrite_options.disable_meta_optimizer = True


def graph_case(name, build, names=()):
    """build() adds nodes to a fresh graph and returns steps [(targets, fetches[, feeds])]."""
    g = tf.Graph()
    with g.as_default():
        v1.disable_control_flow_v2()
        steps = build()
    gd = g.as_graph_def()
    recorded = []
    with v1.Session(graph=g, config=SESSION_CONFIG) as sess:
        init = [op for op in g.get_operations() if op.type == "NoOp" and op.name == "init"]
        if init:
            sess.run(init[0])
        for targets, fetches, *fed in steps:
            feeds = fed[0] if fed else {}
            step = {"targets": [t.name for t in targets], "fetches": [f.name for f in fetches]}
            if feeds:
                step["feeds"] = {t.name: enc_tensor(t.dtype, v) for t, v in feeds.items()}
            try:
                values = sess.run(list(fetches) + list(targets), feeds)[: len(fetches)]
                step["outputs"] = [enc_tensor(f.dtype.base_dtype, v) for f, v in zip(fetches, values)]
            except tf.errors.OpError as e:
                step["error"] = {"code": e.error_code, "message": session_error(e.message)}
            recorded.append(step)
    ops = sorted({n.op for n in gd.node})
    graphs.append({
        "name": name,
        "graph": base64.b64encode(gd.SerializeToString()).decode("ascii"),
        "ops": ops,
        "names": list(names),
        "steps": recorded,
    })


def c(v, dtype=f32):
    return tf.constant(v, dtype=dtype)


def loose(v, dtype=f32):
    """A constant of unknown static shape, so graph construction's shape checks let a bad input
    reach the kernel."""
    return v1.placeholder_with_default(c(v, dtype), shape=None)


# --- stacks --------------------------------------------------------------------------------------


def stack(max_size=-1, elem_type=f32):
    return R.StackV2(max_size=c(max_size, i32), elem_type=elem_type, stack_name="st")


def stack_push_pop():
    h = stack()
    p1 = R.StackPushV2(handle=h, elem=c([1.0, 2.0]))
    with tf.control_dependencies([p1]):
        p2 = R.StackPushV2(handle=h, elem=c([3.0, 4.0]), swap_memory=True)
    with tf.control_dependencies([p2]):
        a = R.StackPopV2(handle=h, elem_type=f32)
    with tf.control_dependencies([a]):
        b = R.StackPopV2(handle=h, elem_type=f32)
    with tf.control_dependencies([b]):
        close = R.StackCloseV2(handle=h)
    # Each step makes a new stack: the second step sees an empty one again.
    return [([close], [p2, a, b]), ([close], [a, b])]


def stack_pop_empty():
    h = stack()
    return [([], [R.StackPopV2(handle=h, elem_type=f32)])]


def stack_overflow():
    h = stack(max_size=1)
    p1 = R.StackPushV2(handle=h, elem=c(1.0))
    with tf.control_dependencies([p1]):
        p2 = R.StackPushV2(handle=h, elem=c(2.0))
    return [([], [p2])]


def stack_closed():
    h = stack()
    close = R.StackCloseV2(handle=h)
    with tf.control_dependencies([close]):
        p = R.StackPushV2(handle=h, elem=c(1.0))
    with tf.control_dependencies([close]):
        pop = R.StackPopV2(handle=h, elem_type=f32)
    return [([], [p]), ([], [pop])]


def stack_wrong_type():
    h = stack()
    return [([], [R.StackPushV2(handle=h, elem=c(1, i32))])]


def stack_pop_wrong_type():
    h = stack()
    p = R.StackPushV2(handle=h, elem=c(1.0))
    with tf.control_dependencies([p]):
        pop = R.StackPopV2(handle=h, elem_type=i32)
    return [([], [pop])]


def stack_size_not_scalar():
    size = v1.placeholder(i32, None, name="size")
    h = R.StackV2(max_size=size, elem_type=f32, stack_name="st")
    return [([], [R.StackPushV2(handle=h, elem=c(1.0))], {size: [1, 2]})]


def stack_fed_max_size():
    n = v1.placeholder(i32, [], name="n")
    h = R.StackV2(max_size=n, elem_type=i32, stack_name="st")
    p1 = R.StackPushV2(handle=h, elem=c(7, i32))
    with tf.control_dependencies([p1]):
        p2 = R.StackPushV2(handle=h, elem=c(8, i32))
    with tf.control_dependencies([p2]):
        pop = R.StackPopV2(handle=h, elem_type=i32)
    return [([], [pop], {n: 2}), ([], [pop], {n: 1}), ([], [pop], {n: 0}), ([], [pop], {n: -5})]


# --- TensorArrays ----------------------------------------------------------------------------------


def ta(size, dtype=f32, **kw):
    kw.setdefault("tensor_array_name", "ta")
    return R.TensorArrayV3(size=c(size, i32), dtype=dtype, **kw)


def write(h, flow, index, value):
    value = tf.convert_to_tensor(value)
    return R.TensorArrayWriteV3(handle=h, index=c(index, i32), value=value, flow_in=flow)


def read(h, flow, index, dtype=f32):
    return R.TensorArrayReadV3(handle=h, index=c(index, i32), flow_in=flow, dtype=dtype)


def gather(h, flow, indices, dtype=f32, element_shape=None):
    kw = {} if element_shape is None else {"element_shape": element_shape}
    return R.TensorArrayGatherV3(handle=h, indices=c(indices, i32), flow_in=flow, dtype=dtype, **kw)


def ta_write_read_gather():
    h, flow = ta(3, clear_after_read=False)
    for i in range(3):
        flow = write(h, flow, i, c([i + 0.5, -i]))
    r = read(h, flow, 1)
    with tf.control_dependencies([r]):
        again = read(h, flow, 1)
    g = gather(h, flow, [2, 0, 2])
    size = R.TensorArraySizeV3(handle=h, flow_in=flow)
    cat, lengths = R.TensorArrayConcatV3(handle=h, flow_in=flow, dtype=f32)
    with tf.control_dependencies([r, again, g, size, cat]):
        close = R.TensorArrayCloseV3(handle=h)
    return [([close], [flow, r, again, g, size, cat, lengths])]


def ta_dtypes():
    steps = []
    outs = []
    for dtype, vals in ((tf.float64, [1.5, -2.0]), (i32, [3, 4]), (i64, [5, -6])):
        h, flow = ta(2, dtype=dtype)
        flow = write(h, flow, 1, c(vals, dtype))
        flow = write(h, flow, 0, c(vals[::-1], dtype))
        outs.append(gather(h, flow, [0, 1], dtype=dtype))
    steps.append(([], outs))
    return steps


def ta_read_unwritten():
    h, flow = ta(2)
    h2, flow2 = ta(2, element_shape=[2, 1])
    return [([], [read(h2, flow2, 1)]), ([], [read(h, flow, 0)])]


def ta_identical_element_shapes():
    h, flow = ta(3, identical_element_shapes=True)
    flow = write(h, flow, 0, c([[1.0, 2.0, 3.0]]))
    return [([], [read(h, flow, 2), gather(h, flow, [0, 1])])]


def ta_write_twice():
    h, flow = ta(2)
    flow = write(h, flow, 0, c(1.0))
    flow = write(h, flow, 0, c(2.0))
    return [([], [flow])]


def ta_read_twice_cleared():
    h, flow = ta(2)
    flow = write(h, flow, 0, c(1.0))
    r = read(h, flow, 0)
    with tf.control_dependencies([r]):
        r2 = read(h, flow, 0)
    return [([], [r2])]


def ta_write_after_read():
    h, flow = ta(2, clear_after_read=False)
    flow = write(h, flow, 0, c(1.0))
    r = read(h, flow, 1 - 1)
    with tf.control_dependencies([r]):
        h2 = R.TensorArrayWriteV3(handle=h, index=c(0, i32), value=c(3.0), flow_in=flow)
    return [([], [h2])]


def ta_index_errors():
    h, flow = ta(2)
    w = write(h, flow, 5, c(1.0))
    wn = write(h, flow, -1, c(1.0))
    r = read(h, flow, 3)
    rn = read(h, flow, -2)
    # An index of unknown shape gets past graph construction's shape check.
    index = v1.placeholder(i32, None, name="index")
    notscalar = R.TensorArrayReadV3(handle=h, index=index, flow_in=flow, dtype=f32)
    return [([], [w]), ([], [wn]), ([], [r]), ([], [rn]), ([], [notscalar], {index: [0]})]


def ta_dtype_errors():
    h, flow = ta(2)
    w = write(h, flow, 0, c(1, i32))
    flow1 = write(h, flow, 0, c(1.0))
    r = read(h, flow1, 0, dtype=i32)
    g = gather(h, flow1, [0], dtype=i32)
    return [([], [w]), ([], [r]), ([], [g])]


def ta_dynamic_size():
    h, flow = ta(0, dynamic_size=True, clear_after_read=False)
    flow = write(h, flow, 3, c([4.0]))
    flow = write(h, flow, 1, c([2.0]))
    size = R.TensorArraySizeV3(handle=h, flow_in=flow)
    r = read(h, flow, 3)
    return [([], [size, r])]


def ta_size_errors():
    size = v1.placeholder(i32, None, name="size")
    flow = R.TensorArrayV3(size=size, dtype=f32, tensor_array_name="ta")[1]
    return [([], [flow], {size: -1}), ([], [flow], {size: [2]}), ([], [flow], {size: 0})]


def ta_scatter_gather():
    h, flow = ta(3)
    flow = R.TensorArrayScatterV3(handle=h, indices=c([2, 0, 1], i32), value=c([[1, 2], [3, 4], [5, 6]]), flow_in=flow)
    return [([], [gather(h, flow, [0, 1, 2])])]


def ta_scatter_dynamic():
    h, flow = ta(1, dynamic_size=True)
    flow = R.TensorArrayScatterV3(handle=h, indices=c([4, 0], i32), value=c([[1.0], [2.0]]), flow_in=flow)
    size = R.TensorArraySizeV3(handle=h, flow_in=flow)
    return [([], [size, read(h, flow, 4), read(h, flow, 0)])]


def ta_scatter_errors():
    h, flow = ta(3)
    mismatch = R.TensorArrayScatterV3(handle=h, indices=loose([0, 1], i32), value=loose([[1.0], [2.0], [3.0]]), flow_in=flow)
    too_big = R.TensorArrayScatterV3(handle=h, indices=c([5, 0], i32), value=c([[1.0], [2.0]]), flow_in=flow)
    scalar = R.TensorArrayScatterV3(handle=h, indices=loose([0], i32), value=loose(1.0), flow_in=flow)
    wrong = R.TensorArrayScatterV3(handle=h, indices=c([0], i32), value=c([1], i32), flow_in=flow)
    return [([], [mismatch]), ([], [too_big]), ([], [scalar]), ([], [wrong])]


def ta_split_concat():
    h, flow = ta(3, clear_after_read=False)
    value = c(np.arange(10, dtype=np.float32).reshape(5, 2))
    flow = R.TensorArraySplitV3(handle=h, value=value, lengths=c([2, 0, 3], i64), flow_in=flow)
    cat, lengths = R.TensorArrayConcatV3(handle=h, flow_in=flow, dtype=f32)
    return [([], [cat, lengths, read(h, flow, 2), read(h, flow, 1)])]


def ta_split_errors():
    h, flow = ta(2)
    value = c(np.arange(6, dtype=np.float32).reshape(3, 2))
    bad_sum = R.TensorArraySplitV3(handle=h, value=value, lengths=c([1, 1], i64), flow_in=flow)
    bad_size = R.TensorArraySplitV3(handle=h, value=value, lengths=c([1, 1, 1], i64), flow_in=flow)
    scalar = R.TensorArraySplitV3(handle=h, value=loose(1.0), lengths=c([1], i64), flow_in=flow)
    return [([], [bad_sum]), ([], [bad_size]), ([], [scalar])]


def ta_concat_errors():
    h, flow = ta(2)
    flow = write(h, flow, 0, c(1.0))
    flow = write(h, flow, 1, c(2.0))
    scalars = R.TensorArrayConcatV3(handle=h, flow_in=flow, dtype=f32)[0]
    h2, flow2 = ta(2)
    flow2 = write(h2, flow2, 0, c([[1.0, 2.0]]))
    flow2 = write(h2, flow2, 1, c([[1.0, 2.0, 3.0]]))
    mixed = R.TensorArrayConcatV3(handle=h2, flow_in=flow2, dtype=f32)[0]
    h3, flow3 = ta(0)
    empty = R.TensorArrayConcatV3(handle=h3, flow_in=flow3, dtype=f32, element_shape_except0=[2])
    empty_unknown = R.TensorArrayConcatV3(handle=h3, flow_in=flow3, dtype=f32)[0]
    return [([], [scalars]), ([], [mixed]), ([], [empty[0], empty[1]]), ([], [empty_unknown])]


def ta_shape_errors():
    h, flow = ta(2, element_shape=[3])
    w = write(h, flow, 0, loose([1.0, 2.0]))
    h2, flow2 = ta(2)
    flow2 = write(h2, flow2, 0, c([1.0, 2.0]))
    flow2 = write(h2, flow2, 1, loose([1.0, 2.0, 3.0]))
    inconsistent = gather(h2, flow2, [0, 1])
    h3, flow3 = ta(1, element_shape=[2])
    flow3 = write(h3, flow3, 0, c([1.0, 2.0]))
    merge = gather(h3, flow3, [0], element_shape=[3])
    rank = gather(h3, flow3, [0], element_shape=[2, 1])
    h4, flow4 = ta(0)
    empty = gather(h4, flow4, [], element_shape=[2, 2])
    empty_unknown = gather(h4, flow4, [])
    return [([], [w]), ([], [inconsistent]), ([], [merge]), ([], [rank]), ([], [empty]), ([], [empty_unknown])]


def ta_closed():
    h, flow = ta(2)
    close = R.TensorArrayCloseV3(handle=h)
    with tf.control_dependencies([close]):
        size = R.TensorArraySizeV3(handle=h, flow_in=flow)
    with tf.control_dependencies([close]):
        w = write(h, flow, 0, c(1.0))
    return [([], [size]), ([], [w])]


def ta_grad():
    h, flow = ta(3, clear_after_read=False)
    flow = write(h, flow, 0, c([1.0, 2.0]))
    flow = write(h, flow, 2, c([3.0, 4.0]))
    gh, gflow = R.TensorArrayGradV3(handle=h, flow_in=flow, source="gradients")
    gflow = write(gh, gflow, 0, c([0.5, 0.25]))
    gflow = write(gh, gflow, 0, c([1.0, 1.0]))
    # The same source finds the same gradient array.
    gh2, gflow2 = R.TensorArrayGradV3(handle=h, flow_in=gflow, source="gradients")
    size = R.TensorArraySizeV3(handle=gh2, flow_in=gflow2)
    g = gather(gh2, gflow2, [0, 2])
    with tf.control_dependencies([g]):
        unwritten = read(gh2, gflow2, 1)
    return [([], [size, g]), ([], [unwritten])]


def ta_grad_after_aggregate():
    h, flow = ta(2)
    flow = write(h, flow, 0, c(1.0))
    gh, gflow = R.TensorArrayGradV3(handle=h, flow_in=flow, source="g")
    gflow = write(gh, gflow, 0, c(1.0))
    gflow = write(gh, gflow, 0, c(2.0))
    # A gradient of the gradient array after an aggregated write is refused.
    _, ggflow = R.TensorArrayGradV3(handle=gh, flow_in=gflow, source="g2")
    return [([], [ggflow])]


def ta_grad_with_shape():
    h, flow = ta(2, element_shape=[2])
    flow = write(h, flow, 0, c([1.0, 2.0]))
    gh, gflow = R.TensorArrayGradWithShape(handle=h, flow_in=flow, shape_to_prepend=c([3], i32), source="gradients")
    gflow = write(gh, gflow, 1, c(np.ones((3, 2), np.float32)))
    return [([], [read(gh, gflow, 0), read(gh, gflow, 1)])]


# --- loops built by TF: while-loop gradients (stacks), map_fn and scan (TensorArrays) -------------


def while_grad():
    x = v1.placeholder(f32, [3], name="x")
    w = v1.Variable(np.float32(0.9), name="w", use_resource=True)
    _, y = v1.while_loop(lambda i, y: i < 4, lambda i, y: (i + 1, tf.sin(y) * w + 0.1), [c(0, i32), x])
    loss = tf.reduce_sum(y * y)
    gx, gw = tf.gradients(loss, [x, w])
    v1.global_variables_initializer()
    return [([], [y, gx, gw], {x: [0.5, -1.0, 2.0]}), ([], [gx], {x: [0.0, 0.1, 0.2]})]


def map_fn_grad():
    x = v1.placeholder(f32, [4, 2], name="x")
    y = tf.map_fn(lambda r: tf.reduce_sum(r * r) * r, x)
    g = tf.gradients(tf.reduce_sum(y), x)[0]
    return [([], [y, g], {x: np.arange(8, dtype=np.float32).reshape(4, 2) / 4})]


def scan_grad():
    x = v1.placeholder(f32, [5], name="x")
    y = tf.scan(lambda acc, v: acc * 0.5 + v * v, x, initializer=c(1.0))
    g = tf.gradients(tf.reduce_sum(y), x)[0]
    return [([], [y, g], {x: [1.0, -2.0, 0.5, 3.0, 0.25]})]


graph_case("stack_push_pop", stack_push_pop, ["st"])
graph_case("stack_pop_empty", stack_pop_empty, ["st"])
graph_case("stack_overflow", stack_overflow, ["st"])
graph_case("stack_closed", stack_closed, ["st"])
graph_case("stack_wrong_type", stack_wrong_type, ["st"])
graph_case("stack_pop_wrong_type", stack_pop_wrong_type, ["st"])
graph_case("stack_size_not_scalar", stack_size_not_scalar, ["st"])
graph_case("stack_fed_max_size", stack_fed_max_size, ["st"])
graph_case("ta_write_read_gather", ta_write_read_gather, ["ta"])
graph_case("ta_dtypes", ta_dtypes, ["ta"])
graph_case("ta_read_unwritten", ta_read_unwritten, ["ta"])
graph_case("ta_identical_element_shapes", ta_identical_element_shapes, ["ta"])
graph_case("ta_write_twice", ta_write_twice, ["ta"])
graph_case("ta_read_twice_cleared", ta_read_twice_cleared, ["ta"])
graph_case("ta_write_after_read", ta_write_after_read, ["ta"])
graph_case("ta_index_errors", ta_index_errors, ["ta"])
graph_case("ta_dtype_errors", ta_dtype_errors, ["ta"])
graph_case("ta_dynamic_size", ta_dynamic_size, ["ta"])
graph_case("ta_size_errors", ta_size_errors, ["ta"])
graph_case("ta_scatter_gather", ta_scatter_gather, ["ta"])
graph_case("ta_scatter_dynamic", ta_scatter_dynamic, ["ta"])
graph_case("ta_scatter_errors", ta_scatter_errors, ["ta"])
graph_case("ta_split_concat", ta_split_concat, ["ta"])
graph_case("ta_split_errors", ta_split_errors, ["ta"])
graph_case("ta_concat_errors", ta_concat_errors, ["ta"])
graph_case("ta_shape_errors", ta_shape_errors, ["ta"])
graph_case("ta_closed", ta_closed, ["ta"])
graph_case("ta_grad", ta_grad, ["ta"])
graph_case("ta_grad_after_aggregate", ta_grad_after_aggregate, ["ta"])
graph_case("ta_grad_with_shape", ta_grad_with_shape, ["ta"])
graph_case("while_grad", while_grad)
graph_case("map_fn_grad", map_fn_grad)
graph_case("scan_grad", scan_grad)

with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "graphs": graphs}, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(graphs)} graphs to {OUT}")
for g in graphs:
    print(g["name"], [st.get("error", {}).get("message", "ok")[:110] for st in g["steps"]])
