// TF's IFFT3D (core/kernels/fft_ops.cc): the inverse complex-signal FFT over the innermost 3 dimensions.

import { spectralOpConfig } from "./util/spectral.js";

export const ifft3dConfig = spectralOpConfig("IFFT3D", 3, false, false);
