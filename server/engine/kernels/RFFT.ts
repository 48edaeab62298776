// TF's RFFT (core/kernels/fft_ops.cc): the forward real-signal FFT over the innermost dimension.

import { spectralOpConfig } from "./util/spectral.js";

export const rfftConfig = spectralOpConfig("RFFT", 1, true, true);
