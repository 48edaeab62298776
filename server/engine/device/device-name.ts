// TensorFlow's DeviceNameUtils (tsl/platform/device_name_utils.cc): parsing and matching of device
// specs such as "/job:localhost/replica:0/task:0/device:CPU:0", "/device:CPU:0", "/cpu:0", "CPU:0".

import { invalidArgument } from "../framework/errors.js";

/** A (possibly partial) device spec; absent fields match anything. */
export interface ParsedName {
  job?: string;
  replica?: number;
  task?: number;
  type?: string;
  id?: number;
}

const ident = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Parses a full or partial device spec; undefined when it is not a valid spec. */
export function parseDeviceName(spec: string): ParsedName | undefined {
  const out: ParsedName = {};
  if (spec === "" || spec === "/") return out;
  // Local forms "CPU:0" and "device:CPU:0" (no leading slash).
  let s = spec;
  if (!s.startsWith("/")) s = `/${s.startsWith("device:") ? s : `device:${s}`}`;
  const parts = s.slice(1).split("/");
  for (const part of parts) {
    if (!parsePart(part, out)) return undefined;
  }
  return out;
}

const partRes = {
  job: /^job:(.*)$/,
  replica: /^replica:(.*)$/,
  task: /^task:(.*)$/,
  device: /^device:([^:]+)(?::(.*))?$/,
  legacy: /^(cpu|CPU|gpu|GPU):(.*)$/,
};

/** Parses one "/"-separated component into out; false when it is malformed. */
function parsePart(part: string, out: ParsedName): boolean {
  const index = (v: string | undefined): number | undefined | false => {
    if (v === undefined || v === "*") return undefined;
    return /^\d+$/.test(v) ? Number(v) : false;
  };
  const job = partRes.job.exec(part);
  if (job) {
    if (job[1] === "*") return true;
    if (!ident.test(job[1]!)) return false;
    out.job = job[1]!;
    return true;
  }
  const replica = partRes.replica.exec(part) ?? partRes.task.exec(part);
  if (replica) {
    const v = index(replica[1]);
    if (v === false) return false;
    if (v !== undefined) {
      if (part.startsWith("replica:")) out.replica = v;
      else out.task = v;
    }
    return true;
  }
  const device = partRes.device.exec(part);
  const legacy = device ? null : partRes.legacy.exec(part);
  if (device || legacy) {
    const type = device ? device[1]! : legacy![1]!.toUpperCase();
    if (type !== "*") {
      if (!ident.test(type)) return false;
      out.type = type;
    }
    const v = index(device ? device[2] : legacy![2]);
    if (v === false) return false;
    if (v !== undefined) out.id = v;
    return true;
  }
  return false;
}

/** Parses a spec or throws INVALID_ARGUMENT with TF's wording. */
export function parseDeviceNameOrThrow(spec: string): ParsedName {
  const p = parseDeviceName(spec);
  if (p === undefined) throw invalidArgument(`Malformed device specification '${spec}'`);
  return p;
}

/** The canonical full name of a fully specified device. */
export function fullDeviceName(job: string, replica: number, task: number, type: string, id: number): string {
  return `/job:${job}/replica:${replica}/task:${task}/device:${type}:${id}`;
}

/** TF's IsCompleteSpecification-style match: every field present in spec equals the device's. */
export function deviceMatches(spec: ParsedName, device: ParsedName): boolean {
  return (
    (spec.job === undefined || spec.job === device.job) &&
    (spec.replica === undefined || spec.replica === device.replica) &&
    (spec.task === undefined || spec.task === device.task) &&
    (spec.type === undefined || spec.type === device.type) &&
    (spec.id === undefined || spec.id === device.id)
  );
}

/** "/job:j/replica:r/task:t" of a full device name (TF's task-level partition key). */
export function taskOf(device: ParsedName): string {
  return `/job:${device.job}/replica:${device.replica}/task:${device.task}`;
}
