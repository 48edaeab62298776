// TensorFlow's Placer (core/common_runtime/placer.cc), first version: every node gets a device from
// the device set that matches its requested spec and has a kernel for its op. Nodes that already
// carry a device (stateful nodes placed by an earlier Create/Extend) keep it. Errors are
// INVALID_ARGUMENT with TF's "Cannot assign a device for operation …" wording.
//
// Colocation groups and heuristics A/B arrive with multi-device placement; with the default single
// device they cannot change a result.

import { deviceMatches, parseDeviceName } from "../device/device-name.js";
import type { Device } from "../device/device-set.js";
import { invalidArgument } from "../framework/errors.js";
import { supportedDeviceTypes } from "../framework/op-kernel.js";
import type { Graph, Node } from "../graph/graph.js";

export interface PlacerOptions {
  readonly allowSoftPlacement: boolean;
  readonly logDevicePlacement: boolean;
  /** Devices of stateful nodes from an earlier placement, by node name. */
  readonly previousPlacement?: ReadonlyMap<string, string>;
  readonly log?: (message: string) => void;
}

function cannotAssign(node: Node, why: string): Error {
  return invalidArgument(`Cannot assign a device for operation ${node.name}: ${why}`);
}

/** Assigns node.assignedDevice for every node of graph. `devices` must be in priority order. */
export function placeGraph(graph: Graph, devices: readonly Device[], options: PlacerOptions): void {
  const available = devices.map((d) => d.name).sort();
  for (const node of graph.nodes) {
    const prev = options.previousPlacement?.get(node.name);
    if (prev !== undefined && node.opDef.isStateful) {
      node.assignedDevice = prev;
      continue;
    }
    const spec = parseDeviceName(node.requestedDevice);
    if (spec === undefined) {
      throw invalidArgument(
        `Malformed device specification '${node.requestedDevice}' in node: {name:'${node.name}' op device:{requested: ` +
          `'${node.requestedDevice}', assigned: ''} def:{{{node ${node.name}}} = ${node.op}[]()}}\n\t [[${node.name}]]`,
      );
    }
    const kernelTypes = supportedDeviceTypes(node.op);
    const matching = devices.filter((d) => deviceMatches(spec, d.parsed));
    let candidates = matching.filter((d) => kernelTypes.includes(d.type));
    if (candidates.length === 0 && options.allowSoftPlacement) {
      const relaxed = { ...spec };
      delete relaxed.type;
      delete relaxed.id;
      candidates = devices.filter((d) => deviceMatches(relaxed, d.parsed) && kernelTypes.includes(d.type));
      if (candidates.length === 0) candidates = devices.filter((d) => kernelTypes.includes(d.type));
    }
    if (candidates.length === 0) {
      if (matching.length === 0) {
        // TF 2.21's wording (observed); older TF said "Could not satisfy explicit device specification".
        const gpuHint =
          spec.type === "GPU" ? " The requested device appears to be a GPU, but CUDA is not enabled." : "";
        throw cannotAssign(
          node,
          `{{node ${node.name}}} was explicitly assigned to ${node.requestedDevice} but available devices are ` +
            `[ ${available.join(", ")} ]. Make sure the device specification refers to a valid device.${gpuHint}\n\t [[${node.name}]]`,
        );
      }
      const type = spec.type ?? matching[0]!.type;
      throw cannotAssign(
        node,
        `Could not satisfy explicit device specification '${node.requestedDevice}' because no supported kernel for ${type} devices is available.`,
      );
    }
    node.assignedDevice = candidates[0]!.name;
    if (options.logDevicePlacement) options.log?.(`${node.name}: (${node.op}): ${node.assignedDevice}`);
  }
}
