// TF's FFT (core/kernels/fft_ops.cc): the forward complex-signal FFT over the innermost dimension.

import { spectralOpConfig } from "./util/spectral.js";

export const fftConfig = spectralOpConfig("FFT", 1, true, false);
