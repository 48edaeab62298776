// Who is calling: a bearer token from the tokens file, a JWT signed by a key of the operator's
// JWKS (verified with jose; the principal is `sub`), or nobody, who is let in as ANONYMOUS where
// --allow-anonymous says so. TF's own server has no authentication at all (its SECURITY.md: "for
// internal communication only"); docs/security.md explains the model.

import { readFile } from "node:fs/promises";
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from "jose";
import { ANONYMOUS } from "../engine/master/master.js";
import { loadTokenTable, type TokenTable } from "./tokens.js";

/** Where callers without credentials are let in: from this machine, from anywhere, or nowhere. */
export type AnonymousAccess = "loopback" | "none" | "all";

export interface AuthOptions {
  readonly tokensFile: string | undefined;
  readonly jwksFile: string | undefined;
  readonly issuer: string | undefined;
  readonly audience: string | undefined;
  readonly allowAnonymous: AnonymousAccess;
}

export type AuthResult = { readonly principal: string } | { readonly denied: string };

export interface Authenticator {
  /** True when some credential can be checked (tokens or JWKS). */
  readonly hasCredentials: boolean;
  authenticate(authorization: string | undefined, remoteAddress: string | undefined): Promise<AuthResult>;
  /** Reads the tokens and JWKS files again (SIGHUP); on error the old ones stay in force. */
  reload(): Promise<void>;
}

type KeyResolver = ReturnType<typeof createLocalJWKSet>;

async function loadJwks(path: string): Promise<KeyResolver> {
  const jwks = JSON.parse(await readFile(path, "utf8")) as JSONWebKeySet;
  if (!Array.isArray(jwks.keys)) throw new Error(`${path}: a JWKS needs a "keys" array`);
  return createLocalJWKSet(jwks);
}

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return v4.startsWith("127.") || address === "::1";
}

export async function createAuthenticator(options: AuthOptions): Promise<Authenticator> {
  let tokens: TokenTable | undefined;
  let jwks: KeyResolver | undefined;
  const load = async () => {
    const nextTokens =
      options.tokensFile === undefined ? undefined : await loadTokenTable(options.tokensFile);
    const nextJwks = options.jwksFile === undefined ? undefined : await loadJwks(options.jwksFile);
    tokens = nextTokens;
    jwks = nextJwks;
  };
  await load();

  const verifyJwt = async (token: string): Promise<AuthResult> => {
    try {
      const { payload } = await jwtVerify(token, jwks!, {
        ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
        ...(options.audience !== undefined ? { audience: options.audience } : {}),
      });
      if (typeof payload.sub !== "string" || payload.sub === "")
        return { denied: "the token has no subject (sub)" };
      return { principal: payload.sub };
    } catch (e) {
      return { denied: `the token was rejected (${(e as { code?: string }).code ?? "invalid"})` };
    }
  };

  return {
    hasCredentials: options.tokensFile !== undefined || options.jwksFile !== undefined,
    async authenticate(authorization, remoteAddress) {
      if (authorization === undefined || authorization === "") {
        const anonymous =
          options.allowAnonymous === "all" ||
          (options.allowAnonymous === "loopback" && isLoopbackAddress(remoteAddress));
        return anonymous
          ? { principal: ANONYMOUS }
          : { denied: "credentials are required (authorization: Bearer <token>)" };
      }
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (match === null) return { denied: "the authorization header must be 'Bearer <token>'" };
      const token = match[1]!;
      const principal = tokens?.principalOf(token);
      if (principal !== undefined) return { principal };
      if (jwks !== undefined && token.split(".").length === 3) return verifyJwt(token);
      return { denied: "the bearer token is not valid" };
    },
    reload: load,
  };
}
