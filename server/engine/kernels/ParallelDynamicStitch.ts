// TF's ParallelDynamicStitch: DynamicStitch whose duplicate indices may resolve in any order; we
// resolve them like DynamicStitch (later inputs win).

import { stitchConfig } from "./DynamicStitch.js";

export const parallelDynamicStitchConfig = stitchConfig("ParallelDynamicStitch");
