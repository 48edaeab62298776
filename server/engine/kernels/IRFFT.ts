// TF's IRFFT (core/kernels/fft_ops.cc): the inverse real-signal FFT over the innermost dimension.

import { spectralOpConfig } from "./util/spectral.js";

export const irfftConfig = spectralOpConfig("IRFFT", 1, false, true);
