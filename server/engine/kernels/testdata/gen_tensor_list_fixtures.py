#!/usr/bin/env python3
"""Writes tensor-list-fixtures.json: TensorFlow 2.21's own results for the TensorList ops
(EmptyTensorList, TensorListReserve, ...FromTensor, ...GetItem, ...SetItem, ...PushBack,
...PopBack, ...PushBackBatch, ...Stack, ...Length, ...ElementShape, ...Concat/ConcatV2, ...Split,
...Gather, ...Scatter/ScatterV2/ScatterIntoExistingList, ...Resize, ...ConcatLists) and for
ZerosLike and AddN on DT_VARIANT lists, read by ../tensor-list-fixtures.test.ts.

A TensorList is a DT_VARIANT scalar that eager TF cannot hand back as a value, so every case is a
sequence of tf.raw_ops calls run eagerly on CPU, each step feeding on earlier steps' outputs
(reserve -> set items -> stack; from_tensor -> get_item; push_back x k -> pop_back ...). The
dense outputs of every step are recorded (variant outputs as null); a step that fails records
TF's error code and message and ends its sequence.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_tensor_list_fixtures.py

Format: {"tensorflow", "sequences": [{"name", "ops": [every op the sequence runs], "steps":
  [{"op", "attrs": {name: [kind, value]}, "inputs": [tensor | {"ref": [step, output]} |
   {"list": [...]}], "outputs": [tensor | null] | "error": {"code", "message"}}]}]}
Tensors are tf_fixtures.py's {"dtype", "shape", "values"}.

TL_TRACE=1 prints each sequence and op as it runs (TF CHECK-fails on some bad input, killing the
process: the trace shows which call to leave out).
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tf_fixtures import attr_of, clean, enc  # noqa: E402

R = tf.raw_ops
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tensor-list-fixtures.json")

f16, bf16, f32, f64 = tf.float16, tf.bfloat16, tf.float32, tf.float64
i8, i16, i32, i64 = tf.int8, tf.int16, tf.int32, tf.int64
u8, u16, u32, u64 = tf.uint8, tf.uint16, tf.uint32, tf.uint64
c64, c128, b, s, v = tf.complex64, tf.complex128, tf.bool, tf.string, tf.variant
ALL = [f32, f64, f16, bf16, i8, i16, i32, i64, u8, u16, u32, u64, c64, c128, b, s]

sequences = []


class Stop(Exception):
    pass


class Ref:
    def __init__(self, step, out, value):
        self.step, self.out, self.value = step, out, value


class Seq:
    def __init__(self, name):
        self.name, self.steps, self.ops = name, [], []

    def __call__(self, op, inputs, attrs=None, inferred=None):
        """Runs tf.raw_ops.<op>(**inputs, **attrs); returns its outputs as Refs (a Ref for one)."""
        attrs = attrs or {}
        args, encoded = {}, []
        for k, x in inputs.items():
            if isinstance(x, list):
                args[k] = [self.value(e) for e in x]
                encoded.append({"list": [self.encode(e) for e in x]})
            else:
                args[k] = self.value(x)
                encoded.append(self.encode(x))
        step = {"op": op, "attrs": {k: attr_of(a) for k, a in {**(inferred or {}), **attrs}.items()},
                "inputs": encoded}
        self.steps.append(step)
        if op not in self.ops:
            self.ops.append(op)
        if os.environ.get("TL_TRACE"):
            print("  ", op, file=sys.stderr, flush=True)
        try:
            out = getattr(R, op)(**args, **attrs)
        except tf.errors.OpError as e:
            step["error"] = {"code": e.error_code, "message": clean(e.message)}
            raise Stop()
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        step["outputs"] = [None if o.dtype == v else enc(o) for o in outs]
        k = len(self.steps) - 1
        refs = [Ref(k, j, o) for j, o in enumerate(outs)]
        return refs[0] if len(refs) == 1 else refs

    @staticmethod
    def value(x):
        return x.value if isinstance(x, Ref) else x

    @staticmethod
    def encode(x):
        return {"ref": [x.step, x.out]} if isinstance(x, Ref) else enc(x)


def seq(name):
    """Decorator: runs the function as one sequence named `name`."""

    def run(fn):
        s = Seq(name)
        if os.environ.get("TL_TRACE"):
            print(name, file=sys.stderr, flush=True)
        try:
            fn(s)
        except Stop:
            pass
        sequences.append({"name": name, "ops": s.ops, "steps": s.steps})

    return run


def shp(shape, st=i32):
    return tf.constant(shape, st)


def grid(dtype, shape, seed=0):
    """Small values exact in every dtype (strings and bools from the same integers)."""
    rng = np.random.RandomState(seed)
    vals = rng.randint(-8, 9, size=shape)
    if dtype == s:
        return tf.constant(np.vectorize(lambda x: "s%d" % x)(vals).astype(object) if vals.size else
                           np.zeros(shape, dtype=object), s)
    if dtype == b:
        return tf.constant(vals > 0)
    if dtype in (u8, u16, u32, u64):
        vals = np.abs(vals)
    return tf.cast(tf.constant(vals / 2.0 if dtype.is_floating or dtype.is_complex else vals), dtype)


# --- op wrappers (explicit attrs as tf.raw_ops takes them; inferred ones recorded too) ------------

def empty(q, shape, dtype, max_n=-1, st=i32):
    return q("EmptyTensorList", {"element_shape": shp(shape, st), "max_num_elements": tf.constant(max_n, i32)},
             {"element_dtype": dtype}, {"shape_type": st})


def reserve(q, shape, n, dtype, st=i32):
    return q("TensorListReserve", {"element_shape": shp(shape, st), "num_elements": tf.constant(n, i32)},
             {"element_dtype": dtype}, {"shape_type": st})


def from_tensor(q, t, shape=-1, st=i32):
    t = t if isinstance(t, Ref) else tf.convert_to_tensor(t)
    dt = t.value.dtype if isinstance(t, Ref) else t.dtype
    return q("TensorListFromTensor", {"tensor": t, "element_shape": shp(shape, st)}, {},
             {"element_dtype": dt, "shape_type": st})


def get_item(q, l, i, dtype, shape=-1, st=i32):
    return q("TensorListGetItem", {"input_handle": l, "index": tf.constant(i, i32), "element_shape": shp(shape, st)},
             {"element_dtype": dtype}, {"Tshape": st})


def set_item(q, l, i, item, resize=None):
    item = item if isinstance(item, Ref) else tf.convert_to_tensor(item)
    dt = item.value.dtype if isinstance(item, Ref) else item.dtype
    attrs = {} if resize is None else {"resize_if_index_out_of_bounds": resize}
    return q("TensorListSetItem", {"input_handle": l, "index": tf.constant(i, i32), "item": item}, attrs,
             {"element_dtype": dt})


def push(q, l, t):
    t = t if isinstance(t, Ref) else tf.convert_to_tensor(t)
    dt = t.value.dtype if isinstance(t, Ref) else t.dtype
    return q("TensorListPushBack", {"input_handle": l, "tensor": t}, {}, {"element_dtype": dt})


def pop(q, l, dtype, shape=-1):
    return q("TensorListPopBack", {"input_handle": l, "element_shape": shp(shape)}, {"element_dtype": dtype})


def stack(q, l, dtype, shape=-1, num=None):
    attrs = {"element_dtype": dtype}
    if num is not None:
        attrs["num_elements"] = num
    return q("TensorListStack", {"input_handle": l, "element_shape": shp(shape)}, attrs)


def length(q, l):
    return q("TensorListLength", {"input_handle": l})


def element_shape(q, l, st=i32):
    return q("TensorListElementShape", {"input_handle": l}, {"shape_type": st})


def concat_v2(q, l, dtype, shape=-1, leading=(), st=i32):
    return q("TensorListConcatV2", {"input_handle": l, "element_shape": shp(shape, st),
                                    "leading_dims": tf.constant(list(leading), i64, shape=[len(leading)])},
             {"element_dtype": dtype}, {"shape_type": st})


def concat_v1(q, l, dtype, shape=None):
    attrs = {"element_dtype": dtype}
    if shape is not None:
        attrs["element_shape"] = tf.TensorShape([None if d < 0 else d for d in shape])
    return q("TensorListConcat", {"input_handle": l}, attrs)


def split(q, t, lengths, shape=-1, st=i32):
    t = tf.convert_to_tensor(t)
    return q("TensorListSplit", {"tensor": t, "element_shape": shp(shape, st),
                                 "lengths": tf.constant(lengths, i64)}, {},
             {"element_dtype": t.dtype, "shape_type": st})


def gather(q, l, indices, dtype, shape=-1):
    return q("TensorListGather", {"input_handle": l, "indices": tf.constant(indices, i32),
                                  "element_shape": shp(shape)}, {"element_dtype": dtype})


def scatter_v2(q, t, indices, shape=-1, n=-1, st=i32):
    t = tf.convert_to_tensor(t)
    return q("TensorListScatterV2", {"tensor": t, "indices": tf.constant(indices, i32),
                                     "element_shape": shp(shape, st), "num_elements": tf.constant(n, i32)},
             {}, {"element_dtype": t.dtype, "shape_type": st})


def scatter_v1(q, t, indices, shape=-1, st=i32):
    t = tf.convert_to_tensor(t)
    return q("TensorListScatter", {"tensor": t, "indices": tf.constant(indices, i32),
                                   "element_shape": shp(shape, st)}, {},
             {"element_dtype": t.dtype, "shape_type": st})


def scatter_into(q, l, t, indices):
    t = tf.convert_to_tensor(t)
    return q("TensorListScatterIntoExistingList", {"input_handle": l, "tensor": t,
                                                   "indices": tf.constant(indices, i32)}, {},
             {"element_dtype": t.dtype})


def resize(q, l, n):
    return q("TensorListResize", {"input_handle": l, "size": tf.constant(n, i32)})


def concat_lists(q, a, bb, dtype):
    return q("TensorListConcatLists", {"input_a": a, "input_b": bb}, {"element_dtype": dtype})


def push_batch(q, ls, t):
    t = tf.convert_to_tensor(t)
    return q("TensorListPushBackBatch", {"input_handles": ls, "tensor": t}, {}, {"element_dtype": t.dtype})


def pack(q, values):
    return q("Pack", {"values": values}, {}, {"T": v, "N": len(values)})


def unpack(q, value, num):
    return q("Unpack", {"value": value}, {"num": num}, {"T": v})


def zeros_like(q, l):
    return q("ZerosLike", {"x": l}, {}, {"T": v})


def add_n(q, ls):
    return q("AddN", {"inputs": ls}, {}, {"T": v, "N": len(ls)})


# --- every element dtype ---------------------------------------------------------------------------

for dt in ALL:
    @seq(f"from_tensor_get_stack_{dt.name}")
    def _(q, dt=dt):
        l = from_tensor(q, grid(dt, [3, 2]), [2])
        get_item(q, l, 1, dt)
        stack(q, l, dt, [-1])
        length(q, l)
        element_shape(q, l)

    @seq(f"reserve_set_stack_{dt.name}")
    def _(q, dt=dt):
        l = reserve(q, [2], 3, dt)
        l = set_item(q, l, 1, grid(dt, [2], seed=1))
        get_item(q, l, 0, dt)
        stack(q, l, dt)
        gather(q, l, [2, 1], dt)
        concat_v2(q, l, dt)
        pop(q, l, dt)

    @seq(f"push_pop_{dt.name}")
    def _(q, dt=dt):
        l = empty(q, [-1], dt)
        for k in range(3):
            l = push(q, l, grid(dt, [k + 1], seed=k))
        l, _ = pop(q, l, dt)
        length(q, l)
        concat_v2(q, l, dt)
        l, _ = pop(q, l, dt)
        l, _ = pop(q, l, dt)
        pop(q, l, dt)

    @seq(f"split_scatter_{dt.name}")
    def _(q, dt=dt):
        l = split(q, grid(dt, [5, 2]), [2, 0, 3], [-1, 2])
        concat_v1(q, l, dt)
        get_item(q, l, 2, dt)
        l2 = scatter_v2(q, grid(dt, [2, 2], seed=3), [3, 0], [2], 5)
        stack(q, l2, dt)
        l3 = scatter_into(q, l2, grid(dt, [1, 2], seed=4), [4])
        stack(q, l3, dt)
        l4 = resize(q, l3, 2)
        stack(q, l4, dt)
        l5 = concat_lists(q, l4, l2, dt)
        stack(q, l5, dt)


# --- EmptyTensorList, ElementShape, Length ----------------------------------------------------------

@seq("empty_shapes")
def _(q):
    for st in (i32, i64):
        for shape in (-1, [], [2, 3], [-1, 4], [0]):
            l = empty(q, shape, f32, st=st)
            element_shape(q, l, i32)
            element_shape(q, l, i64)
            length(q, l)


for bad_shape, st in ((3, i32), (-1, i64), (-2, i32), ([[1, 2]], i32), ([-2, 2], i32), ([-5], i64)):
    @seq(f"empty_bad_shape_{bad_shape}_{st.name}")
    def _(q, bad_shape=bad_shape, st=st):
        l = empty(q, bad_shape, f32, st=st)
        element_shape(q, l)


@seq("empty_max_not_scalar")
def _(q):
    q("EmptyTensorList", {"element_shape": shp([2]), "max_num_elements": tf.constant([1], i32)},
      {"element_dtype": f32}, {"shape_type": i32})


@seq("empty_stack_unknown_shape")
def _(q):
    l = empty(q, [-1, 2], f32)
    stack(q, l, f32)


@seq("empty_stack_known_shape")
def _(q):
    l = empty(q, [-1, 2], f32)
    stack(q, l, f32, [3, 2])
    stack(q, l, f32, [3, -1])


@seq("empty_stack_scalar_shape")
def _(q):
    l = empty(q, [], i32)
    stack(q, l, i32)
    gather(q, l, [], i32)
    concat_v2(q, l, i32)


# --- PushBack / PopBack -------------------------------------------------------------------------------

@seq("push_full_list")
def _(q):
    l = empty(q, [2], f32, max_n=2)
    l = push(q, l, [1.0, 2.0])
    l = push(q, l, [3.0, 4.0])
    length(q, l)
    stack(q, l, f32)
    push(q, l, [5.0, 6.0])


@seq("push_wrong_dtype")
def _(q):
    l = empty(q, [2], f32)
    q("TensorListPushBack", {"input_handle": l, "tensor": tf.constant([1, 2], i32)}, {}, {"element_dtype": i32})


@seq("push_attr_dtype_mismatch")
def _(q):
    l = empty(q, [2], f32)
    push(q, l, tf.constant([1, 2], i32))


@seq("push_incompatible_shape")
def _(q):
    l = empty(q, [2], f32)
    push(q, l, [1.0, 2.0, 3.0])


@seq("push_incompatible_rank")
def _(q):
    l = empty(q, [-1, 2], f32)
    push(q, l, [1.0, 2.0])


@seq("push_mixed_shapes_then_stack")
def _(q):
    l = empty(q, -1, f32)
    l = push(q, l, [1.0, 2.0])
    l = push(q, l, [[3.0]])
    length(q, l)
    get_item(q, l, 1, f32)
    stack(q, l, f32)


@seq("pop_wrong_dtype")
def _(q):
    l = from_tensor(q, [[1.0]])
    pop(q, l, i32)


@seq("pop_unset_known_shape")
def _(q):
    l = reserve(q, [2, 2], 2, f64)
    l, _ = pop(q, l, f64)
    l, _ = pop(q, l, f64, [2, -1])
    pop(q, l, f64)


@seq("pop_unset_shape_from_input")
def _(q):
    l = reserve(q, [-1, 3], 1, i32)
    pop(q, l, i32, [2, 3])


@seq("pop_unset_unknown_shape")
def _(q):
    l = reserve(q, [-1, 3], 1, i32)
    pop(q, l, i32)


@seq("pop_unset_unknown_rank")
def _(q):
    l = reserve(q, -1, 1, i32)
    pop(q, l, i32)


@seq("pop_shape_input_incompatible")
def _(q):
    l = reserve(q, [2], 1, i32)
    pop(q, l, i32, [3])


@seq("pop_shape_input_rank_mismatch")
def _(q):
    l = reserve(q, [2], 1, i32)
    pop(q, l, i32, [2, 1])


# --- Reserve ------------------------------------------------------------------------------------------

@seq("reserve_negative")
def _(q):
    reserve(q, [2], -1, f32)


@seq("reserve_zero")
def _(q):
    l = reserve(q, [2], 0, f32)
    length(q, l)
    stack(q, l, f32)


@seq("reserve_num_not_scalar")
def _(q):
    q("TensorListReserve", {"element_shape": shp([2]), "num_elements": tf.constant([3], i32)},
      {"element_dtype": f32}, {"shape_type": i32})


@seq("reserve_bad_shape")
def _(q):
    reserve(q, 2, 3, f32)


@seq("reserve_int64_shape")
def _(q):
    l = reserve(q, [-1, 2], 2, f32, st=i64)
    element_shape(q, l, i64)
    l = set_item(q, l, 0, [[1.0, 2.0]])
    stack(q, l, f32)
    get_item(q, l, 1, f32, [-1, 2], i64)
    get_item(q, l, 1, f32, [3, 2], i64)


# --- GetItem ------------------------------------------------------------------------------------------

@seq("get_item_errors_out_of_range")
def _(q):
    l = from_tensor(q, [[1.0], [2.0]])
    get_item(q, l, 2, f32)


@seq("get_item_negative")
def _(q):
    l = from_tensor(q, [[1.0], [2.0]])
    get_item(q, l, -1, f32)


@seq("get_item_wrong_dtype")
def _(q):
    l = from_tensor(q, [[1.0], [2.0]])
    get_item(q, l, 0, f64)


@seq("get_item_index_not_scalar")
def _(q):
    l = from_tensor(q, [[1.0], [2.0]])
    q("TensorListGetItem", {"input_handle": l, "index": tf.constant([0], i32), "element_shape": shp(-1)},
      {"element_dtype": f32}, {"Tshape": i32})


@seq("get_item_unset_inferred_from_others")
def _(q):
    l = reserve(q, -1, 3, i64)
    l = set_item(q, l, 2, tf.constant([[5, 6, 7]], i64))
    get_item(q, l, 0, i64)
    get_item(q, l, 1, i64, [1, -1])


@seq("get_item_unset_no_shape")
def _(q):
    l = reserve(q, [-1], 3, i64)
    get_item(q, l, 0, i64)


@seq("get_item_unset_conflicting_others")
def _(q):
    l = reserve(q, -1, 3, f32)
    l = set_item(q, l, 0, [1.0])
    l = set_item(q, l, 1, [1.0, 2.0])
    get_item(q, l, 2, f32)


@seq("get_item_shape_input_incompatible_with_list")
def _(q):
    l = reserve(q, [2], 3, f32)
    get_item(q, l, 0, f32, [3])


@seq("get_item_set_element_ignores_shape_input")
def _(q):
    l = from_tensor(q, [[1.0, 2.0]])
    get_item(q, l, 0, f32, [7, 7])


@seq("list_input_not_scalar")
def _(q):
    l1 = from_tensor(q, [[1.0]])
    ls = pack(q, [l1, l1])
    length(q, ls)


# --- SetItem ------------------------------------------------------------------------------------------

@seq("set_item_out_of_range")
def _(q):
    l = reserve(q, [2], 3, f32)
    set_item(q, l, 3, [1.0, 2.0])


@seq("set_item_negative")
def _(q):
    l = reserve(q, [2], 3, f32)
    set_item(q, l, -1, [1.0, 2.0])


@seq("set_item_resize")
def _(q):
    l = reserve(q, [2], 1, f32)
    l = set_item(q, l, 3, [1.0, 2.0], resize=True)
    length(q, l)
    stack(q, l, f32)
    l = set_item(q, l, 0, [3.0, 4.0], resize=True)
    stack(q, l, f32)
    set_item(q, l, 5, [1.0, 2.0], resize=False)


@seq("set_item_resize_unknown_shape")
def _(q):
    l = reserve(q, -1, 1, i32)
    l = set_item(q, l, 3, tf.constant([1, 2], i32), resize=True)
    get_item(q, l, 2, i32)
    stack(q, l, i32)


@seq("set_item_incompatible_shape")
def _(q):
    l = reserve(q, [2], 3, f32)
    set_item(q, l, 0, [1.0, 2.0, 3.0])


@seq("set_item_wrong_dtype")
def _(q):
    l = reserve(q, [2], 3, f32)
    set_item(q, l, 0, tf.constant([1, 2], i32))


@seq("set_item_index_not_scalar")
def _(q):
    l = reserve(q, [2], 3, f32)
    q("TensorListSetItem", {"input_handle": l, "index": tf.constant([0], i32), "item": tf.constant([1.0, 2.0])},
      {}, {"element_dtype": f32})


# --- FromTensor ---------------------------------------------------------------------------------------

@seq("from_tensor_scalar")
def _(q):
    from_tensor(q, 1.0)


@seq("from_tensor_incompatible_shape")
def _(q):
    from_tensor(q, [[1.0, 2.0]], [3])


@seq("from_tensor_shape_matrix")
def _(q):
    from_tensor(q, [[1.0, 2.0]], [[2]])


@seq("from_tensor_empty")
def _(q):
    l = from_tensor(q, np.zeros([0, 2], np.float32), [-1])
    length(q, l)
    element_shape(q, l)
    stack(q, l, f32, [2])
    l2 = from_tensor(q, np.zeros([0, 2, 3], np.float32), [-1, 3])
    concat_v2(q, l2, f32)
    from_tensor(q, np.zeros([0, 2], np.float32), [-1, 2])


@seq("from_tensor_rank3")
def _(q):
    l = from_tensor(q, grid(f32, [2, 2, 3]), [2, -1], st=i64)
    element_shape(q, l)
    get_item(q, l, 1, f32)
    concat_v1(q, l, f32)
    concat_v2(q, l, f32, [2, 3])


# --- Stack --------------------------------------------------------------------------------------------

@seq("stack_num_elements")
def _(q):
    l = from_tensor(q, grid(i32, [3, 2]))
    stack(q, l, i32, num=3)
    stack(q, l, i32, num=2)


@seq("stack_wrong_dtype")
def _(q):
    l = from_tensor(q, grid(i32, [3, 2]))
    stack(q, l, f32)


@seq("stack_shape_input_mismatch")
def _(q):
    l = from_tensor(q, grid(i32, [3, 2]))
    stack(q, l, i32, [3])


@seq("stack_shape_input_rank_mismatch")
def _(q):
    l = from_tensor(q, grid(i32, [3, 2]), [2])
    stack(q, l, i32, [2, 1])


@seq("stack_unset_shape_from_set")
def _(q):
    l = reserve(q, -1, 3, f32)
    l = set_item(q, l, 1, [[1.0, 2.0]])
    stack(q, l, f32)


@seq("stack_all_unset_unknown")
def _(q):
    l = reserve(q, [-1], 2, f32)
    stack(q, l, f32)


@seq("stack_all_unset_shape_input")
def _(q):
    l = reserve(q, [-1], 2, f32)
    stack(q, l, f32, [3])


@seq("stack_shape_tensor_rank2")
def _(q):
    l = reserve(q, [-1], 2, f32)
    q("TensorListStack", {"input_handle": l, "element_shape": tf.constant([[3]], i32)}, {"element_dtype": f32})


# --- ConcatV2 / Concat --------------------------------------------------------------------------------

@seq("concat_varying_leading_dims")
def _(q):
    l = empty(q, [-1, 2], f32)
    l = push(q, l, grid(f32, [2, 2]))
    l = push(q, l, grid(f32, [1, 2], seed=1))
    l = push(q, l, grid(f32, [0, 2], seed=2))
    concat_v2(q, l, f32)
    concat_v1(q, l, f32)
    concat_v1(q, l, f32, [-1, 2])


@seq("concat_unset_with_leading_dims")
def _(q):
    l = reserve(q, [-1, 2], 3, f32)
    l = set_item(q, l, 1, grid(f32, [2, 2]))
    concat_v2(q, l, f32, -1, [1, 5, 3])
    concat_v2(q, l, f32, -1, [1])


@seq("concat_unset_same_leading_dim")
def _(q):
    l = reserve(q, [-1, 2], 3, f32)
    l = set_item(q, l, 1, grid(f32, [2, 2]))
    l = set_item(q, l, 2, grid(f32, [2, 2], seed=1))
    concat_v2(q, l, f32)


@seq("concat_unset_first_dim_from_shape")
def _(q):
    l = reserve(q, [-1, 2], 3, f32)
    concat_v2(q, l, f32, [4, 2])
    concat_v2(q, l, f32)


@seq("concat_v1_unset")
def _(q):
    l = reserve(q, [1, 2], 2, f32)
    concat_v1(q, l, f32)
    l2 = reserve(q, [-1, 2], 2, f32)
    concat_v1(q, l2, f32)


@seq("concat_v1_unset_first_dims_differ")
def _(q):
    l = reserve(q, [-1, 2], 3, f32)
    l = set_item(q, l, 0, grid(f32, [1, 2]))
    l = set_item(q, l, 1, grid(f32, [2, 2], seed=1))
    concat_v2(q, l, f32, -1, [0, 0, 2])
    concat_v1(q, l, f32, [-1, 2])


@seq("concat_scalars")
def _(q):
    l = from_tensor(q, [1.0, 2.0])
    concat_v2(q, l, f32)


@seq("concat_scalar_shape_input")
def _(q):
    l = from_tensor(q, [[1.0], [2.0]])
    concat_v2(q, l, f32, [])


@seq("concat_first_dim_mismatch")
def _(q):
    l = from_tensor(q, [[1.0], [2.0]])
    concat_v2(q, l, f32, [2])


@seq("concat_inner_dims_differ")
def _(q):
    l = empty(q, -1, f32)
    l = push(q, l, [[1.0]])
    l = push(q, l, [[1.0, 2.0]])
    concat_v2(q, l, f32)


@seq("concat_scalar_element")
def _(q):
    l = empty(q, -1, f32)
    l = push(q, l, [1.0])
    l = push(q, l, 2.0)
    concat_v2(q, l, f32)


@seq("concat_empty_list")
def _(q):
    l = empty(q, [-1, 2], f32)
    concat_v2(q, l, f32)
    concat_v2(q, l, f32, [-1, 3])


@seq("concat_empty_list_unknown")
def _(q):
    l = empty(q, [-1, -1], f32)
    concat_v2(q, l, f32)


@seq("concat_v1_empty_element_shape_attr")
def _(q):
    l = empty(q, -1, f32)
    concat_v1(q, l, f32, [])


@seq("concat_wrong_dtype")
def _(q):
    l = from_tensor(q, [[1.0], [2.0]])
    concat_v2(q, l, i32)


# --- Split --------------------------------------------------------------------------------------------

@seq("split_errors_negative")
def _(q):
    split(q, grid(f32, [3, 2]), [-1, 4])


@seq("split_errors_too_long")
def _(q):
    split(q, grid(f32, [3, 2]), [2, 2])


@seq("split_errors_unused")
def _(q):
    split(q, grid(f32, [3, 2]), [1, 1])


@seq("split_scalar")
def _(q):
    split(q, 1.0, [1])


@seq("split_scalar_shape")
def _(q):
    split(q, grid(f32, [3, 2]), [3], [])


@seq("split_incompatible_shape")
def _(q):
    split(q, grid(f32, [3, 2]), [3], [-1, 3])


@seq("split_lengths_not_vector")
def _(q):
    q("TensorListSplit", {"tensor": grid(f32, [3, 2]), "element_shape": shp(-1),
                          "lengths": tf.constant([[3]], i64)}, {}, {"element_dtype": f32, "shape_type": i32})


@seq("split_then_stack_mismatch")
def _(q):
    l = split(q, grid(f32, [3, 2]), [1, 2], [-1, 2])
    element_shape(q, l)
    stack(q, l, f32)


# --- Gather -------------------------------------------------------------------------------------------

@seq("gather_basic")
def _(q):
    l = from_tensor(q, grid(f32, [4, 2]))
    gather(q, l, [3, 0, 3], f32)
    gather(q, l, [], f32, [2])
    gather(q, l, [], f32)


@seq("gather_out_of_range")
def _(q):
    l = from_tensor(q, grid(f32, [4, 2]))
    gather(q, l, [4], f32)


@seq("gather_out_of_range_known_shape")
def _(q):
    l = from_tensor(q, grid(f32, [4, 2]), [4, 2][1:])
    gather(q, l, [1, 4], f32)


@seq("gather_negative")
def _(q):
    l = from_tensor(q, grid(f32, [4, 2]))
    gather(q, l, [-1], f32)


@seq("gather_negative_known_shape")
def _(q):
    l = from_tensor(q, grid(f32, [4, 2]), [2])
    gather(q, l, [-1], f32)


@seq("gather_indices_matrix")
def _(q):
    l = from_tensor(q, grid(f32, [4, 2]), [2])
    gather(q, l, [[1, 2]], f32)


@seq("gather_unset_unknown")
def _(q):
    l = reserve(q, -1, 2, f32)
    gather(q, l, [0], f32)


@seq("gather_wrong_dtype")
def _(q):
    l = reserve(q, -1, 2, f32)
    gather(q, l, [0], i64)


# --- Scatter ------------------------------------------------------------------------------------------

@seq("scatter_v1_basic")
def _(q):
    l = scatter_v1(q, grid(i32, [3, 2]), [4, 0, 2])
    length(q, l)
    stack(q, l, i32)


@seq("scatter_duplicate_indices")
def _(q):
    l = scatter_v2(q, grid(i32, [3, 2]), [1, 1, 0], -1, -1)
    stack(q, l, i32)


@seq("scatter_negative_index")
def _(q):
    scatter_v2(q, grid(i32, [2, 2]), [0, -1])


@seq("scatter_index_too_big")
def _(q):
    scatter_v2(q, grid(i32, [2, 2]), [0, 3], -1, 3)


@seq("scatter_num_elements_below_minus_one")
def _(q):
    scatter_v2(q, grid(i32, [2, 2]), [0, 1], -1, -2)


@seq("scatter_rows_mismatch")
def _(q):
    scatter_v2(q, grid(i32, [2, 2]), [0, 1, 2])


@seq("scatter_v1_rows_mismatch")
def _(q):
    scatter_v1(q, grid(i32, [2, 2]), [0])


@seq("scatter_scalar")
def _(q):
    scatter_v2(q, 1, [0])


@seq("scatter_incompatible_shape")
def _(q):
    scatter_v2(q, grid(i32, [2, 2]), [0, 1], [3])


@seq("scatter_shape_matrix")
def _(q):
    scatter_v2(q, grid(i32, [2, 2]), [0, 1], [[2]])


@seq("scatter_num_not_scalar")
def _(q):
    q("TensorListScatterV2", {"tensor": grid(i32, [2, 2]), "indices": tf.constant([0, 1], i32),
                              "element_shape": shp(-1), "num_elements": tf.constant([2], i32)}, {},
      {"element_dtype": i32, "shape_type": i32})


@seq("scatter_indices_matrix")
def _(q):
    scatter_v2(q, grid(i32, [2, 2]), [[0, 1]])


@seq("scatter_into_grows")
def _(q):
    l = from_tensor(q, grid(f32, [2, 2]), [2])
    # Growing past the end leaves default (float32 [0]) tensors in the new slots in TF 2.21, which
    # its Stack then reads out of bounds (and other dtypes CHECK-fail): only what is well defined.
    l = scatter_into(q, l, grid(f32, [2, 2], seed=1), [4, 1])
    length(q, l)
    get_item(q, l, 4, f32)
    get_item(q, l, 1, f32)
    get_item(q, l, 0, f32)
    l = scatter_into(q, l, grid(f32, [0, 2], seed=1), [])
    length(q, l)


@seq("scatter_into_errors_dtype")
def _(q):
    l = from_tensor(q, grid(f32, [2, 2]))
    scatter_into(q, l, grid(i32, [1, 2]), [0])


@seq("scatter_into_errors_rows")
def _(q):
    l = from_tensor(q, grid(f32, [2, 2]))
    scatter_into(q, l, grid(f32, [1, 2]), [0, 1])


@seq("scatter_into_errors_scalar")
def _(q):
    l = from_tensor(q, grid(f32, [2, 2]))
    scatter_into(q, l, 1.0, [0])


@seq("scatter_into_errors_indices_matrix")
def _(q):
    l = from_tensor(q, grid(f32, [2, 2]))
    scatter_into(q, l, grid(f32, [1, 2]), [[0]])


@seq("scatter_into_incompatible_shape")
def _(q):
    l = from_tensor(q, grid(f32, [2, 2]), [2])
    l = scatter_into(q, l, grid(f32, [1, 3]), [0])
    element_shape(q, l)
    get_item(q, l, 0, f32)


# --- Resize -------------------------------------------------------------------------------------------

@seq("resize_grow_shrink")
def _(q):
    l = empty(q, [2], i64, max_n=5)
    l = push(q, l, tf.constant([1, 2], i64))
    l = resize(q, l, 3)
    length(q, l)
    stack(q, l, i64)
    l = resize(q, l, 0)
    length(q, l)
    element_shape(q, l)
    l = push(q, l, tf.constant([3, 4], i64))
    stack(q, l, i64)


@seq("resize_keeps_max")
def _(q):
    l = empty(q, [2], i64, max_n=1)
    l = resize(q, l, 1)
    push(q, l, tf.constant([1, 2], i64))


@seq("resize_negative")
def _(q):
    l = empty(q, [2], i64)
    resize(q, l, -1)


@seq("resize_size_not_scalar")
def _(q):
    l = empty(q, [2], i64)
    q("TensorListResize", {"input_handle": l, "size": tf.constant([1], i32)})


# --- ConcatLists --------------------------------------------------------------------------------------

@seq("concat_lists_scalars")
def _(q):
    a = from_tensor(q, grid(f32, [2, 2]), [2])
    bb = reserve(q, [2], 2, f32)
    c = concat_lists(q, a, bb, f32)
    length(q, c)
    stack(q, c, f32)


@seq("concat_lists_vectors")
def _(q):
    a1 = from_tensor(q, grid(f32, [1, 2]), [2])
    a2 = from_tensor(q, grid(f32, [2, 2], seed=1), [2])
    b1 = from_tensor(q, grid(f32, [2, 2], seed=2), [2])
    b2 = from_tensor(q, grid(f32, [0, 2], seed=3), [2])
    a = pack(q, [a1, a2])
    bb = pack(q, [b1, b2])
    c = concat_lists(q, a, bb, f32)
    c1, c2 = unpack(q, c, 2)
    stack(q, c1, f32)
    stack(q, c2, f32)


@seq("concat_lists_shapes_not_identical")
def _(q):
    a = from_tensor(q, grid(f32, [2, 2]), [2])
    bb = from_tensor(q, grid(f32, [2, 2]), [-1])
    concat_lists(q, a, bb, f32)


@seq("concat_lists_dtype_a")
def _(q):
    a = from_tensor(q, grid(f32, [2, 2]), [2])
    bb = from_tensor(q, grid(i32, [2, 2]), [2])
    concat_lists(q, a, bb, i32)


@seq("concat_lists_dtype_b")
def _(q):
    a = from_tensor(q, grid(f32, [2, 2]), [2])
    bb = from_tensor(q, grid(i32, [2, 2]), [2])
    concat_lists(q, a, bb, f32)


@seq("concat_lists_shapes_differ")
def _(q):
    a = from_tensor(q, grid(f32, [2, 2]), [2])
    bb = pack(q, [a])
    concat_lists(q, a, bb, f32)


# --- PushBackBatch ------------------------------------------------------------------------------------

@seq("push_back_batch")
def _(q):
    a1 = from_tensor(q, grid(f32, [1, 2]), [2])
    a2 = empty(q, [-1], f32)
    ls = pack(q, [a1, a2])
    out = push_batch(q, ls, grid(f32, [2, 2], seed=5))
    o1, o2 = unpack(q, out, 2)
    stack(q, o1, f32)
    stack(q, o2, f32)
    length(q, a2)


@seq("push_back_batch_errors_batch")
def _(q):
    a1 = from_tensor(q, grid(f32, [1, 2]), [2])
    ls = pack(q, [a1, a1])
    push_batch(q, ls, grid(f32, [3, 2]))


@seq("push_back_batch_errors_scalar")
def _(q):
    a1 = from_tensor(q, grid(f32, [1, 2]), [2])
    ls = pack(q, [a1])
    push_batch(q, ls, 1.0)


@seq("push_back_batch_errors_shape")
def _(q):
    a1 = from_tensor(q, grid(f32, [1, 2]), [2])
    a2 = from_tensor(q, grid(f32, [1, 3]), [3])
    ls = pack(q, [a1, a2])
    push_batch(q, ls, grid(f32, [2, 2]))


@seq("push_back_batch_errors_dtype")
def _(q):
    a1 = from_tensor(q, grid(f32, [1, 2]), [2])
    a2 = from_tensor(q, grid(i32, [1, 2]), [2])
    ls = pack(q, [a1, a2])
    push_batch(q, ls, grid(f32, [2, 2]))


@seq("push_back_batch_errors_not_vector")
def _(q):
    a1 = from_tensor(q, grid(f32, [1, 2]), [2])
    push_batch(q, a1, grid(f32, [1, 2]))


# --- ZerosLike / AddN on lists ------------------------------------------------------------------------

@seq("zeros_like_list")
def _(q):
    l = reserve(q, [-1, 2], 3, f32)
    l = set_item(q, l, 0, grid(f32, [1, 2]))
    l = set_item(q, l, 2, grid(f32, [3, 2], seed=1))
    z = zeros_like(q, l)
    length(q, z)
    element_shape(q, z)
    get_item(q, z, 0, f32)
    get_item(q, z, 2, f32)
    get_item(q, z, 1, f32, [4, 2])


@seq("zeros_like_keeps_no_max")
def _(q):
    l = empty(q, [2], f32, max_n=1)
    l = push(q, l, [1.0, 2.0])
    z = zeros_like(q, l)
    z = push(q, z, [3.0, 4.0])
    stack(q, z, f32)


@seq("zeros_like_dtypes")
def _(q):
    for dt in ALL[:-1]:
        l = from_tensor(q, grid(dt, [2, 2]))
        z = zeros_like(q, l)
        stack(q, z, dt)


@seq("zeros_like_string")
def _(q):
    l = from_tensor(q, grid(s, [2, 2]))
    zeros_like(q, l)


@seq("zeros_like_vector_of_lists")
def _(q):
    l = from_tensor(q, grid(f32, [2, 2]))
    zeros_like(q, pack(q, [l, l]))


@seq("zeros_like_nested")
def _(q):
    inner = from_tensor(q, grid(f32, [2, 2]))
    outer = empty(q, [], v)
    outer = push(q, outer, inner)
    z = zeros_like(q, outer)
    zi = get_item(q, z, 0, v)
    stack(q, zi, f32)


@seq("add_n_lists")
def _(q):
    a = from_tensor(q, grid(f32, [3, 2]), [2])
    bb = from_tensor(q, grid(f32, [3, 2], seed=1), [-1])
    c = from_tensor(q, grid(f32, [3, 2], seed=2))
    t = add_n(q, [a, bb])
    element_shape(q, t)
    stack(q, t, f32)
    t3 = add_n(q, [a, bb, c])
    stack(q, t3, f32)
    t1 = add_n(q, [c])
    stack(q, t1, f32)


@seq("add_n_unset_elements")
def _(q):
    a = reserve(q, [2], 3, i32)
    a = set_item(q, a, 0, tf.constant([1, 2], i32))
    a = set_item(q, a, 1, tf.constant([3, 4], i32))
    bb = reserve(q, [2], 3, i32)
    bb = set_item(q, bb, 0, tf.constant([10, 20], i32))
    bb = set_item(q, bb, 2, tf.constant([30, 40], i32))
    t = add_n(q, [a, bb])
    stack(q, t, i32)
    r = reserve(q, [-1], 1, i32)
    r2 = reserve(q, [-1], 1, i32)
    u = add_n(q, [r, r2])
    get_item(q, u, 0, i32)


@seq("add_n_dtypes")
def _(q):
    for dt in ALL:
        if dt in (b, s):
            continue
        a = from_tensor(q, grid(dt, [2, 2]))
        bb = from_tensor(q, grid(dt, [2, 2], seed=1))
        stack(q, add_n(q, [a, bb]), dt)


for dt in (b, s):
    @seq(f"add_n_unsupported_{dt.name}")
    def _(q, dt=dt):
        a = from_tensor(q, grid(dt, [2, 2]))
        add_n(q, [a, a])


@seq("add_n_different_lengths")
def _(q):
    a = from_tensor(q, grid(f32, [3, 2]))
    bb = from_tensor(q, grid(f32, [2, 2]))
    add_n(q, [a, bb])


@seq("add_n_different_element_dtypes")
def _(q):
    a = from_tensor(q, grid(f32, [2, 2]))
    bb = from_tensor(q, grid(f64, [2, 2]))
    add_n(q, [a, bb])


@seq("add_n_incompatible_element_shapes")
def _(q):
    a = empty(q, [2], f32)
    bb = empty(q, [3], f32)
    add_n(q, [a, bb])


@seq("add_n_element_shapes_differ")
def _(q):
    a = from_tensor(q, grid(f32, [2, 2]))
    bb = empty(q, -1, f32)
    bb = push(q, bb, [1.0])
    bb = push(q, bb, [1.0])
    add_n(q, [a, bb])


@seq("add_n_third_input_bad")
def _(q):
    a = from_tensor(q, grid(f32, [2, 2]))
    c = from_tensor(q, grid(f32, [3, 2]))
    add_n(q, [a, a, c])


@seq("add_n_vector_of_lists")
def _(q):
    a = from_tensor(q, grid(f32, [2, 2]))
    ls = pack(q, [a, a])
    add_n(q, [ls, ls])


@seq("add_n_nested")
def _(q):
    inner = from_tensor(q, grid(f32, [2, 2]))
    outer = empty(q, [], v)
    outer = push(q, outer, inner)
    t = add_n(q, [outer, outer])
    ti = get_item(q, t, 0, v)
    stack(q, ti, f32)


# --- lists of lists -----------------------------------------------------------------------------------

@seq("nested_lists")
def _(q):
    i1 = from_tensor(q, grid(i32, [2, 3]))
    i2 = from_tensor(q, grid(i32, [1, 3], seed=1))
    outer = empty(q, [], v)
    outer = push(q, outer, i1)
    outer = push(q, outer, i2)
    st = stack(q, outer, v)
    x1, x2 = unpack(q, st, 2)
    stack(q, x2, i32)
    outer, last = pop(q, outer, v)
    length(q, last)
    g = get_item(q, outer, 0, v)
    stack(q, g, i32)


with open(OUT, "w") as f:
    json.dump({"generator": "server/engine/kernels/testdata/gen_tensor_list_fixtures.py",
               "tensorflow": tf.__version__, "sequences": sequences}, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(sequences)} sequences ({sum(len(s['steps']) for s in sequences)} steps) to {OUT}")
