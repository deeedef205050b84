#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  POST_STATE,
  safetyNet
} from "./chunks/chunk-5CK7LNMD.js";
import {
  actionsLogger,
  createServingClient,
  getState,
  readActionInputs,
  wallClock,
  warning
} from "./chunks/chunk-JUYPP6H3.js";
import "./chunks/chunk-BW5RUT3Z.js";

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
