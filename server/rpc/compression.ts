// Message compressions tfgate accepts on requests, besides connect-node's gzip and brotli: gRPC's
// "deflate" (grpc-encoding: deflate; grpc-js with grpc.default_compression_algorithm = 1, and
// TF's own C++ gRPC stack, which offers identity, deflate and gzip) and HTTP's Content-Encoding:
// deflate on Connect. Both mean zlib-wrapped DEFLATE (RFC 1950); a raw DEFLATE stream (RFC 1951),
// which some HTTP clients send under the same name, is accepted too.

import { promisify } from "node:util";
import * as zlib from "node:zlib";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Compression } from "@connectrpc/connect/protocol";

const deflate = promisify(zlib.deflate);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);

function nodeErrorCode(e: unknown): string | undefined {
  return e instanceof Error && "code" in e && typeof e.code === "string" ? e.code : undefined;
}

/** zlib's failures as connect-node reports them for gzip: too large, malformed, or internal. */
function toConnectError(e: unknown, readMaxBytes: number): ConnectError {
  const code = nodeErrorCode(e);
  if (code === "ERR_BUFFER_TOO_LARGE") {
    return new ConnectError(
      `message is larger than configured readMaxBytes ${readMaxBytes} after decompression`,
      Code.ResourceExhausted,
    );
  }
  const malformed = code === "Z_DATA_ERROR" || code === "Z_BUF_ERROR";
  return new ConnectError(
    "decompression failed",
    malformed ? Code.InvalidArgument : Code.Internal,
    undefined,
    undefined,
    e,
  );
}

/** A copy whose buffer is a plain ArrayBuffer (what connect's Compression promises). */
const owned = (b: Uint8Array): Uint8Array<ArrayBuffer> =>
  b.buffer instanceof ArrayBuffer ? (b as Uint8Array<ArrayBuffer>) : new Uint8Array(b);

async function decompressDeflate(bytes: Uint8Array, readMaxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  if (bytes.length === 0) return new Uint8Array(0);
  const options = { maxOutputLength: readMaxBytes };
  try {
    return owned(await inflate(bytes, options));
  } catch (e) {
    // Not a zlib header: try the stream as raw DEFLATE before calling it malformed.
    if (nodeErrorCode(e) !== "Z_DATA_ERROR") throw toConnectError(e, readMaxBytes);
    try {
      return owned(await inflateRaw(bytes, options));
    } catch (raw) {
      throw toConnectError(raw, readMaxBytes);
    }
  }
}

export const compressionDeflate: Compression = {
  name: "deflate",
  compress: async (bytes) => owned(await deflate(bytes)),
  decompress: decompressDeflate,
};
