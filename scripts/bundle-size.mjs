#!/usr/bin/env node
// Bundle sizes (esbuild, minified, ES2022, then gzip -9) of the web client beside a bare
// connect-web client of the same service, and of the demo page. Prints a Markdown table.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const service = "./gen/tensorflow/core/protobuf/master_service_pb.js";
const entries = [
  [
    "bare connect-web: createClient(MasterService, Connect transport)",
    `import { createClient } from "@connectrpc/connect";
     import { createConnectTransport } from "@connectrpc/connect-web";
     import { MasterService } from "${service}";
     export const c = createClient(MasterService, createConnectTransport({ baseUrl: location.origin }));`,
  ],
  [
    "bare connect-web, Connect + gRPC-Web transports",
    `import { createClient } from "@connectrpc/connect";
     import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
     import { MasterService } from "${service}";
     export const c = createClient(MasterService, createConnectTransport({ baseUrl: location.origin }));
     export const g = createClient(MasterService, createGrpcWebTransport({ baseUrl: location.origin }));`,
  ],
  [
    "web-client: client + Session + tensors (no graph builder)",
    `export { createMasterClient, Session, TfStepError } from "./web-client/client.js";
     export { tensor, toTensorProto, fromTensorProto } from "./web-client/tensor.js";`,
  ],
  [
    "web-client: everything (client, Session, tensors, GraphBuilder, gradients)",
    `export * from "./web-client/index.js";`,
  ],
  ["demo page (web/main.ts)", `import "./web/main.ts";`],
];

console.log("| bundle | min | min+gzip |\n|---|---:|---:|");
for (const [name, contents] of entries) {
  const out = await build({
    stdin: { contents, resolveDir: root, loader: "ts", sourcefile: "entry.ts" },
    bundle: true,
    minify: true,
    format: "esm",
    target: ["es2022"],
    platform: "browser",
    legalComments: "none",
    write: false,
    logLevel: "error",
  });
  const js = out.outputFiles[0].contents;
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`| ${name} | ${kib(js.length)} | ${kib(gzipSync(js, { level: 9 }).length)} |`);
}
