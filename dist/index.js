#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  POST_STATE
} from "./chunks/chunk-5CK7LNMD.js";
import {
  buildAndPush,
  exitCodeFor,
  formatResultLine,
  formatStepLine,
  parseBuildOptions,
  run,
  spawnCommand,
  toOutputs,
  writeActionOutputs
} from "./chunks/chunk-3ESLMUB6.js";
import {
  SECRET_INPUTS,
  actionsLogger,
  error,
  parseInputs,
  readActionInputs,
  saveState,
  secretFragments,
  setFailed,
  setOutput,
  setSecret,
  summary,
  wallClock,
  warning
} from "./chunks/chunk-JUYPP6H3.js";
import "./chunks/chunk-5BKDKUK2.js";
import "./chunks/chunk-BW5RUT3Z.js";

// src/report/summary.ts
var SUMMARY_LIMIT_BYTES = 1024 * 1024 - 16 * 1024;
var MAX_REASON_CHARS = 4e3;
var MAX_ROWS = 200;
var RESULT_TITLE = {
  promoted: "\u2705 Promoted",
  "rolled-back": "\u21A9\uFE0F Rolled back",
  paused: "\u23F8\uFE0F Paused",
  aborted: "\u23F9\uFE0F Aborted",
  unchanged: "\u2796 Unchanged",
  failed: "\u274C Failed"
};
var VERDICT = {
  pass: "\u2705 pass",
  fail: "\u274C fail",
  inconclusive: "\u26A0\uFE0F inconclusive"
};
function renderSummary(report) {
  const page = render(report, MAX_ROWS);
  if (byteLength(page) <= SUMMARY_LIMIT_BYTES) return page;
  const cut = Buffer.from(page, "utf8").subarray(0, SUMMARY_LIMIT_BYTES - 200).toString("utf8");
  return `${cut.replace(/\uFFFD$/, "")}

_\u2026summary truncated to stay under GitHub's 1 MiB limit._
`;
}
function render(report, maxRows) {
  const lines = [];
  const dry = report.dryRun ? " (dry run)" : "";
  lines.push(
    `## ${RESULT_TITLE[report.result]}${dry}: ${text(report.service)} in ${text(report.namespace)}`,
    ""
  );
  const from = report.currentRevision ? code(report.currentRevision) : "_none (first deploy)_";
  const to = report.candidateRevision ? code(report.candidateRevision) : "_none_";
  lines.push(`- **Revisions:** ${from} \u2192 ${to}`);
  if (report.image)
    lines.push(
      `- **Image:** ${code(report.digest && !report.image.includes("@") ? `${report.image}@${report.digest}` : report.image)}`
    );
  if (report.url) lines.push(`- **URL:** ${link(report.url)}`);
  if (report.candidateUrl) lines.push(`- **Candidate URL:** ${link(report.candidateUrl)}`);
  lines.push("");
  if (report.reason) {
    const label = report.result === "rolled-back" ? "Rollback reason" : "Reason";
    lines.push(`> **${label}:** ${text(clip(report.reason, MAX_REASON_CHARS))}`, "");
  }
  if (report.steps.length > 0) {
    lines.push(
      "| Step | Candidate requests | Candidate success | Candidate p99 | Current requests | Current success | Current p99 | Verdict |",
      "|---:|---:|---:|---:|---:|---:|---:|---|"
    );
    const rows = report.steps.map((step) => row(step));
    if (rows.length > maxRows) {
      const half = Math.floor(maxRows / 2);
      const omitted = rows.length - 2 * half;
      lines.push(
        ...rows.slice(0, half),
        `| \u2026 | ${omitted} steps omitted | | | | | | |`,
        ...rows.slice(-half)
      );
    } else {
      lines.push(...rows);
    }
    lines.push("");
  }
  if (report.traffic.length > 0) {
    lines.push(
      "**Traffic now:** " + report.traffic.map((t) => `${code(t.revisionName)}${t.tag ? ` (${text(t.tag)})` : ""} ${t.percent}%`).join(", "),
      ""
    );
  }
  const timeline = mermaidTimeline(report);
  if (timeline) lines.push(timeline, "");
  return lines.join("\n");
}
function row(step) {
  const verdict = VERDICT[step.verdict] + (step.reason ? `: ${text(clip(step.reason, 300))}` : "");
  return `| ${step.percent}% | ${requests(step.candidate)} | ${rate(step.candidate)} | ${p99(step.candidate)} | ${requests(step.current)} | ${rate(step.current)} | ${p99(step.current)} | ${verdict} |`;
}
var requests = (s) => s ? String(s.requests) : "\u2013";
var rate = (s) => s && s.requests > 0 ? `${round(s.successRate * 100, 2)}%` : "\u2013";
var p99 = (s) => s && s.requests > 0 ? `${round(s.p99, 1)} ms` : "\u2013";
function mermaidTimeline(report) {
  if (report.steps.length === 0) return void 0;
  const shown = report.steps.slice(-MAX_ROWS);
  const labels = shown.map(
    (s, i) => `"${i + 1 + report.steps.length - shown.length}: ${s.percent}%"`
  );
  const values = shown.map((s) => s.percent);
  const end = finalCandidatePercent(report);
  if (end !== void 0) {
    labels.push(`"${report.result}"`);
    values.push(end);
  }
  return [
    "```mermaid",
    "xychart-beta",
    '  title "Candidate traffic (%) per step"',
    `  x-axis [${labels.join(", ")}]`,
    '  y-axis "candidate %" 0 --> 100',
    `  line [${values.join(", ")}]`,
    "```"
  ].join("\n");
}
function finalCandidatePercent(report) {
  if (report.result === "promoted") return 100;
  if (report.result === "rolled-back" || report.result === "aborted") return 0;
  const candidate = report.traffic.find((t) => t.revisionName === report.candidateRevision);
  return candidate?.percent;
}
function text(value) {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/([\\`*_[\]|#~])/g, "\\$1").replace(/\r?\n/g, " ");
}
function link(url) {
  return /^https?:\/\/[\w.:/%?=&-]+$/.test(url) ? url : text(url);
}
function code(value) {
  const clean = value.replace(/`/g, "'").replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
  return `\`${clean}\``;
}
function clip(value, max) {
  return value.length > max ? value.slice(0, max) + "\u2026" : value;
}
function round(n, digits) {
  return String(Math.round(n * 10 ** digits) / 10 ** digits);
}
function byteLength(s) {
  return Buffer.byteLength(s, "utf8");
}

// src/report/actions-log.ts
function maskSecrets(secrets) {
  for (const secret of secrets) {
    if (!secret) continue;
    for (const fragment of secretFragments(secret)) setSecret(fragment);
  }
}
function annotateResult(report) {
  if (report.result === "rolled-back" || report.result === "failed") {
    error(report.reason ?? `${report.result}`, {
      title: `knative-rollout: ${report.namespace}/${report.service} ${report.result}`
    });
  }
}
async function writeJobSummary(report) {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await summary.addRaw(renderSummary(report), true).write();
  } catch (err) {
    warning(
      `could not write the job summary: ${err instanceof Error ? err.message : String(err)}`
    );
  } finally {
    summary.emptyBuffer();
  }
}

// src/main.ts
async function main() {
  const get = readActionInputs(process.env);
  maskSecrets(SECRET_INPUTS.map((name) => get(name)));
  const log = actionsLogger();
  let inputs;
  try {
    inputs = parseInputs(get);
  } catch (err) {
    setOutput("result", "failed");
    setFailed(err instanceof Error ? err.message : String(err));
    return;
  }
  const cancel = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => cancel.abort(new Error(`${signal} received`)));
  }
  const build = inputs.build ? async () => {
    const options = parseBuildOptions(get);
    const built = await buildAndPush(options, {
      run: spawnCommand,
      clock: wallClock,
      log: (l) => log.info(l),
      env: process.env
    });
    return { image: built.image, digest: built.digest };
  } : void 0;
  const outcome = await run(inputs, {
    clock: wallClock,
    log,
    env: process.env,
    signal: cancel.signal,
    build,
    onStep: (step) => log.info(formatStepLine(step)),
    onTarget: (target) => saveState(POST_STATE.target, JSON.stringify(target))
  });
  saveState(POST_STATE.finished, "true");
  log.info(formatResultLine(outcome));
  writeActionOutputs(toOutputs(outcome));
  annotateResult(outcome);
  await writeJobSummary(outcome);
  if (exitCodeFor(outcome) !== 0) setFailed(outcome.message);
  else log.info(outcome.message);
}
main().catch((err) => {
  setOutput("result", "failed");
  setFailed(err instanceof Error ? err.message : String(err));
});
