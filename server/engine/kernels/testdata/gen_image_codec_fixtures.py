#!/usr/bin/env python3
"""Writes image-codec-fixtures.json: TensorFlow 2.21's own results for the image codec kernels
(EncodePng, DecodePng, DecodeBmp, DecodeJpeg, EncodeJpeg, DecodeImage), read by
../image-codec-fixtures.test.ts.

Run from the repository root with the TF venv:
    .venv-tf/bin/python server/engine/kernels/testdata/gen_image_codec_fixtures.py

The format is gen_summary_fixtures.py's (string tensors base64). PNG inputs are TF's own
encodings and PNGs written here byte by byte (palette with and without tRNS, 1/2/4-bit gray, gray
and RGB tRNS keys, 16-bit, Adam7 interlace, gray+alpha) plus broken ones (truncated, bad CRC, no
IEND, bad header); BMPs are written here (8/24/32-bit, bottom-up and top-down) with broken
variants; JPEGs are TF's encodings of smooth and noisy images. A JPEG case carries "tolerance":
the largest per-sample difference the test accepts, since jpeg-js is not libjpeg-turbo (its IDCT
against TF's default fast integer IDCT; measured: at most 3 levels without chroma subsampling and
for gray, 6 with 4:2:0 chroma). An
EncodeJpeg case carries "decoded": TF's decoding of TF's JPEG, which the test compares (with the
tolerance) to the decoding of tfgate's JPEG.
"""

import base64
import json
import os
import struct
import zlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tf_fixtures import attr_of, clean, enc  # noqa: E402

R = tf.raw_ops
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "image-codec-fixtures.json")
u8, u16 = tf.uint8, tf.uint16
cases = []


def enc_any(x):
    """A tensor; string tensors base64-encoded (their bytes need not be UTF-8)."""
    t = tf.convert_to_tensor(x)
    if t.dtype != tf.string:
        return enc(t)
    a = np.asarray(t.numpy(), dtype=object)
    return {"dtype": t.dtype.as_datatype_enum, "shape": list(a.shape), "base64": True,
            "values": [base64.b64encode(bytes(v)).decode("ascii") for v in a.ravel()]}


def attr_any(v):
    return attr_of(v)


def case(op, inputs, attrs=None, **extra):
    attrs = attrs or {}
    try:
        out = getattr(R, op)(**inputs, **attrs)
    except tf.errors.OpError as e:
        out = e
    inferred = {}
    if op == "EncodePng":
        inferred["T"] = inputs["image"].dtype
    c = {"op": op, "attrs": {k: attr_any(v) for k, v in {**inferred, **attrs}.items()}}
    c["inputs"] = [enc_any(x) for x in inputs.values()]
    if isinstance(out, tf.errors.OpError):
        c["error"] = {"code": out.error_code, "message": clean(out.message)}
    else:
        c["outputs"] = [enc_any(out)]
    c.update(extra)
    cases.append(c)
    return out


def smooth(h, w, c, dtype=np.uint8, seed=0):
    r = np.random.RandomState(seed)
    base = np.arange(h)[:, None, None] * 9 + np.arange(w)[None, :, None] * 5 + np.arange(c)[None, None, :] * 60
    img = (base + r.randint(0, 6, size=(h, w, c))) % 256
    if dtype == np.uint16:
        return (img * 257 + r.randint(0, 200, size=img.shape)).astype(np.uint16)
    return img.astype(np.uint8)


# --- PNG written here -----------------------------------------------------------------------------


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def pack_row(samples, depth):
    if depth == 8:
        return bytes(int(v) for v in samples)
    if depth == 16:
        return b"".join(struct.pack(">H", int(v)) for v in samples)
    out, acc, n = [], 0, 0
    for v in samples:
        acc = (acc << depth) | int(v)
        n += depth
        if n == 8:
            out.append(acc)
            acc, n = 0, 0
    if n:
        out.append(acc << (8 - n))
    return bytes(out)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def png(samples, color_type, depth, plte=None, trns=None, interlace=False):
    """samples: [h, w, n] integers of the PNG's own depth (palette indices for type 3)."""
    h, w, _ = samples.shape
    raw = b""
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    for x0, y0, dx, dy in passes:
        sub = samples[y0::dy, x0::dx]
        if sub.shape[0] == 0 or sub.shape[1] == 0:
            continue
        for row in sub:
            raw += b"\x00" + pack_row(row.reshape(-1), depth)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, 1 if interlace else 0))
    if plte is not None:
        out += chunk(b"PLTE", bytes(plte))
    if trns is not None:
        out += chunk(b"tRNS", trns)
    return out + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


rng = np.random.RandomState(3)
crafted = {
    "palette": png(rng.randint(0, 5, size=(4, 6, 1)), 3, 8, plte=list(range(15))),
    "palette4": png(rng.randint(0, 16, size=(5, 7, 1)), 3, 4, plte=list(rng.randint(0, 256, size=48))),
    "palette_trns": png(rng.randint(0, 4, size=(4, 5, 1)), 3, 8, plte=[10, 20, 30, 200, 100, 0, 1, 2, 3, 250, 250, 250], trns=b"\x00\x80"),
    "gray1": png(rng.randint(0, 2, size=(3, 11, 1)), 0, 1),
    "gray2": png(rng.randint(0, 4, size=(3, 5, 1)), 0, 2),
    "gray4": png(rng.randint(0, 16, size=(4, 3, 1)), 0, 4),
    "gray_trns": png(np.array([[[0], [7], [7]], [[200], [7], [3]]]), 0, 8, trns=b"\x00\x07"),
    "rgb_trns": png(np.array([[[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [9, 9, 9]]]), 2, 8, trns=b"\x00\x01\x00\x02\x00\x03"),
    "gray16": png(rng.randint(0, 65536, size=(3, 4, 1)), 0, 16),
    "rgb16": png(rng.randint(0, 65536, size=(3, 4, 3)), 2, 16),
    "rgba16": png(rng.randint(0, 65536, size=(2, 3, 4)), 6, 16),
    "ga": png(rng.randint(0, 256, size=(3, 4, 2)), 4, 8),
    "rgb_colors": png(rng.randint(0, 256, size=(4, 5, 3)), 2, 8),
    "interlaced": png(rng.randint(0, 256, size=(11, 13, 3)), 2, 8, interlace=True),
    "interlaced16": png(rng.randint(0, 65536, size=(9, 6, 1)), 0, 16, interlace=True),
    "interlaced_tiny": png(rng.randint(0, 256, size=(1, 3, 4)), 6, 8, interlace=True),
}
good = crafted["rgb_colors"]
idat_at = good.index(b"IDAT")
broken = {
    "truncated": good[: len(good) - 20],
    "no_iend": good[: len(good) - 12],
    "bad_idat_crc": good[: idat_at + 6] + bytes([good[idat_at + 6] ^ 0xFF]) + good[idat_at + 7:],
    "bad_ihdr_crc": good[:29] + bytes([good[29] ^ 0xFF]) + good[30:],
    "zero_width": b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 0, 3, 8, 2, 0, 0, 0)) + good[33:],
    "bad_depth": b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 5, 4, 3, 2, 0, 0, 0)) + good[33:],
    "signature_only": good[:8],
    "bad_zlib": good[: idat_at + 4] + b"\x00" * 4 + good[idat_at + 8:],
}
# The corrupted IDAT above breaks its CRC too; this one keeps the CRC right.
z = zlib.compress(b"\x00" * 10)
broken["short_idat"] = good[:33] + chunk(b"IDAT", z) + chunk(b"IEND", b"")

# --- EncodePng ------------------------------------------------------------------------------------

for dt, np_dt in [(u8, np.uint8), (u16, np.uint16)]:
    for c in [1, 2, 3, 4]:
        for shape in [(6, 9), (1, 12), (10, 1), (40, 33)]:
            for level in [-1, 0, 1, 6, 9]:
                if shape == (40, 33) and level not in (-1, 9):
                    continue
                img = smooth(*shape, c, np_dt, seed=c + shape[0])
                case("EncodePng", {"image": tf.constant(img)}, {"compression": level})
for level in [2, 3, 4, 5, 7, 8]:
    case("EncodePng", {"image": tf.constant(smooth(40, 33, 3, seed=level))}, {"compression": level})
case("EncodePng", {"image": tf.constant(np.stack([smooth(4, 5, 3, seed=k) for k in range(6)]).reshape([2, 3, 4, 5, 3]))})
case("EncodePng", {"image": tf.zeros([0, 2, 2, 3], u8)})
# Level 0 past the deflate window: zlib's stored blocks follow libpng's row-by-row feeding.
for shape, c, np_dt in [((200, 150), 3, np.uint8), ((90, 70), 4, np.uint16), ((300, 40), 1, np.uint8)]:
    img = np.random.RandomState(shape[0]).randint(0, 256, size=(*shape, c)).astype(np_dt)
    case("EncodePng", {"image": tf.constant(img)}, {"compression": 0})
noise = np.random.RandomState(1).randint(0, 256, size=(60, 70, 3)).astype(np.uint8)
case("EncodePng", {"image": tf.constant(noise)}, {"compression": 3})
case("EncodePng", {"image": tf.zeros([3, 4], u8)})
case("EncodePng", {"image": tf.zeros([3, 4, 5], u8)})
case("EncodePng", {"image": tf.zeros([2, 2, 0], u8)})
case("EncodePng", {"image": tf.zeros([2, 2, 3], u8)}, {"compression": 10})
case("EncodePng", {"image": tf.zeros([2, 2, 3], u8)}, {"compression": -2})

# --- DecodePng / DecodeImage of PNGs ---------------------------------------------------------------

tf_pngs = {
    "tf_rgb": R.EncodePng(image=smooth(7, 9, 3)).numpy(),
    "tf_rgba": R.EncodePng(image=smooth(5, 6, 4, seed=2)).numpy(),
    "tf_gray": R.EncodePng(image=smooth(4, 7, 1, seed=3)).numpy(),
    "tf_rgb16": R.EncodePng(image=smooth(5, 4, 3, np.uint16, seed=4)).numpy(),
    "tf_ga16": R.EncodePng(image=smooth(3, 5, 2, np.uint16, seed=5)).numpy(),
}
for name, data in {**tf_pngs, **crafted}.items():
    for channels in [0, 1, 3, 4]:
        for dtype in [u8, u16]:
            case("DecodePng", {"contents": tf.constant(data)}, {"channels": channels, "dtype": dtype})
    case("DecodeImage", {"contents": tf.constant(data)}, {"channels": 0, "dtype": tf.float32})
    case("DecodeJpeg", {"contents": tf.constant(data)})
for name, data in broken.items():
    case("DecodePng", {"contents": tf.constant(data)})
    case("DecodeImage", {"contents": tf.constant(data)}, {"dtype": u16})
case("DecodePng", {"contents": tf.constant(good)}, {"channels": 2})
case("DecodeBmp", {"contents": tf.constant(good)})
case("DecodePng", {"contents": tf.constant([good])})
case("DecodePng", {"contents": tf.constant(b"")})
case("DecodePng", {"contents": tf.constant(b"not an image")})
case("DecodeImage", {"contents": tf.constant(b"RIFF\x00\x00\x00\x00WEBPxxxx")}, {"expand_animations": False})

# --- BMP ------------------------------------------------------------------------------------------


def bmp(pixels, bpp, top_down=False, header=54, extra=0):
    """pixels: [h, w, bpp/8] in the file's channel order (BGR(A))."""
    h, w, ch = pixels.shape
    row_size = (ch * w + 3) // 4 * 4
    rows = []
    for row in (pixels if top_down else pixels[::-1]):
        b = bytes(int(v) for v in row.reshape(-1))
        rows.append(b + b"\x00" * (row_size - len(b)))
    data = b"".join(rows)
    head = b"BM" + struct.pack("<IHHI", header + len(data), 0, 0, header)
    info = struct.pack("<IiiHHIIiiII", 40, w, -h if top_down else h, 1, bpp, 0, len(data), 2835, 2835, 0, 0)
    head = (head + info).ljust(header, b"\x00")
    return head + data + b"\x00" * extra


bmps = {
    "bgr": bmp(rng.randint(0, 256, size=(3, 5, 3)), 24),
    "bgr_topdown": bmp(rng.randint(0, 256, size=(4, 2, 3)), 24, top_down=True),
    "bgra": bmp(rng.randint(0, 256, size=(2, 3, 4)), 32),
    "gray": bmp(rng.randint(0, 256, size=(3, 3, 1)), 8),
    "wide_header": bmp(rng.randint(0, 256, size=(2, 2, 3)), 24, header=70),
}
for name, data in bmps.items():
    for channels in [0, 1, 3, 4]:
        case("DecodeBmp", {"contents": tf.constant(data)}, {"channels": channels})
    case("DecodePng", {"contents": tf.constant(data)})
    case("DecodeJpeg", {"contents": tf.constant(data)})
b = bmps["bgr"]
case("DecodeBmp", {"contents": tf.constant(b[:20])})
case("DecodeBmp", {"contents": tf.constant(b + b"\x00\x00")})
case("DecodeBmp", {"contents": tf.constant(b[:-3])})
case("DecodeBmp", {"contents": tf.constant(b[:28] + struct.pack("<H", 16) + b[30:])})
case("DecodeBmp", {"contents": tf.constant(b[:18] + struct.pack("<i", 0) + b[22:])})
case("DecodeBmp", {"contents": tf.constant(b[:22] + struct.pack("<i", 0) + b[26:])})
case("DecodeBmp", {"contents": tf.constant(b[:10] + struct.pack("<i", -5) + b[14:])})

# --- JPEG -----------------------------------------------------------------------------------------

def jpeg_case(op, data, attrs, tolerance):
    case(op, {"contents": tf.constant(data)}, attrs, tolerance=tolerance)


def photo_like(h, w, c, seed):
    """A smooth image with mild noise, like a photograph (no hard edges for chroma subsampling
    to smear)."""
    r = np.random.RandomState(seed)
    y, x = np.mgrid[0:h, 0:w]
    chans = [128 + 90 * np.sin(x / (5.0 + k) + k) * np.cos(y / (7.0 - k) + 2 * k) for k in range(c)]
    img = np.stack(chans, axis=-1) + r.randint(-4, 5, size=(h, w, c))
    return np.clip(img, 0, 255).astype(np.uint8)


photo = photo_like(24, 32, 3, seed=9)
gray_photo = photo_like(16, 20, 1, seed=10)
jpegs = {
    "q95": (R.EncodeJpeg(image=photo).numpy(), 6),
    "q75_444": (R.EncodeJpeg(image=photo, quality=75, chroma_downsampling=False).numpy(), 3),
    "gray": (R.EncodeJpeg(image=gray_photo, quality=90).numpy(), 2),
    "odd_size": (R.EncodeJpeg(image=photo_like(13, 17, 3, seed=11), quality=85).numpy(), 6),
    "large": (R.EncodeJpeg(image=photo_like(64, 96, 3, seed=12), quality=90).numpy(), 6),
}
for name, (data, tol) in jpegs.items():
    for channels in [0, 1, 3]:
        jpeg_case("DecodeJpeg", data, {"channels": channels}, tol)
    jpeg_case("DecodeJpeg", data, {"dct_method": "INTEGER_ACCURATE"}, tol)
    jpeg_case("DecodePng", data, {"channels": 3}, tol)
    jpeg_case("DecodeImage", data, {"dtype": tf.float32}, tol / 255 + 1e-6)
    jpeg_case("DecodeImage", data, {"dtype": u16}, tol * 256)
q = jpegs["q95"][0]
case("DecodeJpeg", {"contents": tf.constant(q)}, {"channels": 4})
case("DecodeJpeg", {"contents": tf.constant(q)}, {"ratio": 3})
case("DecodeJpeg", {"contents": tf.constant(q)}, {"dct_method": "FLOAT"})
case("DecodeJpeg", {"contents": tf.constant(q[: len(q) // 2])})
case("DecodeJpeg", {"contents": tf.constant(q[:3] + b"\x00" * 40)})
case("DecodeBmp", {"contents": tf.constant(q)})

for name, img, attrs in [
    ("rgb", photo, {}),
    ("rgb_q50", photo, {"quality": 50}),
    ("gray", gray_photo, {"quality": 90}),
    ("rgb_fmt", photo, {"format": "rgb", "quality": 80}),
]:
    # Two different lossy encoders: measured 22 (q95), 34 (q50), 19 (q80) levels at worst.
    ours_tol = 12 if img.shape[2] == 1 else 24 if attrs.get("quality", 95) >= 80 else 40
    out = R.EncodeJpeg(image=img, **attrs)
    decoded = R.DecodeJpeg(contents=out, channels=img.shape[2])
    cases.append({"op": "EncodeJpeg", "attrs": {k: attr_any(v) for k, v in attrs.items()},
                  "inputs": [enc_any(tf.constant(img))], "outputs": [enc_any(out)],
                  "decoded": enc_any(decoded), "tolerance": ours_tol})
case("EncodeJpeg", {"image": tf.zeros([2, 2], u8)})
case("EncodeJpeg", {"image": tf.zeros([2, 2, 2], u8)})
case("EncodeJpeg", {"image": tf.zeros([2, 2, 3], u8)}, {"format": "grayscale"})
case("EncodeJpeg", {"image": tf.zeros([2, 2, 1], u8)}, {"format": "rgb"})
case("EncodeJpeg", {"image": tf.zeros([2, 2, 3], u8)}, {"quality": 101})
case("EncodeJpeg", {"image": tf.zeros([0, 2, 3], u8)})

# --- DecodeAndCropJpeg, ExtractJpegShape, EncodeJpegVariableQuality ------------------------------

for name, (data, tol) in jpegs.items():
    h, w = R.ExtractJpegShape(contents=data).numpy()[:2]
    for window in [[0, 0, h, w], [1, 2, h // 2, w // 3], [h - 3, w - 5, 3, 5]]:
        # libjpeg-turbo's cropped decoding itself differs from its full decoding by up to 9 levels
        # near the window's edges (chroma upsampling after skipped rows, measured); tfgate crops
        # the full decoding, hence 6 more than the JPEG's own tolerance.
        case("DecodeAndCropJpeg", {"contents": tf.constant(data), "crop_window": tf.constant(window, tf.int32)},
             {}, tolerance=tol + 6)
    case("ExtractJpegShape", {"contents": tf.constant(data)})
    case("ExtractJpegShape", {"contents": tf.constant(data)}, {"output_type": tf.int64})
for window in [[0, 0, 0, 4], [0, 0, 25, 4], [-1, 0, 2, 2], [0, 30, 2, 3]]:
    case("DecodeAndCropJpeg", {"contents": tf.constant(q), "crop_window": tf.constant(window, tf.int32)})
case("DecodeAndCropJpeg", {"contents": tf.constant(q), "crop_window": tf.constant([0, 0, 2], tf.int32)})
case("DecodeAndCropJpeg", {"contents": tf.constant(q), "crop_window": tf.constant([[0, 0, 2, 2]], tf.int32)})
case("DecodeAndCropJpeg", {"contents": tf.constant(good), "crop_window": tf.constant([0, 0, 2, 2], tf.int32)})
case("DecodeAndCropJpeg", {"contents": tf.constant(bmps["bgr"]), "crop_window": tf.constant([0, 0, 2, 2], tf.int32)})
case("ExtractJpegShape", {"contents": tf.constant(good)})
case("ExtractJpegShape", {"contents": tf.constant([q])})
case("ExtractJpegShape", {"contents": tf.constant(q[:2])})
for quality in [90, 30]:
    out = R.EncodeJpegVariableQuality(images=photo, quality=quality)
    cases.append({"op": "EncodeJpegVariableQuality", "attrs": {},
                  "inputs": [enc_any(tf.constant(photo)), enc_any(tf.constant(quality))], "outputs": [enc_any(out)],
                  "decoded": enc_any(R.DecodeJpeg(contents=out, channels=3)), "tolerance": 24 if quality >= 80 else 48})
case("EncodeJpegVariableQuality", {"images": tf.constant(photo), "quality": tf.constant(101)})
case("EncodeJpegVariableQuality", {"images": tf.constant(photo), "quality": tf.constant([90])})
case("EncodeJpegVariableQuality", {"images": tf.zeros([2, 2, 2], u8), "quality": tf.constant(90)})

# --- GIF ------------------------------------------------------------------------------------------


def gif_lzw(indices, min_code_size):
    """LZW data that never grows the table: a clear code before every run of codes short enough to
    keep the code size at min_code_size + 1 (valid for every decoder)."""
    clear, end, size = 1 << min_code_size, (1 << min_code_size) + 1, min_code_size + 1
    codes, run = [], (1 << min_code_size) - 2
    for k in range(0, len(indices), run):
        codes.append(clear)
        codes.extend(int(i) for i in indices[k:k + run])
    codes.append(end)
    bits, nbits, out = 0, 0, bytearray()
    for c in codes:
        bits |= c << nbits
        nbits += size
        while nbits >= 8:
            out.append(bits & 0xFF)
            bits >>= 8
            nbits -= 8
    if nbits:
        out.append(bits & 0xFF)
    blocks = b"".join(bytes([len(out[k:k + 255])]) + bytes(out[k:k + 255]) for k in range(0, len(out), 255))
    return bytes([min_code_size]) + blocks + b"\x00"


def gif(width, height, palette, frames):
    """frames: (x, y, indices [h, w], transparent index or None, local palette or None)."""
    pal = bytes(palette) + b"\x00" * (3 * 16 - len(palette))
    out = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80 | 0x03, 0, 0) + pal
    for x, y, idx, trans, local in frames:
        h, w = idx.shape
        if trans is not None:
            out += b"\x21\xf9\x04" + bytes([1]) + b"\x00\x00" + bytes([trans]) + b"\x00"
        flags = 0
        extra = b""
        if local is not None:
            flags = 0x80 | 0x03
            extra = bytes(local) + b"\x00" * (3 * 16 - len(local))
        out += b"\x2c" + struct.pack("<HHHHB", x, y, w, h, flags) + extra + gif_lzw(idx.reshape(-1), 4)
    return out + b"\x3b"


PAL = [0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0, 200, 100, 50, 10, 20, 30, 255, 255, 255]
g_rng = np.random.RandomState(21)
gifs = {
    "still": gif(6, 4, PAL, [(0, 0, g_rng.randint(0, 8, size=(4, 6)), None, None)]),
    "animated": gif(5, 4, PAL, [
        (0, 0, g_rng.randint(0, 8, size=(4, 5)), None, None),
        (1, 1, g_rng.randint(0, 8, size=(2, 3)), None, None),
        (0, 0, g_rng.randint(0, 8, size=(4, 5)), 3, None),
    ]),
    "partial_first": gif(5, 5, PAL, [(1, 2, g_rng.randint(0, 8, size=(3, 2)), None, None)]),
    "local_palette": gif(4, 3, PAL, [(0, 0, g_rng.randint(0, 4, size=(3, 4)), None, [9, 8, 7, 6, 5, 4, 3, 2, 1, 90, 80, 70])]),
    "transparent_first": gif(4, 2, PAL, [(0, 0, np.array([[1, 2, 5, 5], [5, 3, 4, 5]]), 5, None)]),
    # A frame reaching past the logical screen is clipped.
    "clipped": gif(5, 5, PAL, [(0, 0, np.zeros((5, 5), int), None, None), (4, 4, np.array([[1, 2], [3, 4], [5, 6]]), None, None)]),
    "big": gif(40, 30, PAL, [(0, 0, g_rng.randint(0, 8, size=(30, 40)), None, None), (3, 4, g_rng.randint(0, 8, size=(20, 25)), 2, None)]),
}
for name, data in gifs.items():
    case("DecodeGif", {"contents": tf.constant(data)})
    case("DecodeImage", {"contents": tf.constant(data)})
    case("DecodeImage", {"contents": tf.constant(data)}, {"expand_animations": False, "dtype": tf.float32})
    case("DecodeImage", {"contents": tf.constant(data)}, {"channels": 1})
    case("DecodePng", {"contents": tf.constant(data)})
    case("DecodeJpeg", {"contents": tf.constant(data)}, {"channels": 3})
    case("DecodeBmp", {"contents": tf.constant(data)})
case("DecodeGif", {"contents": tf.constant(good)})
case("DecodeGif", {"contents": tf.constant(q)}, tolerance=6)
case("DecodeGif", {"contents": tf.constant(bmps["bgr"])})
case("DecodeGif", {"contents": tf.constant(b"GIF89a\x01")})
case("DecodeGif", {"contents": tf.constant(gifs["still"][:13] + b"\x3b")})

with open(OUT, "w") as f:
    json.dump({"tensorflow": tf.__version__, "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print(f"{len(cases)} cases -> {OUT}")
