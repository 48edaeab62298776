#!/usr/bin/env node
// Entry point of the `tfgate` command: runs the compiled CLI (npm's `prepare` builds dist/).
import { runCli } from "../dist/server/main.js";

await runCli(process.argv.slice(2));
