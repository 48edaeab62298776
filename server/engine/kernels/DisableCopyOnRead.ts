// TF's DisableCopyOnRead (core/kernels/resource_variable_ops.cc): what a Saver runs on a resource
// variable before reading it for SaveV2. TF switches a variable that sparse ops put in copy-on-read
// mode back to copy-on-write; tfgate's variables have no such mode, so only the lookup remains, and
// a variable never assigned fails as a read does (FAILED_PRECONDITION "Could not find variable").

import { isTfError, TfCode } from "../framework/errors.js";
import { type KernelConfig, simpleKernel } from "./util/kernel-config.js";
import { couldNotFindVariable, handleFromInput, lookupVar } from "./util/variables.js";

export const disableCopyOnReadConfig: KernelConfig = {
  op: { name: "DisableCopyOnRead", inputs: ["resource: resource"], isStateful: true },
  kernel: simpleKernel("DisableCopyOnRead", (ctx) => {
    const h = handleFromInput(ctx);
    try {
      lookupVar(ctx, h);
    } catch (e) {
      if (isTfError(e) && e.code === TfCode.NOT_FOUND) throw couldNotFindVariable(h, e);
      throw e;
    }
  }),
};
