// What one node holding a big constant costs the RPC thread when its partition is encoded for a
// worker thread (docs/benchmarks.md, "Big graphs"): toBinary in one piece against the sliced
// encoder (graph/graph-def-wire.ts), which writes around the tensor's bytes and joins the pieces a
// few megabytes at a time. Printed per round: wall time and the longest time the thread was held
// between two turns of the event loop (a setImmediate ticker), alternating the two.
//
//   node --import tsx bench/big-constant.ts [--mb 64] [--rounds 4]

import { create, toBinary } from "@bufbuild/protobuf";
import { GraphDefSchema } from "../gen/tensorflow/core/framework/graph_pb.js";
import { TensorProtoSchema } from "../gen/tensorflow/core/framework/tensor_pb.js";
import { runInSlices } from "../server/engine/framework/slices.js";
import { graphDefToBinarySliced } from "../server/engine/graph/graph-def-wire.js";
import { attr } from "../test/support/attr.js";
import { DataType, node } from "../test/support/graphs.js";
import { fmt, longestStretch, positive } from "./support.js";

function parseArgs(argv: readonly string[]): { mb: number; rounds: number } {
  let mb = 64;
  let rounds = 4;
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === "--mb") mb = positive("mb", argv[i + 1], true);
    else if (argv[i] === "--rounds") rounds = positive("rounds", argv[i + 1], true);
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return { mb, rounds };
}

const { mb, rounds } = parseArgs(process.argv.slice(2));
const bytes = mb * 1024 * 1024;
const value = create(TensorProtoSchema, {
  dtype: DataType.DT_FLOAT,
  tensorShape: { dim: [{ size: BigInt(bytes / 4) }] },
  tensorContent: new Uint8Array(bytes).fill(1),
});
const graph = create(GraphDefSchema, {
  node: [node("big", "Const", { attrs: { dtype: attr.type(DataType.DT_FLOAT), value: attr.tensor(value) } })],
});
for (let r = 0; r < rounds; r++) {
  const whole = await longestStretch(() => toBinary(GraphDefSchema, graph));
  const sliced = await longestStretch(() => runInSlices(graphDefToBinarySliced(graph)));
  console.log(
    `${mb} MB constant: toBinary ${fmt(whole.wallMs, 0)} ms (held ${fmt(whole.longestMs, 0)} ms); ` +
      `sliced ${fmt(sliced.wallMs, 0)} ms (longest hold ${fmt(sliced.longestMs, 0)} ms)`,
  );
}
