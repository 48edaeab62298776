// TensorFlow's DeviceSet (core/common_runtime/device_set.h) and DeviceAttributes: the devices a
// master can place nodes on, in TF's priority order.

import { randomBytes } from "node:crypto";
import type { DeviceInfo } from "../framework/op-kernel.js";
import { fullDeviceName, type ParsedName, parseDeviceName } from "./device-name.js";

export interface Device extends DeviceInfo {
  readonly parsed: Required<ParsedName>;
  /** Bytes TF reports as memory_limit (CPU default 256 MiB). */
  readonly memoryLimit: bigint;
}

/** A random non-zero uint64 (TF picks one per device instance). */
export function randomIncarnation(): bigint {
  for (;;) {
    const v = randomBytes(8).readBigUInt64LE();
    if (v !== 0n) return v;
  }
}

export function createCpuDevice(job: string, replica: number, task: number, id: number): Device {
  const name = fullDeviceName(job, replica, task, "CPU", id);
  return {
    name,
    type: "CPU",
    incarnation: randomIncarnation(),
    parsed: parseDeviceName(name) as Required<ParsedName>,
    memoryLimit: 268435456n,
  };
}

/** The CPU devices of one task, CPU:0 … CPU:n-1. */
export function createDevices(job: string, replica: number, task: number, cpus: number): Device[] {
  return Array.from({ length: cpus }, (_, i) => createCpuDevice(job, replica, task, i));
}

const typePriority: Record<string, number> = { GPU: 200, CPU: 100 };

/** TF's DeviceSet::PrioritizedDevices order: type priority, then name. */
export function sortDevices(devices: readonly Device[]): Device[] {
  return [...devices].sort((a, b) => {
    const pa = typePriority[a.type] ?? 0;
    const pb = typePriority[b.type] ?? 0;
    if (pa !== pb) return pb - pa;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}
