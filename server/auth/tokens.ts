// Static bearer tokens (--auth-tokens FILE): one `<principal> <token>` per line, `#` comments.
// Tokens are kept only as SHA-256 digests, so a lookup compares digests of the presented token and
// the file holds the only copy of a secret.

import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";

export interface TokenTable {
  /** The principal a token belongs to, or undefined. */
  principalOf(token: string): string | undefined;
  readonly size: number;
}

const digest = (token: string) => createHash("sha256").update(token, "utf8").digest("base64");

/** Parses the file's text; throws naming the line for anything but principal-space-token. */
export function parseTokenTable(text: string, source: string): TokenTable {
  const byDigest = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, "").trim();
    if (line === "") return;
    const fields = line.split(/\s+/);
    if (fields.length !== 2) {
      throw new Error(`${source}:${i + 1}: expected "<principal> <token>", got ${fields.length} fields`);
    }
    const [principal, token] = fields as [string, string];
    if (token.length < 16)
      throw new Error(`${source}:${i + 1}: token of ${principal} is shorter than 16 characters`);
    if (byDigest.has(digest(token)))
      throw new Error(`${source}:${i + 1}: token of ${principal} is used twice`);
    byDigest.set(digest(token), principal);
  });
  return { principalOf: (token) => byDigest.get(digest(token)), size: byDigest.size };
}

export async function loadTokenTable(path: string): Promise<TokenTable> {
  return parseTokenTable(await readFile(path, "utf8"), path);
}
