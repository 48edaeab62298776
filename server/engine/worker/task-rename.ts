// TensorFlow's RenamedDevice (core/common_runtime/renamed_device.h) as a name mapping: with
// ClusterSpec propagation a task's devices carry, for one session, the job and task index the
// session's ClusterDef gives that task ("/job:<job>/replica:0/task:<i>"), whatever the process was
// started as. TF wraps each device under the new name; tfgate's device workers keep their own names
// and the translation happens where a session's names meet them: the device strings of the graphs
// registered, and the rendezvous keys (send and recv device fields) of feeds, fetches and
// RecvTensor. Keys that go to another task are put back into the session's names, since the
// sender's rendezvous holds them under those.

import type { GraphDef } from "../../../gen/tensorflow/core/framework/graph_pb.js";
import { parseDeviceName } from "../device/device-name.js";
import type { Device } from "../device/device-set.js";

/** A mapping between a task's own name and the name one session gives it. */
export interface TaskRename {
  /** The name the process was started with, "/job:localhost/replica:0/task:0". */
  readonly own: string;
  /** The session's name for it, "/job:worker/replica:0/task:1". */
  readonly session: string;
}

/** `device` with its task prefix `from` replaced by `to`; other strings as they are. */
function swapTask(device: string, from: string, to: string): string {
  if (device === from) return to;
  return device.startsWith(`${from}/`) ? to + device.slice(from.length) : device;
}

export const toOwnDevice = (r: TaskRename, device: string): string => swapTask(device, r.session, r.own);
export const toSessionDevice = (r: TaskRename, device: string): string => swapTask(device, r.own, r.session);

/** A rendezvous key ("src;incarnation;dst;name;frame:iter") with its device fields mapped. */
function mapKey(key: string, map: (device: string) => string): string {
  const fields = key.split(";");
  if (fields.length < 5) return key;
  fields[0] = map(fields[0]!);
  fields[2] = map(fields[2]!);
  return fields.join(";");
}

export const keyToOwn = (r: TaskRename, key: string): string => mapKey(key, (d) => toOwnDevice(r, d));
export const keyToSession = (r: TaskRename, key: string): string => mapKey(key, (d) => toSessionDevice(r, d));

/** The attrs that name devices in partition graphs (_Send, _Recv, _HostSend, _HostRecv). */
const deviceAttrs = ["send_device", "recv_device"] as const;

/** A copy of a partition graph in the task's own names (nodes' devices and the _Send/_Recv attrs). */
export function graphToOwn(r: TaskRename, graph: GraphDef): GraphDef {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  return {
    ...graph,
    node: graph.node.map((n) => {
      const attr = { ...n.attr };
      for (const name of deviceAttrs) {
        const a = attr[name];
        if (a?.value.case !== "s") continue;
        const mapped = toOwnDevice(r, decoder.decode(a.value.value));
        attr[name] = { ...a, value: { case: "s", value: encoder.encode(mapped) } };
      }
      return { ...n, device: toOwnDevice(r, n.device), attr };
    }),
  };
}

/** A device seen under the session's name (same type, index and incarnation). */
export function renamedDevice(r: TaskRename, d: Device): Device {
  const name = toSessionDevice(r, d.name);
  return { ...d, name, parsed: parseDeviceName(name) as Device["parsed"] };
}
