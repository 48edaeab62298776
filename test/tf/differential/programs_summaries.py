"""Programs that report to TensorBoard the tf.compat.v1 way: tf.compat.v1.summary ops merged into
one serialized Summary (whose bytes must be TF's), a client-side FileWriter writing them to an
event file, a MonitoredTrainingSession with a SummarySaverHook and a StepCounterHook, and the image
codecs (tf.io.encode_png / decode_png / decode_image / decode_jpeg / decode_bmp)."""

import glob
import os
import tempfile

import numpy as np
import tensorflow as tf
from programs import Plain, cap, program, record, session

v1 = tf.compat.v1


def _summary_graph():
    """Scalars, a histogram, float and uint8 images, audio and a tensor summary, merged."""
    x = v1.placeholder(tf.float32, [None, 4], name="x")
    loss = tf.reduce_mean(tf.square(x), name="loss")
    v1.summary.scalar("loss", loss)
    v1.summary.scalar("step_size", tf.constant(0.125, tf.float64))
    v1.summary.histogram("activations", x)
    v1.summary.histogram("ints", tf.constant([1, 5, 5, -3, 0], tf.int32))
    img = tf.reshape(x[:, :3], [-1, 1, 1, 3]) * tf.ones([1, 5, 7, 1])
    v1.summary.image("float_images", img, max_outputs=2)
    v1.summary.image("uint8_image", tf.cast(tf.clip_by_value(tf.abs(img) * 40.0, 0.0, 255.0), tf.uint8), max_outputs=1)
    wave = tf.sin(tf.reshape(tf.range(2 * 40, dtype=tf.float32), [2, 40]) * 0.3)
    v1.summary.audio("tone", wave, sample_rate=8000, max_outputs=2)
    v1.summary.tensor_summary("raw", tf.stack([loss, loss * 2.0]))
    v1.summary.text("note", tf.constant("loss went down"))
    return x, loss, v1.summary.merge_all()


def _batch(seed):
    return np.random.RandomState(seed).uniform(-2, 2, size=[3, 4]).astype(np.float32)


def _events(logdir):
    """The summary values of every event file in logdir, by step (wall times left out)."""
    out = []
    for path in sorted(glob.glob(os.path.join(logdir, "events.out.tfevents.*"))):
        for e in v1.train.summary_iterator(path):
            if e.HasField("summary"):
                out.append({"step": e.step, "summary": e.summary.SerializeToString().hex()})
            elif e.HasField("graph_def") or e.HasField("meta_graph_def"):
                out.append({"step": e.step, "graph": True})
    return out


@program(control_flow_v2=True)
def summaries_merged_bytes(target):
    """merge_all of scalar, histogram, image (float and uint8), audio, tensor and text summaries:
    the serialized Summary fetched as bytes, each summary op on its own, a duplicate tag refused by
    MergeSummary, and a NaN refused by HistogramSummary."""
    g = tf.Graph()
    with g.as_default():
        x, loss, merged = _summary_graph()
        # tf.summary.scalar makes tags unique; the raw op keeps the tag as given.
        same = [tf.raw_ops.ScalarSummary(tags="same", values=loss * k) for k in (1.0, 2.0)]
        dup = v1.summary.merge(same)
        nan_hist = v1.summary.histogram("nan", tf.constant([1.0, np.nan]))
        singles = {op.name: op.outputs[0] for op in g.get_operations() if op.type.endswith("Summary") and op.type != "MergeSummary"}
    r = {}
    with session(target, g) as sess:
        r["merged"] = cap(lambda: sess.run(merged, {x: _batch(0)}))
        r["merged_other_batch"] = cap(lambda: sess.run(merged, {x: _batch(1) * 1000.0}))
        r["each"] = cap(lambda: sess.run(singles, {x: _batch(2)}))
        r["duplicate_tag"] = cap(lambda: sess.run(dup, {x: _batch(0)}))
        r["nan_histogram"] = cap(lambda: sess.run(nan_hist))
    return r


@program(control_flow_v2=True)
def summaries_file_writer(target):
    """A client-side tf.compat.v1.summary.FileWriter writing the fetched summaries of three steps
    (and the graph) to an event file, read back with summary_iterator."""
    g = tf.Graph()
    with g.as_default():
        x, loss, merged = _summary_graph()
    logdir = tempfile.mkdtemp(prefix="tfgate-summaries-")
    r = {}
    with session(target, g) as sess:
        writer = v1.summary.FileWriter(logdir, g)
        for step in range(3):
            s, lv = sess.run([merged, loss], {x: _batch(step)})
            writer.add_summary(s, global_step=step)
            r[f"loss_{step}"] = cap(lambda lv=lv: lv)
        writer.close()
    r["events"] = record(Plain(_events(logdir)))
    return r


@program(control_flow_v2=True)
def summaries_monitored_training(target):
    """A linear model trained in a MonitoredTrainingSession (no checkpoints) with a SummarySaverHook
    saving the merged summaries every step and a StepCounterHook; the event file's summaries are
    read back (StepCounterHook's steps/sec values vary from run to run, so only its tags count)."""
    g = tf.Graph()
    logdir = tempfile.mkdtemp(prefix="tfgate-mts-")
    with g.as_default():
        step = v1.train.get_or_create_global_step()
        xs = tf.constant(np.linspace(-1, 1, 8).reshape([8, 1]), tf.float32)
        ys = 3.0 * xs - 0.5
        w = v1.get_variable("w", [1, 1], initializer=v1.zeros_initializer())
        b = v1.get_variable("b", [1], initializer=v1.zeros_initializer())
        pred = tf.matmul(xs, w) + b
        loss = tf.reduce_mean(tf.square(pred - ys))
        v1.summary.scalar("loss", loss)
        v1.summary.histogram("residuals", pred - ys)
        v1.summary.histogram("w", w)
        train = v1.train.GradientDescentOptimizer(0.3).minimize(loss, global_step=step)
        merged = v1.summary.merge_all()
        hooks = [
            v1.train.SummarySaverHook(save_steps=1, output_dir=logdir, summary_op=merged),
            v1.train.StepCounterHook(every_n_steps=2, output_dir=logdir),
            v1.train.StopAtStepHook(last_step=5),
        ]
        losses = []
        with v1.train.MonitoredTrainingSession(
            master=target,
            checkpoint_dir=None,
            hooks=hooks,
            save_checkpoint_secs=None,
            save_checkpoint_steps=None,
            save_summaries_steps=None,
            save_summaries_secs=None,
            log_step_count_steps=None,
            config=v1.ConfigProto(operation_timeout_in_ms=20_000),
        ) as sess:
            while not sess.should_stop():
                _, lv = sess.run([train, loss])
                losses.append(float(lv))
    v1.summary.FileWriterCache.clear()
    events = []
    for e in _events(logdir):
        if "summary" in e:
            s = v1.Summary.FromString(bytes.fromhex(e["summary"]))
            if any(v.tag.endswith("/sec") for v in s.value):
                e = {"step": e["step"], "tags": sorted(v.tag for v in s.value)}
            else:
                # The values, not the bytes: the trained numbers may differ from TF's in the last bit.
                e = {"step": e["step"], "values": [_value(v) for v in s.value]}
        events.append(e)
    # Trained numbers may differ from TF's in the last float32 bit (summation order), so they are
    # recorded as typed values, which the comparison checks with a float tolerance.
    return {"losses": record(np.asarray(losses, np.float32)), "events": record(events)}


def _value(v):
    """A scalar or histogram Summary.Value as plain numbers."""
    if v.HasField("histo"):
        h = v.histo
        return {"tag": v.tag, "min": np.float64(h.min), "max": np.float64(h.max), "num": np.float64(h.num),
                "sum": np.float64(h.sum), "sum_squares": np.float64(h.sum_squares),
                "bucket_limit": np.asarray(h.bucket_limit, np.float64), "bucket": np.asarray(h.bucket, np.float64)}
    return {"tag": v.tag, "simple_value": np.float32(v.simple_value)}


ANIMATED_GIF = bytes.fromhex(
    "47494638396104000300830000000000ff000000ff000000ffffff00c864320a141effffff000000000000000000000000"
    "0000000000000000000000002c00000000040003000004097098538c01019063220021f90401000002002c0100010002"
    "00020000040470000322003b"
)


@program()
def image_codecs(target):
    """tf.io.encode_png (uint8 and uint16, compression levels) and its bytes, decode_png with
    channel conversions, decode_image of PNG and BMP (float output), decode_bmp, a JPEG round trip
    (encode_jpeg then decode_jpeg: lossy and codec-specific, so only its shape and closeness to the
    input are recorded), an animated GIF through decode_gif / decode_image / decode_png, and
    malformed inputs."""
    g = tf.Graph()
    rng = np.random.RandomState(4)
    img = (np.add.outer(np.arange(12) * 9, np.arange(16) * 5)[:, :, None] + np.array([0, 60, 120]) + rng.randint(0, 9, [12, 16, 3])) % 256
    img = img.astype(np.uint8)
    bmp_rows = b"".join(bytes(row[:, ::-1].reshape(-1)) + b"\x00" * ((4 - (3 * 3) % 4) % 4) for row in img[:2, :3][::-1])
    bmp = b"BM" + (54 + len(bmp_rows)).to_bytes(4, "little") + b"\x00" * 4 + (54).to_bytes(4, "little")
    bmp += (40).to_bytes(4, "little") + (3).to_bytes(4, "little") + (2).to_bytes(4, "little") + (1).to_bytes(2, "little")
    bmp += (24).to_bytes(2, "little") + b"\x00" * 24 + bmp_rows
    with g.as_default():
        image = v1.placeholder(tf.uint8, [None, None, 3], name="image")
        contents = v1.placeholder(tf.string, [], name="contents")
        png = tf.io.encode_png(image)
        png9 = tf.io.encode_png(image, compression=9)
        png16 = tf.io.encode_png(tf.cast(image, tf.uint16) * 257)
        batch = tf.io.encode_png(tf.stack([image, image[::-1]]))
        back = tf.io.decode_png(png)
        gray = tf.io.decode_png(png, channels=1)
        rgba = tf.io.decode_png(png, channels=4)
        wide = tf.io.decode_png(png16, dtype=tf.uint16)
        as_float = tf.image.decode_image(png, dtype=tf.float32)
        jpeg = tf.io.decode_jpeg(tf.io.encode_jpeg(image, quality=95))
        jpeg_close = tf.reduce_mean(tf.abs(tf.cast(jpeg, tf.float32) - tf.cast(image, tf.float32))) < 10.0
        decoded = tf.io.decode_image(contents, expand_animations=False)
        bmp_out = tf.io.decode_bmp(contents)
        gif_frames = tf.io.decode_gif(contents)
        first_frame = tf.io.decode_image(contents, expand_animations=False)
        gif_as_png = tf.io.decode_png(contents)
    r = {}
    with session(target, g) as sess:
        r["png"] = cap(lambda: sess.run([png, png9, png16, batch], {image: img}))
        r["decoded"] = cap(lambda: sess.run([back, gray, rgba, wide, as_float], {image: img}))
        r["jpeg"] = cap(lambda: sess.run([tf.shape(jpeg), jpeg_close], {image: img}))
        r["bmp"] = cap(lambda: sess.run([decoded, bmp_out], {contents: bmp}))
        r["garbage"] = cap(lambda: sess.run(decoded, {contents: b"not an image"}))
        r["truncated_png"] = cap(lambda: sess.run(decoded, {contents: sess.run(png, {image: img})[:60]}))
        r["empty"] = cap(lambda: sess.run(decoded, {contents: b""}))
        r["png_as_bmp"] = cap(lambda: sess.run(bmp_out, {contents: sess.run(png, {image: img})}))
        # A two-frame GIF (the second frame smaller, with a transparent color).
        r["gif"] = cap(lambda: sess.run([gif_frames, first_frame], {contents: ANIMATED_GIF}))
        r["gif_as_png"] = cap(lambda: sess.run(gif_as_png, {contents: ANIMATED_GIF}))
    return r
