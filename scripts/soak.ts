// `npm run soak -- [--sessions 1000] [--seconds 20] [--connections 8] [--devices CPU:2]`: the soak
// of test/soak.test.ts at full size against a real server process (`tfgate serve` as a child), with
// figures: steps, failed and out-of-sequence steps (both must be 0), steps per second, latency, and
// the server's RSS after warm-up and at the end (docs/security.md, "Soak"). Exits 1 on any failed or
// out-of-sequence step.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { parseArgs } from "node:util";
import { runSoak } from "../test/support/soak.js";

const { values } = parseArgs({
  options: {
    sessions: { type: "string", default: "1000" },
    seconds: { type: "string", default: "20" },
    connections: { type: "string", default: "8" },
    devices: { type: "string", default: "CPU:2" },
  },
});
const sessions = Number(values.sessions);
const seconds = Number(values.seconds);

/** VmRSS and VmHWM of a process, in MiB (Linux). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  return { rss: Math.round(kib("VmRSS") / 1024), peak: Math.round(kib("VmHWM") / 1024) };
}

/** A port free now (the server is told to use it: at --log-level warn it does not log its address). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const port = await freePort();
const runCli = "import { runCli } from './server/main.ts'; await runCli(process.argv.slice(1));";
const child = spawn(
  process.execPath,
  [
    "--import",
    "tsx",
    "--input-type=module",
    "-e",
    runCli,
    "serve",
    "--port",
    String(port),
    "--devices",
    values.devices,
    "--max-sessions",
    String(sessions + 100),
    "--log-level",
    "warn",
  ],
  { cwd: new URL("..", import.meta.url).pathname, stdio: ["ignore", "inherit", "inherit"] },
);
const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
const url = `http://127.0.0.1:${port}`;
// Ready when /healthz answers.
for (let i = 0; ; i++) {
  if (child.exitCode !== null) throw new Error("server exited before listening");
  try {
    if ((await fetch(`${url}/healthz`)).ok) break;
  } catch {
    if (i > 600) throw new Error("server did not start within 60 s");
  }
  await new Promise((r) => setTimeout(r, 100));
}

let warm = { rss: 0, peak: 0 };
/** The server's RSS every 5 s while the sessions step (after warm-up). */
const series: number[] = [];
let sampler: NodeJS.Timeout | undefined;
const started = performance.now();
try {
  const result = await runSoak({
    baseUrl: url,
    sessions,
    seconds,
    connections: Number(values.connections),
    onWarm: () => {
      warm = memoryOf(child.pid!);
      sampler = setInterval(() => series.push(memoryOf(child.pid!).rss), 5000);
      console.log(
        `warm: ${sessions} sessions open, each stepped once (${Math.round(performance.now() - started)} ms)`,
      );
    },
  });
  clearInterval(sampler);
  const end = memoryOf(child.pid!);
  console.log(
    [
      `sessions ${sessions}, ${seconds} s of stepping`,
      `steps ${result.steps}, failed ${result.failed}, out of sequence ${result.outOfSequence}`,
      `steps/s ${Math.round(result.stepsPerSecond)}, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms`,
      `server RSS after warm-up ${warm.rss} MiB, at the end ${end.rss} MiB (peak ${end.peak} MiB)`,
      `server RSS every 5 s: ${series.join(", ")} MiB`,
    ].join("\n"),
  );
  for (const p of result.problems) console.log(`  ${p}`);
  process.exitCode = result.failed === 0 && result.outOfSequence === 0 ? 0 : 1;
} finally {
  child.kill("SIGTERM");
  await exited;
}
