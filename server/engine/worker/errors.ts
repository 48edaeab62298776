// Worker-side error texts (TF's graph_mgr.cc / worker.cc).

import { aborted } from "../framework/errors.js";

export function abortedHandle(handle: string): Error {
  return aborted(`Graph handle is not found: ${handle}. Possibly, this worker just restarted.`);
}
