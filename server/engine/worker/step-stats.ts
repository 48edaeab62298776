// TF's NodeExecStats (core/framework/step_stats.proto) from the executor's per-node records, as
// TF's StepStatsCollector fills them for RunOptions.trace_level = FULL_TRACE.

import type { MessageInitShape } from "@bufbuild/protobuf";
import type { NodeExecStatsSchema } from "../../../gen/tensorflow/core/framework/step_stats_pb.js";
import type { NodeStatsRecord } from "../framework/op-kernel.js";

/** Converts one record (times in microseconds since the epoch, fractional) to NodeExecStats. */
export function nodeExecStats(r: NodeStatsRecord): MessageInitShape<typeof NodeExecStatsSchema> {
  const startUs = Math.floor(r.startUs);
  const startNs = BigInt(Math.floor(r.startUs * 1000));
  const relUs = BigInt(Math.max(0, Math.round(r.endUs - r.startUs)));
  const relNs = BigInt(Math.max(0, Math.round((r.endUs - r.startUs) * 1000)));
  return {
    nodeName: r.nodeName,
    allStartMicros: BigInt(startUs),
    opStartRelMicros: 0n,
    opEndRelMicros: relUs,
    allEndRelMicros: relUs,
    allStartNanos: startNs,
    opStartRelNanos: 0n,
    opEndRelNanos: relNs,
    allEndRelNanos: relNs,
    scheduledMicros: BigInt(startUs),
    scheduledNanos: startNs,
    // TF's label: "z = AddV2(y, x)".
    timelineLabel: `${r.nodeName} = ${r.op}(${r.inputs.join(", ")})`,
    threadId: 0,
    output: r.outputs.map((o) => ({
      slot: o.slot,
      tensorDescription: {
        dtype: o.dtype,
        shape: { dim: o.shape.map((d) => ({ size: BigInt(d) })) },
      },
    })),
  };
}
