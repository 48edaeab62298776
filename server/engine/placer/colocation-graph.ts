// TensorFlow's ColocationGraph (core/common_runtime/colocation_graph.cc): the union-find of nodes
// that must share a device, each group (its root Member) carrying the merged device constraints:
//
//  - requested: the (partial) specs users wrote in NodeDef.device, merged over the group;
//  - resource:  the spec of a resource/ref generator (VarHandleOp, VariableV2) with a device, which
//               resource and ref edges must not override;
//  - assigned:  the full name of a device already chosen (restored stateful nodes, or nodes the
//               placer has placed);
//  - supported device types: the device types with kernels for every op in the group.
//
// Groups come from reference and resource edges (ColocateResourceAndRefEdges), then from `_class`
// "loc:@name" attrs and node names (ColocateAllNodes). Candidate devices of a group are computed
// once (GetDevicesForNode) and narrowed when the placer assigns a member (LimitToAssignedDevice).
//
// Not modelled (no such ops or devices here): function-call inspection (IsPlacerInspectionRequired),
// DT_VARIANT host-only constraints, dataset-op colocation, XLA/composite devices and kernel
// priorities (all of tfgate's kernels have priority 0, so TF's prioritised type merges reduce to
// an ordered intersection).

import type { Device } from "../device/device-set.js";
import { failedPrecondition, internal, invalidArgument, isTfError, TfError } from "../framework/errors.js";
import { registeredKernels, supportedDeviceTypes } from "../framework/op-kernel.js";
import { runToEnd, type Sliced, YIELD_EVERY } from "../framework/slices.js";
import { DataType, dataTypeString, isRefType } from "../framework/types.js";
import type { Node } from "../graph/graph.js";
import {
  areCompatible,
  copySpec,
  type DevSpec,
  emptySpec,
  ensureSpecification,
  hasSomeDetails,
  mergeDevNames,
  mergeOverrideDevNames,
  parseFullName,
  specMatches,
  specsEqual,
  specToString,
} from "./device-name-utils.js";
import { attachDef, nodeDebugString, summarizeAttrs } from "./node-summary.js";

export interface ColocationOptions {
  readonly allowSoftPlacement: boolean;
  readonly logDevicePlacement: boolean;
  readonly log?: ((message: string) => void) | undefined;
}

/**
 * Ops whose resource/ref inputs do not force colocation (TF's InputColocationExemptionRegistry:
 * function calls and dataset ops that forward handles instead of dereferencing them). tfgate
 * registers none of them; Identity, IdentityN, Switch, Merge, Enter … are NOT exempt in TF.
 */
export const inputColocationExemptOps: ReadonlySet<string> = new Set([
  "PartitionedCall",
  "StatefulPartitionedCall",
  "FlatMapDataset",
  "InterleaveDataset",
  "MapAndBatchDataset",
  "ExperimentalMapAndBatchDataset",
  "GroupByWindowDataset",
  "ExperimentalGroupByWindowDataset",
  "ScanDataset",
  "ExperimentalScanDataset",
  "RpcServerRegister",
]);

/** TF's colocation attr and its group prefix (kColocationAttrName, kColocationGroupPrefix). */
export const kColocationAttrName = "_class";
export const kColocationGroupPrefix = "loc:@";

/** One node's entry in the union-find; only roots' constraints are meaningful (TF's Member). */
interface Member {
  parent: number;
  rank: number;
  /** TF's assigned_device_name_index_: the interned assigned device of the group, -1 when none. */
  assignedIndex: number;
  requested: DevSpec;
  assigned: DevSpec;
  resource: DevSpec;
  /** Shared between members (replaced, never changed in place). */
  supportedTypes: readonly string[];
  /** Cached candidate devices of the group (empty = not computed yet; replaced, never changed). */
  possible: readonly Device[];
}

/** TF's error when pinning a group to a node's assigned device fails (it never should). */
function constrainError(detail: string): Error {
  return internal(`Constraining by assigned device should not cause an error. ${detail}`);
}

/** Members' candidate devices before they are computed: one shared empty list. */
const notComputed: readonly Device[] = Object.freeze([]);

const colocationNode = (name: string) => `{{colocation_node ${name}}}`;

function deviceSpec(d: Device): DevSpec {
  const p = d.parsed;
  return { job: p.job, replica: p.replica, task: p.task, type: p.type, id: p.id };
}

/** Ops with no inputs and one resource or ref output (VarHandleOp, VariableV2): their device is a
 * resource device that resource edges must respect. */
function isRefOrResourceGenerator(node: Node): boolean {
  const t = node.outputTypes[0];
  return (
    node.inputTypes.length === 0 &&
    node.outputTypes.length === 1 &&
    t !== undefined &&
    (isRefType(t) || t === DataType.DT_RESOURCE)
  );
}

/** TF's KernelsRegisteredForOp (tfgate's kernels carry no type constraints). */
export function kernelsRegisteredForOp(op: string): string {
  const types = registeredKernels()
    .filter((k) => k.op === op)
    .flatMap((k) => k.deviceTypes);
  if (types.length === 0) return "  <no registered kernels>\n";
  return types.map((t) => `  device='${t}'\n`).join("");
}

export class ColocationGraph {
  private readonly members: Member[] = [];
  /** Device types of the device set, in priority order (TF's PrioritizedDeviceTypeList). */
  private readonly deviceTypes: string[];
  private readonly specs = new Map<Device, DevSpec>();
  private readonly byName = new Map<string, Device>();
  /** Nodes' device names parsed once each (see parseDevice). */
  private readonly parsedDevices = new Map<string, DevSpec | undefined>();
  /** TF's Graph::InternDeviceName: index 0 is "", assigned names get 1, 2, … */
  private readonly interned = new Map<string, number>([["", 0]]);

  /**
   * `order` is TF's node order (GraphConstructor's creation order), `tfIdOf` the matching TF node
   * ids (for messages); `devices` is in priority order.
   */
  constructor(
    private readonly order: readonly Node[],
    private readonly edges: readonly { src: Node; dst: Node; dstInput: number }[],
    private readonly tfIdOf: (node: Node) => number,
    private readonly devices: readonly Device[],
    private readonly options: ColocationOptions,
  ) {
    if (devices.length === 0) throw failedPrecondition("No devices are registered");
    this.deviceTypes = [...new Set(devices.map((d) => d.type))];
    for (const d of devices) {
      this.specs.set(d, deviceSpec(d));
      this.byName.set(d.name, d);
    }
  }

  intern(name: string): number {
    let i = this.interned.get(name);
    if (i === undefined) {
      i = this.interned.size;
      this.interned.set(name, i);
    }
    return i;
  }

  /** TF's ColocationGraph::Initialize. Throws TfError (already carrying TF's node suffix). */
  initialize(): void {
    runToEnd(this.initializeSliced());
  }

  /** initialize as a sliced pass (framework/slices.ts). */
  *initializeSliced(): Sliced<void> {
    let k = 0;
    for (const node of this.order) {
      if (++k % YIELD_EVERY === 0) yield;
      try {
        this.members[node.id] = this.initializeMember(node);
      } catch (e) {
        throw withMessage(e, (m) => attachDef(m, node.name));
      }
    }
    yield* this.colocateResourceAndRefEdges();
    yield* this.colocateAllNodes();
  }

  /** Device types with a kernel for an op, by op: one lookup per op, not per node. */
  private readonly supportedTypesByOp = new Map<string, readonly string[]>();

  private supportedTypesFor(node: Node): readonly string[] {
    // A call of a library function runs wherever its caller does (its body is placed when run).
    if (node.opDef.isFunction) return this.deviceTypes;
    let types = this.supportedTypesByOp.get(node.op);
    if (types === undefined) {
      const kernelTypes = supportedDeviceTypes(node.op);
      types = this.deviceTypes.filter((t) => kernelTypes.includes(t));
      this.supportedTypesByOp.set(node.op, types);
    }
    return types;
  }

  private initializeMember(node: Node): Member {
    const m: Member = {
      parent: node.id,
      rank: 0,
      assignedIndex: -1,
      requested: emptySpec(),
      assigned: emptySpec(),
      resource: emptySpec(),
      supportedTypes: this.supportedTypesFor(node),
      possible: notComputed,
    };
    if (node.assignedDevice !== "") {
      // A restored (stateful) placement: the runtime made it, so problems are INTERNAL.
      const parsed = this.parseDevice(node.assignedDevice);
      if (parsed === undefined) throw internal(`Malformed assigned device '${node.assignedDevice}'`);
      m.assigned = parsed;
      m.requested = copySpec(parsed);
      const device = this.byName.get(node.assignedDevice);
      if (device === undefined) {
        throw internal(
          `Assigned device '${node.assignedDevice}' does not match any device. This error can happen when one ` +
            "attempts to run a tf.function with resource inputs residing on remote devices. This use case is " +
            "currently not supported. Here are the devices available on this machine: " +
            `[${this.devices.map((d) => d.name).join(", ")}].If you are seeing this error when running using a ` +
            "tf.Session, set share_cluster_devices_in_session to true in the tf.ConfigProto.",
        );
      }
      if (!m.supportedTypes.includes(device.type)) {
        throw internal(
          `Assigned device '${node.assignedDevice}' does not have registered OpKernel support for ${node.op}`,
        );
      }
      return m;
    }
    if (m.supportedTypes.length === 0) {
      throw invalidArgument(
        `No OpKernel was registered to support Op '${node.op}' used by {{node ${node.name}}} with these attrs: ` +
          `[${summarizeAttrs(node.attrs, node.requestedDevice)}]\nRegistered devices: [${[...this.deviceTypes].sort().join(", ")}]\n` +
          `Registered kernels:\n${kernelsRegisteredForOp(node.op)}`,
      );
    }
    if (node.requestedDevice !== "") {
      const parsed = this.parseDevice(node.requestedDevice);
      if (parsed === undefined) {
        throw invalidArgument(
          `Malformed device specification '${node.requestedDevice}' in node: ${nodeDebugString(node, this.tfIdOf(node))}`,
        );
      }
      if (isRefOrResourceGenerator(node)) {
        // A resource generator's device is treated like an assigned one: edges must not move it.
        m.resource = parsed;
        m.requested = copySpec(parsed);
      } else {
        m.requested = parsed;
      }
    }
    return m;
  }

  /**
   * parseFullName for a node's device, parsed once per distinct name (a big graph names a handful
   * of devices on all its nodes); each caller gets its own copy, as members' specs are merged.
   */
  private parseDevice(name: string): DevSpec | undefined {
    let parsed = this.parsedDevices.get(name);
    if (parsed === undefined && !this.parsedDevices.has(name)) {
      parsed = parseFullName(name);
      this.parsedDevices.set(name, parsed);
    }
    return parsed === undefined ? undefined : copySpec(parsed);
  }

  private findRoot(id: number): number {
    const m = this.members[id]!;
    if (m.parent !== id) m.parent = this.findRoot(m.parent);
    return m.parent;
  }

  /** TF's ColocateResourceAndRefEdges: a ref or resource input forces src and dst together. */
  private *colocateResourceAndRefEdges(): Sliced<void> {
    let k = 0;
    for (const e of this.edges) {
      if (++k % YIELD_EVERY === 0) yield;
      const t = e.dst.inputTypes[e.dstInput]!;
      if ((t === DataType.DT_RESOURCE || isRefType(t)) && !inputColocationExemptOps.has(e.dst.op)) {
        this.colocateResourceOrRefEdge(e.src, e.dst);
      }
    }
  }

  private colocateResourceOrRefEdge(src: Node, dst: Node): void {
    const srcRootId = this.findRoot(src.id);
    const dstRootId = this.findRoot(dst.id);
    this.ensureCompatibilityAcrossResourceEdge(src, this.members[srcRootId]!, dst, this.members[dstRootId]!);
    try {
      this.colocateNodes(src, srcRootId, dst, dstRootId);
    } catch (e) {
      throw invalidArgument(
        attachDef(
          "Nodes were connected by a reference or resource connection (requiring them to be on the same device), " +
            `but the two nodes were assigned two different devices: ${messageOf(e)}`,
          dst.name,
        ),
      );
    }
  }

  /** TF's Member::EnsureCompatibilityAcrossResourceEdge (dstRoot is updated in place). */
  private ensureCompatibilityAcrossResourceEdge(
    src: Node,
    srcRoot: Member,
    dst: Node,
    dstRoot: Member,
  ): void {
    for (const [what, a, b] of [
      ["assigned", srcRoot.assigned, dstRoot.assigned],
      ["resource", srcRoot.resource, dstRoot.resource],
    ] as const) {
      if (!areCompatible(a, b)) {
        throw invalidArgument(
          `Cannot place the graph because a reference or resource edge connects colocation groups with ` +
            `incompatible ${what} devices: ${specToString(a)} vs ${specToString(b)}. The edge src node is ` +
            `${src.name} , and the dst node is ${dst.name}`,
        );
      }
    }
    if (areCompatible(srcRoot.requested, dstRoot.requested)) return;
    // Assigned and resource devices agree but requested ones do not: the resource side wins.
    if (this.options.logDevicePlacement) {
      this.options.log?.(
        `Ignoring device specification ${specToString(dstRoot.requested)} for node '${dst.name}' because the ` +
          `input edge from '${src.name}' is a reference connection and already has a device field set to ` +
          specToString(srcRoot.requested),
      );
    }
    dstRoot.requested = copySpec(srcRoot.requested);
    ensureSpecification(dstRoot.requested, dstRoot.assigned);
    ensureSpecification(dstRoot.requested, dstRoot.resource);
  }

  /** TF's ColocateAllNodes: `_class` "loc:@g" entries and each node's own name are groups. */
  private *colocateAllNodes(): Sliced<void> {
    const groupRoot = new Map<string, Node>();
    const utf8 = new TextDecoder();
    let k = 0;
    for (const node of this.order) {
      if (++k % YIELD_EVERY === 0) yield;
      const attr = node.attrs[kColocationAttrName];
      if (attr !== undefined) {
        if (attr.value.case === "list") {
          for (const raw of attr.value.value.s) {
            const spec = utf8.decode(raw);
            if (spec.startsWith(kColocationGroupPrefix)) {
              this.colocateNodeToGroup(groupRoot, node, spec.slice(kColocationGroupPrefix.length));
            }
          }
        } else if (attr.value.case === "s" && attr.value.value.length > 0) {
          this.options.log?.(
            `The value for colocation attribute '_class' must be a list of strings, not a single string: ` +
              nodeDebugString(node, this.tfIdOf(node)),
          );
        }
      }
      this.colocateNodeToGroup(groupRoot, node, node.name);
    }
  }

  private colocateNodeToGroup(groupRoot: Map<string, Node>, node: Node, group: string): void {
    const root = groupRoot.get(group);
    if (root === undefined) {
      groupRoot.set(group, node);
      return;
    }
    try {
      this.colocateNodes(node, this.findRoot(node.id), root, this.findRoot(root.id));
    } catch (e) {
      const err = withMessage(e, (m) => attachDef(m, node.name));
      if (!this.options.allowSoftPlacement) throw err;
      if (this.options.logDevicePlacement) {
        this.options.log?.(
          `Ignoring request to colocate node '${node.name}' with nodes in colocation group '${group}' because ` +
            `soft placement is on and an attempt at doing so resulted in the following error: ` +
            `INVALID_ARGUMENT: ${err.message}`,
        );
      }
    }
  }

  /** TF's ColocateNodes: union by rank after checking the merged constraints. */
  private colocateNodes(x: Node, xRoot: number, y: Node, yRoot: number): void {
    if (xRoot === yRoot) return;
    const xm = this.members[xRoot]!;
    const ym = this.members[yRoot]!;
    // Which root survives (TF's Member::Merge): the higher rank, x on a tie.
    const [newRootId, oldRootId] = xm.rank < ym.rank ? [yRoot, xRoot] : [xRoot, yRoot];
    const newRoot = this.members[newRootId]!;
    const oldRoot = this.members[oldRootId]!;
    try {
      mergeMemberDeviceNames(newRoot, oldRoot, this.options.allowSoftPlacement);
    } catch (e) {
      throw invalidArgument(
        `Cannot colocate nodes ${colocationNode(x.name)} and ${colocationNode(y.name)}: ${messageOf(e)}`,
      );
    }
    const types = newRoot.supportedTypes.filter((t) => oldRoot.supportedTypes.includes(t));
    if (types.length === 0) {
      throw invalidArgument(
        `Cannot colocate nodes ${colocationNode(x.name)} and ${colocationNode(y.name)} because no device type ` +
          `supports both of those nodes and the other nodes colocated with them.${this.debugInfo(xRoot)}${this.debugInfo(yRoot)}`,
      );
    }
    newRoot.supportedTypes = types;
    if (xm.rank < ym.rank) xm.parent = yRoot;
    else if (xm.rank > ym.rank) ym.parent = xRoot;
    else {
      ym.parent = xRoot;
      xm.rank++;
    }
  }

  /** TF's LimitToAssignedDevice / Member::AssignDevice: pins node's group to its assigned device. */
  limitToAssignedDevice(node: Node): void {
    const root = this.members[this.findRoot(node.id)]!;
    const index = this.intern(node.assignedDevice);
    if (index === root.assignedIndex) return;
    const parsed = this.parsedAssigned(node.assignedDevice);
    // (No closures or strings built per node here: this runs for every node of a graph; the
    // messages are built from a copy of the spec taken before a merge, only when one fails.)
    const dev = node.assignedDevice;
    let before = copySpec(root.assigned);
    try {
      mergeDevNames(root.assigned, parsed);
    } catch (e) {
      throw constrainError(
        `Original root's assigned device name: ${specToString(before)} node's assigned device name "${dev}. Error: ${messageOf(e)}`,
      );
    }
    before = copySpec(root.resource);
    try {
      mergeOverrideDevNames(root.resource, parsed);
    } catch (e) {
      throw constrainError(
        `Original root's resource device name: ${specToString(before)} node's assigned device name "${dev}. Error: ${messageOf(e)}`,
      );
    }
    before = copySpec(root.requested);
    try {
      mergeOverrideDevNames(root.requested, parsed);
    } catch (e) {
      throw constrainError(
        `Original root's requested device name: "${specToString(before)}", node's assigned device name "${dev}". Error: ${messageOf(e)}`,
      );
    }
    root.assignedIndex = index;
    root.possible = notComputed;
  }

  /** Assigned device names parsed once each (only read by the merges in limitToAssignedDevice). */
  private readonly parsedAssignedNames = new Map<string, DevSpec>();

  private parsedAssigned(name: string): DevSpec {
    let spec = this.parsedAssignedNames.get(name);
    if (spec === undefined) {
      spec = parseFullName(name) ?? emptySpec();
      this.parsedAssignedNames.set(name, spec);
    }
    return spec;
  }

  private findMatchingDevices(spec: DevSpec): Device[] {
    return this.devices.filter((d) => specMatches(spec, this.specs.get(d)!));
  }

  /**
   * The devices matching `spec` that support one of `types` (empty when none matches), one list
   * per distinct (spec, types): a big graph's nodes ask for a handful of devices, and a list per
   * node would stay alive, cached on its group, until placement ends.
   */
  private supportedMatching(spec: DevSpec, types: readonly string[]): readonly Device[] {
    let bySpec = this.matchingByTypes.get(types);
    if (bySpec === undefined) {
      bySpec = new Map();
      this.matchingByTypes.set(types, bySpec);
    }
    const key = `${spec.job}/${spec.replica}/${spec.task}/${spec.type}/${spec.id}`;
    let devices = bySpec.get(key);
    if (devices === undefined) {
      const matching = this.findMatchingDevices(spec);
      devices = Object.freeze(matching.length > 0 ? this.filterSupported(matching, types) : matching);
      bySpec.set(key, devices);
    }
    return devices;
  }

  /** supportedMatching's lists, by supported-types list (shared per op) and by spec. */
  private readonly matchingByTypes = new Map<readonly string[], Map<string, readonly Device[]>>();

  /** TF's FilterSupportedDevices (devices stay in priority order; no default local device). */
  private filterSupported(devices: readonly Device[], types: readonly string[]): Device[] {
    return devices.filter((d) => types.includes(d.type));
  }

  /**
   * TF's GetDevicesForNode: the candidate devices of node's group, cached on the group. Throws
   * INVALID_ARGUMENT with TF's message (the placer prefixes "Cannot assign a device …").
   */
  devicesForNode(node: Node): readonly Device[] {
    const rootId = this.findRoot(node.id);
    const root = this.members[rootId]!;
    if (root.possible.length > 0) return root.possible;
    let devices: readonly Device[];
    if (hasSomeDetails(root.requested)) {
      devices = this.supportedMatching(root.requested, root.supportedTypes);
      if (devices.length === 0 && this.options.allowSoftPlacement) devices = this.softCandidates(root);
      if (devices.length === 0) throw this.noDevicesError(node, root, rootId);
    } else {
      devices = this.supportedMatching(root.requested, root.supportedTypes);
      if (devices.length === 0) {
        throw invalidArgument(
          `Node had no OpKernel registered to support this operation: Operation was ${node.op} and inputs were ` +
            `[${node.inputTypes.map(dataTypeString).join(", ")}].\n${this.debugInfo(rootId)}`,
        );
      }
    }
    root.possible = devices;
    return devices;
  }

  /** TF's GetSoftDeviceCandidates: drop type/id unless an assigned or resource device fixes them. */
  private softCandidates(root: Member): Device[] {
    const soft = (keepFrom: readonly DevSpec[]): Device[] => {
      const s = copySpec(root.requested);
      if (!keepFrom.some((k) => k.type !== undefined)) s.type = undefined;
      if (!keepFrom.some((k) => k.id !== undefined)) s.id = undefined;
      const found = this.findMatchingDevices(s);
      return found.length > 0 ? this.filterSupported(found, root.supportedTypes) : found;
    };
    const preferred = soft([root.assigned, root.resource]);
    if (preferred.length > 0) return preferred;
    const moved = soft([root.assigned]);
    if (moved.length > 0) {
      this.options.log?.(
        "Failed to place the graph without changing the devices of some resources. Some of the operations " +
          "(that had to be colocated with resource generating operations) are not supported on the resources' " +
          `devices. Current candidate devices are [\n  ${moved.map((d) => d.name).join("\n  ")}].`,
      );
    }
    return moved;
  }

  private noDevicesError(node: Node, root: Member, rootId: number): TfError {
    const debugInfo = this.debugInfo(rootId);
    const specified = parseFullName(node.requestedDevice);
    if (specified !== undefined && specsEqual(specified, root.requested)) {
      if (this.findMatchingDevices(specified).length === 0) {
        const names = this.devices.map((d) => d.name).sort();
        const gpu =
          specified.type?.toLowerCase() === "gpu"
            ? " The requested device appears to be a GPU, but CUDA is not enabled."
            : "";
        return invalidArgument(
          `{{node ${node.name}}} was explicitly assigned to ${node.requestedDevice} but available devices are ` +
            `[ ${names.join(", ")} ]. Make sure the device specification refers to a valid device.${gpu}`,
        );
      }
      if (specified.type !== undefined) {
        return invalidArgument(
          `Could not satisfy explicit device specification '${node.requestedDevice}' because no supported kernel ` +
            `for ${specified.type} devices is available.${debugInfo}\nOp: ${node.op}\nNode attrs: ` +
            `${summarizeAttrs(node.attrs, node.requestedDevice)}\nRegistered kernels:\n${kernelsRegisteredForOp(node.op)}`,
        );
      }
      return invalidArgument(
        `Could not satisfy explicit device specification '${node.requestedDevice}${debugInfo}`,
      );
    }
    return invalidArgument(
      `Could not satisfy explicit device specification '${node.requestedDevice}' because the node ` +
        `${colocationNode(node.name)} was colocated with a group of nodes that required incompatible device ` +
        `'${specToString(root.requested)}'. All available devices [${this.devices.map((d) => d.name).join(", ")}]. ${debugInfo}`,
    );
  }

  private memberDebugString(m: Member): string {
    return (
      `Member(assigned_device_name_index_=${m.assignedIndex} requested_device_name_='${specToString(m.requested)}' ` +
      `assigned_device_name_='${specToString(m.assigned)}' resource_device_name_='${specToString(m.resource)}' ` +
      `supported_device_types_=[${m.supportedTypes.join(", ")}] possible_devices_=[${m.possible.map((d) => d.name).join(", ")}]`
    );
  }

  /**
   * TF's ColocationGraph::DebugInfo. TF lists op types from an unordered_map; libstdc++ iterates a
   * small one in reverse insertion order, which is what is printed here.
   */
  debugInfo(rootId: number): string {
    const nodes = this.order.filter(
      (n) => this.members[n.id] !== undefined && this.findRoot(n.id) === rootId,
    );
    if (nodes.length === 0) return "";
    const typeToDevices = new Map<string, string>();
    for (const n of nodes) {
      typeToDevices.set(
        n.op,
        this.supportedTypesFor(n)
          .map((t) => `${t} `)
          .join(""),
      );
    }
    let text =
      "\nColocation Debug Info:\nColocation group had the following types and supported devices: " +
      `\nRoot ${this.memberDebugString(this.members[rootId]!)}`;
    for (const [op, types] of [...typeToDevices].reverse()) text += `\n${op}: ${types}`;
    text += "\n\nColocation members, user-requested devices, and framework assigned devices, if any:";
    for (const n of nodes) {
      text += `\n  ${n.name} (${n.op}) ${n.requestedDevice}`;
      if (n.assignedDevice !== "") text += ` framework assigned device=${n.assignedDevice}`;
    }
    return `${text}\n`;
  }
}

/** TF's Member::MergeDeviceNames: all-or-nothing merge of other's constraints into m. */
function mergeMemberDeviceNames(m: Member, other: Member, allowSoftPlacement: boolean): void {
  const assigned = copySpec(m.assigned);
  mergeDevNames(assigned, other.assigned);
  const resource = copySpec(m.resource);
  mergeDevNames(resource, other.resource);
  const requested = copySpec(m.requested);
  mergeDevNames(requested, other.requested, allowSoftPlacement);
  ensureSpecification(requested, assigned);
  ensureSpecification(requested, resource);
  m.assigned = assigned;
  m.resource = resource;
  m.requested = requested;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Rewrites a TfError's message, keeping its code. */
function withMessage(e: unknown, f: (m: string) => string): TfError {
  if (isTfError(e)) return new TfError(e.code, f(e.message));
  throw e;
}
