// A throwaway TLS certificate for loopback servers in tests, made with openssl.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A self-signed EC certificate for 127.0.0.1 and localhost, valid one day, written into `dir`.
 * Undefined when openssl is missing; under CI=true that is a failure, not a reason to skip.
 */
export async function throwawayCertificate(
  dir: string,
): Promise<{ certFile: string; keyFile: string } | undefined> {
  const [certFile, keyFile] = [join(dir, "cert.pem"), join(dir, "key.pem")];
  try {
    await run("openssl", [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      keyFile,
      "-out",
      certFile,
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
    ]);
  } catch (error) {
    assert.ok(
      process.env.CI !== "true",
      `openssl is needed to make a throwaway certificate: ${String(error)}`,
    );
    return undefined;
  }
  return { certFile, keyFile };
}
