// Authentication, the Host check and tenants, through real clients: tokens and JWTs, anonymous
// access by address, UNAUTHENTICATED in each protocol, and two principals that cannot reach each
// other's sessions, variables or Reset.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Code, ConnectError, createClient, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { MasterService } from "../gen/tensorflow/core/protobuf/master_service_pb.js";
import { reloadCredentials } from "../server/app.js";
import { createAuthenticator, isLoopbackAddress } from "../server/auth/authenticator.js";
import { hostName, isAllowedHost } from "../server/auth/host-check.js";
import { parseTokenTable } from "../server/auth/tokens.js";
import { resolveServerOptions, ServerOptionsError } from "../server/options.js";
import { attr } from "./support/attr.js";
import { DataType, graph, node, tensorProto, tensorValues } from "./support/graphs.js";
import { type RunningServer, startServer } from "./support/server.js";

const dir = mkdtempSync(join(tmpdir(), "tfgate-auth-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const tokensFile = join(dir, "tokens");
const ALICE = "alice-token-0123456789abcdef";
const BOB = "bob-token-0123456789abcdef01";
writeFileSync(tokensFile, `# principal token\nalice ${ALICE}\nbob   ${BOB}  # a comment\n\n`);

const bearer =
  (token: string | undefined): Interceptor =>
  (next) =>
  (req) => {
    if (token !== undefined) req.header.set("authorization", `Bearer ${token}`);
    return next(req);
  };

function clientFor(transport: Transport) {
  return createClient(MasterService, transport);
}
const connectAs = (url: string, token?: string) =>
  clientFor(createConnectTransport({ baseUrl: url, httpVersion: "1.1", interceptors: [bearer(token)] }));
const grpcAs = (url: string, token?: string) =>
  clientFor(createGrpcTransport({ baseUrl: url, interceptors: [bearer(token)] }));

async function rejectsWith(p: Promise<unknown>, code: Code, text?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ConnectError, String(e));
    assert.equal(e.code, code, e.message);
    if (text) assert.match(e.rawMessage, text);
    return true;
  });
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      let body = "";
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

// A resource variable with a shared_name, written by one step and read by another.
const variableGraph = graph(
  node("v", "VarHandleOp", {
    attrs: {
      dtype: attr.type(DataType.DT_FLOAT),
      shape: attr.shape([]),
      shared_name: attr.string("weights"),
    },
  }),
  node("init_value", "Const", {
    attrs: {
      dtype: attr.type(DataType.DT_FLOAT),
      value: attr.tensor(tensorProto(DataType.DT_FLOAT, [], [42])),
    },
  }),
  node("assign", "AssignVariableOp", {
    inputs: ["v", "init_value"],
    attrs: { dtype: attr.type(DataType.DT_FLOAT) },
  }),
  node("read", "ReadVariableOp", { inputs: ["v"], attrs: { dtype: attr.type(DataType.DT_FLOAT) } }),
);

describe("bearer tokens and tenants", () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ auth: { tokensFile, allowAnonymous: "none" } });
  });
  after(() => server.close());

  test("without a token every MasterService call is UNAUTHENTICATED, in Connect (401) and gRPC", async () => {
    await rejectsWith(
      connectAs(server.url).listDevices({}),
      Code.Unauthenticated,
      /credentials are required/,
    );
    await rejectsWith(grpcAs(server.url).listDevices({}), Code.Unauthenticated);
    await rejectsWith(
      connectAs(server.url, "wrong-token-0123456789").listDevices({}),
      Code.Unauthenticated,
      /not valid/,
    );
    const raw = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${server.url}/tensorflow.MasterService/ListDevices`,
        { method: "POST", headers: { "content-type": "application/json" } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end("{}");
    });
    assert.equal(raw, 401);
  });

  test("a valid token is served; health stays open; /metrics and reflection need a principal", async () => {
    const r = await grpcAs(server.url, ALICE).listDevices({});
    assert.ok(r.localDevice.length > 0);
    assert.equal((await get(`${server.url}/healthz`)).status, 200);
    assert.equal((await get(`${server.url}/metrics`)).status, 401);
    assert.equal((await get(`${server.url}/metrics`, { authorization: `Bearer ${BOB}` })).status, 200);
  });

  test("another principal's session is 'not found', whatever the method", async () => {
    const alice = connectAs(server.url, ALICE);
    const bob = connectAs(server.url, BOB);
    const { sessionHandle } = await alice.createSession({ graphDef: variableGraph });
    assert.match(sessionHandle, /^[0-9a-f]{32}$/, "128-bit handles");
    const notFound = new RegExp(`Session ${sessionHandle} is not found`);
    await rejectsWith(bob.runStep({ sessionHandle, fetch: ["read:0"] }), Code.Aborted, notFound);
    await rejectsWith(bob.extendSession({ sessionHandle, graphDef: graph() }), Code.Aborted, notFound);
    await rejectsWith(bob.closeSession({ sessionHandle }), Code.Aborted);
    await rejectsWith(bob.makeCallable({ sessionHandle }), Code.Aborted, notFound);
    await rejectsWith(bob.listDevices({ sessionHandle }), Code.InvalidArgument);
    await alice.runStep({ sessionHandle, target: ["assign"] });
    const own = await alice.runStep({ sessionHandle, fetch: ["read:0"] });
    assert.deepEqual(tensorValues(own.tensor[0]!.tensor), [42]);
    await alice.closeSession({ sessionHandle });
  });

  test("a shared_name resolves inside the caller's namespace; the same principal still shares", async () => {
    const alice = connectAs(server.url, ALICE);
    const bob = connectAs(server.url, BOB);
    const a1 = (await alice.createSession({ graphDef: variableGraph })).sessionHandle;
    const a2 = (await alice.createSession({ graphDef: variableGraph })).sessionHandle;
    const b1 = (await bob.createSession({ graphDef: variableGraph })).sessionHandle;
    await alice.runStep({ sessionHandle: a1, target: ["assign"] });
    const shared = await alice.runStep({ sessionHandle: a2, fetch: ["read:0"] });
    assert.deepEqual(
      tensorValues(shared.tensor[0]!.tensor),
      [42],
      "alice's sessions share 'weights', as in TF",
    );
    await rejectsWith(bob.runStep({ sessionHandle: b1, fetch: ["read:0"] }), Code.FailedPrecondition);
    // Bob's Reset clears Bob's world only.
    await bob.reset({});
    const still = await alice.runStep({ sessionHandle: a2, fetch: ["read:0"] });
    assert.deepEqual(tensorValues(still.tensor[0]!.tensor), [42]);
    await rejectsWith(bob.runStep({ sessionHandle: b1, fetch: ["read:0"] }), Code.Aborted, /not found/);
    // Alice's Reset closes her sessions and clears her containers.
    await alice.reset({});
    await rejectsWith(alice.runStep({ sessionHandle: a1, fetch: ["read:0"] }), Code.Aborted, /not found/);
    const fresh = (await alice.createSession({ graphDef: variableGraph })).sessionHandle;
    await rejectsWith(alice.runStep({ sessionHandle: fresh, fetch: ["read:0"] }), Code.FailedPrecondition);
    await alice.closeSession({ sessionHandle: fresh });
  });

  test("SIGHUP's reload takes a new tokens file; a broken one leaves the old in force", async () => {
    const CAROL = "carol-token-0123456789abcdef";
    writeFileSync(tokensFile, `alice ${ALICE}\ncarol ${CAROL}\n`);
    await reloadCredentials(server.app);
    await connectAs(server.url, CAROL).listDevices({});
    await rejectsWith(connectAs(server.url, BOB).listDevices({}), Code.Unauthenticated);
    writeFileSync(tokensFile, "only-one-field\n");
    await assert.rejects(reloadCredentials(server.app), /expected "<principal> <token>"/);
    await connectAs(server.url, CAROL).listDevices({});
  });
});

describe("JWTs from a JWKS", () => {
  let server: RunningServer;
  let sign: (claims: Record<string, unknown>, iss?: string) => Promise<string>;
  before(async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" };
    const jwksFile = join(dir, "jwks.json");
    writeFileSync(jwksFile, JSON.stringify({ keys: [jwk] }));
    sign = (claims, iss = "https://issuer.example") =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "ES256", kid: "k1" })
        .setIssuer(iss)
        .setAudience("tfgate")
        .setExpirationTime("5m")
        .sign(privateKey);
    server = await startServer({
      auth: { jwksFile, issuer: "https://issuer.example", audience: "tfgate", allowAnonymous: "none" },
    });
  });
  after(() => server.close());

  test("a signed token's sub is the principal; wrong issuer, no sub or a forged signature are refused", async () => {
    const token = await sign({ sub: "dana" });
    const { sessionHandle } = await grpcAs(server.url, token).createSession({ graphDef: variableGraph });
    await rejectsWith(
      grpcAs(server.url, await sign({ sub: "erin" })).runStep({ sessionHandle, fetch: ["read:0"] }),
      Code.Aborted,
      /not found/,
    );
    await rejectsWith(
      connectAs(server.url, await sign({ sub: "dana" }, "https://evil.example")).listDevices({}),
      Code.Unauthenticated,
    );
    await rejectsWith(
      connectAs(server.url, await sign({})).listDevices({}),
      Code.Unauthenticated,
      /no subject/,
    );
    const forged = `${token.slice(0, token.lastIndexOf(".") + 1)}${"A".repeat(86)}`;
    await rejectsWith(connectAs(server.url, forged).listDevices({}), Code.Unauthenticated);
  });
});

describe("anonymous access and the Host check", () => {
  test("by default callers without credentials on loopback are 'anonymous'", async () => {
    const server = await startServer();
    try {
      await connectAs(server.url).listDevices({});
      // DNS rebinding: a foreign name in Host is refused before anything else.
      const rebound = await get(`${server.url}/`, { host: "rebind.evil.example" });
      assert.equal(rebound.status, 403);
      assert.match(rebound.body, /Host 'rebind\.evil\.example' is not allowed/);
      assert.equal((await get(`${server.url}/healthz`, { host: `localhost:${server.port}` })).status, 200);
      assert.equal((await get(`${server.url}/healthz`, { host: `[::1]:${server.port}` })).status, 200);
    } finally {
      await server.close();
    }
  });

  test("the address rule and the host rule", async () => {
    assert.ok(
      isLoopbackAddress("127.0.0.1") && isLoopbackAddress("::ffff:127.0.0.5") && isLoopbackAddress("::1"),
    );
    assert.ok(!isLoopbackAddress("10.0.0.1") && !isLoopbackAddress(undefined));
    const loopbackOnly = await createAuthenticator({
      tokensFile: undefined,
      jwksFile: undefined,
      issuer: undefined,
      audience: undefined,
      allowAnonymous: "loopback",
    });
    assert.deepEqual(await loopbackOnly.authenticate(undefined, "127.0.0.1"), { principal: "anonymous" });
    assert.ok("denied" in (await loopbackOnly.authenticate(undefined, "192.168.1.9")));
    assert.ok("denied" in (await loopbackOnly.authenticate("Basic abc", "127.0.0.1")));
    assert.equal(hostName("[::1]:8080"), "::1");
    assert.equal(hostName("Example.COM:443"), "example.com");
    assert.ok(isAllowedHost("api.example.com", [".example.com"]));
    assert.ok(!isAllowedHost("example.com.evil", [".example.com"]));
    assert.ok(isAllowedHost("anything", undefined));
  });

  test("tfgate refuses to listen beyond loopback without authentication unless told", () => {
    assert.throws(
      () => resolveServerOptions({ host: "0.0.0.0" }),
      (e: unknown) => {
        assert.ok(e instanceof ServerOptionsError);
        assert.match(e.message, /refusing to listen on 0\.0\.0\.0 without authentication/);
        return true;
      },
    );
    assert.equal(
      resolveServerOptions({ host: "0.0.0.0", auth: { allowAnonymous: "all" } }).allowedHosts,
      undefined,
    );
    assert.equal(resolveServerOptions({ host: "0.0.0.0", auth: { tokensFile } }).auth.tokensFile, tokensFile);
  });

  test("a tokens file is parsed strictly", () => {
    assert.throws(() => parseTokenTable("alice short\n", "t"), /shorter than 16/);
    assert.throws(() => parseTokenTable(`a ${ALICE}\nb ${ALICE}\n`, "t"), /used twice/);
    assert.equal(parseTokenTable(`# none\n\na ${ALICE} # c\n`, "t").principalOf(ALICE), "a");
  });
});
