#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  inFlight,
  mergeUserTags,
  readLease,
  readState,
  withEvent,
  writeLease,
  writeState
} from "./chunk-QCR6GPUF.js";

// src/rollout/safety-net.ts
var POST_STATE = { target: "target", finished: "finished" };
async function safetyNet(client, clock, log, target) {
  let action = "nothing";
  await client.updateService(target.namespace, target.service, (live) => {
    action = "nothing";
    if (readLease(live)?.holder !== target.holder) return void 0;
    const open = inFlight(readState(live));
    if (!open || open.percent === 0) {
      action = "released";
      return writeLease(live, void 0);
    }
    action = "rolled-back";
    const reason = `the run holding the rollout died at ${open.percent}%; the post step put ${open.candidate} back to 0%`;
    const state = withEvent(
      { ...open, phase: "aborted", percent: 0, reason },
      { at: clock.now(), event: `aborted: ${reason}`, by: target.holder }
    );
    const traffic = mergeUserTags(live.spec.traffic, {
      current: open.current,
      candidate: open.candidate,
      percent: 0
    });
    return writeLease(writeState({ ...live, spec: { ...live.spec, traffic } }, state), void 0);
  });
  if (action === "rolled-back")
    log.warn(
      `${target.namespace}/${target.service}: the main step died mid-rollout; the candidate is back at 0%`
    );
  if (action === "released")
    log.info(`${target.namespace}/${target.service}: released the lease the main step left`);
  return action;
}

export {
  POST_STATE,
  safetyNet
};
