#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  POST_STATE
} from "./chunks/chunk-2QO2Y5FK.js";
import {
  buildAndPush,
  describeEvidence,
  exitCodeFor,
  formatResultLine,
  formatStepLine,
  run,
  spawnCommand,
  stepEvidence,
  toOutputs,
  writeActionOutputs
} from "./chunks/chunk-4SHVNWOS.js";
import {
  ExitCode,
  SECRET_INPUTS,
  actionsLogger,
  error,
  parseBuildOptions,
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
} from "./chunks/chunk-QCR6GPUF.js";
import "./chunks/chunk-DJSID42M.js";
import "./chunks/chunk-O6W5F67O.js";

// src/main.ts
import { readFileSync } from "node:fs";

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
  } else if (report.result === "promoted" && report.steps.length > 0) {
    const last = report.steps[report.steps.length - 1];
    lines.push(
      `> **Why promoted:** every analysed step passed; the last (${last.percent}%): ${text(clip(last.reason ?? "pass", 600))}`,
      ""
    );
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
    lines.push("", "<details><summary>Evidence per step</summary>", "");
    for (const step of report.steps.slice(-maxRows)) lines.push(evidenceLine(step));
    lines.push("", "</details>", "");
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
  const share = step.source ? `${step.percent}% (all traffic)` : `${step.percent}%`;
  return `| ${share} | ${requests(step.candidate)} | ${rate(step.candidate)} | ${p99(step.candidate)} | ${requests(step.current)} | ${rate(step.current)} | ${p99(step.current)} | ${verdict} |`;
}
function evidenceLine(step) {
  const e = stepEvidence(step);
  const stats = Object.entries(e.stats ?? {}).map(([k, v]) => `${k} ${v}`).join(", ");
  const why = step.reason ? ` **Why:** ${text(clip(step.reason, 600))}` : "";
  return `- ${text(describeEvidence(e))}${stats ? `; judge: ${text(stats)}` : ""}.${why}`;
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

// src/github/api.ts
var GitHubApiError = class extends Error {
  constructor(status, method, path, detail) {
    super(`GitHub API ${method} ${path} answered ${status}: ${detail}`);
    this.status = status;
    this.method = method;
    this.path = path;
  }
  status;
  method;
  path;
};
var GitHubApi = class {
  constructor(baseUrl, token, fetchImpl = fetch) {
    this.baseUrl = baseUrl;
    this.token = token;
    this.fetchImpl = fetchImpl;
  }
  baseUrl;
  token;
  fetchImpl;
  async request(method, path, body) {
    const response = await this.fetchImpl(`${this.baseUrl}${path}`, {
      method,
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${this.token}`,
        "x-github-api-version": "2022-11-28",
        "user-agent": "knative-rollout",
        ...body === void 0 ? {} : { "content-type": "application/json" }
      },
      body: body === void 0 ? void 0 : JSON.stringify(body),
      signal: AbortSignal.timeout(15e3)
    });
    const text2 = await response.text();
    if (!response.ok) {
      let detail = text2.slice(0, 300);
      try {
        detail = JSON.parse(text2).message ?? detail;
      } catch {
      }
      throw new GitHubApiError(response.status, method, path, detail);
    }
    return text2 ? JSON.parse(text2) : void 0;
  }
};

// src/github/context.ts
function readGitHubContext(env, eventPayload) {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? "").split("/");
  if (!owner || !repo || !env.GITHUB_SHA) return void 0;
  const serverUrl = env.GITHUB_SERVER_URL ?? "https://github.com";
  const runId = env.GITHUB_RUN_ID ?? "";
  const runAttempt = env.GITHUB_RUN_ATTEMPT ?? "1";
  return {
    apiUrl: (env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/$/, ""),
    serverUrl,
    owner,
    repo,
    sha: env.GITHUB_SHA,
    ref: env.GITHUB_HEAD_REF || env.GITHUB_REF || env.GITHUB_SHA,
    runId,
    runAttempt,
    runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${runId}/attempts/${runAttempt}`,
    pullRequest: pullRequestNumber(eventPayload)
  };
}
function pullRequestNumber(payload) {
  if (!payload) return void 0;
  try {
    const event = JSON.parse(payload);
    const n = event.pull_request?.number ?? void 0;
    return typeof n === "number" ? n : void 0;
  } catch {
    return void 0;
  }
}

// src/github/deployments.ts
var Deployments = class {
  constructor(api, context) {
    this.api = api;
    this.context = context;
  }
  api;
  context;
  id;
  get repoPath() {
    return `/repos/${encodeURIComponent(this.context.owner)}/${encodeURIComponent(this.context.repo)}`;
  }
  async start(info) {
    const created = await this.api.request("POST", `${this.repoPath}/deployments`, {
      ref: this.context.sha,
      task: "deploy:knative-rollout",
      // The rollout is the check: GitHub must not refuse or merge on our behalf.
      auto_merge: false,
      required_contexts: [],
      environment: info.environment,
      description: `Progressive rollout of ${info.namespace}/${info.service}${info.revision ? ` to ${info.revision}` : ""}`.slice(
        0,
        140
      ),
      payload: {
        service: info.service,
        namespace: info.namespace,
        ...info.revision ? { revision: info.revision } : {}
      }
    });
    this.id = created.id;
    await this.status("in_progress", `Rolling out ${info.revision ?? info.service}`);
  }
  /** Records a state; the environment URL is only given on success, as GitHub shows it as live. */
  async status(state, description, environmentUrl) {
    if (this.id === void 0) return;
    await this.api.request("POST", `${this.repoPath}/deployments/${this.id}/statuses`, {
      state,
      log_url: this.context.runUrl,
      description: description.slice(0, 140),
      ...state === "success" && environmentUrl ? { environment_url: environmentUrl } : {},
      auto_inactive: state === "success"
    });
  }
};

// src/github/pr-comment.ts
function stickyMarker(namespace, service) {
  return `<!-- knative-rollout:${namespace}/${service} -->`;
}
async function upsertStickyComment(api, context, marker, markdown) {
  if (context.pullRequest === void 0) return "skipped";
  const repo = `/repos/${encodeURIComponent(context.owner)}/${encodeURIComponent(context.repo)}`;
  const body = `${marker}
${markdown}`;
  for (let page = 1; page <= 10; page++) {
    const comments = await api.request(
      "GET",
      `${repo}/issues/${context.pullRequest}/comments?per_page=100&page=${page}`
    );
    const mine = comments.find((c) => c.body?.startsWith(marker));
    if (mine) {
      await api.request("PATCH", `${repo}/issues/comments/${mine.id}`, { body });
      return "updated";
    }
    if (comments.length < 100) break;
  }
  await api.request("POST", `${repo}/issues/${context.pullRequest}/comments`, { body });
  return "created";
}

// src/github/rollout-report.ts
function deploymentStateFor(report) {
  switch (report.result) {
    case "promoted":
      return "success";
    case "paused":
      return "in_progress";
    case "rolled-back":
    case "failed":
      return "failure";
    case "aborted":
      return "inactive";
    case "unchanged":
      return report.command === "rollout" ? "success" : "inactive";
  }
}
var DEPLOYING = /* @__PURE__ */ new Set(["rollout", "promote", "abort"]);
function gitHubReporter(inputs, env, eventPayload, log, fetchImpl = fetch) {
  const context = readGitHubContext(env, eventPayload);
  if (!inputs.githubToken || !context || inputs.command === "status" || inputs.dryRun)
    return void 0;
  const api = new GitHubApi(context.apiUrl, inputs.githubToken, fetchImpl);
  const deployments = inputs.environment && DEPLOYING.has(inputs.command) ? new Deployments(api, context) : void 0;
  const onPullRequest = (env.GITHUB_EVENT_NAME ?? "").startsWith("pull_request");
  const warn = (what) => (err) => log.warn(`GitHub ${what}: ${err instanceof Error ? err.message : String(err)}`);
  return {
    async start(target) {
      await deployments?.start({ environment: inputs.environment, ...target, revision: inputs.revisionName }).catch(warn("deployment"));
    },
    async finish(report) {
      await deployments?.status(deploymentStateFor(report), statusLine(report), report.url).catch(warn("deployment status"));
      if (onPullRequest) await comment(api, context, report).catch(warn("pull request comment"));
    }
  };
}
async function comment(api, context, report) {
  const marker = stickyMarker(report.namespace, report.service);
  await upsertStickyComment(api, context, marker, renderSummary(report));
}
function statusLine(report) {
  const revision = report.candidateRevision ?? report.currentRevision ?? report.service;
  return `${report.result}: ${revision}${report.reason ? ` (${report.reason})` : ""}`;
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
  const github = gitHubReporter(inputs, process.env, readEventPayload(), log);
  let started;
  const outcome = await run(inputs, {
    clock: wallClock,
    log,
    env: process.env,
    signal: cancel.signal,
    build,
    onStep: (step) => log.info(formatStepLine(step)),
    onTarget: (target) => {
      saveState(POST_STATE.target, JSON.stringify(target));
      started = github?.start(target);
    }
  });
  saveState(POST_STATE.finished, "true");
  log.info(formatResultLine(outcome));
  writeActionOutputs(toOutputs(outcome));
  annotateResult(outcome);
  await writeJobSummary(outcome);
  if (exitCodeFor(outcome) !== 0) process.exitCode = ExitCode.Failure;
  else log.info(outcome.message);
  await started;
  await github?.finish(outcome);
}
function readEventPayload() {
  const path = process.env.GITHUB_EVENT_PATH;
  if (!path) return void 0;
  try {
    return readFileSync(path, "utf8");
  } catch {
    return void 0;
  }
}
main().catch((err) => {
  setOutput("result", "failed");
  setFailed(err instanceof Error ? err.message : String(err));
});
