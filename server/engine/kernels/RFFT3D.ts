// TF's RFFT3D (core/kernels/fft_ops.cc): the forward real-signal FFT over the innermost 3 dimensions.

import { spectralOpConfig } from "./util/spectral.js";

export const rfft3dConfig = spectralOpConfig("RFFT3D", 3, true, true);
