// The demo page: builds the classifier of model.ts with the web client's GraphBuilder, creates a
// session on the gateway and trains it with one RunStep per step, drawing the loss, the decision
// boundary and a FULL_TRACE step timeline on plain canvases. URL parameters preset the form
// (?protocol=grpc-web&dataset=xor&hidden=8&lr=1&steps=400) and name another gateway
// (?gateway=http://127.0.0.1:8080: cross-origin, allowed by the gateway's CORS policy);
// ?tab=digits opens the second tab, the SavedModel digit classifier (digits-tab.ts).
//
// `document.body.dataset.state` is "ready", "training", "done", "stopped" or "error"; the loss of
// the last step is in #loss's data-value. The browser test reads both, and the summary panel's
// data-* attributes: after training the page fetches the graph's merged summary (ScalarSummary +
// HistogramSummary) as serialized tensorflow.Summary bytes and decodes them with the generated
// schema, as TensorBoard would read them from an event file.

import { fromBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { StepStats } from "../gen/tensorflow/core/framework/step_stats_pb.js";
import { type HistogramProto, type Summary, SummarySchema } from "../web-client/gen.js";
import {
  createMasterClient,
  type MasterClient,
  type Protocol,
  Session,
  type TensorInput,
  TfError,
  tensor,
  toTensorProto,
} from "../web-client/index.js";
import { createDigitsTab } from "./digits-tab.js";
import { buildModel, type Dataset, type DatasetKind, type Model, makeDataset } from "./model.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const gateway = params.get("gateway") ?? location.origin;
const form = $<HTMLFormElement>("controls");
const trainButton = $<HTMLButtonElement>("train");
const stopButton = $<HTMLButtonElement>("stop");
const badButton = $<HTMLButtonElement>("bad");
const statusEl = $("status");
const errorEl = $("error");
const lossEl = $("loss");

const GRID = 60;
const POINTS = 200;

type State = "ready" | "training" | "done" | "stopped" | "error";
function setState(state: State, message: string): void {
  document.body.dataset.state = state;
  statusEl.textContent = message;
  trainButton.disabled = state === "training";
  stopButton.disabled = state !== "training";
  for (const input of form.querySelectorAll<HTMLInputElement>("input[name=protocol]")) {
    input.disabled = state === "training";
  }
}

// --- form -------------------------------------------------------------------------------------

for (const name of ["dataset", "hidden", "lr", "steps"]) {
  const v = params.get(name);
  const el = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
  if (v !== null && el !== null) el.value = v;
}
{
  const p = params.get("protocol");
  const radio = form.querySelector<HTMLInputElement>(`input[name=protocol][value="${p}"]`);
  if (radio) radio.checked = true;
}

function settings() {
  const data = new FormData(form);
  const num = (name: string, lo: number, hi: number, fallback: number) => {
    const v = Number(data.get(name));
    return Number.isFinite(v) && v >= lo && v <= hi ? v : fallback;
  };
  return {
    protocol: String(data.get("protocol") ?? "connect") as Protocol,
    dataset: String(data.get("dataset") ?? "circles") as DatasetKind,
    hidden: Math.round(num("hidden", 1, 64, 8)),
    learningRate: num("lr", 0.001, 10, 1),
    steps: Math.round(num("steps", 1, 100000, 400)),
  };
}

const clients = new Map<Protocol, MasterClient>();
function client(protocol: Protocol): MasterClient {
  let c = clients.get(protocol);
  if (c === undefined) {
    c = createMasterClient(gateway, { protocol });
    clients.set(protocol, c);
  }
  return c;
}

// --- errors -------------------------------------------------------------------------------------

/** "INVALID_ARGUMENT" from a TfError's TF code or a ConnectError's code. */
function describeError(e: unknown): { code: string; message: string } {
  if (e instanceof TfError) return { code: e.codeName, message: e.rawMessage };
  if (e instanceof ConnectError) {
    const code = Code[e.code]?.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase() ?? "UNKNOWN";
    return { code, message: e.rawMessage };
  }
  return { code: "UNKNOWN", message: e instanceof Error ? e.message : String(e) };
}

function showError(e: unknown): void {
  const { code, message } = describeError(e);
  errorEl.hidden = false;
  errorEl.replaceChildren();
  const strong = document.createElement("strong");
  strong.textContent = code;
  errorEl.append(strong, document.createTextNode(`\n${message}`));
  errorEl.dataset.code = code;
}

function clearError(): void {
  errorEl.hidden = true;
  errorEl.textContent = "";
  delete errorEl.dataset.code;
}

// --- drawing ----------------------------------------------------------------------------------

const css = getComputedStyle(document.documentElement);
const color = (name: string) => css.getPropertyValue(name).trim();

function drawLoss(losses: readonly number[], total: number): void {
  const canvas = $<HTMLCanvasElement>("loss-plot");
  const ctx = canvas.getContext("2d")!;
  const { width: w, height: h } = canvas;
  const pad = { l: 44, r: 10, t: 10, b: 24 };
  ctx.clearRect(0, 0, w, h);
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillStyle = color("--muted");
  ctx.strokeStyle = color("--line");
  const max = Math.max(0.1, ...losses.slice(0, 5));
  const x = (i: number) => pad.l + (i / Math.max(1, total - 1)) * (w - pad.l - pad.r);
  const y = (v: number) => pad.t + (1 - Math.min(v, max) / max) * (h - pad.t - pad.b);
  ctx.beginPath();
  for (const f of [0, 0.25, 0.5, 0.75, 1]) {
    const yy = Math.round(y(f * max)) + 0.5;
    ctx.moveTo(pad.l, yy);
    ctx.lineTo(w - pad.r, yy);
    ctx.textAlign = "right";
    ctx.fillText((f * max).toFixed(2), pad.l - 6, yy + 4);
  }
  ctx.stroke();
  ctx.textAlign = "center";
  for (const f of [0, 0.5, 1])
    ctx.fillText(String(Math.round(f * (total - 1)) + 1), x(f * (total - 1)), h - 6);
  ctx.strokeStyle = color("--accent");
  ctx.lineWidth = 2;
  ctx.beginPath();
  losses.forEach((v, i) => {
    if (i === 0) ctx.moveTo(x(i), y(v));
    else ctx.lineTo(x(i), y(v));
  });
  ctx.stroke();
  ctx.lineWidth = 1;
  const last = losses.at(-1);
  canvas.setAttribute(
    "aria-label",
    last === undefined
      ? "Loss per step: no data yet"
      : `Loss per step: ${losses.length} steps, from ${losses[0]!.toFixed(3)} to ${last.toFixed(3)}`,
  );
}

function hexRgb(hex: string): [number, number, number] {
  const v = Number.parseInt(hex.replace("#", ""), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** The data points over the model's probabilities on a GRID×GRID lattice of [-1, 1]² (if any). */
function drawBoundary(data: Dataset, grid: Float32Array | undefined, accuracy?: number): void {
  const canvas = $<HTMLCanvasElement>("boundary");
  const ctx = canvas.getContext("2d")!;
  const { width: w, height: h } = canvas;
  const one = hexRgb(color("--one"));
  const zero = hexRgb(color("--zero"));
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, w, h);
  if (grid) {
    const img = ctx.createImageData(GRID, GRID);
    for (let r = 0; r < GRID; r++) {
      for (let c = 0; c < GRID; c++) {
        const p = grid[r * GRID + c]!;
        const base = p >= 0.5 ? one : zero;
        const a = Math.abs(p - 0.5) * 2 * 0.35 + 0.04; // light tints keep the points readable
        const o = ((GRID - 1 - r) * GRID + c) * 4;
        for (let k = 0; k < 3; k++) img.data[o + k] = Math.round(255 * (1 - a) + base[k]! * a);
        img.data[o + 3] = 255;
      }
    }
    const off = new OffscreenCanvas(GRID, GRID);
    off.getContext("2d")!.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(off, 0, 0, w, h);
  }
  for (let i = 0; i < data.n; i++) {
    const px = ((data.x[2 * i]! + 1) / 2) * w;
    const py = (1 - (data.x[2 * i + 1]! + 1) / 2) * h;
    ctx.beginPath();
    ctx.arc(px, py, 3.2, 0, 2 * Math.PI);
    ctx.fillStyle = data.y[i] === 1 ? color("--one") : color("--zero");
    ctx.fill();
    ctx.strokeStyle = "#fff";
    ctx.stroke();
  }
  canvas.setAttribute(
    "aria-label",
    grid === undefined
      ? `${data.n} data points of two classes; no model yet`
      : `${data.n} data points and the model's decision regions; training accuracy ${((accuracy ?? 0) * 100).toFixed(0)}%`,
  );
}

function drawTimeline(stats: StepStats | undefined): void {
  const canvas = $<HTMLCanvasElement>("timeline");
  const ctx = canvas.getContext("2d")!;
  const devs = (stats?.devStats ?? []).filter((d) => d.nodeStats.length > 0);
  const rowH = 26;
  canvas.height = Math.max(60, 24 + devs.length * rowH);
  const { width: w, height: h } = canvas;
  ctx.clearRect(0, 0, w, h);
  ctx.font = "11px system-ui, sans-serif";
  if (devs.length === 0) {
    ctx.fillStyle = color("--muted");
    ctx.fillText("No step stats returned.", 8, 20);
    return;
  }
  const all = devs.flatMap((d) => d.nodeStats);
  const t0 = Math.min(...all.map((n) => Number(n.allStartMicros)));
  const t1 = Math.max(...all.map((n) => Number(n.allStartMicros + n.allEndRelMicros)));
  const span = Math.max(1, t1 - t0);
  const left = 70;
  const x = (t: number) => left + ((t - t0) / span) * (w - left - 10);
  const palette = ["#0b5cad", "#c2410c", "#15803d", "#7c3aed", "#b45309", "#0e7490"];
  const opOf = (label: string, name: string) => /= ([\w]+)\(/.exec(label)?.[1] ?? name;
  devs.forEach((d, row) => {
    const y = 6 + row * rowH;
    ctx.fillStyle = color("--fg");
    ctx.textAlign = "left";
    ctx.fillText(d.device.replace(/^.*device:/, ""), 6, y + 15);
    // Receives mostly wait for the other device: drawn pale, underneath, longest first.
    const bars = d.nodeStats
      .map((n) => ({
        name: n.nodeName,
        op: opOf(n.timelineLabel, n.nodeName),
        s: Number(n.allStartMicros),
        e: Number(n.allStartMicros) + Math.max(1, Number(n.allEndRelMicros)),
      }))
      .sort(
        (a, b) => Number(b.op.endsWith("Recv")) - Number(a.op.endsWith("Recv")) || b.e - b.s - (a.e - a.s),
      );
    bars.forEach((bar, i) => {
      const bx = x(bar.s);
      const bw = Math.max(1.5, x(bar.e) - bx);
      const recv = bar.op.endsWith("Recv");
      ctx.fillStyle = recv ? "#d9dee5" : palette[i % palette.length]!;
      ctx.fillRect(bx, y, bw, rowH - 6);
      if (bw > 70) {
        ctx.fillStyle = recv ? color("--muted") : "#fff";
        ctx.save();
        ctx.beginPath();
        ctx.rect(bx, y, bw, rowH - 6);
        ctx.clip();
        ctx.fillText(recv ? `${bar.op} (waiting)` : `${bar.op} ${bar.name}`, bx + 3, y + 14);
        ctx.restore();
      }
    });
  });
  ctx.fillStyle = color("--muted");
  ctx.textAlign = "right";
  ctx.fillText(`${span} µs`, w - 10, h - 4);
  const ops = all.length;
  canvas.setAttribute(
    "aria-label",
    `One traced step: ${ops} ops on ${devs.length} device${devs.length === 1 ? "" : "s"} in ${span} microseconds`,
  );
}

// --- summaries --------------------------------------------------------------------------------

/**
 * Fetches a string tensor holding a serialized Summary and decodes it. The raw RunStep keeps the
 * bytes (Session.run decodes strings as UTF-8 text).
 */
async function fetchSummary(
  session: Session,
  name: string,
  feeds: Record<string, TensorInput>,
): Promise<Summary> {
  const res = await session.client.runStep({
    sessionHandle: session.handle,
    feed: Object.entries(feeds).map(([n, t]) => ({ name: n, tensor: toTensorProto(t) })),
    fetch: [name],
  });
  const content = res.tensor[0]?.tensor?.tensorContent ?? new Uint8Array();
  // tensor_content of one string: its varint length, then its bytes.
  let o = 0;
  let shift = 0;
  let len = 0;
  for (;;) {
    const b = content[o++]!;
    len |= (b & 0x7f) << shift;
    if (b < 0x80) break;
    shift += 7;
  }
  return fromBinary(SummarySchema, content.subarray(o, o + len));
}

/** The histogram re-binned into `bins` equal bins over [min, max], as TensorBoard shows it. */
function rebin(h: HistogramProto, bins: number): number[] {
  const out = new Array<number>(bins).fill(0);
  const span = h.max - h.min || 1;
  h.bucket.forEach((count, i) => {
    if (count <= 0) return;
    const right = Math.min(h.bucketLimit[i]!, h.max);
    const left = Math.max(i === 0 ? h.min : h.bucketLimit[i - 1]!, h.min);
    const mid = (left + right) / 2;
    out[Math.min(bins - 1, Math.max(0, Math.floor(((mid - h.min) / span) * bins)))]! += count;
  });
  return out;
}

function drawSummary(summary: Summary | undefined): void {
  const canvas = $<HTMLCanvasElement>("histogram");
  const ctx = canvas.getContext("2d")!;
  const { width: w, height: h } = canvas;
  ctx.clearRect(0, 0, w, h);
  ctx.font = "11px system-ui, sans-serif";
  const panel = $("summary-panel");
  const scalar = summary?.value.find((v) => v.value.case === "simpleValue");
  const histo = summary?.value.find((v) => v.value.case === "histo");
  if (summary === undefined || histo?.value.case !== "histo") {
    ctx.fillStyle = color("--muted");
    ctx.fillText("No summary yet: train the model.", 8, 20);
    canvas.setAttribute("aria-label", "No summary yet");
    return;
  }
  const hp = histo.value.value;
  const bins = rebin(hp, 40);
  const top = Math.max(1, ...bins);
  const pad = { l: 36, r: 10, t: 10, b: 24 };
  const bw = (w - pad.l - pad.r) / bins.length;
  ctx.fillStyle = color("--accent");
  bins.forEach((c, i) => {
    const bh = (c / top) * (h - pad.t - pad.b);
    ctx.fillRect(pad.l + i * bw + 1, h - pad.b - bh, bw - 2, bh);
  });
  ctx.fillStyle = color("--muted");
  ctx.textAlign = "left";
  ctx.fillText(hp.min.toFixed(3), pad.l, h - 6);
  ctx.textAlign = "right";
  ctx.fillText(hp.max.toFixed(3), w - pad.r, h - 6);
  ctx.fillText(String(top), pad.l - 6, pad.t + 10);
  const mean = hp.num > 0 ? hp.sum / hp.num : 0;
  const loss = scalar?.value.case === "simpleValue" ? scalar.value.value : Number.NaN;
  panel.dataset.tags = summary.value.map((v) => v.tag).join(",");
  panel.dataset.num = String(hp.num);
  panel.dataset.buckets = String(hp.bucket.length);
  panel.dataset.mean = String(mean);
  panel.dataset.loss = String(loss);
  $("summary-text").textContent =
    `Summary with ${summary.value.length} values: ${scalar?.tag} = ${loss.toFixed(4)} (ScalarSummary); ` +
    `${histo.tag}: ${hp.num} values in ${hp.bucket.length} non-empty buckets of TF's default bucketing, mean ${mean.toFixed(4)} (HistogramSummary).`;
  canvas.setAttribute(
    "aria-label",
    `Histogram of ${hp.num} per-example losses from ${hp.min.toFixed(3)} to ${hp.max.toFixed(3)}`,
  );
}

// --- devices ----------------------------------------------------------------------------------

/** The second CPU, when the gateway has one: the model's output layer is placed there. */
let secondDevice: string | undefined;

async function listDevices(): Promise<void> {
  const list = $("devices");
  try {
    const res = await client(settings().protocol).listDevices({});
    secondDevice = res.localDevice.find((d) => d.deviceType === "CPU" && d.name.endsWith(":1"))?.name;
    list.replaceChildren(
      ...res.localDevice.concat(res.remoteDevice).map((d) => {
        const li = document.createElement("li");
        const mib = Number(d.memoryLimit) / 2 ** 20;
        const short = document.createElement("strong");
        short.textContent = d.name.replace(/^.*\/device:/, "");
        const full = document.createElement("code");
        // Break the long name only after its slashes.
        d.name.split("/").forEach((part, i) => {
          if (i > 0) full.append("/", document.createElement("wbr"));
          full.append(part);
        });
        li.append(short, ` ${mib > 0 ? `${mib.toFixed(0)} MiB ` : ""}`, full);
        return li;
      }),
    );
  } catch (e) {
    list.replaceChildren();
    showError(e);
    throw e;
  }
}

// --- training ---------------------------------------------------------------------------------

let stop: AbortController | undefined;

async function predict(
  session: Session,
  model: Model,
  points: Float32Array,
  n: number,
): Promise<Float32Array> {
  const out = await session.run({
    feeds: { [model.x]: tensor(points, [n, 2]) },
    fetches: [model.probability],
  });
  return out[model.probability]!.values as Float32Array;
}

const gridPoints = (() => {
  const pts = new Float32Array(GRID * GRID * 2);
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      pts[2 * (r * GRID + c)] = -1 + (2 * (c + 0.5)) / GRID;
      pts[2 * (r * GRID + c) + 1] = -1 + (2 * (r + 0.5)) / GRID;
    }
  }
  return pts;
})();

async function train(): Promise<void> {
  const s = settings();
  clearError();
  stop = new AbortController();
  const signal = stop.signal;
  setState("training", `Training over ${s.protocol}…`);
  const data = makeDataset(s.dataset, POINTS, 7);
  const model = buildModel({
    hidden: s.hidden,
    learningRate: s.learningRate,
    seed: 1,
    ...(secondDevice === undefined ? {} : { outputDevice: secondDevice }),
  });
  const losses: number[] = [];
  let session: Session | undefined;
  try {
    session = await Session.create(client(s.protocol), model.graph.toGraphDef());
    await session.run({ targets: [model.init] });
    const feeds = { [model.x]: tensor(data.x, [data.n, 2]), [model.y]: tensor(data.y, [data.n, 1]) };
    const started = performance.now();
    let lastDraw = 0;
    let lastBoundary = 0;
    let accuracy = 0;
    const refreshBoundary = async () => {
      const grid = await predict(session!, model, gridPoints, GRID * GRID);
      const p = await predict(session!, model, data.x, data.n);
      accuracy = p.reduce((a, v, i) => a + ((v >= 0.5 ? 1 : 0) === data.y[i] ? 1 : 0), 0) / data.n;
      $("accuracy").textContent = `${(accuracy * 100).toFixed(0)}%`;
      drawBoundary(data, grid, accuracy);
    };
    for (let step = 0; step < s.steps && !signal.aborted; step++) {
      const out = await session.run({ feeds, fetches: [model.loss], targets: [model.train], signal });
      const loss = (out[model.loss]!.values as Float32Array)[0]!;
      losses.push(loss);
      const now = performance.now();
      if (now - lastDraw > 40 || step === s.steps - 1) {
        lastDraw = now;
        $("step").textContent = `${step + 1} / ${s.steps}`;
        lossEl.textContent = loss.toFixed(4);
        lossEl.dataset.value = String(loss);
        $("rate").textContent = ((step + 1) / ((now - started) / 1000)).toFixed(0);
        drawLoss(losses, s.steps);
      }
      if (now - lastBoundary > 300) {
        lastBoundary = now;
        await refreshBoundary();
      }
    }
    $("step").textContent = `${losses.length} / ${s.steps}`;
    lossEl.textContent = (losses.at(-1) ?? Number.NaN).toFixed(4);
    lossEl.dataset.value = String(losses.at(-1));
    drawLoss(losses, s.steps);
    await refreshBoundary();
    // One more training step, traced: RunMetadata.step_stats for the timeline.
    const traced = await session.runWithMetadata({
      feeds,
      fetches: [model.loss],
      targets: [model.train],
      options: { traceLevel: "FULL_TRACE" },
    });
    drawTimeline(traced.metadata?.stepStats);
    drawSummary(await fetchSummary(session, model.summary, feeds));
    const secs = (performance.now() - started) / 1000;
    const summary = `${losses.length} steps over ${s.protocol} in ${secs.toFixed(1)} s; loss ${losses[0]?.toFixed(3)} → ${losses.at(-1)?.toFixed(3)}, accuracy ${(accuracy * 100).toFixed(0)}%.`;
    setState(
      signal.aborted ? "stopped" : "done",
      signal.aborted ? `Stopped: ${summary}` : `Done: ${summary}`,
    );
  } catch (e) {
    if (signal.aborted) {
      setState("stopped", `Stopped after ${losses.length} steps.`);
    } else {
      showError(e);
      setState("error", "Training failed (see the error below).");
    }
  } finally {
    await session?.close().catch(() => {});
  }
}

/** Runs a step that TensorFlow rejects (x with 3 columns), to show how errors arrive. */
async function badStep(): Promise<void> {
  const s = settings();
  clearError();
  const model = buildModel({ hidden: s.hidden, learningRate: s.learningRate, seed: 1 });
  let session: Session | undefined;
  try {
    session = await Session.create(client(s.protocol), model.graph.toGraphDef());
    await session.run({ targets: [model.init] });
    await session.run({
      feeds: { [model.x]: tensor([[1, 2, 3]]) },
      fetches: [model.probability],
    });
    statusEl.textContent = "The bad step unexpectedly succeeded.";
  } catch (e) {
    showError(e);
    statusEl.textContent = `The bad step failed over ${s.protocol}, as it should: the error below carries TensorFlow's code.`;
  } finally {
    await session?.close().catch(() => {});
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  void train();
});
stopButton.addEventListener("click", () => stop?.abort());
badButton.addEventListener("click", () => void badStep());
form.addEventListener("change", (event) => {
  const target = event.target as HTMLInputElement;
  if (target.name === "dataset" && document.body.dataset.state !== "training") {
    drawBoundary(makeDataset(settings().dataset, POINTS, 7), undefined);
  }
});

// --- tabs ---------------------------------------------------------------------------------------

const digits = createDigitsTab(
  () => client(settings().protocol),
  gateway,
  (e) => {
    const { code, message } = describeError(e);
    return `${code}: ${message}`;
  },
);
const tabs = [
  { tab: $<HTMLButtonElement>("tab-train"), panel: $("train-tab") },
  { tab: $<HTMLButtonElement>("tab-digits"), panel: $("digits-tab") },
];
function showTab(id: string): void {
  for (const { tab, panel } of tabs) {
    const selected = tab.id === id;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    panel.hidden = !selected;
  }
  if (id === "tab-digits") digits.activate();
}
for (const { tab } of tabs) tab.addEventListener("click", () => showTab(tab.id));
if (params.get("tab") === "digits") showTab("tab-digits");

$("gateway").textContent = gateway;
drawLoss([], settings().steps);
drawBoundary(makeDataset(settings().dataset, POINTS, 7), undefined);
drawTimeline(undefined);
drawSummary(undefined);
listDevices().then(
  () => setState("ready", "Ready. Press Train."),
  () => setState("error", `Cannot reach the gateway at ${gateway}.`),
);
