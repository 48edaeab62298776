"""Programs with tf.signal's FFTs the way tf.compat.v1 programs use them: rfft / irfft (with
and without an explicit fft_length, even and odd lengths, the zero padding tf.signal adds), fft /
ifft in complex64 and complex128, rfft2d / irfft2d and fft2d on fed signals; the gradients TF's
autodiff builds through rfft, irfft, fft and rfft2d; and a bad fft_length, which fails the step
with TF's INVALID_ARGUMENT."""

import numpy as np
import tensorflow as tf
from programs import cap, program, session

v1 = tf.compat.v1

RNG = np.random.RandomState(5)
SIGNAL = RNG.uniform(-1, 1, [3, 12]).astype(np.float32)
ODD = RNG.uniform(-1, 1, [2, 7]).astype(np.float64)
CPLX = (RNG.uniform(-1, 1, [2, 10]) + 1j * RNG.uniform(-1, 1, [2, 10])).astype(np.complex64)
IMAGE = RNG.uniform(-1, 1, [2, 4, 6]).astype(np.float32)
AUDIO_NOISE = RNG.uniform(-1, 1, [2, 1000])


@program()
def fft_real_signals(target):
    """tf.signal.rfft / irfft on a fed float32 batch (length 12, a power-of-two fft_length 16 that
    tf.signal zero-pads to, an odd fft_length 9 that crops), float64 of odd length 7 round-tripped
    with an explicit fft_length, and rfft2d / irfft2d over an image batch."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 12], name="x")
        x64 = v1.placeholder(tf.float64, [None, 7], name="x64")
        img = v1.placeholder(tf.float32, [None, 4, 6], name="img")
        spec = tf.signal.rfft(x)
        padded = tf.signal.rfft(x, fft_length=[16])
        cropped = tf.signal.rfft(x[:, :9], fft_length=[9])
        back = tf.signal.irfft(spec)
        back_odd = tf.signal.irfft(tf.signal.rfft(x64), fft_length=[7])
        power = tf.abs(spec) ** 2
        spec2 = tf.signal.rfft2d(img)
        back2 = tf.signal.irfft2d(spec2, fft_length=[4, 6])
    r = {}
    with session(target, g) as sess:
        r["run"] = cap(
            lambda: sess.run(
                [spec, padded, cropped, back, back_odd, power, spec2, back2],
                {x: SIGNAL, x64: ODD, img: IMAGE},
            )
        )
    return r


@program()
def fft_complex_signals(target):
    """tf.signal.fft / ifft on a fed complex64 batch of length 10 (not a power of two), complex128
    of length 8, fft2d, and tf.signal.fftshift / ifftshift (Roll) on the spectra."""
    g = tf.Graph()
    with g.as_default():
        z = v1.placeholder(tf.complex64, [None, 10], name="z")
        z128 = tf.cast(z[:, :8], tf.complex128)
        f = tf.signal.fft(z)
        inv = tf.signal.ifft(f)
        f128 = tf.signal.fft(z128)
        inv128 = tf.signal.ifft(f128)
        f2 = tf.signal.fft2d(tf.reshape(z, [2, 2, 5]))
        shifted = tf.signal.fftshift(f, axes=-1)
        unshifted = tf.signal.ifftshift(tf.signal.fftshift(f2))
    r = {}
    with session(target, g) as sess:
        r["run"] = cap(lambda: sess.run([f, inv, f128, inv128, f2, shifted, unshifted], {z: CPLX}))
    return r


@program()
def fft_gradients(target):
    """The gradients TF builds for a spectral loss through rfft (IRFFT, a complex mask, matmul),
    irfft (RFFT), fft (IFFT), rfft2d (IRFFT2D), and in double precision through a float64 irfft of
    odd length and a complex128 fft3d (IFFT3D)."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 12], name="x")
        odd = v1.placeholder(tf.float32, [None, 9], name="odd")
        z = v1.placeholder(tf.complex64, [None, 10], name="z")
        img = v1.placeholder(tf.float32, [None, 4, 6], name="img")
        loss = tf.reduce_sum(tf.abs(tf.signal.rfft(x)) ** 2) + tf.reduce_sum(tf.abs(tf.signal.rfft(odd)))
        half = tf.signal.rfft(x)
        loss_inv = tf.reduce_sum(tf.signal.irfft(half * half) ** 2)
        loss_c = tf.reduce_sum(tf.math.real(tf.signal.fft(z)) * tf.math.imag(tf.signal.ifft(z)))
        loss_2d = tf.reduce_sum(tf.abs(tf.signal.rfft2d(img)))
        grads = tf.gradients(loss, [x, odd]) + tf.gradients(loss_inv, x) + tf.gradients(loss_c, z)
        grads += tf.gradients(loss_2d, img)
        x64 = tf.cast(odd, tf.float64)
        loss_64 = tf.reduce_sum(tf.signal.irfft(tf.signal.rfft(x64) * 2, fft_length=[9]) ** 2)
        z3 = tf.cast(tf.reshape(z, [1, 4, 5]), tf.complex128)
        loss_3d = tf.reduce_sum(tf.abs(tf.signal.fft3d(z3)))
        grads += tf.gradients(loss_64, x64) + tf.gradients(loss_3d, z3)
    r = {}
    with session(target, g) as sess:
        r["run"] = cap(lambda: sess.run(grads, {x: SIGNAL, odd: SIGNAL[:, :9], z: CPLX, img: IMAGE}))
    return r


@program()
def fft_bad_length(target):
    """An fft_length fed at run time: tf.signal.irfft zero-pads the bins to a longer one, but the
    raw IRFFT / RFFT ops fail the step with TF's INVALID_ARGUMENT when the input is shorter than
    fft_length/2+1 bins (fft_length samples) or the length is negative."""
    g = tf.Graph()
    with g.as_default():
        spec = v1.placeholder(tf.complex64, [None, None], name="spec")
        n = v1.placeholder(tf.int32, [1], name="n")
        x = v1.placeholder(tf.float32, [None, None], name="x")
        out = tf.signal.irfft(spec, fft_length=n)
        raw_inv = tf.raw_ops.IRFFT(input=spec, fft_length=n)
        fwd = tf.raw_ops.RFFT(input=x, fft_length=n)
    r = {}
    with session(target, g) as sess:
        s = CPLX[:, :5]
        r["good"] = cap(lambda: sess.run(out, {spec: s, n: [8]}))
        r["padded"] = cap(lambda: sess.run(out, {spec: s, n: [12]}))
        r["too_few_bins"] = cap(lambda: sess.run(raw_inv, {spec: s, n: [12]}))
        r["negative"] = cap(lambda: sess.run(fwd, {x: SIGNAL, n: [-4]}))
        r["input_too_short"] = cap(lambda: sess.run(fwd, {x: SIGNAL, n: [20]}))
    return r


@program()
def fft_spectrograms(target):
    """An audio front end as tf.signal users write it: stft (frames, a Hann window, rfft) with and
    without pad_end, a log-mel spectrogram and its MFCCs, inverse_stft back to the signal, DCT-II /
    orthonormal IDCT / DCT-I, and the gradient of a spectrogram loss with respect to the audio."""
    g = tf.Graph()
    with g.as_default():
        audio = v1.placeholder(tf.float32, [None, 1000], name="audio")
        stft = tf.signal.stft(audio, frame_length=256, frame_step=128)
        stft_pad = tf.signal.stft(audio, frame_length=200, frame_step=80, pad_end=True)
        mel = tf.tensordot(tf.abs(stft), tf.signal.linear_to_mel_weight_matrix(20, 129, 16000.0), 1)
        log_mel = tf.math.log(mel + 1e-6)
        mfcc = tf.signal.mfccs_from_log_mel_spectrograms(log_mel)[..., :8]
        window = tf.signal.inverse_stft_window_fn(128)
        back = tf.signal.inverse_stft(stft, frame_length=256, frame_step=128, window_fn=window)
        dct2 = tf.signal.dct(audio[:, :30])
        idct = tf.signal.idct(audio[:, :30], norm="ortho")
        dct1 = tf.signal.dct(audio[:, :17], type=1)
        (daudio,) = tf.gradients(tf.reduce_sum(log_mel), audio)
    r = {}
    # Broadband noise keeps every mel band well above rounding level, so the log and its gradient
    # stay well conditioned.
    wave = (np.sin(np.arange(2000).reshape([2, 1000]) * 0.05) + AUDIO_NOISE).astype(np.float32)
    with session(target, g) as sess:
        r["run"] = cap(lambda: sess.run([stft, stft_pad, log_mel, mfcc, back, dct2, idct, dct1, daudio], {audio: wave}))
    return r
