#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  POST_STATE,
  safetyNet
} from "./chunks/chunk-2QO2Y5FK.js";
import {
  actionsLogger,
  createServingClient,
  getState,
  readActionInputs,
  wallClock,
  warning
} from "./chunks/chunk-QCR6GPUF.js";
import "./chunks/chunk-O6W5F67O.js";

// src/post.ts
async function post() {
  const target = getState(POST_STATE.target);
  if (!target || getState(POST_STATE.finished) === "true") return;
  const log = actionsLogger();
  const get = readActionInputs(process.env);
  const client = createServingClient({
    kubeconfig: get("kubeconfig"),
    tlsInsecure: get("tls-insecure") === "true",
    clock: wallClock,
    log
  });
  await safetyNet(client, wallClock, log, JSON.parse(target));
}
post().catch(
  (err) => warning(`post step: ${err instanceof Error ? err.message : String(err)}`)
);
