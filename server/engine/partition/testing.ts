// Test-only helpers for cross-device loops: the TensorFlow fixture made by
// test/tf/export_cross_device_loop.py, and a structural summary of what AddControlFlow and
// Partition add to a partition graph, in a form that compares equal between TF and tfgate.
// Nothing in the engine imports this file.

import { readFileSync } from "node:fs";
import type { NodeDef } from "../../../gen/tensorflow/core/framework/node_def_pb.js";

export interface CrossDeviceLoopFixture {
  readonly tf_version: string;
  readonly cases: readonly CrossDeviceLoopCase[];
  /** TF's frame ids of the nested case's loop instances (decimal uint64). */
  readonly frame_ids: { readonly outer: string; readonly inner: readonly string[] };
}

export interface CrossDeviceLoopCase {
  readonly name: string;
  /** The GraphDef in proto3 JSON. */
  readonly graph: unknown;
  readonly fetches: readonly string[];
  readonly runs: readonly {
    readonly feeds: Readonly<Record<string, { readonly dtype: string; readonly values: readonly number[] }>>;
    readonly expected: Readonly<
      Record<
        string,
        { readonly dtype: string; readonly shape: readonly number[]; readonly values: readonly number[] }
      >
    >;
  }[];
  readonly partitions: readonly { readonly device: string; readonly nodes: readonly SummaryNode[] }[];
}

/** A partition node as the fixture records it (TF's JSON field names). */
export interface SummaryNode {
  readonly name: string;
  readonly op: string;
  readonly input: readonly string[];
  readonly frame_name?: string;
  readonly tensor_name?: string;
}

export function loadCrossDeviceLoopFixture(): CrossDeviceLoopFixture {
  const url = new URL("../../../test/tf/cross_device_loop.json", import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as CrossDeviceLoopFixture;
}

const utf8 = new TextDecoder();

/** A NodeDef in the fixture's form. */
export function summaryNode(n: NodeDef): SummaryNode {
  const s = (k: string) => {
    const v = n.attr[k]?.value;
    return v?.case === "s" ? utf8.decode(v.value) : undefined;
  };
  const frame = s("frame_name");
  const tensor = s("tensor_name");
  return {
    name: n.name,
    op: n.op,
    input: [...n.input],
    ...(frame !== undefined ? { frame_name: frame } : {}),
    ...(tensor !== undefined ? { tensor_name: tensor } : {}),
  };
}

/**
 * What AddControlFlow and Partition added to one partition, one line per node, sorted: the
 * control-loop nodes (_cloop…), the Consts feeding their Enters, and every transfer between
 * devices. Names drop what only numbers them (TF's DirectSession "/_<n>", tfgate's "_S<n>" and
 * "_G<n>", the "edge_<id>_" of tensor names, the "/ctrl" of TF's dummy Consts); _HostSend/_HostRecv
 * count as _Send/_Recv (TF keeps int32 in host memory; on CPU the two are the same); inputs are
 * compared as a set. Client feeds and fetches (client_terminated) are left out.
 */
export function controlFlowSummary(
  nodes: readonly SummaryNode[],
  clientTerminated: ReadonlySet<string> = new Set(),
): string[] {
  const strip = (s: string) => s.replace(/(\/_\d+|_[SG]\d+)(?=$|:)/, "").replace(/\/ctrl$/, "");
  const feedsControlLoop = new Set(
    nodes
      .filter((n) => n.name.startsWith("_cloop") && n.op === "Enter")
      .map((n) => n.input[0]!.split(":")[0]!),
  );
  return nodes
    .filter(
      (n) =>
        !clientTerminated.has(n.name) &&
        (n.name.startsWith("_cloop") || feedsControlLoop.has(n.name) || /^_(Host)?(Send|Recv)$/.test(n.op)),
    )
    .map((n) => {
      const op = n.op.replace("_Host", "_");
      const inputs = n.input
        .map((i) => (i.startsWith("^") ? `^${strip(i.slice(1))}` : strip(i)))
        .sort()
        .join(",");
      const name =
        op === "_Send" || op === "_Recv" ? (n.tensor_name ?? "").replace(/^edge_\d+_/, "") : strip(n.name);
      return `${op} ${name} [${inputs}]${n.frame_name !== undefined ? ` frame=${n.frame_name}` : ""}`;
    })
    .sort();
}
