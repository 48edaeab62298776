// TF's IFFT (core/kernels/fft_ops.cc): the inverse complex-signal FFT over the innermost dimension.

import { spectralOpConfig } from "./util/spectral.js";

export const ifftConfig = spectralOpConfig("IFFT", 1, false, false);
