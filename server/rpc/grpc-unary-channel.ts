// A minimal gRPC client for unary calls over one HTTP/2 connection (node:http2), used to reach
// TensorFlow's WorkerService (remote-worker.ts). A master makes several calls per step on the
// step's critical path (RunGraph on each task, RecvTensor of fetched values), so their cost adds
// to every step: against TF's gRPC server this channel's round trip is several times shorter than
// connect-node's or grpc-js's (figures in docs/benchmarks.md, "Remote workers").
//
// What it does: length-prefixed protobuf requests (uncompressed), one response message, the
// status from the trailers (or from the headers of a Trailers-Only answer), TCP_NODELAY, no
// keepalive pings (TF's server answers frequent ones with GOAWAY ENHANCE_YOUR_CALM), a new
// connection after the old one closed or was refused, and cancellation with RST_STREAM(CANCEL).
// Failures are ConnectErrors with gRPC codes: a transport failure is UNAVAILABLE, a cancelled call
// CANCELLED.

import http2 from "node:http2";
import { connect } from "node:net";
import type { DescMethodUnary } from "@bufbuild/protobuf";
import {
  create,
  type DescMessage,
  fromBinary,
  type MessageInitShape,
  type MessageShape,
  toBinary,
} from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";

export interface UnaryChannel {
  call<I extends DescMessage, O extends DescMessage>(
    method: DescMethodUnary<I, O>,
    request: MessageInitShape<I>,
    signal: AbortSignal,
  ): Promise<MessageShape<O>>;
  close(): void;
}

/** "h" of "h:p" ("[::1]:p" → "::1"). */
function hostOf(address: string): string {
  return address.slice(0, address.lastIndexOf(":")).replace(/^\[(.*)\]$/, "$1");
}

function portOf(address: string): number {
  return Number(address.slice(address.lastIndexOf(":") + 1));
}

/** The one message of a unary response body (5-byte prefix: compressed flag, big-endian length). */
function singleMessage(body: Buffer): Uint8Array {
  if (body.length < 5) throw new ConnectError("gRPC response has no message", Code.Internal);
  if (body[0] !== 0) throw new ConnectError("gRPC response is compressed; none was offered", Code.Internal);
  const length = body.readUInt32BE(1);
  if (body.length !== 5 + length)
    throw new ConnectError("gRPC response is not one whole message", Code.Internal);
  return body.subarray(5);
}

function statusOf(
  headers: http2.IncomingHttpHeaders,
  trailers: http2.IncomingHttpHeaders | undefined,
): { code: number; message: string } | undefined {
  const source = trailers?.["grpc-status"] !== undefined ? trailers : headers;
  const raw = source["grpc-status"];
  if (raw === undefined) return undefined;
  const text = String(source["grpc-message"] ?? "");
  let message = text;
  try {
    message = decodeURIComponent(text);
  } catch {
    // Not percent-encoded as the spec says: keep it as sent.
  }
  return { code: Number(raw), message };
}

export function createUnaryChannel(address: string): UnaryChannel {
  let session: http2.ClientHttp2Session | undefined;
  let closed = false;

  const open = (): http2.ClientHttp2Session => {
    if (session !== undefined && !session.closed && !session.destroyed) return session;
    const s = http2.connect(`http://${address}`, {
      createConnection: () => connect({ host: hostOf(address), port: portOf(address), noDelay: true }),
    });
    const forget = () => {
      if (session === s) session = undefined;
    };
    s.on("error", forget);
    s.on("goaway", forget);
    s.on("close", forget);
    // An idle connection does not keep the process alive (the server or the caller does).
    s.unref();
    session = s;
    return s;
  };

  return {
    call(method, request, signal) {
      if (closed) return Promise.reject(new ConnectError("the channel is closed", Code.Unavailable));
      if (signal.aborted) return Promise.reject(new ConnectError("the call was cancelled", Code.Canceled));
      const payload = toBinary(method.input, create(method.input, request));
      const frame = Buffer.allocUnsafe(5 + payload.length);
      frame[0] = 0;
      frame.writeUInt32BE(payload.length, 1);
      frame.set(payload, 5);
      return new Promise((resolve, reject) => {
        const s = open();
        const stream = s.request({
          ":method": "POST",
          ":path": `/${method.parent.typeName}/${method.name}`,
          "content-type": "application/grpc+proto",
          te: "trailers",
        });
        let headers: http2.IncomingHttpHeaders = {};
        let trailers: http2.IncomingHttpHeaders | undefined;
        const chunks: Buffer[] = [];
        let settled = false;
        const finish = (f: () => void) => {
          if (settled) return;
          settled = true;
          signal.removeEventListener("abort", onAbort);
          f();
        };
        const onAbort = () => {
          stream.close(http2.constants.NGHTTP2_CANCEL);
          finish(() => reject(new ConnectError("the call was cancelled", Code.Canceled)));
        };
        signal.addEventListener("abort", onAbort, { once: true });
        stream.on("response", (h) => {
          headers = h;
        });
        stream.on("trailers", (t) => {
          trailers = t;
        });
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("error", (e: Error) =>
          finish(() => reject(new ConnectError(e.message, Code.Unavailable, undefined, undefined, e))),
        );
        stream.on("close", () =>
          finish(() => {
            const status = statusOf(headers, trailers);
            if (status === undefined) {
              const why =
                stream.rstCode !== undefined && stream.rstCode !== 0
                  ? `http/2 stream closed with error code ${stream.rstCode}`
                  : "the connection closed before the call's status arrived";
              reject(new ConnectError(why, Code.Unavailable));
            } else if (status.code !== 0) {
              reject(new ConnectError(status.message, status.code as Code));
            } else {
              try {
                resolve(fromBinary(method.output, singleMessage(Buffer.concat(chunks))));
              } catch (e) {
                reject(ConnectError.from(e, Code.Internal));
              }
            }
          }),
        );
        stream.end(frame);
      });
    },
    close() {
      closed = true;
      session?.destroy();
      session = undefined;
    },
  };
}

/** Open shared channels by address, with how many holders each has. */
const shared = new Map<string, { channel: UnaryChannel; holders: number }>();

/**
 * A channel to `address` shared with every other holder in this process (the master's --cluster
 * tasks and the tasks of sessions that bring their own cluster often name the same addresses):
 * one HTTP/2 connection carries all their calls. Its close() releases this holder's share; the
 * connection closes when the last holder does, so a session closes only what it alone opened.
 */
export function acquireSharedChannel(address: string): UnaryChannel {
  let entry = shared.get(address);
  if (entry === undefined) {
    entry = { channel: createUnaryChannel(address), holders: 0 };
    shared.set(address, entry);
  }
  entry.holders++;
  const held = entry;
  let released = false;
  return {
    call(method, request, signal) {
      if (released) return Promise.reject(new ConnectError("the channel is closed", Code.Unavailable));
      return held.channel.call(method, request, signal);
    },
    close() {
      if (released) return;
      released = true;
      held.holders--;
      if (held.holders === 0) {
        held.channel.close();
        if (shared.get(address) === held) shared.delete(address);
      }
    },
  };
}

/** How many holders share the channel to `address` (0: none open), for tests. */
export function sharedChannelHolders(address: string): number {
  return shared.get(address)?.holders ?? 0;
}
