// TF's IFFT2D (core/kernels/fft_ops.cc): the inverse complex-signal FFT over the innermost 2 dimensions.

import { spectralOpConfig } from "./util/spectral.js";

export const ifft2dConfig = spectralOpConfig("IFFT2D", 2, false, false);
