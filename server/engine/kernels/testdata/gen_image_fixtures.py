#!/usr/bin/env python3
"""Writes image-fixtures.json: TensorFlow 2.21's own results for the image kernels tf.image emits
(resizes and their gradients, CropAndResize and its gradients, AdjustContrastv2, RGBToHSV /
HSVToRGB, AdjustSaturation, AdjustHue, ScaleAndTranslate and its gradient, NonMaxSuppressionV3-V5,
ExtractImagePatches, DrawBoundingBoxes/V2, SampleDistortedBoundingBox/V2), read by
../image-fixtures.test.ts.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_image_fixtures.py

Each case is one tf.raw_ops call (eager, CPU) over the dtypes the op has CPU kernels for:
    {"op", "attrs": {name: [kind, value]}, "inputs": [tensor], "outputs": [tensor] | "error":
     {"code", "message"}}
in the format of tf_fixtures.py. Float inputs are multiples of 1/8 (exact in every float dtype);
integer inputs fit every integer dtype. Resizes run with every align_corners / half_pixel_centers
combination, up- and down-sampling, same-size and 1-pixel outputs; boxes of CropAndResize reach
outside the image (extrapolation) and are flipped. Errors: bad ranks and sizes, empty images,
out-of-range box indices, non-finite boxes.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tf_fixtures import attr_of, clean, enc  # noqa: E402

R = tf.raw_ops
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "image-fixtures.json")

f16, bf16, f32, f64 = tf.float16, tf.bfloat16, tf.float32, tf.float64
i8, u8, i16, u16, i32, i64 = tf.int8, tf.uint8, tf.int16, tf.uint16, tf.int32, tf.int64
REAL = [i8, u8, i16, u16, i32, i64, bf16, f16, f32, f64]

cases = []


def case(op, inputs, attrs=None, inferred=None):
    attrs = attrs or {}
    try:
        out = getattr(R, op)(**inputs, **attrs)
    except tf.errors.NotFoundError:
        return  # no CPU kernel for this dtype
    except tf.errors.OpError as e:
        out = e
    c = {"op": op, "attrs": {k: attr_of(v) for k, v in {**(inferred or {}), **attrs}.items()}}
    c["inputs"] = [enc(x) for x in inputs.values()]
    if isinstance(out, tf.errors.OpError):
        c["error"] = {"code": out.error_code, "message": clean(out.message)}
    else:
        c["outputs"] = [enc(o) for o in (out if isinstance(out, (list, tuple)) else [out])]
    cases.append(c)


def image(dtype, shape, seed=0):
    """Multiples of 1/8 in [-4, 4) for floats; integers in [0, 100) (every integer dtype)."""
    rng = np.random.RandomState(seed)
    if dtype.is_floating:
        vals = rng.randint(-32, 32, size=shape) / 8.0
    else:
        vals = rng.randint(0, 100, size=shape)
    return tf.cast(tf.constant(vals, f64), dtype)


def size(h, w):
    return tf.constant([h, w], i32)


MODES = [(False, False), (True, False), (False, True)]
# (input shape, output size): up, down, mixed, same, to 1 pixel, non-integer ratios.
GEOMETRIES = [([1, 3, 4, 2], (5, 7)), ([2, 5, 6, 3], (2, 3)), ([1, 4, 3, 1], (6, 2)), ([1, 3, 3, 2], (3, 3)),
              ([1, 4, 5, 1], (1, 1)), ([1, 7, 5, 3], (3, 4))]

# --- forward resizes -------------------------------------------------------------------------------

for op, modes in [("ResizeBilinear", MODES), ("ResizeNearestNeighbor", MODES), ("ResizeBicubic", MODES),
                  ("ResizeArea", [(False, None), (True, None)])]:
    for dt in REAL:
        for k, (shape, (h, w)) in enumerate(GEOMETRIES):
            for ac, hp in modes:
                attrs = {"align_corners": ac}
                if hp is not None:
                    attrs["half_pixel_centers"] = hp
                # Every dtype on two geometries; float on all of them.
                if dt != f32 and k not in (0, 1):
                    continue
                case(op, {"images": image(dt, shape, seed=k), "size": size(h, w)}, attrs, {"T": dt})
    x = image(f32, [1, 2, 3, 1])
    errs = [
        ({"images": x, "size": size(3, 3)}, {"align_corners": True, "half_pixel_centers": True}),
        ({"images": image(f32, [2, 3, 1]), "size": size(3, 3)}, {}),
        ({"images": x, "size": tf.constant([3, 3, 3])}, {}),
        ({"images": x, "size": tf.constant([[3, 3]])}, {}),
        ({"images": x, "size": size(0, 3)}, {}),
        ({"images": x, "size": size(3, -1)}, {}),
        ({"images": image(f32, [1, 2, 2, 0]), "size": size(3, 3)}, {}),
        ({"images": image(f32, [1, 0, 2, 1]), "size": size(3, 3)}, {}),
        ({"images": image(f32, [0, 2, 2, 1]), "size": size(3, 3)}, {}),
    ]
    for inputs, attrs in errs:
        if op == "ResizeArea":
            attrs = {k: v for k, v in attrs.items() if k != "half_pixel_centers"}
        case(op, inputs, attrs, {"T": f32})

# Large values: float rounding of the interpolation (int32 beyond 2**24, float extremes).
case("ResizeBilinear", {"images": tf.constant([[[[16777217], [-5]], [[2147483647], [7]]]], i32), "size": size(3, 3)},
     {}, {"T": i32})
case("ResizeBicubic", {"images": tf.constant([[[[1e30], [-1e30]], [[3.0], [float("inf")]]]], f32), "size": size(3, 3)},
     {}, {"T": f32})
case("ResizeArea", {"images": tf.constant([[[[1e38], [1e38]], [[1e38], [1e38]]]], f32), "size": size(3, 1)},
     {}, {"T": f32})

# --- resize gradients ------------------------------------------------------------------------------

GRAD_GEOMETRIES = [([1, 5, 7, 2], [1, 3, 4, 2]), ([2, 2, 3, 3], [2, 5, 6, 3]), ([1, 1, 1, 1], [1, 4, 5, 1]),
                   ([1, 3, 3, 1], [1, 3, 3, 1])]

for op, dtypes in [("ResizeBilinearGrad", [f32, f64, f16, bf16]), ("ResizeBicubicGrad", [f32, f64])]:
    for dt in dtypes:
        for k, (gshape, oshape) in enumerate(GRAD_GEOMETRIES):
            for ac, hp in MODES:
                if dt != f32 and k not in (0, 1):
                    continue
                case(op, {"grads": image(f32, gshape, seed=k), "original_image": image(dt, oshape, seed=k + 1)},
                     {"align_corners": ac, "half_pixel_centers": hp}, {"T": dt})
    g = image(f32, [1, 2, 2, 1])
    o = image(f32, [1, 3, 3, 1])
    for inputs, attrs in [
        ({"grads": g, "original_image": o}, {"align_corners": True, "half_pixel_centers": True}),
        ({"grads": image(f32, [2, 2, 1]), "original_image": o}, {}),
        ({"grads": image(f32, [1, 0, 2, 1]), "original_image": o}, {}),
        ({"grads": g, "original_image": image(f32, [3, 3, 1])}, {}),
        ({"grads": g, "original_image": image(f32, [1, 0, 3, 1])}, {}),
    ]:
        case(op, inputs, attrs, {"T": f32})

for dt in [u8, i8, i32, f16, f32, f64, bf16]:
    for k, (gshape, oshape) in enumerate(GRAD_GEOMETRIES):
        for ac, hp in MODES:
            if dt != f32 and k not in (0, 1):
                continue
            case("ResizeNearestNeighborGrad", {"grads": image(dt, gshape, seed=k), "size": size(oshape[1], oshape[2])},
                 {"align_corners": ac, "half_pixel_centers": hp}, {"T": dt})
for inputs in [
    {"grads": image(f32, [2, 2, 1]), "size": size(3, 3)},
    {"grads": image(f32, [1, 2, 2, 1]), "size": tf.constant([3])},
    {"grads": image(f32, [1, 2, 2, 1]), "size": tf.constant([[3, 3]])},
    {"grads": image(f32, [1, 2, 2, 1]), "size": size(0, 3)},
    {"grads": image(f32, [0, 2, 2, 1]), "size": size(3, 3)},
]:
    case("ResizeNearestNeighborGrad", inputs, {}, {"T": f32})
# Integer gradients wrap like the dtype (every input lands on one output pixel).
case("ResizeNearestNeighborGrad", {"grads": tf.constant([[[[100], [100]], [[100], [100]]]], i8), "size": size(1, 1)},
     {}, {"T": i8})

# --- CropAndResize and its gradients ---------------------------------------------------------------

BOXES = tf.constant([[0, 0, 1, 1], [0.25, 0.125, 0.75, 0.875], [-0.25, -0.5, 1.25, 0.5], [0.75, 0.875, 0.125, 0.25],
                     [0.5, 0.5, 0.5, 0.5]], f32)
BOX_IND = tf.constant([0, 1, 0, 1, 1], i32)
CROP_DTYPES = [u8, u16, i8, i16, i32, i64, f16, f32, f64]

for dt in CROP_DTYPES:
    img = image(dt, [2, 5, 4, 2], seed=3)
    for method in ["bilinear", "nearest"]:
        for crop in [(3, 4), (1, 1), (2, 1)]:
            if dt != f32 and crop != (3, 4):
                continue
            case("CropAndResize", {"image": img, "boxes": BOXES, "box_ind": BOX_IND, "crop_size": size(*crop)},
                 {"method": method, "extrapolation_value": 0.0 if crop == (1, 1) else -1.5}, {"T": dt})
img = image(f32, [2, 5, 4, 2], seed=3)
for inputs in [
    {"image": img, "boxes": BOXES, "box_ind": tf.constant([0, 1, 2, 0, 0]), "crop_size": size(2, 2)},
    {"image": img, "boxes": BOXES, "box_ind": tf.constant([0, 1, -1, 0, 0]), "crop_size": size(2, 2)},
    {"image": img, "boxes": tf.constant([[0, 0, 1]], f32), "box_ind": tf.constant([0]), "crop_size": size(2, 2)},
    {"image": img, "boxes": tf.constant([0, 0, 1, 1], f32), "box_ind": tf.constant([0]), "crop_size": size(2, 2)},
    {"image": img, "boxes": BOXES, "box_ind": tf.constant([0, 1]), "crop_size": size(2, 2)},
    {"image": img, "boxes": BOXES, "box_ind": tf.constant([[0, 1, 0, 1, 1]]), "crop_size": size(2, 2)},
    {"image": img, "boxes": BOXES, "box_ind": BOX_IND, "crop_size": size(0, 2)},
    {"image": img, "boxes": BOXES, "box_ind": BOX_IND, "crop_size": tf.constant([2, 2, 2])},
    {"image": img, "boxes": tf.constant([[0, 0, float("nan"), 1]], f32), "box_ind": tf.constant([0]),
     "crop_size": size(2, 2)},
    {"image": img, "boxes": tf.zeros([0, 4]), "box_ind": tf.zeros([0], i32), "crop_size": size(2, 2)},
    {"image": image(f32, [2, 0, 4, 2]), "boxes": BOXES, "box_ind": BOX_IND, "crop_size": size(2, 2)},
    {"image": image(f32, [5, 4, 2]), "boxes": BOXES, "box_ind": BOX_IND, "crop_size": size(2, 2)},
]:
    case("CropAndResize", inputs, {}, {"T": f32})

for dt in [f32, f64, f16]:
    for method in ["bilinear", "nearest"]:
        for crop in [(3, 4), (1, 1)]:
            if dt != f32 and crop != (3, 4):
                continue
            case("CropAndResizeGradImage",
                 {"grads": image(f32, [5, *crop, 2], seed=4), "boxes": BOXES, "box_ind": BOX_IND,
                  "image_size": tf.constant([2, 5, 4, 2])}, {"T": dt, "method": method})
g = image(f32, [5, 2, 2, 2], seed=4)
for inputs in [
    {"grads": g, "boxes": BOXES, "box_ind": tf.constant([0, 1, 2, 0, 0]), "image_size": tf.constant([2, 5, 4, 2])},
    {"grads": g, "boxes": BOXES, "box_ind": BOX_IND, "image_size": tf.constant([2, 5, 4, 3])},
    {"grads": g, "boxes": BOXES, "box_ind": BOX_IND, "image_size": tf.constant([2, 5, 4])},
    {"grads": g, "boxes": BOXES, "box_ind": BOX_IND, "image_size": tf.constant([2, 0, 4, 2])},
    {"grads": image(f32, [4, 2, 2, 2]), "boxes": BOXES, "box_ind": BOX_IND, "image_size": tf.constant([2, 5, 4, 2])},
    {"grads": image(f32, [5, 2, 2]), "boxes": BOXES, "box_ind": BOX_IND, "image_size": tf.constant([2, 5, 4, 2])},
]:
    case("CropAndResizeGradImage", inputs, {"T": f32})

for dt in CROP_DTYPES:
    for crop in [(3, 4), (1, 1), (2, 1)]:
        if dt != f32 and crop != (3, 4):
            continue
        case("CropAndResizeGradBoxes",
             {"grads": image(f32, [5, *crop, 2], seed=5), "image": image(dt, [2, 5, 4, 2], seed=6), "boxes": BOXES,
              "box_ind": BOX_IND}, {}, {"T": dt})
img = image(f32, [2, 5, 4, 2], seed=6)
for inputs in [
    {"grads": g, "image": img, "boxes": BOXES, "box_ind": tf.constant([0, 1, 2, 0, 0])},
    {"grads": g, "image": image(f32, [2, 5, 4, 3]), "boxes": BOXES, "box_ind": BOX_IND},
    {"grads": image(f32, [4, 2, 2, 2]), "image": img, "boxes": BOXES, "box_ind": BOX_IND},
    {"grads": g, "image": image(f32, [5, 4, 2]), "boxes": BOXES, "box_ind": BOX_IND},
]:
    case("CropAndResizeGradBoxes", inputs, {}, {"T": f32})

# --- AdjustContrastv2 ------------------------------------------------------------------------------

for shape in [[4, 5, 3], [2, 3, 4, 2], [2, 1, 7, 5, 1], [1, 1, 1], [0, 2, 2, 3]]:
    for factor in [2.0, 0.5, -1.25]:
        case("AdjustContrastv2", {"images": image(f32, shape, seed=7), "contrast_factor": tf.constant(factor)},
             {}, {"T": f32})
case("AdjustContrastv2", {"images": tf.constant([[[1e38], [1e38]], [[-1e38], [3.0]]]), "contrast_factor": tf.constant(3.0)},
     {}, {"T": f32})
case("AdjustContrastv2", {"images": image(f32, [4, 3]), "contrast_factor": tf.constant(2.0)}, {}, {"T": f32})
case("AdjustContrastv2", {"images": image(f32, [2, 4, 3]), "contrast_factor": tf.constant([2.0])}, {}, {"T": f32})

# --- colour spaces, saturation and hue ------------------------------------------------------------


def rgb(dtype, shape, seed=0):
    """Pixels in [0, 1) (multiples of 1/16), with grey, black and single-channel pixels mixed in."""
    rng = np.random.RandomState(seed)
    vals = rng.randint(0, 16, size=shape) / 16.0
    flat = vals.reshape([-1, 3])
    flat[: min(4, len(flat))] = [[0.5, 0.5, 0.5], [0, 0, 0], [0.75, 0, 0], [0.25, 0.25, 0.75]][: min(4, len(flat))]
    return tf.cast(tf.constant(vals, f64), dtype)


for dt in [f32, f64, f16, bf16]:
    case("RGBToHSV", {"images": rgb(dt, [4, 5, 3], seed=8)}, {}, {"T": dt})
    hsv = R.RGBToHSV(images=rgb(dt, [2, 3, 4, 3], seed=9))
    case("HSVToRGB", {"images": hsv}, {}, {"T": dt})
    case("HSVToRGB", {"images": rgb(dt, [5, 3], seed=10)}, {}, {"T": dt})
for inputs in [{"images": image(f32, [2, 2])}, {"images": tf.zeros([])}, {"images": tf.zeros([0, 3])}]:
    case("RGBToHSV", inputs, {}, {"T": f32})
    case("HSVToRGB", inputs, {}, {"T": f32})

for op, param, values in [("AdjustSaturation", "scale", [1.8, 0.3, 0.0, -1.0, 5.0]),
                          ("AdjustHue", "delta", [0.2, -0.45, 0.0, 1.0, -2.75, 13.3])]:
    for v in values:
        case(op, {"images": rgb(f32, [2, 4, 5, 3], seed=11), param: tf.constant(v)}, {}, {"T": f32})
    for inputs in [
        {"images": rgb(f32, [4, 3]), param: tf.constant(1.0)},
        {"images": rgb(f32, [2, 4, 3]), param: tf.constant([1.0])},
        {"images": image(f32, [2, 3, 4]), param: tf.constant(1.0)},
        {"images": image(f32, [0, 3, 3]), param: tf.constant(1.0)},
    ]:
        case(op, inputs, {}, {"T": f32})
case("AdjustHue", {"images": tf.constant([[[0.5, float("nan"), 0.25], [float("inf"), 0.0, 1.0]]]), "delta": tf.constant(0.3)},
     {}, {"T": f32})

# --- ScaleAndTranslate (tf.image.resize with antialias, lanczos, gaussian, mitchellcubic) ----------

KERNELS = ["lanczos1", "lanczos3", "lanczos5", "gaussian", "box", "triangle", "keyscubic", "mitchellcubic"]


def scale_translate(shape, out, translation=(0.0, 0.0)):
    return {"size": size(*out), "scale": tf.constant([out[0] / shape[1], out[1] / shape[2]], f32),
            "translation": tf.constant(translation, f32)}


for kernel in KERNELS:
    for antialias in [True, False]:
        for shape, out in [([1, 6, 8, 2], (3, 5)), ([2, 3, 4, 1], (7, 9)), ([1, 5, 5, 3], (5, 2))]:
            case("ScaleAndTranslate", {"images": image(f32, shape, seed=12), **scale_translate(shape, out)},
                 {"kernel_type": kernel, "antialias": antialias}, {"T": f32})
            case("ScaleAndTranslateGrad",
                 {"grads": image(f32, [shape[0], *out, shape[3]], seed=13), "original_image": image(f32, shape, seed=12),
                  **{k: v for k, v in scale_translate(shape, out).items() if k != "size"}},
                 {"kernel_type": kernel, "antialias": antialias}, {"T": f32})
for dt in REAL:
    case("ScaleAndTranslate", {"images": image(dt, [1, 4, 6, 2], seed=14), **scale_translate([1, 4, 6, 2], (3, 3))},
         {"kernel_type": "triangle", "antialias": True}, {"T": dt})
# Translated, and sampling outside the image.
case("ScaleAndTranslate", {"images": image(f32, [1, 4, 4, 1], seed=15), **scale_translate([1, 4, 4, 1], (6, 6), (1.5, -2.25))},
     {"kernel_type": "lanczos3", "antialias": True}, {"T": f32})
case("ScaleAndTranslateGrad", {"grads": image(f32, [1, 6, 6, 1], seed=16), "original_image": image(f32, [1, 4, 4, 1]),
                               "scale": tf.constant([1.5, 1.5]), "translation": tf.constant([1.5, -2.25])},
     {"kernel_type": "lanczos3", "antialias": True}, {"T": f32})
x = image(f32, [1, 4, 4, 1])
st = scale_translate([1, 4, 4, 1], (2, 2))
for inputs, attrs in [
    ({"images": x, **st}, {"kernel_type": "cubic"}),
    ({"images": image(f32, [4, 4, 1]), **st}, {}),
    ({"images": x, **{**st, "size": tf.constant([2, 2, 2])}}, {}),
    ({"images": x, **{**st, "size": size(0, 2)}}, {}),
    ({"images": x, **{**st, "scale": tf.constant([0.5, 0.0])}}, {}),
    ({"images": x, **{**st, "scale": tf.constant([0.5])}}, {}),
    ({"images": x, **{**st, "translation": tf.constant([[0.0, 0.0]])}}, {}),
    ({"images": image(f32, [1, 0, 4, 1]), **st}, {}),
    ({"images": image(f32, [1, 4, 4, 0]), **st}, {}),
]:
    case("ScaleAndTranslate", inputs, attrs, {"T": f32})
for inputs in [
    {"grads": image(f32, [2, 2, 1]), "original_image": x, "scale": st["scale"], "translation": st["translation"]},
    {"grads": image(f32, [1, 2, 2, 1]), "original_image": image(f32, [4, 4, 1]), "scale": st["scale"],
     "translation": st["translation"]},
    {"grads": image(f32, [1, 2, 2, 1]), "original_image": x, "scale": tf.constant([-1.0, 1.0]),
     "translation": st["translation"]},
]:
    case("ScaleAndTranslateGrad", inputs, {}, {"T": f32})

# --- non-max suppression --------------------------------------------------------------------------

NMS_BOXES = [[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, -0.1, 1, 0.9], [0, 10, 1, 11], [0, 10.1, 1, 11.1], [0, 100, 1, 101],
             [1, 1, 0, 0], [0.5, 0.5, 0.5, 0.9]]
NMS_SCORES = [0.9, 0.75, 0.6, 0.95, 0.5, 0.3, 0.9, 0.8]
for dt in [f32, f16]:
    boxes = tf.constant(NMS_BOXES, dt)
    scores = tf.constant(NMS_SCORES, dt)
    for max_out, iou_t, score_t in [(3, 0.5, 0.0), (10, 0.5, -1.0), (10, 0.0, 0.0), (10, 1.0, 0.55), (0, 0.5, 0.0)]:
        th = {"iou_threshold": tf.constant(iou_t, dt), "score_threshold": tf.constant(score_t, dt)}
        case("NonMaxSuppressionV3", {"boxes": boxes, "scores": scores, "max_output_size": tf.constant(max_out), **th}, {},
             {"T": dt, "T_threshold": dt})
        for pad in [False, True]:
            case("NonMaxSuppressionV4", {"boxes": boxes, "scores": scores, "max_output_size": tf.constant(max_out), **th},
                 {"pad_to_max_output_size": pad}, {"T": dt, "T_threshold": dt})
        for sigma in [0.0, 0.5]:
            case("NonMaxSuppressionV5", {"boxes": boxes, "scores": scores, "max_output_size": tf.constant(max_out), **th,
                                         "soft_nms_sigma": tf.constant(sigma, dt)}, {"pad_to_max_output_size": max_out == 10},
                 {"T": dt})
boxes = tf.constant(NMS_BOXES, f32)
scores = tf.constant(NMS_SCORES, f32)
good = {"max_output_size": tf.constant(3), "iou_threshold": tf.constant(0.5), "score_threshold": tf.constant(0.0)}
for op in ["NonMaxSuppressionV3", "NonMaxSuppressionV4"]:
    for inputs in [
        {"boxes": boxes, "scores": scores, **{**good, "max_output_size": tf.constant([3])}},
        {"boxes": boxes, "scores": scores, **{**good, "iou_threshold": tf.constant([0.5])}},
        {"boxes": boxes, "scores": scores, **{**good, "iou_threshold": tf.constant(1.5)}},
        {"boxes": boxes, "scores": scores, **{**good, "score_threshold": tf.constant([0.0])}},
        {"boxes": tf.constant([0.0, 0, 1, 1]), "scores": scores, **good},
        {"boxes": tf.zeros([8, 3]), "scores": scores, **good},
        {"boxes": boxes, "scores": tf.zeros([8, 1]), **good},
        {"boxes": boxes, "scores": tf.zeros([7]), **good},
        {"boxes": boxes, "scores": scores, **{**good, "max_output_size": tf.constant(-1)}},
        {"boxes": tf.zeros([0, 4]), "scores": tf.zeros([0]), **good},
    ]:
        case(op, inputs, {}, {"T": f32, "T_threshold": f32})
for inputs in [
    {"boxes": boxes, "scores": scores, **good, "soft_nms_sigma": tf.constant(-0.5)},
    {"boxes": boxes, "scores": scores, **good, "soft_nms_sigma": tf.constant([0.5])},
]:
    case("NonMaxSuppressionV5", inputs, {}, {"T": f32})

# --- ExtractImagePatches ---------------------------------------------------------------------------

for dt in [f32, f64, i32, u8, i64, f16, bf16, tf.complex64, tf.uint32]:
    x = image(dt, [2, 5, 6, 2], seed=17) if not dt.is_complex else tf.complex(image(f32, [2, 5, 6, 2]), image(f32, [2, 5, 6, 2], 1))
    for ks, st, rt, pad in [([1, 2, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1], "VALID"), ([1, 3, 2, 1], [1, 1, 2, 1], [1, 1, 1, 1], "SAME"),
                            ([1, 2, 3, 1], [1, 2, 1, 1], [1, 2, 1, 1], "SAME"), ([1, 2, 2, 1], [1, 3, 3, 1], [1, 2, 2, 1], "VALID")]:
        if dt != f32 and pad == "VALID" and rt[1] == 2:
            continue
        case("ExtractImagePatches", {"images": x}, {"ksizes": ks, "strides": st, "rates": rt, "padding": pad}, {"T": dt})
x = image(f32, [1, 3, 3, 1])
for inputs, attrs in [
    ({"images": x}, {"ksizes": [2, 2, 2, 1], "strides": [1, 1, 1, 1], "rates": [1, 1, 1, 1], "padding": "VALID"}),
    ({"images": x}, {"ksizes": [1, 2, 2, 1], "strides": [1, 0, 1, 1], "rates": [1, 1, 1, 1], "padding": "VALID"}),
    ({"images": x}, {"ksizes": [1, 4, 2, 1], "strides": [1, 1, 1, 1], "rates": [1, 1, 1, 1], "padding": "VALID"}),
    ({"images": image(f32, [3, 3, 1])}, {"ksizes": [1, 2, 2, 1], "strides": [1, 1, 1, 1], "rates": [1, 1, 1, 1], "padding": "VALID"}),
]:
    case("ExtractImagePatches", inputs, attrs, {"T": f32})

# --- DrawBoundingBoxes ------------------------------------------------------------------------------

DRAW_BOXES = tf.constant([[[0.1, 0.2, 0.6, 0.7], [0.0, 0.0, 1.0, 1.0], [-0.5, -0.2, 0.4, 0.5], [0.5, 0.9, 1.5, 1.8],
                           [0.7, 0.7, 0.2, 0.2], [2.0, 2.0, 3.0, 3.0]],
                          [[0.3, 0.3, 0.3, 0.3], [0.25, 0.0, 0.75, 0.5], [0.0, 0.5, 0.5, 1.0], [0.9, 0.1, 1.0, 0.2],
                           [0.4, 0.4, 0.9, 0.9], [0.05, 0.05, 0.95, 0.95]]], f32)
COLORS = tf.constant([[0.25, 0.5, 0.75, 1.0], [1.0, 0.0, 0.5, 0.0]], f32)
for dt in [f32, f16]:
    for depth in [1, 3, 4]:
        img = tf.cast(image(f32, [2, 7, 9, depth], seed=18), dt)
        case("DrawBoundingBoxes", {"images": img, "boxes": DRAW_BOXES}, {}, {"T": dt})
        case("DrawBoundingBoxesV2", {"images": img, "boxes": DRAW_BOXES, "colors": COLORS}, {}, {"T": dt})
        case("DrawBoundingBoxesV2", {"images": img, "boxes": DRAW_BOXES, "colors": tf.zeros([0, 4])}, {}, {"T": dt})
img = image(f32, [2, 7, 9, 3])
for op, inputs in [
    ("DrawBoundingBoxes", {"images": image(f32, [7, 9, 3]), "boxes": DRAW_BOXES}),
    ("DrawBoundingBoxes", {"images": img, "boxes": DRAW_BOXES[0]}),
    ("DrawBoundingBoxes", {"images": image(f32, [1, 7, 9, 3]), "boxes": DRAW_BOXES}),
    ("DrawBoundingBoxes", {"images": image(f32, [2, 7, 9, 2]), "boxes": DRAW_BOXES}),
    ("DrawBoundingBoxes", {"images": img, "boxes": DRAW_BOXES[:, :, :3]}),
    ("DrawBoundingBoxesV2", {"images": img, "boxes": DRAW_BOXES, "colors": tf.constant([1.0, 0.0, 0.0])}),
    ("DrawBoundingBoxesV2", {"images": img, "boxes": DRAW_BOXES, "colors": tf.constant([[1.0, 0.0]])}),
]:
    case(op, inputs, {}, {"T": f32})

# --- SampleDistortedBoundingBox (stateful, seeded: every case has its own seeds, since eager caches
# the kernel, and its generator, per attrs) --------------------------------------------------------

seed_counter = [100]


def seeds():
    seed_counter[0] += 1
    return {"seed": seed_counter[0], "seed2": 7}


SDBB_BOXES = tf.constant([[[0.1, 0.2, 0.5, 0.6], [0.3, 0.3, 0.9, 0.8]]], f32)
for dt in [i32, i64, u8, i8, i16]:
    size3 = tf.constant([40, 60, 3], dt) if dt not in (u8, i8) else tf.constant([40, 60, 3], dt)
    for covered, extra in [(0.1, {}), (0.5, {"aspect_ratio_range": [0.5, 2.0], "area_range": [0.1, 0.8]}),
                           (0.0, {"max_attempts": 3}), (1.0, {"area_range": [0.9, 1.0]})]:
        case("SampleDistortedBoundingBoxV2",
             {"image_size": size3, "bounding_boxes": SDBB_BOXES, "min_object_covered": tf.constant(covered)},
             {**seeds(), **extra}, {"T": dt})
    case("SampleDistortedBoundingBox", {"image_size": size3, "bounding_boxes": SDBB_BOXES},
         {**seeds(), "min_object_covered": 0.3}, {"T": dt})
for image_size in [[7, 5, 1], [1, 1, 3], [300, 17, 3]]:
    case("SampleDistortedBoundingBoxV2",
         {"image_size": tf.constant(image_size), "bounding_boxes": tf.zeros([1, 0, 4]), "min_object_covered": tf.constant(0.1)},
         {**seeds(), "use_image_if_no_bounding_boxes": True}, {"T": i32})
good = {"image_size": tf.constant([40, 60, 3]), "bounding_boxes": SDBB_BOXES, "min_object_covered": tf.constant(0.1)}
for inputs, attrs in [
    ({**good, "bounding_boxes": tf.zeros([1, 0, 4])}, {}),
    ({**good, "bounding_boxes": tf.constant([[[0.1, 0.2, 1.5, 0.6]]])}, {}),
    ({**good, "bounding_boxes": tf.constant([[0.1, 0.2, 0.5, 0.6]])}, {}),
    ({**good, "bounding_boxes": tf.zeros([1, 2, 3])}, {}),
    ({**good, "image_size": tf.constant([40, 60])}, {}),
    ({**good, "image_size": tf.constant([[40, 60, 3]])}, {}),
    ({**good, "image_size": tf.constant([-40, 60, 3])}, {}),
    ({**good, "min_object_covered": tf.constant(-0.5)}, {}),
    ({**good, "min_object_covered": tf.constant([0.5])}, {}),
    (good, {"aspect_ratio_range": [0.75]}),
    (good, {"aspect_ratio_range": [0.0, 1.0]}),
    (good, {"area_range": [0.05, 1.5]}),
    (good, {"area_range": [-0.05, 0.5]}),
    (good, {"max_attempts": 0}),
]:
    case("SampleDistortedBoundingBoxV2", inputs, {**seeds(), **attrs}, {"T": i32})
case("SampleDistortedBoundingBox", {"image_size": tf.constant([40, 60, 3]), "bounding_boxes": SDBB_BOXES},
     {**seeds(), "min_object_covered": -1.0}, {"T": i32})

with open(OUT, "w") as f:
    json.dump({"generator": "server/engine/kernels/testdata/gen_image_fixtures.py", "tensorflow": tf.__version__,
               "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(cases)} cases to {OUT}")
