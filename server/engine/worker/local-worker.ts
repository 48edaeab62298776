// An in-process worker (TF's Worker + WorkerEnv for one task): owns its devices, their resource
// managers (variables live here, across sessions unless isolated), a GraphMgr and a RendezvousMgr.

import { createCpuDevice, type Device } from "../device/device-set.js";
import { internal } from "../framework/errors.js";
import type { StepContext } from "../framework/op-kernel.js";
import type { RendezvousValue } from "../framework/rendezvous.js";
import { createResourceMgr, type ResourceMgr } from "../framework/resource-mgr.js";
import { createGraphMgr } from "./graph-mgr.js";
import { createRendezvousMgr } from "./rendezvous-mgr.js";
import type { RunGraphRequest, RunGraphResponse, WorkerInterface } from "./worker-interface.js";

export interface LocalWorkerOptions {
  readonly job: string;
  readonly replica: number;
  readonly task: number;
  /** Number of CPU devices. */
  readonly cpuDevices: number;
  readonly log: (level: "info" | "warn" | "error", message: string) => void;
}

export function createLocalWorker(options: LocalWorkerOptions): WorkerInterface {
  const devices: Device[] = [];
  for (let i = 0; i < options.cpuDevices; i++) {
    devices.push(createCpuDevice(options.job, options.replica, options.task, i));
  }
  const byName = new Map(devices.map((d) => [d.name, d]));
  const resources = new Map<string, ResourceMgr>(
    devices.map((d) => [d.name, createResourceMgr("localhost")]),
  );
  const graphs = createGraphMgr((node, e) =>
    options.log(
      "error",
      `kernel of ${node} threw a non-TF error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    ),
  );
  const rendezvous = createRendezvousMgr();
  const task = `/job:${options.job}/replica:${options.replica}/task:${options.task}`;

  return {
    task,
    getDevices: () => devices,
    async registerGraph(req) {
      const deviceName = req.graphDef.node[0]?.device ?? devices[0]!.name;
      const device = byName.get(deviceName);
      if (!device) throw internal(`Worker ${task} has no device ${deviceName}`);
      return graphs.register(req.graphDef, device);
    },
    async runGraph(req: RunGraphRequest): Promise<RunGraphResponse> {
      const { executor, device } = graphs.lookup(req.graphHandle);
      const rdv = rendezvous.find(req.stepId);
      const onAbort = () => rdv.abort(req.signal.reason as Error);
      if (req.signal.aborted) onAbort();
      else req.signal.addEventListener("abort", onAbort, { once: true });
      try {
        for (const [key, tensor] of req.send) rdv.send(key, { tensor, isDead: false });
        const step: StepContext = {
          stepId: req.stepId,
          signal: req.signal,
          rendezvous: rdv,
          resources: resources.get(device.name)!,
          device,
          log: options.log,
        };
        const fetches = Promise.all(req.recvKeys.map((k) => rdv.recv(k, req.signal)));
        // If the executor fails, the rendezvous is aborted and `fetches` rejects too; observe it.
        fetches.catch(() => {});
        await executor.run(step);
        const values = await fetches;
        const recv = new Map<string, RendezvousValue>();
        req.recvKeys.forEach((k, i) => {
          recv.set(k, values[i]!);
        });
        return { recv };
      } finally {
        req.signal.removeEventListener("abort", onAbort);
      }
    },
    cleanupGraph(stepId) {
      rendezvous.cleanup(stepId);
    },
    async deregisterGraph(handle) {
      graphs.deregister(handle);
    },
    async cleanupAll(containers) {
      for (const rm of resources.values()) {
        if (containers.length === 0) rm.cleanup(rm.defaultContainer);
        else for (const c of containers) rm.cleanup(c);
      }
    },
    async close() {
      rendezvous.abortAll(internal("Worker is shutting down"));
    },
  };
}
