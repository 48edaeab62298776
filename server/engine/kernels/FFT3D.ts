// TF's FFT3D (core/kernels/fft_ops.cc): the forward complex-signal FFT over the innermost 3 dimensions.

import { spectralOpConfig } from "./util/spectral.js";

export const fft3dConfig = spectralOpConfig("FFT3D", 3, true, false);
