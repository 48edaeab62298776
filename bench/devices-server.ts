// The server side of the devices benchmark (bench/devices.ts): tfgate in a child process, so the
// load generator never shares an event loop or a thread with the server it measures.
//
//   node --import tsx bench/devices-server.ts [--worker-threads true|false] [--cpu-devices 2]
//                                             [--max-message-bytes 268435456] [--native-kernels on|off]
//
// It is `buildApp(resolveServerOptions({ port: 0, logLevel: "silent", master: { cpuDevices,
// workerThreads } }))`: the real gateway and engine. `--worker-threads false` is the engine's
// in-thread mode (one LocalWorker for every device, kernels on the RPC thread), the "before" of
// what the worker threads buy. The message limit is raised above tfgate's 64 MiB default so a
// RunStep can fetch a 64 MiB tensor (the response carries a few bytes more than the tensor).
//
// Protocol with the parent (IPC): the child sends { type: "ready", port, pid } once it
// listens; on { type: "stop" } it closes and exits 0.

import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { buildApp } from "../server/app.js";
import { resolveServerOptions } from "../server/options.js";

export interface DevicesServerReady {
  readonly type: "ready";
  readonly pid: number;
  /** The one port: gRPC (h2c), Connect and gRPC-Web. */
  readonly port: number;
}

const loopback = "127.0.0.1";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "worker-threads": { type: "string", default: "true" },
      "cpu-devices": { type: "string", default: "2" },
      "max-message-bytes": { type: "string", default: String(256 * 1024 * 1024) },
      "native-kernels": { type: "string", default: "on" },
    },
  });
  const workerThreads = values["worker-threads"];
  if (workerThreads !== "true" && workerThreads !== "false") {
    throw new Error(`--worker-threads must be true or false, got ${workerThreads}`);
  }
  const options = resolveServerOptions({
    host: loopback,
    port: 0,
    logLevel: "silent",
    maxMessageBytes: Number(values["max-message-bytes"]),
    master: {
      cpuDevices: Number(values["cpu-devices"]),
      workerThreads: workerThreads === "true",
      nativeKernels: values["native-kernels"] !== "off",
    },
  });
  const app = await buildApp(options);
  await app.listen({ port: 0, host: loopback });
  const port = (app.server.address() as AddressInfo).port;

  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.on("message", (message: { type?: string }) => {
    if (message.type === "stop") void stop();
  });
  // The parent died: nothing is left to measure.
  process.on("disconnect", () => void stop());
  const ready: DevicesServerReady = { type: "ready", pid: process.pid, port };
  process.send?.(ready);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
