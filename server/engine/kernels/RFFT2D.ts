// TF's RFFT2D (core/kernels/fft_ops.cc): the forward real-signal FFT over the innermost 2 dimensions.

import { spectralOpConfig } from "./util/spectral.js";

export const rfft2dConfig = spectralOpConfig("RFFT2D", 2, true, true);
