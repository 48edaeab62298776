// TF's IRFFT2D (core/kernels/fft_ops.cc): the inverse real-signal FFT over the innermost 2 dimensions.

import { spectralOpConfig } from "./util/spectral.js";

export const irfft2dConfig = spectralOpConfig("IRFFT2D", 2, false, true);
