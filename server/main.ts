// The `tfgate` command. The only module that reads flags and environment variables, calls `listen`
// and handles signals; everything it configures goes through resolveServerOptions (options.ts).
//
//   tfgate serve [--host H] [--port P] [--tls-cert F --tls-key F] [--cors-origin O] …
//   tfgate worker [--port P] [--job J] [--task I] …   (worker-command.ts)
//
// Every flag also comes from an environment variable (TFGATE_<FLAG>, e.g. TFGATE_PORT); a flag wins
// over its variable. SIGTERM or SIGINT drains the server (in-flight calls may finish within
// --shutdown-timeout-ms) and exits 0; a second signal exits at once with 1.

import { existsSync, readFileSync } from "node:fs";
import { fromJsonString } from "@bufbuild/protobuf";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import type { FastifyInstance } from "fastify";
import type { GraphDef } from "../gen/tensorflow/core/framework/graph_pb.js";
import type { ClusterDef } from "../gen/tensorflow/core/protobuf/cluster_pb.js";
import { type ConfigProto, ConfigProtoSchema } from "../gen/tensorflow/core/protobuf/config_pb.js";
import { formatGraphDef, parseGraphDef } from "../web-client/graphdef-io.js";
import { buildApp, reloadCredentials } from "./app.js";
import type { AnonymousAccess, AuthOptions } from "./auth/authenticator.js";
import { turnOffPretenuring } from "./engine/framework/young-generation.js";
import { clusterDefFromJson, clusterTasks } from "./engine/master/cluster.js";
import type { MasterOptions } from "./engine/master/master.js";
import { type SessionClusterMode, sessionClusterModes } from "./engine/master/session-cluster.js";
import {
  type CorsOrigin,
  type LogLevel,
  logLevels,
  resolveServerOptions,
  type ServerOptions,
  ServerOptionsError,
  serverOptionDefaults,
} from "./options.js";
import { addWorkerCommand, startGatewayWorkerService } from "./worker-command.js";

/** Flag values after commander has parsed them (strings converted by the parsers below). */
interface ServeFlags {
  host?: string;
  port?: number;
  tlsCert?: string;
  tlsKey?: string;
  corsOrigin?: CorsOrigin;
  maxMessageBytes?: number;
  compressMinBytes?: number | "off";
  grpcFastPath?: boolean;
  fastPath?: boolean;
  logLevel?: LogLevel;
  shutdownTimeoutMs?: number;
  idleTimeoutMs?: number;
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
  maxConnectionsPerAddress?: number;
  maxConnections?: number;
  // Engine (MasterOptions) flags.
  devices?: number;
  maxSessions?: number;
  maxGraphNodes?: number;
  maxTensorBytes?: number;
  maxStepBytes?: number;
  maxMemoryBytes?: number;
  sessionIdleTimeoutMs?: number;
  defaultSessionConfig?: string;
  nativeKernels?: "on" | "off";
  cluster?: string;
  job?: string;
  sessionClusters?: SessionClusterMode;
  sessionClusterHosts?: string;
  filesRoot?: string;
  filesReadOnly?: boolean;
  // Authentication and the Host check.
  authTokens?: string;
  authJwks?: string;
  authIssuer?: string;
  authAudience?: string;
  allowAnonymous?: AnonymousAccess;
  allowedHosts?: string;
  // Per-principal policy.
  opsAllow?: string[];
  opsDeny?: string[];
  maxSessionsPerPrincipal?: number;
  maxConcurrentStepsPerPrincipal?: number;
  maxStepMs?: number;
  maxRequestsPerSecondPerPrincipal?: number;
  requestBurstPerPrincipal?: number;
  // A WorkerService port beside the gateway (worker-command.ts).
  workerPort?: number | "gateway";
}

/** --native-kernels (MasterOptions.nativeKernels). */
function nativeKernelsOption(): Option {
  return new Option(
    "--native-kernels <on|off>",
    "run large float32 MatMul/Conv2D on onnxruntime-node over intra-op threads (sized by the default " +
      "session config's intra_op_parallelism_threads, 0 = every core); off: XNNPACK in one thread",
  )
    .env("TFGATE_NATIVE_KERNELS")
    .choices(["on", "off"])
    .default("on");
}

/** Which flag and variable set each ServerOptions field, for error messages. */
const flagOf: Partial<Record<keyof ServerOptions, string>> = {
  host: "--host (TFGATE_HOST)",
  port: "--port (TFGATE_PORT)",
  tlsCert: "--tls-cert (TFGATE_TLS_CERT)",
  tlsKey: "--tls-key (TFGATE_TLS_KEY)",
  corsOrigin: "--cors-origin (TFGATE_CORS_ORIGIN)",
  maxMessageBytes: "--max-message-bytes (TFGATE_MAX_MESSAGE_BYTES)",
  compressMinBytes: "--compress-min-bytes (TFGATE_COMPRESS_MIN_BYTES)",
  logLevel: "--log-level (TFGATE_LOG_LEVEL)",
  shutdownTimeoutMs: "--shutdown-timeout-ms (TFGATE_SHUTDOWN_TIMEOUT_MS)",
  connectionIdleTimeoutMs: "--idle-timeout-ms (TFGATE_IDLE_TIMEOUT_MS)",
  requestTimeoutMs: "--request-timeout-ms (TFGATE_REQUEST_TIMEOUT_MS)",
  headersTimeoutMs: "--headers-timeout-ms (TFGATE_HEADERS_TIMEOUT_MS)",
  maxConnectionsPerAddress: "--max-connections-per-address (TFGATE_MAX_CONNECTIONS_PER_ADDRESS)",
  maxConnections: "--max-connections (TFGATE_MAX_CONNECTIONS)",
  auth: "authentication (--auth-tokens, --auth-jwks, --allow-anonymous)",
  allowedHosts: "--allowed-hosts (TFGATE_ALLOWED_HOSTS)",
};

/**
 * Runs the CLI with `argv` (without node and script). Resolves when the command is done: for
 * `serve`, once the server listens (the process then lives until a signal). Never throws; failures
 * print `tfgate: <message>` on stderr and set `process.exitCode`.
 */
export async function runCli(argv: readonly string[]): Promise<void> {
  const program = new Command("tfgate")
    .description("TensorFlow's MasterService over Connect, gRPC and gRPC-Web on one port")
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`tfgate: ${text.replace(/^error: /, "")}`) })
    .showHelpAfterError("(run with --help for usage)");

  let serve: Promise<void> | undefined;
  program
    .command("serve")
    .description("start the gateway with an in-process session engine")
    .addOption(
      new Option("--host <host>", "address to bind").env("TFGATE_HOST").default(serverOptionDefaults.host),
    )
    .addOption(
      new Option("--port <port>", "TCP port (0 = any free port)")
        .env("TFGATE_PORT")
        .argParser(parseInteger)
        .default(serverOptionDefaults.port),
    )
    .addOption(
      new Option("--tls-cert <file>", "PEM certificate; serve TLS (h2 + http/1.1)").env("TFGATE_TLS_CERT"),
    )
    .addOption(new Option("--tls-key <file>", "PEM private key for --tls-cert").env("TFGATE_TLS_KEY"))
    .addOption(
      new Option(
        "--cors-origin <origins>",
        'browser origins allowed to call: "loopback" (pages on this machine), "*", "none", or a comma-separated list',
      )
        .env("TFGATE_CORS_ORIGIN")
        .argParser(parseCorsOrigin)
        .default(serverOptionDefaults.corsOrigin),
    )
    .addOption(
      new Option("--max-message-bytes <n>", "largest request or response message (e.g. 67108864, 64MiB)")
        .env("TFGATE_MAX_MESSAGE_BYTES")
        .argParser(parseByteSize)
        .default(serverOptionDefaults.maxMessageBytes, "64MiB"),
    )
    .addOption(
      new Option(
        "--compress-min-bytes <n>",
        'gzip/brotli responses of at least this size for clients that accept it, or "off" (as TensorFlow\'s gRPC server)',
      )
        .env("TFGATE_COMPRESS_MIN_BYTES")
        .argParser((v: string) => (v === "off" ? "off" : parseByteSize(v)))
        .default("off"),
    )
    .addOption(
      new Option("--log-level <level>", "log level")
        .env("TFGATE_LOG_LEVEL")
        .choices(logLevels)
        .default(serverOptionDefaults.logLevel),
    )
    .addOption(
      new Option("--shutdown-timeout-ms <ms>", "on SIGTERM/SIGINT, how long in-flight calls may finish")
        .env("TFGATE_SHUTDOWN_TIMEOUT_MS")
        .argParser(parseInteger)
        .default(serverOptionDefaults.shutdownTimeoutMs),
    )
    .addOption(
      new Option("--idle-timeout-ms <ms>", "close connections idle this long")
        .env("TFGATE_IDLE_TIMEOUT_MS")
        .argParser(parseInteger)
        .default(serverOptionDefaults.connectionIdleTimeoutMs),
    )
    .action((flags: ServeFlags) => {
      turnOffPretenuring();
      serve = serveCommand(flags);
    });
  const serveCommandDef = program.commands.find((c) => c.name() === "serve")!;
  addEngineOptions(serveCommandDef);
  addConnectionOptions(serveCommandDef);
  addMemoryOptions(serveCommandDef);
  addClusterOptions(serveCommandDef);
  addAccessOptions(serveCommandDef);
  addWorkerCommand(program, workerFlagParsers, (run) => {
    serve = run;
  });

  program
    .command("graphdef")
    .description(
      "convert a GraphDef file (.pb, .pbtxt or .json) to protobuf JSON (the CreateSession body for curl), text or binary",
    )
    .argument("<file>", "a GraphDef, e.g. from tf.io.write_graph(..., as_text=True)")
    .addOption(
      new Option("--to <format>", "output format").choices(["json", "text", "binary"]).default("json"),
    )
    .option("--create-session", 'wrap the JSON as a CreateSessionRequest ({"graphDef": …})')
    .action((file: string, flags: { to: "json" | "text" | "binary"; createSession?: boolean }) => {
      graphDefCommand(file, flags);
    });

  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    // Commander has already printed its message (or the help text).
    process.exitCode = error instanceof CommanderError ? error.exitCode : 1;
    return;
  }
  if (serve === undefined && argv.length === 0) {
    program.outputHelp();
    process.exitCode = 1;
    return;
  }
  await serve;
}

/** The value parsers `tfgate worker` shares with `serve`. */
const workerFlagParsers = { integer: parseInteger, bytes: parsePositiveByteSize, devices: parseDeviceSpec };

/** The flags that bound what one connection may hold: slow requests and connections per address. */
function addConnectionOptions(serve: Command): void {
  serve
    .addOption(
      new Option(
        "--request-timeout-ms <ms>",
        "end requests whose headers and body have not arrived within this",
      )
        .env("TFGATE_REQUEST_TIMEOUT_MS")
        .argParser(parseInteger)
        .default(serverOptionDefaults.requestTimeoutMs),
    )
    .addOption(
      new Option(
        "--headers-timeout-ms <ms>",
        `close HTTP/1.1 connections whose request headers take longer (default: ${serverOptionDefaults.headersTimeoutMs}, at most --request-timeout-ms)`,
      )
        .env("TFGATE_HEADERS_TIMEOUT_MS")
        .argParser(parseInteger),
    )
    .addOption(
      new Option("--max-connections-per-address <n>", "connections open at once from one client address")
        .env("TFGATE_MAX_CONNECTIONS_PER_ADDRESS")
        .argParser(parseInteger)
        .default(serverOptionDefaults.maxConnectionsPerAddress),
    )
    .addOption(
      new Option(
        "--max-connections <n>",
        "connections open at once in all (default: three quarters of the open-file limit)",
      )
        .env("TFGATE_MAX_CONNECTIONS")
        .argParser(parseInteger),
    )
    .addOption(
      new Option(
        "--no-grpc-fast-path",
        "serve gRPC MasterService calls through Fastify and connect-es only (the fast path answers the same, faster)",
      ),
    )
    .addOption(
      new Option(
        "--no-fast-path",
        "serve every MasterService call (gRPC, Connect, gRPC-Web) through Fastify and connect-es only (the fast paths answer the same, faster)",
      ),
    )
    .addOption(
      new Option(
        "--worker-port <port|gateway>",
        "also serve TensorFlow's WorkerService (gRPC only, same authentication) over the gateway's " +
          "devices, for TF tasks of a mixed cluster: on this port, or with 'gateway' (or --port's " +
          "number) on the gateway's own port, which a session's cluster_def names (default: off)",
      )
        .env("TFGATE_WORKER_PORT")
        .argParser(parseWorkerPort),
    );
}

/** Engine flags (MasterOptions): defaults and ranges live in the engine's resolveMasterOptions. */
function addEngineOptions(serve: Command): void {
  serve
    .addOption(
      new Option("--devices <spec>", 'local devices, "CPU:<n>" (default: one CPU device per core)')
        .env("TFGATE_DEVICES")
        .argParser(parseDeviceSpec),
    )
    .addOption(
      new Option("--max-sessions <n>", "most sessions open at once")
        .env("TFGATE_MAX_SESSIONS")
        .argParser(parseInteger),
    )
    .addOption(
      new Option("--max-graph-nodes <n>", "largest graph, in nodes, a session may hold")
        .env("TFGATE_MAX_GRAPH_NODES")
        .argParser(parseInteger),
    )
    .addOption(
      new Option("--max-tensor-bytes <n>", "largest tensor a kernel or feed may allocate (e.g. 1GiB)")
        .env("TFGATE_MAX_TENSOR_BYTES")
        .argParser(parseByteSize),
    )
    .addOption(
      new Option(
        "--max-step-bytes <n>",
        "memory one step's kernels may allocate on one worker (per worker, per step; values built in " +
          "a while-loop iteration are released when it ends); past it the step fails RESOURCE_EXHAUSTED " +
          "(e.g. 4GiB; default: a quarter of the machine's memory)",
      )
        .env("TFGATE_MAX_STEP_BYTES")
        .argParser(parsePositiveByteSize),
    )
    .addOption(
      new Option(
        "--session-idle-timeout-ms <ms>",
        "close sessions idle this long (0 = never, TensorFlow's default)",
      )
        .env("TFGATE_SESSION_IDLE_TIMEOUT_MS")
        .argParser(parseInteger),
    )
    .addOption(
      new Option(
        "--default-session-config <json|file>",
        "ConfigProto (protobuf JSON, inline or a file) every CreateSession config is merged over",
      ).env("TFGATE_DEFAULT_SESSION_CONFIG"),
    )
    .addOption(nativeKernelsOption());
}

/** The server-wide memory ceiling (docs/security.md); the per-step and per-tensor limits are above. */
function addMemoryOptions(serve: Command): void {
  serve.addOption(
    new Option(
      "--max-memory-bytes <n>",
      "memory all running steps and long-lived state (variables, queue elements, tables, staged " +
        "tuples, dataset buffers) together may hold (every session, every device); past it new " +
        "allocations fail RESOURCE_EXHAUSTED until others end or state is freed (e.g. 8GiB; " +
        "default: half of the machine's memory, or " +
        "of the cgroup limit when lower)",
    )
      .env("TFGATE_MAX_MEMORY_BYTES")
      .argParser(parsePositiveByteSize),
  );
}

/** The flags that decide who may call and which files ops may touch (docs/security.md). */
function addAccessOptions(serve: Command): void {
  serve
    .addOption(
      new Option(
        "--ops-allow <ops|file>",
        "only these ops may appear in graphs (comma-separated, or a file with one op per line); others " +
          "fail CreateSession/ExtendSession with PERMISSION_DENIED",
      )
        .env("TFGATE_OPS_ALLOW")
        .argParser(parseOpList),
    )
    .addOption(
      new Option("--ops-deny <ops|file>", "ops that may never appear in graphs, function bodies included")
        .env("TFGATE_OPS_DENY")
        .argParser(parseOpList),
    )
    .addOption(
      new Option("--max-sessions-per-principal <n>", "most sessions one principal may have open")
        .env("TFGATE_MAX_SESSIONS_PER_PRINCIPAL")
        .argParser(parseInteger),
    )
    .addOption(
      new Option(
        "--max-concurrent-steps-per-principal <n>",
        "most steps one principal may run at once (0 = no limit)",
      )
        .env("TFGATE_MAX_CONCURRENT_STEPS_PER_PRINCIPAL")
        .argParser(parseInteger),
    )
    .addOption(
      new Option(
        "--max-step-ms <ms>",
        "default and ceiling of a step's timeout: steps asking for none (and sessions without " +
          "operation_timeout_in_ms) get it, longer ones are cut to it (0 = none)",
      )
        .env("TFGATE_MAX_STEP_MS")
        .argParser(parseInteger),
    )
    .addOption(
      new Option(
        "--max-requests-per-second-per-principal <n>",
        "MasterService calls one principal may make per second on average (a token bucket; 0 = no limit)",
      )
        .env("TFGATE_MAX_REQUESTS_PER_SECOND_PER_PRINCIPAL")
        .argParser(parseInteger),
    )
    .addOption(
      new Option(
        "--request-burst-per-principal <n>",
        "calls a principal may make at once after being idle (the bucket's size; default: the rate, at least 1)",
      )
        .env("TFGATE_REQUEST_BURST_PER_PRINCIPAL")
        .argParser(parseInteger),
    )
    .addOption(
      new Option(
        "--auth-tokens <file>",
        "bearer tokens, one '<principal> <token>' per line (# comments); every call then needs " +
          "'authorization: Bearer <token>' unless --allow-anonymous lets it in. Re-read on SIGHUP",
      ).env("TFGATE_AUTH_TOKENS"),
    )
    .addOption(
      new Option(
        "--auth-jwks <file>",
        "a JSON Web Key Set: JWTs signed by its keys are accepted, the principal is their 'sub'. Re-read on SIGHUP",
      ).env("TFGATE_AUTH_JWKS"),
    )
    .addOption(new Option("--auth-issuer <iss>", "the 'iss' JWTs must carry").env("TFGATE_AUTH_ISSUER"))
    .addOption(new Option("--auth-audience <aud>", "the 'aud' JWTs must carry").env("TFGATE_AUTH_AUDIENCE"))
    .addOption(
      new Option(
        "--allow-anonymous <where>",
        "where callers without credentials are let in as the principal 'anonymous': loopback (this " +
          "machine), none, or all (e.g. behind an authenticating proxy)",
      )
        .choices(["loopback", "none", "all"])
        .env("TFGATE_ALLOW_ANONYMOUS"),
    )
    .addOption(
      new Option(
        "--allowed-hosts <names>",
        "comma-separated Host names requests may carry (against DNS rebinding; '*' for any, '.example.com' " +
          "for a domain); default: the loopback names when bound to loopback, any otherwise",
      ).env("TFGATE_ALLOWED_HOSTS"),
    )
    .addOption(
      new Option(
        "--files-root <dir>",
        "the one directory ops may read and write files in (checkpoints, SavedModels, ReadFile, file " +
          "datasets); paths in graphs resolve inside it. Without it every op that touches files is refused",
      ).env("TFGATE_FILES_ROOT"),
    )
    .addOption(
      new Option("--files-read-only", "ops may read under --files-root but never write").env(
        "TFGATE_FILES_READ_ONLY",
      ),
    );
}

function graphDefCommand(
  file: string,
  flags: { to: "json" | "text" | "binary"; createSession?: boolean },
): void {
  let graphDef: GraphDef;
  try {
    graphDef = parseGraphDef(readFileSync(file));
  } catch (error) {
    fail(`cannot read GraphDef from ${file}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const out = formatGraphDef(graphDef, flags.to);
  if (typeof out !== "string") {
    process.stdout.write(out);
    return;
  }
  process.stdout.write(flags.createSession && flags.to === "json" ? `{"graphDef": ${out}}\n` : `${out}\n`);
}

/** --default-session-config and --cluster, parsed; a string is the error to print. */
function parseConfigFlags(
  flags: ServeFlags,
): { defaultSessionConfig?: ConfigProto | undefined; cluster?: ClusterDef | undefined } | string {
  const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
  let defaultSessionConfig: ConfigProto | undefined;
  if (flags.defaultSessionConfig !== undefined) {
    try {
      defaultSessionConfig = parseSessionConfig(flags.defaultSessionConfig);
    } catch (error) {
      return `invalid --default-session-config (TFGATE_DEFAULT_SESSION_CONFIG): ${message(error)}`;
    }
  }
  let cluster: ClusterDef | undefined;
  if (flags.cluster !== undefined) {
    try {
      const text = flags.cluster.trimStart().startsWith("{")
        ? flags.cluster
        : readFileSync(flags.cluster, "utf8");
      cluster = clusterDefFromJson(text);
      clusterTasks(cluster);
    } catch (error) {
      return `invalid --cluster (TFGATE_CLUSTER): ${message(error)}`;
    }
  }
  return { defaultSessionConfig, cluster };
}

/** SIGTERM/SIGINT shut down gracefully (a second one exits at once); SIGHUP reloads credentials. */
function handleSignals(
  app: FastifyInstance,
  options: ServerOptions,
  stopWorkerService: () => Promise<void>,
): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      app.log.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    closing = true;
    app.log.info(`${signal}: shutting down (in-flight calls may take up to ${options.shutdownTimeoutMs} ms)`);
    stopWorkerService()
      .catch(() => {})
      .then(() => app.close())
      .then(
        () => {
          app.log.info("shut down");
          process.exit(0);
        },
        (error: unknown) => {
          app.log.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  process.on("SIGHUP", () => {
    reloadCredentials(app).then(
      () => app.log.info("SIGHUP: credentials reloaded"),
      (error: unknown) =>
        app.log.error({ err: error }, "SIGHUP: credentials not reloaded; the old ones stay in force"),
    );
  });
}

async function serveCommand(flags: ServeFlags): Promise<void> {
  let options: ServerOptions;
  const configs = parseConfigFlags(flags);
  if (typeof configs === "string") return fail(configs);
  const { defaultSessionConfig, cluster } = configs;
  if (flags.filesReadOnly === true && flags.filesRoot === undefined) {
    return fail("--files-read-only (TFGATE_FILES_READ_ONLY) needs --files-root (TFGATE_FILES_ROOT)");
  }
  // --worker-port naming the gateway's own (fixed) port means the same as "gateway".
  const workerOnGateway =
    flags.workerPort === "gateway" ||
    (flags.workerPort !== undefined && flags.workerPort === flags.port && flags.port !== 0);
  const workerPort = typeof flags.workerPort === "number" && !workerOnGateway ? flags.workerPort : undefined;
  try {
    options = resolveServerOptions({
      gatewayWorkerService: workerOnGateway,
      ...defined({
        host: flags.host,
        port: flags.port,
        tlsCert: flags.tlsCert,
        tlsKey: flags.tlsKey,
        corsOrigin: flags.corsOrigin,
        maxMessageBytes: flags.maxMessageBytes,
        compressMinBytes: flags.compressMinBytes === "off" ? undefined : flags.compressMinBytes,
        grpcFastPath: flags.grpcFastPath,
        fastPath: flags.fastPath,
        logLevel: flags.logLevel,
        shutdownTimeoutMs: flags.shutdownTimeoutMs,
        connectionIdleTimeoutMs: flags.idleTimeoutMs,
        requestTimeoutMs: flags.requestTimeoutMs,
        headersTimeoutMs: flags.headersTimeoutMs,
        maxConnectionsPerAddress: flags.maxConnectionsPerAddress,
        maxConnections: flags.maxConnections,
        allowedHosts: flags.allowedHosts
          ?.split(",")
          .map((h) => h.trim())
          .filter((h) => h !== ""),
      }),
      auth: defined<Partial<AuthOptions>>({
        tokensFile: flags.authTokens,
        jwksFile: flags.authJwks,
        issuer: flags.authIssuer,
        audience: flags.authAudience,
        allowAnonymous: flags.allowAnonymous,
      }),
      master: defined<Partial<MasterOptions>>({
        cpuDevices: flags.devices,
        maxSessions: flags.maxSessions,
        maxGraphNodes: flags.maxGraphNodes,
        maxTensorBytes: flags.maxTensorBytes,
        maxStepBytes: flags.maxStepBytes,
        maxMemoryBytes: flags.maxMemoryBytes,
        sessionIdleTimeoutMs: flags.sessionIdleTimeoutMs,
        defaultSessionConfig,
        nativeKernels: flags.nativeKernels === undefined ? undefined : flags.nativeKernels === "on",
        cluster,
        job: flags.job,
        sessionClusters: flags.sessionClusters,
        sessionClusterHosts: flags.sessionClusterHosts
          ?.split(",")
          .map((h) => h.trim())
          .filter((h) => h !== ""),
        files:
          flags.filesRoot === undefined
            ? undefined
            : { root: flags.filesRoot, readOnly: flags.filesReadOnly === true },
        opPolicy:
          flags.opsAllow === undefined && flags.opsDeny === undefined
            ? undefined
            : { allow: flags.opsAllow, deny: flags.opsDeny ?? [] },
        maxSessionsPerPrincipal: flags.maxSessionsPerPrincipal,
        maxConcurrentStepsPerPrincipal: flags.maxConcurrentStepsPerPrincipal,
        maxStepMs: flags.maxStepMs,
        maxRequestsPerSecondPerPrincipal: flags.maxRequestsPerSecondPerPrincipal,
        requestBurstPerPrincipal: flags.requestBurstPerPrincipal,
      }),
    });
  } catch (error) {
    if (error instanceof ServerOptionsError) {
      return fail(`invalid ${flagOf[error.option] ?? error.option}: ${error.message}`);
    }
    throw error;
  }

  let app: FastifyInstance;
  try {
    app = await buildApp(options);
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }

  const scheme = options.tlsCert === undefined ? "http" : "https";
  try {
    await app.listen({
      host: options.host,
      port: options.port,
      listenTextResolver: (address) =>
        `tfgate listening on ${address.replace(/^https?:/, `${scheme}:`)} (${
          scheme === "https" ? "TLS: h2 and HTTP/1.1" : "HTTP/1.1 and h2c"
        }; Connect, gRPC, gRPC-Web${
          options.gatewayWorkerService ? "; TensorFlow's WorkerService over gRPC" : ""
        })`,
    });
  } catch (error) {
    await app.close().catch(() => {});
    return fail(listenErrorMessage(error, options));
  }
  let stopWorkerService = async (): Promise<void> => {};
  if (workerPort !== undefined) {
    try {
      stopWorkerService = await startGatewayWorkerService(app, options, workerPort);
    } catch (error) {
      await app.close().catch(() => {});
      return fail(
        `--worker-port ${workerPort}: ${listenErrorMessage(error, { ...options, port: workerPort })}`,
      );
    }
  }

  handleSignals(app, options, stopWorkerService);
}

function fail(message: string): void {
  process.stderr.write(`tfgate: ${message}\n`);
  process.exitCode = 1;
}

function listenErrorMessage(error: unknown, options: ServerOptions): string {
  const code = error instanceof Error && "code" in error ? error.code : undefined;
  switch (code) {
    case "EADDRINUSE":
      return `port ${options.port} on ${options.host} is already in use (choose another with --port or TFGATE_PORT)`;
    case "EACCES":
      return `no permission to listen on port ${options.port} on ${options.host}`;
    case "EADDRNOTAVAIL":
      return `${options.host} is not an address of this machine (--host or TFGATE_HOST)`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot resolve host ${options.host} (--host or TFGATE_HOST)`;
    default:
      return `cannot listen on ${options.host}:${options.port}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Drops undefined values, so unset flags fall back to the defaults of the options resolver. */
function defined<T extends object>(values: { [K in keyof T]: T[K] | undefined }): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(values) as (keyof T)[]) {
    const value = values[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** A ConfigProto in protobuf JSON, given inline (starts with "{") or as a file path. */
/** The TF cluster flags (README "Scaling out"). */
function addClusterOptions(command: Command): void {
  command
    .addOption(
      new Option(
        "--cluster <json|file>",
        'TensorFlow cluster whose tasks run partitions (ClusterDef protobuf JSON or {"worker": ["host:port", ...]}, inline or a file)',
      ).env("TFGATE_CLUSTER"),
    )
    .addOption(
      new Option(
        "--job <name>",
        "this server's job in the cluster (its task is task 0); default localhost",
      ).env("TFGATE_JOB"),
    )
    .addOption(
      new Option(
        "--session-clusters <mode>",
        "whether a CreateSession may bring its own cluster (ConfigProto.cluster_def, which makes tfgate " +
          "connect to the addresses it names): off, listed (only addresses of --cluster and " +
          "--session-cluster-hosts) or any (TensorFlow's behaviour); default any when bound to loopback " +
          "without credentials, else listed",
      )
        .env("TFGATE_SESSION_CLUSTERS")
        .choices(sessionClusterModes),
    )
    .addOption(
      new Option(
        "--session-cluster-hosts <list>",
        'addresses a session\'s cluster_def may name under --session-clusters listed: "host:port" or "host" (any port), comma-separated',
      ).env("TFGATE_SESSION_CLUSTER_HOSTS"),
    );
}

function parseSessionConfig(text: string): ConfigProto {
  const json = text.trimStart().startsWith("{") ? text : readFileSync(text, "utf8");
  return fromJsonString(ConfigProtoSchema, json);
}

/** "CPU:4" → 4 (the only device type tfgate has). */
function parseDeviceSpec(text: string): number {
  const m = /^CPU:(\d+)$/i.exec(text.trim());
  if (!m) throw new InvalidArgumentError(`expected CPU:<n>, e.g. CPU:4 (got "${text}")`);
  return Number(m[1]);
}

/** "MatMul,Add" or a file with one op per line (`#` comments). */
function parseOpList(text: string): string[] {
  let source = text;
  if (!text.includes(",") && existsSync(text)) source = readFileSync(text, "utf8").replace(/#.*$/gm, "");
  const ops = source
    .split(/[\s,]+/)
    .map((op) => op.trim())
    .filter((op) => op !== "");
  if (ops.length === 0) throw new InvalidArgumentError("expected op names or a file listing them");
  return ops;
}

/** --worker-port: a port number, or "gateway" for the gateway's own port. */
function parseWorkerPort(text: string): number | "gateway" {
  if (text.trim().toLowerCase() === "gateway") return "gateway";
  if (!/^\d+$/.test(text.trim())) throw new InvalidArgumentError('expected a port number or "gateway"');
  return Number(text.trim());
}

function parseInteger(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new InvalidArgumentError("expected a non-negative integer");
  return Number(text.trim());
}

const byteUnits: Record<string, number> = { "": 1, b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** "67108864", "64MiB", "1 GiB" (binary units only: "MB" is ambiguous and rejected). */
function parseByteSize(text: string): number {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(text.trim());
  const unit = byteUnits[(match?.[2] ?? "").toLowerCase()];
  if (match?.[1] === undefined || unit === undefined) {
    throw new InvalidArgumentError(
      "expected a byte count such as 67108864 or 64MiB (units: B, KiB, MiB, GiB)",
    );
  }
  return Number(match[1]) * unit;
}

/** A byte size of at least one byte (a budget of 0 would fail every step). */
function parsePositiveByteSize(text: string): number {
  const bytes = parseByteSize(text);
  if (bytes < 1) throw new InvalidArgumentError("expected at least 1 byte, e.g. 4GiB");
  return bytes;
}

function parseCorsOrigin(text: string): CorsOrigin {
  const value = text.trim();
  if (value === "loopback" || value === "*" || value === "none") return value;
  return value
    .split(",")
    .map((origin) => origin.trim())
    .filter((origin) => origin !== "");
}
