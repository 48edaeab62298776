// Server options: what the gateway around the engine can be told (address, TLS, CORS, limits,
// logging, shutdown), resolved and range-checked in one place, the way connect's
// validateReadWriteMaxBytes does for its limits. Everything else (app.ts, net/, main.ts) reads the
// resolved object and never re-validates or re-defaults.

import { readFileSync } from "node:fs";
import type { AnonymousAccess, AuthOptions } from "./auth/authenticator.js";
import { loopbackHostNames } from "./auth/host-check.js";
import type { MasterOptions } from "./engine/master/master.js";

/** pino's levels, plus "silent" (no logs at all). */
export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof logLevels)[number];

/**
 * Which browser origins may call the gateway (CORS). Non-browser clients (curl, gRPC) never send
 * `Origin` and are not affected.
 *
 * - `"loopback"` (the default): pages served from this machine (`http(s)://localhost`, `127.0.0.1`,
 *   `[::1]`, any port). tfgate has no authentication, so we do not let every web page the user
 *   happens to visit drive the user's sessions; a local dev page works out of the box.
 * - `"*"`: any origin (e.g. behind an authenticating proxy, or a deliberately public demo).
 * - `"none"`: no CORS headers; browsers can call only from the same origin.
 * - a list of exact origins (`["https://app.example.com", "http://localhost:5173"]`).
 */
export type CorsOrigin = "loopback" | "*" | "none" | readonly string[];

/** Resolved server options: every field present and valid. Made only by `resolveServerOptions`. */
export interface ServerOptions {
  /** Address to bind. Default "127.0.0.1" (loopback only: the gateway has no authentication). */
  readonly host: string;
  /** TCP port, 0..65535 (0 = any free port). Default 8080. */
  readonly port: number;
  /**
   * PEM certificate and key files. Both or neither. With them the port speaks TLS only, offering h2
   * and http/1.1 by ALPN; without them it speaks plaintext HTTP/1.1 and h2c (prior knowledge).
   */
  readonly tlsCert: string | undefined;
  readonly tlsKey: string | undefined;
  /** See `CorsOrigin`. Default "loopback". */
  readonly corsOrigin: CorsOrigin;
  /**
   * Largest message (request or response, after decompression) one RPC may carry, in bytes,
   * 1..0xffffffff. Larger ones fail with RESOURCE_EXHAUSTED. Default 64 MiB.
   */
  readonly maxMessageBytes: number;
  /**
   * Responses of at least this many bytes are compressed when the client accepts gzip or brotli;
   * undefined (the default) never compresses a response, like TensorFlow's gRPC server. Tensors of
   * floats hardly compress, and gzip costs ~7 ms per MiB on the RPC thread. Compressed requests
   * are accepted either way.
   */
  readonly compressMinBytes: number | undefined;
  /**
   * Serve gRPC unary MasterService calls over HTTP/2 on the fast path (rpc/grpc-unary.ts) rather
   * than through Fastify and connect-es. Clients see the same answers either way; false exists to
   * measure the difference and as a way back should a client meet a difference. Default true.
   */
  readonly grpcFastPath: boolean;
  /**
   * Serve unary MasterService calls on the fast paths at all: gRPC (subject to grpcFastPath too),
   * Connect and gRPC-Web (rpc/web-unary.ts). False sends every call through Fastify and connect-es.
   * Default true.
   */
  readonly fastPath: boolean;
  /** Default "info". */
  readonly logLevel: LogLevel;
  /**
   * On shutdown, how long in-flight calls may run before they are cancelled (ms, 0..600000).
   * Connections still open this much later (plus one second) are destroyed. Default 10000.
   */
  readonly shutdownTimeoutMs: number;
  /**
   * A connection with nothing to do for this long is closed (ms, 1..3600000): one that has not sent
   * its first byte, an HTTP/1.1 keep-alive connection between requests, an HTTP/2 session with no
   * activity. Default 60000.
   */
  readonly connectionIdleTimeoutMs: number;
  /**
   * A request whose headers and body have not all arrived this long after it began is ended (ms,
   * 1..3600000): HTTP/1.1 answers 408 and closes the connection, an HTTP/2 stream is reset
   * (RST_STREAM CANCEL). Default 60000.
   */
  readonly requestTimeoutMs: number;
  /**
   * An HTTP/1.1 request whose headers have not all arrived this long after its first byte gets 408
   * and its connection is closed (ms, 1..3600000, at most requestTimeoutMs). Default 20000.
   */
  readonly headersTimeoutMs: number;
  /**
   * Connections open at once from one client address (1..1000000); more are closed as soon as they
   * are accepted. Default 256.
   */
  readonly maxConnectionsPerAddress: number;
  /**
   * Connections open at once in all (1..10000000); more are closed as soon as they are accepted.
   * Default: three quarters of the process's open-file limit (defaultMaxConnections), so files,
   * worker threads and the listening socket keep descriptors when a flood of clients arrives.
   */
  readonly maxConnections: number;
  /**
   * Who may call (docs/security.md): bearer tokens from a file, JWTs checked against a JWKS, and
   * where callers without credentials are let in as the principal `anonymous` (default
   * "loopback": from this machine only).
   */
  readonly auth: AuthOptions;
  /**
   * The Host (:authority) names requests may carry, against DNS rebinding; others get 403.
   * Undefined accepts any name. Default: the loopback names when bound to loopback, else undefined.
   */
  readonly allowedHosts: readonly string[] | undefined;
  /**
   * Also serve TF's WorkerService (gRPC only, same authentication) over the gateway's devices on
   * this port (`--worker-port gateway`): a TF task of a session's cluster_def, or of --cluster,
   * can then RecvTensor the values of tfgate's own task at the address it knows for it. Default
   * false; sets the engine's `targetServesWorkerService`.
   */
  readonly gatewayWorkerService: boolean;
  /** Passed through to the engine's `createMaster`; it resolves and validates its own defaults. */
  readonly master: Partial<MasterOptions>;
}

/** What `resolveServerOptions` takes: any subset of the options, auth's fields one by one too. */
export type ServerOptionsInput = Omit<Partial<ServerOptions>, "auth"> & {
  readonly auth?: Partial<AuthOptions> | undefined;
};

/** Thrown by `resolveServerOptions` for a bad value. `option` names the ServerOptions field. */
export class ServerOptionsError extends Error {
  override readonly name = "ServerOptionsError";
  constructor(
    readonly option: keyof ServerOptions,
    message: string,
  ) {
    super(message);
  }
}

export const serverOptionDefaults = {
  host: "127.0.0.1",
  port: 8080,
  corsOrigin: "loopback",
  maxMessageBytes: 64 * 1024 * 1024,
  logLevel: "info",
  shutdownTimeoutMs: 10_000,
  connectionIdleTimeoutMs: 60_000,
  requestTimeoutMs: 60_000,
  headersTimeoutMs: 20_000,
  maxConnectionsPerAddress: 256,
  grpcFastPath: true,
  fastPath: true,
  gatewayWorkerService: false,
} as const satisfies Partial<ServerOptions>;

/** The largest message connect-es can handle (its own readMaxBytes ceiling). */
const maxMessageBytesLimit = 0xffffffff;

/**
 * Fills in defaults and checks every value. Throws `ServerOptionsError` naming the first bad option
 * and the accepted range. Pure: reads no files, environment or flags (main.ts does that).
 */
export function resolveServerOptions(partial: ServerOptionsInput = {}): ServerOptions {
  const host = partial.host ?? serverOptionDefaults.host;
  if (host.trim() === "" || /\s/.test(host)) {
    throw new ServerOptionsError("host", `host must be a host name or IP address, got "${host}"`);
  }
  const port = integerIn("port", partial.port ?? serverOptionDefaults.port, 0, 65535);
  const tlsCert = partial.tlsCert === "" ? undefined : partial.tlsCert;
  const tlsKey = partial.tlsKey === "" ? undefined : partial.tlsKey;
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new ServerOptionsError(
      tlsCert === undefined ? "tlsCert" : "tlsKey",
      "tlsCert and tlsKey must be given together (a PEM certificate file and its private key file)",
    );
  }
  const corsOrigin = resolveCorsOrigin(partial.corsOrigin ?? serverOptionDefaults.corsOrigin);
  const maxMessageBytes = integerIn(
    "maxMessageBytes",
    partial.maxMessageBytes ?? serverOptionDefaults.maxMessageBytes,
    1,
    maxMessageBytesLimit,
  );
  const compressMinBytes =
    partial.compressMinBytes === undefined
      ? undefined
      : integerIn("compressMinBytes", partial.compressMinBytes, 0, maxMessageBytesLimit);
  const logLevel = partial.logLevel ?? serverOptionDefaults.logLevel;
  if (!(logLevels as readonly string[]).includes(logLevel)) {
    throw new ServerOptionsError(
      "logLevel",
      `logLevel must be one of ${logLevels.join(", ")}, got "${logLevel}"`,
    );
  }
  const shutdownTimeoutMs = integerIn(
    "shutdownTimeoutMs",
    partial.shutdownTimeoutMs ?? serverOptionDefaults.shutdownTimeoutMs,
    0,
    600_000,
  );
  const connectionIdleTimeoutMs = integerIn(
    "connectionIdleTimeoutMs",
    partial.connectionIdleTimeoutMs ?? serverOptionDefaults.connectionIdleTimeoutMs,
    1,
    3_600_000,
  );
  const requestTimeoutMs = integerIn(
    "requestTimeoutMs",
    partial.requestTimeoutMs ?? serverOptionDefaults.requestTimeoutMs,
    1,
    3_600_000,
  );
  // A headers timeout longer than the request timeout would never fire; the default one is lowered
  // to a shorter request timeout rather than refused.
  const headersTimeoutMs = integerIn(
    "headersTimeoutMs",
    partial.headersTimeoutMs ?? Math.min(serverOptionDefaults.headersTimeoutMs, requestTimeoutMs),
    1,
    requestTimeoutMs,
  );
  const maxConnectionsPerAddress = integerIn(
    "maxConnectionsPerAddress",
    partial.maxConnectionsPerAddress ?? serverOptionDefaults.maxConnectionsPerAddress,
    1,
    1_000_000,
  );
  const maxConnections = integerIn(
    "maxConnections",
    partial.maxConnections ?? defaultMaxConnections(),
    1,
    10_000_000,
  );
  const auth = resolveAuth(partial.auth, host);
  const allowedHosts = partial.allowedHosts ?? (isLoopbackHost(host) ? loopbackHostNames : undefined);
  if (allowedHosts !== undefined && allowedHosts.length === 0) {
    throw new ServerOptionsError("allowedHosts", "allowedHosts must list at least one host name (or *)");
  }
  const gatewayWorkerService = partial.gatewayWorkerService ?? serverOptionDefaults.gatewayWorkerService;
  const master: Partial<MasterOptions> = {
    ...partial.master,
    sessionClusters: partial.master?.sessionClusters ?? defaultSessionClusters(host, auth),
    targetServesWorkerService: gatewayWorkerService,
  };
  return {
    auth,
    allowedHosts,
    host,
    port,
    tlsCert,
    tlsKey,
    corsOrigin,
    maxMessageBytes,
    compressMinBytes,
    grpcFastPath: partial.grpcFastPath ?? serverOptionDefaults.grpcFastPath,
    fastPath: partial.fastPath ?? serverOptionDefaults.fastPath,
    logLevel,
    shutdownTimeoutMs,
    connectionIdleTimeoutMs,
    requestTimeoutMs,
    headersTimeoutMs,
    maxConnectionsPerAddress,
    maxConnections,
    gatewayWorkerService,
    master,
  };
}

/**
 * The default total connection cap: three quarters of the soft open-file limit (Linux's
 * /proc/self/limits), at least 64; 16384 where the limit cannot be read or is unlimited. Past the
 * limit accept() fails with EMFILE, and so would every file, pipe and thread the engine opens.
 */
export function defaultMaxConnections(limitsText?: string): number {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync("/proc/self/limits", "latin1");
    } catch {
      return 16_384;
    }
  }
  const soft = /^Max open files\s+(\d+|unlimited)/m.exec(text)?.[1];
  if (soft === undefined || soft === "unlimited") return 16_384;
  return Math.max(64, Math.floor((Number(soft) * 3) / 4));
}

/**
 * The default of --session-clusters: a ConfigProto.cluster_def makes the server connect to
 * addresses the client names, so it is honoured as TF does ("any") only when every caller is
 * already on this machine (bound to loopback, anonymous callers from loopback, no credentials that
 * would suggest a proxy forwarding remote callers); otherwise only listed addresses ("listed").
 * docs/security.md explains the choice.
 */
export function defaultSessionClusters(host: string, auth: AuthOptions): "any" | "listed" {
  const credentials = auth.tokensFile !== undefined || auth.jwksFile !== undefined;
  return isLoopbackHost(host) && !credentials && auth.allowAnonymous === "loopback" ? "any" : "listed";
}

/** True for addresses and names that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host.startsWith("127.") || host === "::1" || host === "[::1]";
}

const anonymousAccess: readonly AnonymousAccess[] = ["loopback", "none", "all"];

/**
 * Refuses a server that anyone on a network could drive: bound beyond loopback, it needs tokens or
 * a JWKS, unless the operator says --allow-anonymous all (e.g. behind an authenticating proxy).
 */
function resolveAuth(partial: Partial<AuthOptions> | undefined, host: string): AuthOptions {
  const auth: AuthOptions = {
    tokensFile: partial?.tokensFile,
    jwksFile: partial?.jwksFile,
    issuer: partial?.issuer,
    audience: partial?.audience,
    allowAnonymous: partial?.allowAnonymous ?? "loopback",
  };
  if (!anonymousAccess.includes(auth.allowAnonymous)) {
    throw new ServerOptionsError(
      "auth",
      `allow-anonymous must be one of ${anonymousAccess.join(", ")}, got "${auth.allowAnonymous}"`,
    );
  }
  if ((auth.issuer !== undefined || auth.audience !== undefined) && auth.jwksFile === undefined) {
    throw new ServerOptionsError(
      "auth",
      "auth-issuer and auth-audience need auth-jwks (the keys to verify with)",
    );
  }
  const credentials = auth.tokensFile !== undefined || auth.jwksFile !== undefined;
  if (!isLoopbackHost(host) && !credentials && auth.allowAnonymous !== "all") {
    throw new ServerOptionsError(
      "auth",
      `refusing to listen on ${host} without authentication: anyone who can reach the port could run ` +
        "any graph and use any session. Give --auth-tokens or --auth-jwks, or --allow-anonymous all " +
        "if something in front of tfgate (a proxy, a tunnel) authenticates callers",
    );
  }
  return auth;
}

function integerIn(option: keyof ServerOptions, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ServerOptionsError(option, `${option} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function resolveCorsOrigin(value: CorsOrigin): CorsOrigin {
  if (value === "loopback" || value === "*" || value === "none") {
    return value;
  }
  if (typeof value === "string") {
    throw new ServerOptionsError(
      "corsOrigin",
      `corsOrigin must be "loopback", "*", "none" or a list of origins, got "${value}"`,
    );
  }
  if (value.length === 0) {
    throw new ServerOptionsError("corsOrigin", `corsOrigin must list at least one origin (or be "none")`);
  }
  for (const origin of value) {
    if (!isOrigin(origin)) {
      throw new ServerOptionsError(
        "corsOrigin",
        `corsOrigin entries must be origins like "https://app.example.com" or "http://localhost:5173" (scheme, host, optional port; no path), got "${origin}"`,
      );
    }
  }
  return [...value];
}

/** True for a serialized origin: scheme://host[:port], exactly as a browser sends it. */
function isOrigin(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (url.protocol === "http:" || url.protocol === "https:") && url.origin === text;
}

/** The hosts the "loopback" CORS policy accepts, as `URL.hostname` spells them. */
const loopbackHostnames = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** True when `origin` (an `Origin` header value) is served from this machine. */
export function isLoopbackOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (url.protocol === "http:" || url.protocol === "https:") && loopbackHostnames.has(url.hostname);
}
