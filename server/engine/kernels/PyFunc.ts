// TF's PyFunc and EagerPyFunc (python/ops/script_ops.py, core/kernels/py_func_op): placeable, but
// they call back into the Python process that built the graph, which tfgate does not have; they
// fail with UNIMPLEMENTED when run.

import { unimplemented } from "../framework/errors.js";
import { getAttrString } from "../framework/op-def.js";
import { cpuKernel, type KernelConfig } from "./util/kernel-config.js";

function pyKernel(op: string) {
  return cpuKernel(op, (c) => {
    const token = getAttrString(c.attrs, "token");
    return {
      compute() {
        throw unimplemented(
          `${op} (token '${token}') calls a Python function registered in the client process; tfgate runs no Python`,
        );
      },
    };
  });
}

export const pyFuncConfig: KernelConfig = {
  op: {
    name: "PyFunc",
    inputs: ["input: Tin"],
    outputs: ["output: Tout"],
    attrs: ["token: string", "Tin: list(type) >= 0", "Tout: list(type) >= 0"],
    isStateful: true,
  },
  kernel: pyKernel("PyFunc"),
};

export const eagerPyFuncConfig: KernelConfig = {
  op: {
    name: "EagerPyFunc",
    inputs: ["input: Tin"],
    outputs: ["output: Tout"],
    attrs: ["token: string", "is_async: bool = false", "Tin: list(type) >= 0", "Tout: list(type) >= 0"],
    isStateful: true,
  },
  kernel: pyKernel("EagerPyFunc"),
};
