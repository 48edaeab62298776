#!/usr/bin/env node
// Bundle sizes (esbuild, minified, ES2022, then gzip -9) of the web client, imported by package
// name as an application would, beside a bare connect-web client of the same service, and of the
// demo page. Prints a Markdown table (web-client/README.md's "Bundle size" section). esbuild
// keeps the dynamically imported text/JSON GraphDef parser in the bundle; one row stubs it out to
// show its share.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const service = "./gen/tensorflow/core/protobuf/master_service_pb.js";
const entries = [
  [
    "bare connect-web: `createClient(MasterService, createConnectTransport(…))`",
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
    "web client: `Session`, `createTransport`, `tensor` (Connect + gRPC-Web)",
    `import { createTransport, Session, TfError, tensor } from "@tfgate/web-client";
     export { createTransport, Session, TfError, tensor };`,
  ],
  [
    "… the same, with the lazily imported text/JSON GraphDef parser stubbed out",
    `import { createTransport, Session, TfError, tensor } from "@tfgate/web-client";
     export { createTransport, Session, TfError, tensor };`,
    "no-text",
  ],
  ["web client: everything, with GraphBuilder and gradients", `export * from "@tfgate/web-client";`],
  ["the demo page (`web/`)", `import "./web/main.ts";`],
];

console.log("| bundle | min | min+gzip |\n|---|---:|---:|");
// Stubs the lazily imported GraphDef text/JSON parser, to show what it costs.
const withoutTextParser = {
  name: "without-text-parser",
  setup(b) {
    b.onResolve({ filter: /graphdef-io\.js$/ }, (args) =>
      args.kind === "dynamic-import" ? { path: "graphdef-io", namespace: "stub" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({ contents: "export const parseGraphDef = null;" }));
  },
};

for (const [name, contents, variant] of entries) {
  const out = await build({
    stdin: { contents, resolveDir: root, loader: "ts", sourcefile: "entry.ts" },
    bundle: true,
    minify: true,
    format: "esm",
    target: ["es2022"],
    platform: "browser",
    // `@tfgate/web-client` from its sources (the package's in-repo export condition), not dist/.
    conditions: ["tfgate-source"],
    legalComments: "none",
    write: false,
    logLevel: "error",
    plugins: variant === "no-text" ? [withoutTextParser] : [],
  });
  const js = out.outputFiles[0].contents;
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`| ${name} | ${kib(js.length)} | ${kib(gzipSync(js, { level: 9 }).length)} |`);
}
