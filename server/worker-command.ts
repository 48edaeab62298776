// `tfgate worker`: the engine as one task of a TensorFlow cluster, serving TF's WorkerService and
// nothing else (TF's master on another task drives it, as a `tf.distribute.Server` worker is
// driven). Without a MasterService a client cannot open sessions here directly: a tfgate master
// placing nodes on this task would need cluster-wide placement, which the worker does not do.
//
//   tfgate worker --port 2223 --job worker --task 1 [--devices CPU:1] [--cluster JSON]
//
// --cluster gives the addresses of the other tasks for requests made without a worker session
// (TF's legacy session); sessions created by a master carry their own cluster.

import { Command, Option } from "commander";
import type { FastifyInstance } from "fastify";
import { engineWorkersOf } from "./app.js";
import type { AnonymousAccess, AuthOptions } from "./auth/authenticator.js";
import { createDevices } from "./engine/device/device-set.js";
import { turnOffPretenuring } from "./engine/framework/young-generation.js";
import { registerAllKernels } from "./engine/kernels/register-all.js";
import { createWorkers, resolveMasterOptions } from "./engine/master/master.js";
import { createRemoteRendezvous } from "./engine/worker/remote-rendezvous.js";
import { createWorkerService, type WorkerService } from "./engine/worker/worker-service.js";
import { resolveServerOptions, type ServerOptions } from "./options.js";
import { createWorkerServiceClients } from "./rpc/worker-service-client.js";
import { buildWorkerServer } from "./worker-server.js";

export interface WorkerFlags {
  host?: string;
  port?: number;
  job: string;
  task: number;
  devices?: number;
  cluster?: string;
  maxMessageBytes?: number;
  maxTensorBytes?: number;
  maxStepBytes?: number;
  filesRoot?: string;
  filesReadOnly?: boolean;
  logLevel?: ServerOptions["logLevel"];
  authTokens?: string;
  authJwks?: string;
  authIssuer?: string;
  authAudience?: string;
  allowAnonymous?: AnonymousAccess;
}

/** {"worker": ["host:port", …], "ps": […]} (TF's ClusterSpec dict) → task name → address. */
export function parseClusterSpec(json: string): Map<string, string> {
  const spec: unknown = JSON.parse(json);
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    throw new Error('expected a JSON object such as {"worker": ["127.0.0.1:2222", "127.0.0.1:2223"]}');
  }
  const out = new Map<string, string>();
  for (const [job, tasks] of Object.entries(spec)) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(job)) throw new Error(`job name '${job}' is not a valid job name`);
    if (!Array.isArray(tasks) || tasks.some((t) => typeof t !== "string")) {
      throw new Error(`job '${job}' must list its tasks' addresses as strings`);
    }
    tasks.forEach((address: string, i) => {
      out.set(`/job:${job}/replica:0/task:${i}`, address);
    });
  }
  return out;
}

/** Adds `tfgate worker` to the program; `onRun` receives the running command's promise. */
export function addWorkerCommand(
  program: Command,
  parsers: { integer: (t: string) => number; bytes: (t: string) => number; devices: (t: string) => number },
  onRun: (run: Promise<void>) => void,
): void {
  const cmd = new Command("worker")
    .description("serve TensorFlow's WorkerService: this engine as one task of a TF cluster")
    .addOption(new Option("--host <host>", "address to bind").env("TFGATE_HOST").default("127.0.0.1"))
    .addOption(
      new Option("--port <port>", "TCP port").env("TFGATE_PORT").argParser(parsers.integer).default(2222),
    )
    .addOption(new Option("--job <name>", "this task's job name").env("TFGATE_JOB").default("worker"))
    .addOption(
      new Option("--task <index>", "this task's index in its job")
        .env("TFGATE_TASK")
        .argParser(parsers.integer)
        .default(0),
    )
    .addOption(
      new Option("--devices <spec>", '"CPU:<n>" (default: one CPU device per core)')
        .env("TFGATE_DEVICES")
        .argParser(parsers.devices),
    )
    .addOption(
      new Option(
        "--cluster <json>",
        'the cluster for requests without a worker session, e.g. {"worker": ["h:p", …]}',
      ).env("TFGATE_CLUSTER"),
    )
    .addOption(
      new Option("--max-message-bytes <n>", "largest RPC message")
        .env("TFGATE_MAX_MESSAGE_BYTES")
        .argParser(parsers.bytes),
    )
    .addOption(
      new Option("--max-tensor-bytes <n>", "largest tensor a kernel may allocate")
        .env("TFGATE_MAX_TENSOR_BYTES")
        .argParser(parsers.bytes),
    )
    .addOption(
      new Option("--max-step-bytes <n>", "memory one step may allocate on one device worker")
        .env("TFGATE_MAX_STEP_BYTES")
        .argParser(parsers.bytes),
    )
    .addOption(new Option("--files-root <dir>", "the one directory ops may touch").env("TFGATE_FILES_ROOT"))
    .addOption(
      new Option("--files-read-only", "ops may only read under --files-root").env("TFGATE_FILES_READ_ONLY"),
    )
    .addOption(new Option("--log-level <level>", "log level").env("TFGATE_LOG_LEVEL"))
    .addOption(new Option("--auth-tokens <file>", "bearer tokens (as for serve)").env("TFGATE_AUTH_TOKENS"))
    .addOption(new Option("--auth-jwks <file>", "JWKS (as for serve)").env("TFGATE_AUTH_JWKS"))
    .addOption(new Option("--auth-issuer <iss>", "the 'iss' JWTs must carry").env("TFGATE_AUTH_ISSUER"))
    .addOption(new Option("--auth-audience <aud>", "the 'aud' JWTs must carry").env("TFGATE_AUTH_AUDIENCE"))
    .addOption(
      new Option("--allow-anonymous <where>", "where callers without credentials are let in (as for serve)")
        .choices(["loopback", "none", "all"])
        .env("TFGATE_ALLOW_ANONYMOUS"),
    )
    .action((flags: WorkerFlags) => {
      turnOffPretenuring();
      onRun(workerCommand(flags));
    });
  program.addCommand(cmd);
}

/** The engine of a worker task: its device workers and the WorkerService over them. */
export function createWorkerTask(
  options: ServerOptions,
  task: { job: string; task: number; defaultCluster: Map<string, string> },
  log: (level: "info" | "warn" | "error", message: string) => void,
): WorkerService {
  registerAllKernels();
  const engine = resolveMasterOptions({ ...options.master, job: task.job, log });
  const devices = createDevices(task.job, 0, task.task, engine.cpuDevices);
  const remote = createRemoteRendezvous(createWorkerServiceClients(), task.defaultCluster);
  const { workers } = createWorkers(engine, devices, undefined, remote.recv);
  const service = createWorkerService({ workers, remote, defaultCluster: task.defaultCluster });
  return {
    ...service,
    async close() {
      await service.close();
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}

async function workerCommand(flags: WorkerFlags): Promise<void> {
  let options: ServerOptions;
  let cluster: Map<string, string>;
  try {
    cluster = flags.cluster === undefined ? new Map() : parseClusterSpec(flags.cluster);
    options = resolveServerOptions({
      ...(flags.host !== undefined ? { host: flags.host } : {}),
      ...(flags.port !== undefined ? { port: flags.port } : {}),
      ...(flags.maxMessageBytes !== undefined ? { maxMessageBytes: flags.maxMessageBytes } : {}),
      ...(flags.logLevel !== undefined ? { logLevel: flags.logLevel } : {}),
      auth: {
        ...(flags.authTokens !== undefined ? { tokensFile: flags.authTokens } : {}),
        ...(flags.authJwks !== undefined ? { jwksFile: flags.authJwks } : {}),
        ...(flags.authIssuer !== undefined ? { issuer: flags.authIssuer } : {}),
        ...(flags.authAudience !== undefined ? { audience: flags.authAudience } : {}),
        ...(flags.allowAnonymous !== undefined ? { allowAnonymous: flags.allowAnonymous } : {}),
      } satisfies Partial<AuthOptions>,
      master: {
        ...(flags.devices !== undefined ? { cpuDevices: flags.devices } : {}),
        ...(flags.maxTensorBytes !== undefined ? { maxTensorBytes: flags.maxTensorBytes } : {}),
        ...(flags.maxStepBytes !== undefined ? { maxStepBytes: flags.maxStepBytes } : {}),
        ...(flags.filesRoot !== undefined
          ? { files: { root: flags.filesRoot, readOnly: flags.filesReadOnly === true } }
          : {}),
      },
    });
    resolveMasterOptions({ ...options.master, job: flags.job });
  } catch (error) {
    fail(`invalid worker options: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  let app: FastifyInstance | undefined;
  // The engine's log lines go to the server's logger, which exists once the server is built.
  let log = (_level: "info" | "warn" | "error", _message: string): void => {};
  const engine = createWorkerTask(
    options,
    { job: flags.job, task: flags.task, defaultCluster: cluster },
    (l, m) => log(l, m),
  );
  try {
    app = await buildWorkerServer({
      engine,
      auth: options.auth,
      maxMessageBytes: options.maxMessageBytes,
      logLevel: options.logLevel,
    });
    const server = app;
    log = (level, message) => server.log[level]({ component: "worker" }, message);
    const address = await app.listen({ host: options.host, port: options.port });
    app.log.info(`tfgate worker ${engine.taskName} serving TensorFlow's WorkerService (gRPC) on ${address}`);
  } catch (error) {
    await engine.close();
    await app?.close();
    fail(error instanceof Error ? error.message : String(error));
    return;
  }
  const running = app;
  const stop = () => {
    void Promise.allSettled([engine.close(), running.close()]).then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

function fail(message: string): void {
  process.stderr.write(`tfgate: ${message}\n`);
  process.exitCode = 1;
}

/**
 * `serve --worker-port`: the gateway's own device workers (those its MasterService runs sessions
 * on) behind a WorkerService on a second port, so a TF worker in a mixed cluster can RecvTensor
 * what a partition on a gateway device sent. The devices keep the gateway's names. Callers are
 * authenticated as on the main port; the returned function stops the port.
 */
export async function startGatewayWorkerService(
  app: FastifyInstance,
  options: ServerOptions,
  port: number,
): Promise<() => Promise<void>> {
  const workers = engineWorkersOf(app);
  if (workers === undefined) throw new Error("--worker-port needs the gateway's own engine");
  const engine = createWorkerService({ workers });
  const server = await buildWorkerServer({
    engine,
    auth: options.auth,
    maxMessageBytes: options.maxMessageBytes,
    logger: app.log,
  });
  const address = await server.listen({ host: options.host, port });
  app.log.info(`WorkerService (gRPC) for ${engine.taskName} on ${address}`);
  return async () => {
    await server.close();
    await engine.close();
  };
}
