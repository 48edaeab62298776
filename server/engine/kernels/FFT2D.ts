// TF's FFT2D (core/kernels/fft_ops.cc): the forward complex-signal FFT over the innermost 2 dimensions.

import { spectralOpConfig } from "./util/spectral.js";

export const fft2dConfig = spectralOpConfig("FFT2D", 2, true, false);
