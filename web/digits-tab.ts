// The demo page's second tab: a digit classifier trained in Python (scripts/train-demo-model.py),
// exported as a SavedModel and served by the gateway from its file sandbox (`npm run demo` serves
// the repository's models/). The page loads it with Session.fromSavedModel (the server creates the
// session and restores the variables), then runs the "serving_default" signature by its own names
// on what is drawn on the canvas and shows the class probabilities.
//
// The tab's section has data-state "idle", "loading", "ready", "predicted", "unavailable" or
// "error"; after a prediction data-class holds the predicted digit. The browser test reads both.

import {
  type HostTensor,
  listSavedModels,
  type MasterClient,
  type SavedModelSession,
  Session,
  tensor,
} from "../web-client/index.js";
import { SIZE, toModelInput } from "./digits.js";

export const MODEL_NAME = "digits";
const CANVAS = 280;

export interface DigitsTab {
  /** Loads the model (once) when the tab is first shown. */
  activate(): void;
}

export function createDigitsTab(
  client: () => MasterClient,
  gateway: string,
  describe: (e: unknown) => string,
): DigitsTab {
  const section = document.getElementById("digits-tab") as HTMLElement;
  const canvas = document.getElementById("digit-canvas") as HTMLCanvasElement;
  const status = document.getElementById("digits-status") as HTMLElement;
  const bars = document.getElementById("digit-bars") as HTMLOListElement;
  const clearButton = document.getElementById("digit-clear") as HTMLButtonElement;
  const ctx = canvas.getContext("2d", { willReadFrequently: true }) as CanvasRenderingContext2D;
  let model: SavedModelSession | undefined;
  let loaded = false;
  let pending = false;
  let running = false;

  const setState = (state: string, message: string) => {
    section.dataset.state = state;
    status.textContent = message;
  };

  const clear = () => {
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, CANVAS, CANVAS);
    drawBars(undefined);
    delete section.dataset.class;
    if (model) setState("ready", "Draw a digit (0–9) in the box.");
  };

  const drawBars = (p: Float32Array | undefined) => {
    bars.replaceChildren(
      ...Array.from({ length: 10 }, (_, d) => {
        const li = document.createElement("li");
        const value = p?.[d] ?? 0;
        li.dataset.digit = String(d);
        li.dataset.value = value.toFixed(4);
        li.style.setProperty("--p", value.toFixed(4));
        li.textContent = `${d}`;
        const amount = document.createElement("span");
        amount.textContent = p ? `${(value * 100).toFixed(1)}%` : "";
        li.append(amount);
        return li;
      }),
    );
  };

  /** The canvas as ink in [0, 1] (white strokes on black: the red channel). */
  const ink = (): Float32Array => {
    const { data } = ctx.getImageData(0, 0, CANVAS, CANVAS);
    const out = new Float32Array(CANVAS * CANVAS);
    for (let i = 0; i < out.length; i++) out[i] = data[i * 4]! / 255;
    return out;
  };

  // One prediction at a time; strokes drawn meanwhile trigger one more when it ends.
  const predict = async (): Promise<void> => {
    if (model === undefined) return;
    if (running) {
      pending = true;
      return;
    }
    const input = toModelInput(ink(), CANVAS, CANVAS);
    if (input === undefined) return;
    running = true;
    try {
      const out = await model.run("serving_default", { image: tensor(input, [1, SIZE, SIZE]) });
      const p = (out.probabilities as HostTensor).values as Float32Array;
      const digit = Number((out.class as HostTensor).values[0]);
      drawBars(p);
      section.dataset.class = String(digit);
      setState("predicted", `Looks like a ${digit} (${(p[digit]! * 100).toFixed(1)}%).`);
    } catch (e) {
      setState("error", describe(e));
    } finally {
      running = false;
      if (pending) {
        pending = false;
        void predict();
      }
    }
  };

  const load = async (): Promise<void> => {
    setState("loading", `Loading the SavedModel "${MODEL_NAME}" on the gateway…`);
    try {
      const names = await listSavedModels(gateway);
      if (!names.includes(MODEL_NAME)) {
        setState(
          "unavailable",
          `The gateway serves no model named "${MODEL_NAME}". Start it with npm run demo (or --files-root models).`,
        );
        return;
      }
      model = await Session.fromSavedModel(client(), MODEL_NAME, { tags: ["serve"], baseUrl: gateway });
      clear();
    } catch (e) {
      const message = describe(e);
      const noRoot = /No model directory is configured/.test(message);
      setState(
        noRoot ? "unavailable" : "error",
        noRoot
          ? "This gateway serves no models: start it with npm run demo (or tfgate serve --files-root models)."
          : message,
      );
    }
  };

  let drawing = false;
  const point = (e: PointerEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * CANVAS) / r.width, ((e.clientY - r.top) * CANVAS) / r.height];
  };
  canvas.addEventListener("pointerdown", (e) => {
    drawing = true;
    canvas.setPointerCapture(e.pointerId);
    const [x, y] = point(e);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + 0.01, y);
    ctx.stroke();
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!drawing) return;
    const [x, y] = point(e);
    ctx.lineTo(x, y);
    ctx.stroke();
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    void predict();
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  clearButton.addEventListener("click", clear);

  ctx.strokeStyle = "#fff";
  ctx.lineWidth = 18;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  ctx.fillStyle = "#000";
  ctx.fillRect(0, 0, CANVAS, CANVAS);
  drawBars(undefined);
  section.dataset.state = "idle";

  return {
    activate() {
      if (loaded) return;
      loaded = true;
      void load();
    },
  };
}
