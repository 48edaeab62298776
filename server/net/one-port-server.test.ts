// sniffProtocol: deciding HTTP/2 (prior knowledge) vs HTTP/1.x from a connection's first bytes.
// The sockets themselves are exercised end to end in test/server-app.test.ts.

import assert from "node:assert/strict";
import { test } from "node:test";
import { sniffProtocol } from "./one-port-server.js";

const preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

test("the whole preface means h2, with or without frames after it", () => {
  assert.equal(sniffProtocol(preface), "h2");
  assert.equal(sniffProtocol(Buffer.concat([preface, Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])])), "h2");
});

test("every proper prefix of the preface is undecided", () => {
  for (let n = 0; n < preface.length; n++) {
    assert.equal(sniffProtocol(preface.subarray(0, n)), "undecided", `${n} bytes`);
  }
});

test("HTTP/1.x methods are recognised at their first differing byte", () => {
  assert.equal(sniffProtocol(Buffer.from("G")), "http1");
  assert.equal(sniffProtocol(Buffer.from("P")), "undecided"); // POST, PUT, PATCH and PRI share it
  assert.equal(sniffProtocol(Buffer.from("PO")), "http1");
  assert.equal(sniffProtocol(Buffer.from("PU")), "http1");
  assert.equal(sniffProtocol(Buffer.from("OPTIONS / HTTP/1.1\r\n")), "http1");
  assert.equal(sniffProtocol(Buffer.from("PRI * HTTP/1.1\r\n")), "http1");
});

test("TLS handshakes are not HTTP/2 prior knowledge", () => {
  assert.equal(sniffProtocol(Buffer.from([0x16, 0x03, 0x01])), "http1");
});
