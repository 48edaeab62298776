"""Programs built from tf.image the way tf.compat.v1 users write them: resizing (every method, the
v1 aliases with align_corners / half_pixel_centers), crops, pads and flips, colour adjustments,
crop_and_resize, their gradients, and a small training loop through a resize."""

import numpy as np
import tensorflow as tf
from programs import cap, program, session

v1 = tf.compat.v1


def _images(shape, seed=0, scale=1.0):
    rng = np.random.RandomState(seed)
    return (rng.randint(0, 64, size=shape) / 64.0 * scale).astype(np.float32)


@program()
def image_resize(target):
    """tf.image.resize with bilinear, nearest, bicubic and area; the v1 resize_* aliases with
    align_corners and half_pixel_centers; uint8 input; the gradient of each with respect to the
    image; a size fed at run time, including a bad one."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [2, 6, 8, 3], name="x")
        size = v1.placeholder(tf.int32, [2], name="size")
        outs = {
            "bilinear": tf.image.resize(x, [9, 5]),
            "nearest": tf.image.resize(x, [9, 5], method="nearest"),
            "bicubic": tf.image.resize(x, [4, 11], method="bicubic"),
            "area": tf.image.resize(x, [4, 3], method="area"),
            "v1_bilinear_align": v1.image.resize_bilinear(x, [3, 12], align_corners=True),
            "v1_nearest_half_pixel": v1.image.resize_nearest_neighbor(x, [7, 7], half_pixel_centers=True),
            "v1_bicubic_align": v1.image.resize_bicubic(x, [5, 5], align_corners=True),
            "v1_resize_images": v1.image.resize_images(x, [3, 4]),
            "preserve_aspect": tf.image.resize(x, [12, 12], preserve_aspect_ratio=True),
        }
        differentiable = ["bilinear", "nearest", "bicubic", "v1_bilinear_align", "v1_nearest_half_pixel", "v1_bicubic_align"]
        grads = {name: tf.gradients(tf.reduce_sum(tf.square(outs[name]) * 0.5 + outs[name]), x)[0] for name in differentiable}
        fed = tf.image.resize(x, size)
        u8 = v1.placeholder(tf.uint8, [1, 4, 4, 1], name="u8")
        u8_outs = [tf.image.resize(u8, [6, 6]), tf.image.resize(u8, [3, 3], method="nearest"), tf.image.resize(u8, [2, 2], method="area")]
    images = _images([2, 6, 8, 3])
    r = {}
    with session(target, g) as sess:
        r["forward"] = cap(lambda: sess.run(outs, {x: images}))
        r["gradients"] = cap(lambda: sess.run(grads, {x: images}))
        r["fed_size"] = cap(lambda: sess.run(fed, {x: images, size: [3, 10]}))
        r["fed_size_zero"] = cap(lambda: sess.run(fed, {x: images, size: [0, 10]}))
        r["uint8"] = cap(lambda: sess.run(u8_outs, {u8: np.arange(16, dtype=np.uint8).reshape([1, 4, 4, 1]) * 15}))
    r["ops"] = sorted({n.op for n in g.as_graph_def().node if n.op.startswith("Resize")})
    return r


@program()
def image_crop_pad_flip(target):
    """resize_with_crop_or_pad (crop and pad), resize_with_pad, central_crop, crop/pad_to_bounding_box,
    flips (also seeded random flips), rot90, transpose and random_crop on a batch and on one image,
    with shapes only known at run time; and a gradient through crop and pad."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, None, None, 3], name="x")
        one = v1.placeholder(tf.float32, [None, None, 3], name="one")
        outs = {
            "crop_or_pad_smaller": tf.image.resize_with_crop_or_pad(x, 3, 5),
            "crop_or_pad_bigger": tf.image.resize_with_crop_or_pad(x, 8, 11),
            "resize_with_pad": tf.image.resize_with_pad(x, 10, 10),
            "central_crop": tf.image.central_crop(x, 0.5),
            "crop_to_box": tf.image.crop_to_bounding_box(x, 1, 2, 3, 4),
            "pad_to_box": tf.image.pad_to_bounding_box(x, 1, 2, 9, 12),
            "flip_lr": tf.image.flip_left_right(x),
            "flip_ud": tf.image.flip_up_down(x),
            "random_flip_lr": tf.image.random_flip_left_right(x, seed=7),
            "random_flip_ud": tf.image.random_flip_up_down(x, seed=9),
            "transpose": tf.image.transpose(x),
            "one_flip_lr": tf.image.flip_left_right(one),
            "one_random_flip": tf.image.random_flip_left_right(one, seed=3),
            "one_crop_or_pad": tf.image.resize_with_crop_or_pad(one, 4, 4),
            "one_central_crop": tf.image.central_crop(one, 0.75),
            "random_crop": tf.image.random_crop(x, [2, 3, 3, 3], seed=5),
        }
        (dcrop,) = tf.gradients(tf.reduce_sum(tf.image.resize_with_crop_or_pad(x, 4, 10) * 2.0), x)
    images = _images([2, 6, 8, 3], seed=1)
    r = {}
    with session(target, g) as sess:
        r["batch"] = cap(lambda: sess.run({k: v for k, v in outs.items() if not k.startswith("one_")}, {x: images}))
        r["one_image"] = cap(lambda: sess.run({k: v for k, v in outs.items() if k.startswith("one_")}, {one: images[0]}))
        r["gradient"] = cap(lambda: sess.run(dcrop, {x: images}))
        r["crop_too_narrow"] = cap(lambda: sess.run(outs["crop_to_box"], {x: images[:, :4, :5, :]}))
    return r


@program()
def image_color(target):
    """Brightness, contrast (AdjustContrastv2), seeded random brightness/contrast, gamma, grayscale
    and back, per_image_standardization and convert_image_dtype both ways, with the gradient of
    the differentiable ones."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [2, 4, 5, 3], name="x")
        u8 = v1.placeholder(tf.uint8, [4, 5, 3], name="u8")
        outs = {
            "brightness": tf.image.adjust_brightness(x, 0.1),
            "contrast": tf.image.adjust_contrast(x, 1.7),
            "contrast_low": tf.image.adjust_contrast(x, 0.25),
            "random_brightness": tf.image.random_brightness(x, 0.2, seed=11),
            "random_contrast": tf.image.random_contrast(x, 0.5, 1.5, seed=13),
            "gamma": tf.image.adjust_gamma(x, 2.0, 0.5),
            "grayscale": tf.image.rgb_to_grayscale(x),
            "gray_to_rgb": tf.image.grayscale_to_rgb(tf.image.rgb_to_grayscale(x)),
            "standardized": tf.image.per_image_standardization(x),
            "to_uint8": tf.image.convert_image_dtype(x, tf.uint8, saturate=True),
            "uint8_contrast": tf.image.adjust_contrast(u8, 2.0),
            "from_uint8": tf.image.convert_image_dtype(u8, tf.float32),
        }
        loss = tf.reduce_sum(tf.image.per_image_standardization(x) * tf.image.rgb_to_grayscale(x)) + tf.reduce_sum(
            tf.image.adjust_gamma(tf.image.adjust_brightness(x, 0.3), 1.5)
        )
        (dx,) = tf.gradients(loss, x)
    images = _images([2, 4, 5, 3], seed=2)
    pixels = (np.arange(60) * 4).astype(np.uint8).reshape([4, 5, 3])
    r = {}
    with session(target, g) as sess:
        r["values"] = cap(lambda: sess.run(outs, {x: images, u8: pixels}))
        r["gradient"] = cap(lambda: sess.run(dx, {x: images}))
    return r


@program()
def image_crop_and_resize(target):
    """tf.image.crop_and_resize (bilinear and nearest, boxes reaching outside the image, flipped
    boxes, extrapolation_value) and its gradients with respect to the image and the boxes; a box
    index outside the batch."""
    g = tf.Graph()
    with g.as_default():
        image = v1.placeholder(tf.float32, [2, 6, 5, 2], name="image")
        boxes = v1.placeholder(tf.float32, [None, 4], name="boxes")
        box_ind = v1.placeholder(tf.int32, [None], name="box_ind")
        bilinear = tf.image.crop_and_resize(image, boxes, box_ind, [3, 4], extrapolation_value=-1.0)
        nearest = tf.image.crop_and_resize(image, boxes, box_ind, [2, 2], method="nearest")
        single = tf.image.crop_and_resize(image, boxes, box_ind, [1, 1])
        d_image, d_boxes = tf.gradients(tf.reduce_sum(tf.square(bilinear)), [image, boxes])
        (d_image_nearest,) = tf.gradients(tf.reduce_sum(nearest * 3.0), [image])
    feed = {
        image: _images([2, 6, 5, 2], seed=3, scale=4.0),
        boxes: np.array([[0, 0, 1, 1], [0.2, 0.1, 0.7, 0.9], [-0.25, -0.5, 1.25, 0.5], [0.8, 0.9, 0.1, 0.3]], np.float32),
        box_ind: np.array([0, 1, 1, 0], np.int32),
    }
    r = {}
    with session(target, g) as sess:
        r["crops"] = cap(lambda: sess.run([bilinear, nearest, single], feed))
        r["gradients"] = cap(lambda: sess.run([d_image, d_boxes, d_image_nearest], feed))
        bad = dict(feed)
        bad[box_ind] = np.array([0, 1, 2, 0], np.int32)
        r["box_index_out_of_range"] = cap(lambda: sess.run(bilinear, bad))
    return r


@program()
def image_training(target):
    """A tiny tf.compat.v1 training loop whose gradient flows through a resize: a learnable
    low-resolution image is upsampled (bilinear) and pulled towards a target with SGD; and a
    bicubic variant trained with Adam."""
    g = tf.Graph()
    with g.as_default():
        v1.set_random_seed(1)
        low = v1.get_variable("low", [1, 3, 4, 2], initializer=v1.zeros_initializer())
        low_b = v1.get_variable("low_b", [1, 3, 4, 2], initializer=v1.constant_initializer(0.5))
        want = tf.constant(_images([1, 6, 8, 2], seed=4))
        loss = tf.reduce_mean(tf.square(tf.image.resize(low, [6, 8]) - want))
        loss_b = tf.reduce_mean(tf.square(tf.image.resize(low_b, [6, 8], method="bicubic") - want))
        train = v1.train.GradientDescentOptimizer(0.5).minimize(loss)
        train_b = v1.train.AdamOptimizer(0.05).minimize(loss_b)
        init = v1.global_variables_initializer()
    r = {}
    with session(target, g) as sess:
        sess.run(init)
        r["losses"] = cap(lambda: [sess.run([train, loss, train_b, loss_b])[1::2] for _ in range(5)])
        r["learned"] = cap(lambda: sess.run([low, low_b]))
    return r


@program()
def image_resize_antialias(target):
    """tf.image.resize with antialias and the lanczos3 / mitchellcubic / gaussian methods
    (ScaleAndTranslate), and their gradients (ScaleAndTranslateGrad)."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [1, 6, 8, 2], name="x")
        outs = [
            tf.image.resize(x, [3, 5], antialias=True),
            tf.image.resize(x, [9, 4], method="lanczos3"),
            tf.image.resize(x, [4, 4], method="mitchellcubic"),
            tf.image.resize(x, [3, 3], method="bicubic", antialias=True),
            tf.image.resize(x, [5, 4], method="gaussian"),
        ]
        grads = [tf.gradients(tf.reduce_sum(tf.square(o)), x)[0] for o in outs]
    r = {}
    with session(target, g) as sess:
        r["values"] = cap(lambda: sess.run(outs, {x: _images([1, 6, 8, 2], seed=5)}))
        r["gradients"] = cap(lambda: sess.run(grads, {x: _images([1, 6, 8, 2], seed=5)}))
    return r


@program()
def image_hsv(target):
    """rgb_to_hsv / hsv_to_rgb, adjust_saturation and adjust_hue (also their random variants)."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [2, 3, 4, 3], name="x")
        outs = {
            "hsv": tf.image.rgb_to_hsv(x),
            "round_trip": tf.image.hsv_to_rgb(tf.image.rgb_to_hsv(x)),
            "saturation": tf.image.adjust_saturation(x, 1.8),
            "hue": tf.image.adjust_hue(x, 0.2),
            "random_saturation": tf.image.random_saturation(x, 0.5, 1.5, seed=2),
            "random_hue": tf.image.random_hue(x, 0.3, seed=4),
        }
    r = {}
    with session(target, g) as sess:
        r["values"] = cap(lambda: sess.run(outs, {x: _images([2, 3, 4, 3], seed=6)}))
    return r


@program()
def image_detection(target):
    """Detection post-processing and patches: tf.image.non_max_suppression (and _with_scores with
    soft-NMS), tf.image.extract_patches and its gradient, draw_bounding_boxes, with boxes and scores
    fed at run time."""
    g = tf.Graph()
    with g.as_default():
        boxes = v1.placeholder(tf.float32, [None, 4], name="boxes")
        scores = v1.placeholder(tf.float32, [None], name="scores")
        selected = tf.image.non_max_suppression(boxes, scores, 4, iou_threshold=0.5, score_threshold=0.1)
        gathered = tf.gather(boxes, selected)
        soft = tf.image.non_max_suppression_with_scores(boxes, scores, 5, iou_threshold=1.0, soft_nms_sigma=0.5)
        x = v1.placeholder(tf.float32, [2, 5, 6, 3], name="x")
        patches = tf.image.extract_patches(x, [1, 2, 3, 1], [1, 2, 2, 1], [1, 1, 1, 1], "SAME")
        dilated = tf.image.extract_patches(x, [1, 2, 2, 1], [1, 1, 3, 1], [1, 2, 1, 1], "VALID")
        (dx,) = tf.gradients(tf.reduce_sum(tf.square(patches)) + tf.reduce_sum(dilated), x)
        draw_boxes = tf.constant([[[0.1, 0.2, 0.6, 0.7], [-0.5, 0.0, 0.4, 1.2]], [[0.0, 0.0, 1.0, 1.0], [0.3, 0.3, 0.2, 0.2]]])
        drawn = tf.image.draw_bounding_boxes(x, draw_boxes, [[1.0, 0.0, 0.0], [0.0, 0.5, 1.0]])
        drawn_default = v1.image.draw_bounding_boxes(x, draw_boxes)
    feed = {
        boxes: np.array([[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, -0.1, 1, 0.9], [0, 10, 1, 11], [0, 10.1, 1, 11.1], [0, 100, 1, 101]], np.float32),
        scores: np.array([0.9, 0.75, 0.6, 0.95, 0.5, 0.3], np.float32),
    }
    r = {}
    with session(target, g) as sess:
        r["nms"] = cap(lambda: sess.run([selected, gathered], feed))
        r["soft"] = cap(lambda: sess.run(list(soft), feed))
        images = _images([2, 5, 6, 3], seed=7)
        r["patches"] = cap(lambda: sess.run([patches, dilated], {x: images}))
        r["patches_gradient"] = cap(lambda: sess.run(dx, {x: images}))
        r["drawn"] = cap(lambda: sess.run([drawn, drawn_default], {x: images}))
        bad = dict(feed)
        bad[scores] = np.array([0.9, 0.75], np.float32)
        r["scores_mismatch"] = cap(lambda: sess.run(selected, bad))
    r["gradient_ops"] = sorted({n.op for n in g.as_graph_def().node if "gradients" in n.name})
    return r


@program()
def image_nms_padded(target):
    """tf.image.non_max_suppression_padded: TF 2.x builds it as a function with functional
    control flow (StatelessIf, StatelessWhile) around TopKV2 and NMS loops."""
    g = tf.Graph()
    with g.as_default():
        boxes = v1.placeholder(tf.float32, [None, 4], name="boxes")
        scores = v1.placeholder(tf.float32, [None], name="scores")
        padded, valid = tf.image.non_max_suppression_padded(boxes, scores, 6, iou_threshold=0.4, pad_to_max_output_size=True)
    feed = {
        boxes: np.array([[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, 10, 1, 11], [0, 10.1, 1, 11.1]], np.float32),
        scores: np.array([0.9, 0.75, 0.95, 0.5], np.float32),
    }
    r = {}
    with session(target, g) as sess:
        r["padded"] = cap(lambda: sess.run([padded, valid], feed))
    return r


@program()
def image_distorted_crop(target):
    """The Inception-style random crop: tf.image.sample_distorted_bounding_box (seeded, so both
    servers draw the same crops) feeding tf.slice and a resize, over three steps of one session
    (the kernel's generator advances per step), plus the v1 alias with min_object_covered as an
    attr and a box outside [0, 1]."""
    g = tf.Graph()
    with g.as_default():
        v1.set_random_seed(1234)
        image = v1.placeholder(tf.float32, [48, 64, 3], name="image")
        boxes = v1.placeholder(tf.float32, [1, None, 4], name="boxes")
        # TF 2.x's sample_distorted_bounding_box ignores the graph seed unless given its own.
        begin, size, bbox = tf.image.sample_distorted_bounding_box(
            tf.shape(image), boxes, seed=3, min_object_covered=0.25, aspect_ratio_range=[0.75, 1.33], area_range=[0.1, 1.0]
        )
        crop = tf.image.resize(tf.slice(image, begin, size), [8, 8])
        b1, s1, _ = v1.image.sample_distorted_bounding_box(
            tf.shape(image), boxes, seed=5, min_object_covered=0.5, use_image_if_no_bounding_boxes=True
        )
    feed = {image: _images([48, 64, 3], seed=8), boxes: np.array([[[0.1, 0.1, 0.6, 0.5], [0.4, 0.5, 0.9, 0.95]]], np.float32)}
    r = {}
    with session(target, g) as sess:
        r["steps"] = cap(lambda: [sess.run([begin, size, bbox, crop], feed) for _ in range(3)])
        r["v1"] = cap(lambda: [sess.run([b1, s1], feed) for _ in range(2)])
        r["no_boxes"] = cap(lambda: sess.run([b1, s1], {**feed, boxes: np.zeros([1, 0, 4], np.float32)}))
        r["box_outside"] = cap(lambda: sess.run(begin, {**feed, boxes: np.array([[[0.1, 0.1, 1.5, 0.5]]], np.float32)}))
    return r


@program()
def image_metrics(target):
    """Image metrics and filters built from ordinary ops: ssim (and multiscale), psnr,
    total_variation, sobel_edges, image_gradients, rgb_to_yuv / yiq and back, with the gradient
    of an SSIM + total-variation loss."""
    g = tf.Graph()
    with g.as_default():
        a = v1.placeholder(tf.float32, [2, 24, 24, 3], name="a")
        b = v1.placeholder(tf.float32, [2, 24, 24, 3], name="b")
        outs = {
            "ssim": tf.image.ssim(a, b, max_val=1.0, filter_size=5),
            "psnr": tf.image.psnr(a, b, max_val=1.0),
            "total_variation": tf.image.total_variation(a),
            "sobel": tf.image.sobel_edges(a),
            "gradients": list(tf.image.image_gradients(a)),
            "yuv_round_trip": tf.image.yuv_to_rgb(tf.image.rgb_to_yuv(a)),
            "yiq": tf.image.rgb_to_yiq(a),
        }
        loss = tf.reduce_sum(1.0 - tf.image.ssim(a, b, max_val=1.0, filter_size=5)) + 1e-3 * tf.reduce_sum(tf.image.total_variation(a))
        (da,) = tf.gradients(loss, a)
        ms = tf.image.ssim_multiscale(
            tf.image.resize(a, [48, 48]), tf.image.resize(b, [48, 48]), max_val=1.0, filter_size=3, power_factors=(0.5, 0.5)
        )
    feed = {a: _images([2, 24, 24, 3], seed=9), b: _images([2, 24, 24, 3], seed=10)}
    r = {}
    with session(target, g) as sess:
        r["values"] = cap(lambda: sess.run(outs, feed))
        r["loss_gradient"] = cap(lambda: sess.run([loss, da], feed))
        r["ssim_multiscale"] = cap(lambda: sess.run(ms, feed))
    return r


@program()
def image_misc(target):
    """More of tf.image as tf.compat.v1 code uses it: rot90 (k fed at run time, TF1 control flow),
    convert_image_dtype across integer and float dtypes (with saturation), the v1 aliases
    resize_image_with_crop_or_pad / resize_image_with_pad / resize_area, per_image_standardization
    of uint8 images, and seeded random saturation, hue and brightness."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [2, 5, 6, 3], name="x")
        u8 = v1.placeholder(tf.uint8, [5, 6, 3], name="u8")
        k = v1.placeholder(tf.int32, [], name="k")
        outs = {
            "rot90_fed": tf.image.rot90(x, k),
            "rot90_3": tf.image.rot90(x, 3),
            "to_int16": tf.image.convert_image_dtype(x, tf.int16, saturate=True),
            "to_uint16": tf.image.convert_image_dtype(x, tf.uint16, saturate=True),
            "u8_to_f64": tf.image.convert_image_dtype(u8, tf.float64),
            "u8_to_int32": tf.image.convert_image_dtype(u8, tf.int32),
            "u8_to_half": tf.image.convert_image_dtype(u8, tf.float16),
            "crop_or_pad_v1": v1.image.resize_image_with_crop_or_pad(x, 7, 4),
            "with_pad_v1": v1.image.resize_image_with_pad(x, 9, 9),
            "area_v1": v1.image.resize_area(x, [3, 3]),
            "standardized_u8": tf.image.per_image_standardization(u8),
            "random_saturation": tf.image.random_saturation(x, 0.2, 1.8, seed=21),
            "random_hue": tf.image.random_hue(x, 0.4, seed=22),
            "random_brightness": tf.image.random_brightness(x, 0.3, seed=23),
        }
    images = _images([2, 5, 6, 3], seed=11, scale=1.2)
    pixels = (np.arange(90) * 3).astype(np.uint8).reshape([5, 6, 3])
    r = {}
    with session(target, g) as sess:
        r["values"] = cap(lambda: sess.run(outs, {x: images, u8: pixels, k: 1}))
        r["rot90_k2"] = cap(lambda: sess.run(outs["rot90_fed"], {x: images, k: 2}))
        r["rot90_k_negative"] = cap(lambda: sess.run(outs["rot90_fed"], {x: images, k: -1}))
    return r
