// TF's IRFFT3D (core/kernels/fft_ops.cc): the inverse real-signal FFT over the innermost 3 dimensions.

import { spectralOpConfig } from "./util/spectral.js";

export const irfft3dConfig = spectralOpConfig("IRFFT3D", 3, false, true);
