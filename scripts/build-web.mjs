#!/usr/bin/env node
// `npm run build:web`: bundles the demo page (web/) with esbuild into dist/web/, which the gateway
// serves at / (server/app.ts). Run by `npm run build` and `prepare`, so `npm ci && npm start` serves
// the page. Imported by the browser test to build a fresh bundle before it starts the server.
import { copyFile, mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;

/** Builds web/ into `outdir` (default dist/web); returns the bundle's bytes, minified and gzipped. */
export async function buildWeb(outdir = join(root, "dist", "web")) {
  await mkdir(outdir, { recursive: true });
  const result = await build({
    entryPoints: [join(root, "web", "main.ts")],
    outfile: join(outdir, "app.js"),
    bundle: true,
    minify: true,
    sourcemap: true,
    format: "esm",
    target: ["es2022"],
    platform: "browser",
    legalComments: "none",
    write: true,
    metafile: true,
    logLevel: "warning",
  });
  for (const file of ["index.html", "style.css"]) await copyFile(join(root, "web", file), join(outdir, file));
  const bytes =
    result.metafile.outputs[Object.keys(result.metafile.outputs).find((k) => k.endsWith("app.js"))].bytes;
  const { readFile } = await import("node:fs/promises");
  const gzip = gzipSync(await readFile(join(outdir, "app.js")), { level: 9 }).length;
  return { outdir, bytes, gzip };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { outdir, bytes, gzip } = await buildWeb(process.argv[2]);
  await stat(join(outdir, "index.html"));
  console.log(
    `build:web: ${outdir}/app.js ${(bytes / 1024).toFixed(1)} KiB min, ${(gzip / 1024).toFixed(1)} KiB gzip`,
  );
}
