// Prints the name of every op tfgate registers, one per line (input for
// test/tf/export_op_summaries.py).
import { allKernelConfigs } from "../server/engine/kernels/register-all.js";

for (const c of allKernelConfigs) console.log(c.op.name);
