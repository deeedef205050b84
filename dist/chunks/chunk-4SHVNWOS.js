#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  DOCKER_HUB,
  FATAL_REASONS,
  InputError,
  TAGS,
  WebhookRunner,
  authFileKeys,
  candidateName,
  createServingClient,
  describeTraffic,
  imageReferenceProblem,
  inFlight,
  judgeMetric,
  mergeUserTags,
  parseMetricChecks,
  parseRepository,
  parseWebhooks,
  pauseAtProblem,
  planSteps,
  readLease,
  readState,
  readinessFailure,
  redact,
  registryApiHost,
  releaseToTraffic,
  renderQuery,
  sameRollout,
  sameTemplate,
  servingRevision,
  setOutput,
  statusShows,
  stepPlan,
  tagUrl,
  trafficToRelease,
  withEvent,
  writeLease,
  writeState
} from "./chunk-QCR6GPUF.js";
import {
  ConversionError,
  LATEST_KEYWORD,
  clone,
  convertV1alpha1Service,
  isObject,
  show,
  validateV1Service,
  validateV1alpha1Service
} from "./chunk-DJSID42M.js";
import {
  MAX_SERVICE_NAME,
  __toESM,
  isReady,
  observed,
  require_dist
} from "./chunk-O6W5F67O.js";

// src/rollout/result.ts
function exitCodeFor(outcome2) {
  if (outcome2.command === "status") return outcome2.result === "failed" ? 1 : 0;
  return outcome2.result === "rolled-back" || outcome2.result === "failed" ? 1 : 0;
}
function toShares(traffic) {
  return (traffic ?? []).filter((t) => t.revisionName).map((t) => ({
    revisionName: t.revisionName,
    percent: t.percent ?? 0,
    ...t.tag ? { tag: t.tag } : {}
  }));
}

// src/run.ts
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import os from "node:os";

// src/manifest/load.ts
var import_yaml = __toESM(require_dist(), 1);
var ManifestError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "ManifestError";
  }
};
var MAX_MANIFEST_BYTES = 1024 * 1024;
var MAX_ALIAS_COUNT = 100;
var GROUP = "serving.knative.dev";
var API_VERSIONS = {
  [`${GROUP}/v1`]: "v1",
  [`${GROUP}/v1beta1`]: "v1",
  // same schema as v1
  [`${GROUP}/v1alpha1`]: "v1alpha1"
};
var SERVER_METADATA = [
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "managedFields",
  "selfLink"
];
var SERVER_ANNOTATIONS = [
  "serving.knative.dev/creator",
  "serving.knative.dev/lastModifier",
  "kubectl.kubernetes.io/last-applied-configuration"
];
function loadServiceManifest(yamlText, overrides = {}) {
  const root = parseSingleObject(yamlText);
  const apiVersion = root.apiVersion;
  if (apiVersion === void 0) {
    throw new ManifestError(`apiVersion: missing; a Knative Service has apiVersion: ${GROUP}/v1`);
  }
  const version = typeof apiVersion === "string" ? API_VERSIONS[apiVersion] : void 0;
  if (!version) {
    throw new ManifestError(
      `apiVersion: "${show(apiVersion)}" is not a Knative Service version; use ${GROUP}/v1 (or the legacy ${GROUP}/v1alpha1)`
    );
  }
  if (root.kind !== "Service") {
    throw new ManifestError(
      `kind: ${root.kind === void 0 ? "missing" : `"${show(root.kind)}" is not supported`}; the manifest must be a Knative Service (kind: Service)`
    );
  }
  const mode = version === "v1" ? "v1" : v1alpha1Mode(root);
  const service = version === "v1" ? asV1(root) : fromV1alpha1(root);
  stripServerFields(service);
  applyOverrides(service, overrides);
  const invalid = validateV1Service(service);
  if (invalid) throw new ManifestError(`invalid Service:
${invalid.message}`);
  checkName(service);
  return {
    service,
    release: releaseOf(service.spec.traffic),
    source: { apiVersion: String(apiVersion), mode },
    warnings: imageWarnings(service, overrides)
  };
}
function parseSingleObject(text) {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_MANIFEST_BYTES) {
    throw new ManifestError(
      `the manifest is ${bytes} bytes; at most ${MAX_MANIFEST_BYTES} are read`
    );
  }
  let value;
  try {
    const docs = (0, import_yaml.parseAllDocuments)(text, { uniqueKeys: true, strict: true });
    const used = docs.filter(
      (d) => !((0, import_yaml.isScalar)(d.contents) && d.contents.value === null) || d.errors.length > 0
    );
    if (used.length === 0)
      throw new ManifestError("the manifest is empty; it must hold one Knative Service");
    if (used.length > 1) {
      throw new ManifestError(
        `the manifest holds ${used.length} YAML documents; it must hold exactly one Knative Service`
      );
    }
    const [doc] = used;
    if (doc.errors.length) throw new ManifestError(`not valid YAML: ${doc.errors[0].message}`);
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof ManifestError) throw e;
    const msg = e.message;
    if (/alias/i.test(msg)) {
      throw new ManifestError(`YAML aliases expand too much (${msg}); refusing the manifest`);
    }
    throw new ManifestError(`not valid YAML: ${msg}`);
  }
  if (!isObject(value)) {
    const got = value === null ? "nothing" : Array.isArray(value) ? "a list" : `a ${typeof value}`;
    throw new ManifestError(`the manifest must be a mapping (a Knative Service object), got ${got}`);
  }
  return value;
}
function v1alpha1Mode(root) {
  const spec = isObject(root.spec) ? root.spec : {};
  for (const m of ["runLatest", "release", "pinned"]) if (spec[m] != null) return m;
  return "template";
}
function asV1(root) {
  const service = clone(root);
  service.apiVersion = "serving.knative.dev/v1";
  if (!isObject(service.metadata)) service.metadata = { name: "" };
  return service;
}
function fromV1alpha1(root) {
  const invalid = validateV1alpha1Service(root);
  if (invalid) {
    const manual = isObject(root.spec) && root.spec.manual != null;
    const why = manual ? "\nmanual mode cannot be migrated forward." : "";
    throw new ManifestError(`invalid v1alpha1 Service:
${invalid.message}${why}`);
  }
  try {
    return convertV1alpha1Service(root);
  } catch (e) {
    if (e instanceof ConversionError) throw new ManifestError(`cannot convert to v1: ${e.message}`);
    throw e;
  }
}
function stripServerFields(service) {
  delete service.status;
  for (const k of SERVER_METADATA) delete service.metadata[k];
  const annotations = service.metadata.annotations;
  if (annotations) {
    for (const k of SERVER_ANNOTATIONS) delete annotations[k];
    if (Object.keys(annotations).length === 0) delete service.metadata.annotations;
  }
}
function applyOverrides(service, o) {
  if (o.service) service.metadata.name = o.service;
  if (o.namespace) {
    const own = service.metadata.namespace;
    if (own && own !== o.namespace) {
      throw new ManifestError(
        `metadata.namespace is "${own}" but the namespace input is "${o.namespace}"; set namespace: ${own}, or remove metadata.namespace from the manifest`
      );
    }
    service.metadata.namespace = o.namespace;
  }
  if (o.image) servingContainer(service).image = o.image;
}
function servingContainer(service) {
  const containers = service.spec?.template?.spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    throw new ManifestError("invalid Service:\nmissing field(s): spec.template.spec.containers");
  }
  if (containers.length === 1) return containers[0];
  const withPorts = containers.filter((c) => Array.isArray(c.ports) && c.ports.length > 0);
  if (withPorts.length !== 1) {
    throw new ManifestError(
      `spec.template.spec.containers has ${containers.length} containers and ${withPorts.length} declare ports; exactly one must, to say which container serves (and gets the image input)`
    );
  }
  return withPorts[0];
}
function checkName(service) {
  const name = service.metadata.name;
  if (!name) {
    throw new ManifestError(
      "metadata.name: missing; a rollout needs a named Service (generateName would create a new one each run), or give the service input"
    );
  }
  if (name.length > MAX_SERVICE_NAME) {
    throw new ManifestError(
      `metadata.name "${name}" has ${name.length} characters; at most ${MAX_SERVICE_NAME}, so the tag host "candidate-${name}" fits Knative's 63-character label`
    );
  }
}
function imageWarnings(service, o) {
  if (o.image) return [];
  const image = servingContainer(service).image;
  const problem = imageReferenceProblem(image);
  return problem ? [
    `the container image "${image}" ${problem}; the revision will fail to pull it. Fix it in the manifest or give the image input`
  ] : [];
}
function releaseOf(traffic) {
  if (!traffic) return void 0;
  const byTag = (tag) => traffic.filter((t) => t.tag === tag);
  const [current, ...moreCurrent] = byTag(TAGS.current);
  const [candidate, ...moreCandidate] = byTag(TAGS.candidate);
  if (!current || moreCurrent.length || moreCandidate.length) return void 0;
  const name = (t) => t.revisionName || LATEST_KEYWORD;
  const rolloutPercent = candidate?.percent ?? 0;
  if ((current.percent ?? 0) + rolloutPercent !== 100) return void 0;
  return candidate ? { current: name(current), candidate: name(candidate), rolloutPercent } : { current: name(current), rolloutPercent: 0 };
}

// src/analysis/prober.ts
import http from "node:http";
import https from "node:https";
import { performance } from "node:perf_hooks";
function createHttpProber(clock, options = {}) {
  const timeoutMs = options.requestTimeoutMs ?? 5e3;
  const maxConcurrency = options.maxConcurrency ?? 64;
  return {
    async probe(target, rps, durationMs, signal) {
      const count = Math.max(0, Math.round(rps * durationMs / 1e3));
      const intervalMs = 1e3 / rps;
      const samples = [];
      const inFlight2 = /* @__PURE__ */ new Set();
      const agents = {
        http: new http.Agent({ keepAlive: true }),
        https: new https.Agent({ keepAlive: true })
      };
      const start = clock.now();
      try {
        for (let i = 0; i < count; i++) {
          signal?.throwIfAborted();
          const wait = start + i * intervalMs - clock.now();
          if (wait > 0) await clock.sleep(wait, signal);
          while (inFlight2.size >= maxConcurrency) await Promise.race(inFlight2);
          const at = clock.now();
          const running = requestOnce(target, timeoutMs, agents, signal).then((r) => {
            samples.push({ at, ...r });
            inFlight2.delete(running);
          });
          inFlight2.add(running);
        }
        await Promise.all(inFlight2);
        signal?.throwIfAborted();
      } finally {
        agents.http.destroy();
        agents.https.destroy();
      }
      return samples.sort((a, b) => a.at - b.at);
    }
  };
}
function requestOnce(target, timeoutMs, agents, outer) {
  const started = performance.now();
  const signal = outer ? AbortSignal.any([outer, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  return new Promise((resolve) => {
    const done = (status2) => resolve({ status: status2, latencyMs: performance.now() - started });
    let url;
    try {
      url = new URL(target.url);
    } catch {
      return done(0);
    }
    const secure = url.protocol === "https:";
    const req = (secure ? https : http).request(url, {
      method: "GET",
      headers: target.host ? { host: target.host } : {},
      agent: secure ? agents.https : agents.http,
      // An ingress addressed by IP serves many hosts: SNI must name the service too.
      ...secure && target.host ? { servername: target.host } : {},
      signal
    });
    req.on("response", (res) => {
      const status2 = res.statusCode ?? 0;
      res.on("data", () => void 0);
      res.on("end", () => done(status2));
      res.on("error", () => done(0));
      res.on("close", () => {
        if (!res.complete) done(0);
      });
    });
    req.on("error", () => done(0));
    req.end();
  });
}

// src/analysis/sequential.ts
var RATIOS = [2, 3, 5, 10, 30, 100, 300];
var MAX_ALTERNATIVE = 0.95;
function logRateEvidence(events, trials, p0, scale = "rate") {
  return logRateEvidenceOver([{ events, trials, p0 }], scale);
}
function logRateEvidenceOver(segments, scale = "rate") {
  const used = segments.filter((s) => s.trials > 0);
  if (used.length === 0) return 0;
  const seen = /* @__PURE__ */ new Set();
  const terms = [];
  for (const ratio of RATIOS) {
    const p1s = used.map((s) => alternative(s.p0, ratio, scale));
    if (p1s.some((p1, i) => !(p1 > used[i].p0 && p1 < 1)) || seen.has(p1s.join())) continue;
    seen.add(p1s.join());
    terms.push(
      used.reduce((sum, s, i) => sum + logLikelihoodRatio(s.events, s.trials, s.p0, p1s[i]), 0)
    );
  }
  if (terms.length === 0) return 0;
  return logSumExp(terms) - Math.log(terms.length);
}
function alternative(p0, ratio, scale) {
  if (scale === "odds") return ratio * p0 / (ratio * p0 + 1 - p0);
  return Math.min(ratio * p0, MAX_ALTERNATIVE);
}
function logLikelihoodRatio(events, trials, p0, p1) {
  const successes = trials - events;
  return events * Math.log(p1 / p0) + successes * Math.log((1 - p1) / (1 - p0));
}
function normalMixtureBoundary(information, alpha, rho = 25) {
  if (information <= 0) return Infinity;
  const t = information;
  return Math.sqrt((1 + rho / t) * (2 * Math.log(1 / alpha) + Math.log(1 + t / rho)));
}
function logSumExp(xs) {
  const max = Math.max(...xs);
  if (max === -Infinity) return -Infinity;
  return max + Math.log(xs.reduce((sum, x) => sum + Math.exp(x - max), 0));
}

// src/analysis/error-rate.ts
var ERROR_RATE_FLOOR = 1e-4;
function errorRateEvidence(candidate, current, suspectRatio, earlier = []) {
  const exposure = candidate.requests / (candidate.requests + current.requests);
  const segments = [...earlier, { candidate, current }].flatMap(trialsOf);
  if (segments.length === 0) return { evidence: 0, lean: 0, exposure };
  const lean = (from) => from.reduce(
    (sum, s) => sum + logLikelihoodRatio(s.events, s.trials, s.p0, alternative(s.p0, suspectRatio, "odds")),
    0
  );
  return {
    evidence: strongestSince(segments, (from) => logRateEvidenceOver(from, "odds")),
    lean: strongestSince(segments, lean),
    exposure
  };
}
function strongestSince(segments, test) {
  let best = -Infinity;
  for (let start = 0; start < segments.length; start++)
    best = Math.max(best, test(segments.slice(start)));
  return best;
}
function trialsOf({ candidate, current }) {
  if (candidate.requests === 0 || current.requests === 0) return [];
  const currentErrors = Math.max(current.errors, ERROR_RATE_FLOOR * current.requests);
  return [
    {
      events: candidate.errors,
      trials: candidate.errors + currentErrors,
      p0: candidate.requests / (candidate.requests + current.requests)
    }
  ];
}

// src/analysis/mann-whitney.ts
function mannWhitney(candidate, current) {
  const n1 = candidate.length;
  const n2 = current.length;
  if (n1 === 0 || n2 === 0) return { u: 0, z: 0, information: 0 };
  const a = Float64Array.from(candidate).sort();
  const b = Float64Array.from(current).sort();
  let candidateRankSum = 0;
  let tieTerm = 0;
  let i = 0;
  let j = 0;
  let rank = 0;
  while (i < n1 || j < n2) {
    const v = j >= n2 || i < n1 && a[i] <= b[j] ? a[i] : b[j];
    let fromCandidate = 0;
    let fromCurrent = 0;
    while (i < n1 && a[i] === v) {
      i++;
      fromCandidate++;
    }
    while (j < n2 && b[j] === v) {
      j++;
      fromCurrent++;
    }
    const t = fromCandidate + fromCurrent;
    candidateRankSum += fromCandidate * (rank + (t + 1) / 2);
    tieTerm += t * t * t - t;
    rank += t;
  }
  const n = n1 + n2;
  const u = candidateRankSum - n1 * (n1 + 1) / 2;
  const variance = n1 * n2 / 12 * (n + 1 - tieTerm / (n * (n - 1)));
  const z = variance > 0 ? (u - n1 * n2 / 2) / Math.sqrt(variance) : 0;
  return { u, z, information: n1 * n2 / n };
}
function hodgesLehmannShift(candidate, current) {
  if (candidate.length === 0 || current.length === 0) return 0;
  const a = Float64Array.from(candidate).sort();
  const b = Float64Array.from(current).sort();
  const pairs = a.length * b.length;
  if (pairs % 2 === 1) return kthDifference(a, b, (pairs + 1) / 2);
  return (kthDifference(a, b, pairs / 2) + kthDifference(a, b, pairs / 2 + 1)) / 2;
}
function kthDifference(a, b, k) {
  let lo = a[0] - b[b.length - 1];
  let hi = a[a.length - 1] - b[0];
  for (let i = 0; i < 100 && hi - lo > 1e-7 * Math.max(1, Math.abs(hi)); i++) {
    const mid = (lo + hi) / 2;
    if (countAtMost(a, b, mid) >= k) hi = mid;
    else lo = mid;
  }
  return hi;
}
function countAtMost(a, b, d) {
  let count = 0;
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j] < x - d) j++;
    count += b.length - j;
  }
  return count;
}
function median(values) {
  if (values.length === 0) return 0;
  const s = Float64Array.from(values).sort();
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

// src/analysis/judge.ts
var JUDGE_TUNING = {
  /** False-alarm bound per test and step. */
  alpha: 1e-3,
  /** The bar for the one look at the end of a doubtful step: still this unlikely under "as good" → not promoted. */
  endAlpha: 0.05,
  /** "Leaning bad": a rate this many times the reference is more likely than the reference. */
  suspectRatio: 5,
  /** A latency shift up to this share of the current's median is tolerated (Kayenta: 25%). */
  latencyTolerance: 0.25,
  /**
   * ...and never less than this many ms. 25% of a ~1 ms median is a quarter millisecond,
   * below the jitter of any HTTP hop (scheduling, GC, a TCP round trip), so without a floor
   * noise alone fails healthy fast services. 5 ms is still far below what a user notices
   * and below any latency threshold people set (Flagger's default: 500 ms).
   */
  latencyFloorMs: 5,
  /** Latency lists are thinned to this many evenly spaced samples per revision. */
  maxLatencySamples: 2e3
};
function judge(input) {
  const { candidate, thresholds, elapsedMs, minStepMs, maxStepMs } = input;
  const earlier = input.earlier ?? [];
  const current = input.current && input.current.requests > 0 ? input.current : void 0;
  const failEvidence = Math.log(1 / JUDGE_TUNING.alpha);
  const stats = {
    elapsedMs,
    candidateRequests: candidate.requests,
    candidateErrors: candidate.errors,
    candidateSuccessRate: successRate(candidate),
    candidateP99Ms: p99(candidate.latenciesMs)
  };
  const failures = [];
  const breaches = [];
  const doubts = [];
  if (current) {
    const e = errorRateEvidence(candidate, current, JUDGE_TUNING.suspectRatio, earlier);
    Object.assign(stats, {
      currentRequests: current.requests,
      currentErrors: current.errors,
      currentSuccessRate: successRate(current),
      currentP99Ms: p99(current.latenciesMs),
      candidateExposure: e.exposure,
      errorEvidence: e.evidence
    });
    const comparison = `${errorsOf(candidate)} against the current's ${errorsOf(current)}` + earlierOf(earlier);
    if (e.evidence >= failEvidence)
      failures.push(`the candidate fails more often: ${comparison}${odds(e.evidence)}`);
    else if (e.lean > 0) doubts.push(`the error rate leans high: ${comparison}`);
  }
  if (current && candidate.latenciesMs.length > 0 && current.latenciesMs.length > 0) {
    const a = thin(candidate.latenciesMs);
    const b = thin(current.latenciesMs);
    const mw = mannWhitney(a, b);
    const boundary = normalMixtureBoundary(mw.information, JUDGE_TUNING.alpha);
    Object.assign(stats, { latencyZ: mw.z, latencyBoundary: boundary });
    if (mw.z >= 1 && (mw.z >= boundary || elapsedMs >= minStepMs)) {
      const shift = hodgesLehmannShift(a, b);
      const tolerance = Math.max(
        JUDGE_TUNING.latencyTolerance * median(b),
        JUDGE_TUNING.latencyFloorMs
      );
      Object.assign(stats, { latencyShiftMs: shift, latencyToleranceMs: tolerance });
      const comparison = `median shift +${ms(shift)} against a tolerance of ${ms(tolerance)}`;
      if (shift > tolerance && mw.z >= boundary)
        failures.push(
          `the candidate is slower: ${comparison} (Mann-Whitney z ${mw.z.toFixed(1)} \u2265 ${boundary.toFixed(1)})`
        );
      else if (shift > tolerance)
        doubts.push(`latency leans slower: ${comparison}, not yet significant`);
    }
  }
  const maxErrorRate = 1 - thresholds.minSuccessRate;
  if (maxErrorRate > 0 && maxErrorRate < 1) {
    const g = strongestSince(
      [...earlier.map((e) => e.candidate), candidate].map((c) => ({
        events: c.errors,
        trials: c.requests,
        p0: maxErrorRate
      })),
      (from) => logRateEvidenceOver(from)
    );
    stats.successGuardEvidence = g;
    if (g >= failEvidence)
      failures.push(
        `the success rate is below ${pct(thresholds.minSuccessRate)}: ${errorsOf(candidate)}${earlierOf(earlier)}${odds(g)}`
      );
  }
  if (candidate.requests >= thresholds.minRequests && successRate(candidate) < thresholds.minSuccessRate)
    breaches.push(
      `success rate ${pct(successRate(candidate))} is below ${pct(thresholds.minSuccessRate)}`
    );
  const latencies = candidate.latenciesMs;
  if (latencies.length > 0) {
    let slow = 0;
    for (const v of latencies) if (v > thresholds.maxLatencyP99Ms) slow++;
    const g = logRateEvidence(slow, latencies.length, 0.01);
    stats.latencyGuardEvidence = g;
    if (g >= failEvidence)
      failures.push(
        `p99 is above ${ms(thresholds.maxLatencyP99Ms)}: ${slow} of ${latencies.length} requests slower${odds(g)}`
      );
    if (latencies.length >= thresholds.minRequests && stats.candidateP99Ms > thresholds.maxLatencyP99Ms)
      breaches.push(`p99 ${ms(stats.candidateP99Ms)} is above ${ms(thresholds.maxLatencyP99Ms)}`);
  }
  const atMax = elapsedMs >= maxStepMs;
  if (failures.length > 0)
    return { verdict: "fail", final: true, reason: sentence(failures), stats };
  if (elapsedMs < minStepMs)
    return {
      verdict: "inconclusive",
      final: atMax,
      // only when maxStepMs < minStepMs: never a pass before the minimum
      reason: `Collecting evidence: ${seconds(elapsedMs)} of the step's ${seconds(minStepMs)} minimum`,
      stats
    };
  if (candidate.requests < thresholds.minRequests)
    return {
      verdict: "inconclusive",
      final: atMax,
      reason: `Not enough evidence: ${candidate.requests} of ${thresholds.minRequests} required requests${atMax ? ` after ${seconds(elapsedMs)}` : ""}`,
      stats
    };
  if (breaches.length > 0)
    return atMax ? {
      verdict: "fail",
      final: true,
      reason: sentence(breaches) + ` at the step's end (${seconds(elapsedMs)})`,
      stats
    } : {
      verdict: "inconclusive",
      final: false,
      reason: sentence(breaches) + ", not yet established: extending the step",
      stats
    };
  if (doubts.length > 0 && !atMax)
    return {
      verdict: "inconclusive",
      final: false,
      reason: sentence(doubts) + ": extending the step",
      stats
    };
  if (doubts.length > 0 && (stats.errorEvidence ?? 0) >= Math.log(1 / JUDGE_TUNING.endAlpha))
    return {
      verdict: "inconclusive",
      final: true,
      reason: sentence(doubts) + `, still after ${seconds(elapsedMs)}: not enough evidence to promote`,
      stats
    };
  const caveat = doubts.length > 0 ? ` (${doubts.join("; ")}, but not by enough at the step's end)` : "";
  const against = current ? "as good as the current" : "within the thresholds";
  return {
    verdict: "pass",
    final: true,
    reason: `The candidate is ${against}: ${errorsOf(candidate)}, p99 ${ms(stats.candidateP99Ms)}${caveat}`,
    stats
  };
}
function successRate(e) {
  return e.requests === 0 ? 0 : (e.requests - e.errors) / e.requests;
}
function p99(latencies) {
  if (latencies.length === 0) return 0;
  const s = Float64Array.from(latencies).sort();
  return s[Math.min(s.length, Math.max(1, Math.ceil(0.99 * s.length))) - 1];
}
function thin(values) {
  const max = JUDGE_TUNING.maxLatencySamples;
  if (values.length <= max) return values;
  const stride = values.length / max;
  return Array.from({ length: max }, (_, i) => values[Math.floor(i * stride)]);
}
function errorsOf(e) {
  return `${e.errors} errors in ${e.requests} requests (${pct(e.requests ? e.errors / e.requests : 0, 2)})`;
}
function earlierOf(earlier) {
  const sum = (side) => earlier.reduce(
    (t, e) => ({ requests: t.requests + e[side].requests, errors: t.errors + e[side].errors }),
    { requests: 0, errors: 0 }
  );
  const c = sum("candidate");
  if (c.requests === 0) return "";
  const k = sum("current");
  return ` (earlier steps: ${c.errors} errors in ${c.requests} requests, the current's ${k.errors} in ${k.requests})`;
}
function odds(lnEvidence) {
  return ` (evidence ${Math.round(Math.min(Math.exp(lnEvidence), 1e9))}:1, needed ${Math.round(1 / JUDGE_TUNING.alpha)}:1)`;
}
function sentence(parts) {
  const s = parts.join("; ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}
function pct(x, digits = 1) {
  return `${(x * 100).toFixed(digits)}%`;
}
function ms(x) {
  return `${Math.round(x)} ms`;
}
function seconds(x) {
  return `${Math.round(x / 1e3)}s`;
}

// src/analysis/prometheus.ts
var PrometheusError = class extends Error {
};
var PrometheusClient = class {
  constructor(baseUrl, auth = { kind: "none" }, timeoutMs = 1e4) {
    this.baseUrl = baseUrl;
    this.auth = auth;
    this.timeoutMs = timeoutMs;
  }
  baseUrl;
  auth;
  timeoutMs;
  async query(promql) {
    return firstValue(await this.instant(promql));
  }
  /** Every sample of an instant vector (a scalar as one sample without labels); [] is no data. */
  async queryVector(promql) {
    const data = await this.instant(promql);
    if (data.resultType === "scalar")
      return [{ labels: {}, value: Number(data.result[1]) }];
    if (data.resultType !== "vector")
      throw new PrometheusError(`Prometheus returned a ${data.resultType}; expected a vector`);
    return data.result.map(
      (s) => ({ labels: s.metric, value: Number(s.value[1]) })
    );
  }
  async instant(promql) {
    const url = new URL(
      "api/v1/query",
      this.baseUrl.endsWith("/") ? this.baseUrl : `${this.baseUrl}/`
    );
    const headers = { "content-type": "application/x-www-form-urlencoded" };
    if (this.auth.kind === "bearer") headers.authorization = `Bearer ${this.auth.token}`;
    if (this.auth.kind === "basic") {
      headers.authorization = `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`).toString("base64")}`;
    }
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers,
        body: new URLSearchParams({ query: promql }),
        signal: AbortSignal.timeout(this.timeoutMs)
      });
    } catch (error) {
      throw new PrometheusError(
        `Prometheus at ${url.origin} is unreachable: ${error.message}`
      );
    }
    const body = await response.json().catch(() => void 0);
    if (!response.ok || body?.status !== "success") {
      const why = body?.error ?? `HTTP ${response.status}`;
      throw new PrometheusError(`Prometheus at ${url.origin} refused the query: ${why}`);
    }
    return body.data;
  }
};
function firstValue(data) {
  if (data.resultType === "scalar") return parseSample(data.result);
  if (data.resultType === "vector") {
    const vector = data.result;
    return vector.length ? parseSample(vector[0].value) : void 0;
  }
  throw new PrometheusError(
    `Prometheus returned a ${data.resultType}; a check must return one number`
  );
}
function parseSample([, value]) {
  const n = Number(value);
  return Number.isNaN(n) ? void 0 : n;
}

// src/analysis/data-plane.ts
var OPEN_CENSUS = {
  source: "revision_app_request_count",
  count: "revision_app_request_count",
  bucket: "revision_app_request_latencies_bucket",
  namespaceLabel: "namespace_name",
  revisionLabel: "revision_name",
  isError: (l) => l.response_code_class === "5xx" || /^5\d\d$/.test(l.response_code ?? ""),
  msPerUnit: 1
};
var OPEN_TELEMETRY = {
  source: "kn_serving_invocation_duration_seconds",
  count: "kn_serving_invocation_duration_seconds_count",
  bucket: "kn_serving_invocation_duration_seconds_bucket",
  namespaceLabel: "k8s_namespace_name",
  revisionLabel: "kn_revision_name",
  isError: (l) => /^5\d\d$/.test(l.http_response_status_code ?? ""),
  msPerUnit: 1e3
};
var DATA_PLANE_FAMILIES = [OPEN_CENSUS, OPEN_TELEMETRY];
var MAX_LATENCY_SAMPLES = 2e3;
function familySelector(family, pair) {
  const either = (values) => promString(`^(?:${values.map(escapeRegex).join("|")})$`);
  return `{__name__=~"${either([family.count, family.bucket])}",${family.namespaceLabel}="${promString(pair.namespace)}",${family.revisionLabel}=~"${either([pair.candidate, pair.current])}"}`;
}
var escapeRegex = (v) => v.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
var promString = (v) => v.replace(/[\\"\n]/g, (c) => c === "\n" ? "\\n" : `\\${c}`);
function seriesKey(labels) {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0));
}
var CounterTracker = class {
  series = /* @__PURE__ */ new Map();
  primed = false;
  /** `undefined`: the baseline could not be read. */
  constructor(baseline) {
    if (baseline) this.prime(baseline);
  }
  observe(samples) {
    if (!this.primed) return this.prime(samples);
    for (const { labels, value } of samples) {
      if (!Number.isFinite(value)) continue;
      const key = seriesKey(labels);
      const seen = this.series.get(key);
      if (!seen) this.series.set(key, { labels, last: value, increase: value });
      else {
        seen.increase += value >= seen.last ? value - seen.last : value;
        seen.last = value;
      }
    }
  }
  /** Whether any series was ever seen, at the baseline or since. */
  get hasSeries() {
    return this.series.size > 0;
  }
  increases() {
    return [...this.series.values()].map((s) => ({ labels: s.labels, value: s.increase }));
  }
  prime(samples) {
    this.primed = true;
    for (const { labels, value } of samples) {
      if (Number.isFinite(value))
        this.series.set(seriesKey(labels), { labels, last: value, increase: 0 });
    }
  }
};
var ServedTracker = class {
  /** `baseline`: familySelector's answer when the window opened; undefined if it failed. */
  constructor(family, pair, baseline) {
    this.family = family;
    this.pair = pair;
    this.series = new CounterTracker(baseline);
  }
  family;
  pair;
  series;
  observe(samples) {
    this.series.observe(samples);
  }
  get hasSeries() {
    return this.series.hasSeries;
  }
  evidence() {
    return {
      candidate: this.revision(this.pair.candidate),
      current: this.revision(this.pair.current)
    };
  }
  revision(name) {
    const { family, pair } = this;
    let requests = 0;
    let errors = 0;
    const cumulative = /* @__PURE__ */ new Map();
    for (const { labels, value } of this.series.increases()) {
      if (labels[family.revisionLabel] !== name || labels[family.namespaceLabel] !== pair.namespace)
        continue;
      if (labels.__name__ === family.count) {
        requests += value;
        if (family.isError(labels)) errors += value;
      } else if (labels.__name__ === family.bucket) {
        const le = Number((parseLe(labels.le) * family.msPerUnit).toPrecision(12));
        if (!Number.isNaN(le)) cumulative.set(le, (cumulative.get(le) ?? 0) + value);
      }
    }
    return { requests, errors, latenciesMs: pseudoSamples(perBucket(cumulative)) };
  }
};
var parseLe = (le) => le === "+Inf" ? Infinity : Number(le);
function perBucket(cumulative) {
  const bounds = [...cumulative.keys()].sort((a, b) => a - b);
  let below = 0;
  return bounds.map((le) => {
    const total = cumulative.get(le);
    const count = Math.max(0, total - below);
    below = Math.max(below, total);
    return { le, count };
  });
}
function pseudoSamples(buckets, max = MAX_LATENCY_SAMPLES) {
  const finite = buckets.filter((b) => Number.isFinite(b.le)).map((b) => b.le);
  if (finite.length === 0) return [];
  const highest = finite[finite.length - 1];
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  const n = Math.min(max, Math.round(total));
  if (n <= 0) return [];
  const quotas = buckets.map((b) => b.count * n / total);
  const allotted = quotas.map(Math.floor);
  const byRemainder = quotas.map((q, i) => ({ i, rest: q - Math.floor(q) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  let missing = n - allotted.reduce((sum, k) => sum + k, 0);
  for (const { i } of byRemainder) {
    if (missing-- <= 0) break;
    allotted[i]++;
  }
  const out = [];
  let lower = 0;
  buckets.forEach((b, i) => {
    const value = Number.isFinite(b.le) ? (lower + b.le) / 2 : highest;
    for (let k = 0; k < allotted[i]; k++) out.push(value);
    if (Number.isFinite(b.le)) lower = b.le;
  });
  return out;
}

// src/analysis/traffic-window.ts
async function openTrafficWindow(prometheus, target, families = DATA_PLANE_FAMILIES) {
  const trackers = await Promise.all(
    families.map(
      async (family) => new ServedTracker(family, target, await snapshot(prometheus, family, target))
    )
  );
  return {
    async read() {
      for (const tracker of trackers) {
        const now = await snapshot(prometheus, tracker.family, target);
        if (!now) return void 0;
        tracker.observe(now);
        if (tracker.hasSeries) return { ...tracker.evidence(), source: tracker.family.source };
      }
      return void 0;
    }
  };
}
async function snapshot(prometheus, family, target) {
  return prometheus.queryVector(familySelector(family, target)).catch(() => void 0);
}

// src/rollout/step-checks.ts
var NO_CHECKS = {
  preRollout: async () => [],
  rolloutHooks: async () => [],
  step: async () => [],
  trafficWindow: async () => void 0,
  gate: async () => void 0,
  closedGates: async () => [],
  rollbackRequested: async () => void 0,
  event: async () => void 0,
  postRollout: async () => void 0
};
function prometheusAuth(config) {
  if (config.prometheusToken) return { kind: "bearer", token: config.prometheusToken };
  if (config.prometheusUsername)
    return {
      kind: "basic",
      username: config.prometheusUsername,
      password: config.prometheusPassword ?? ""
    };
  return { kind: "none" };
}
function createStepChecks(config, clock, gatePollMs) {
  const metrics = parseMetricChecks(config.metrics);
  const prometheus = config.prometheusUrl ? new PrometheusClient(config.prometheusUrl, prometheusAuth(config)) : void 0;
  const hooks = new WebhookRunner(parseWebhooks(config.webhooks), clock, gatePollMs);
  const hookCtx = (ctx, phase) => ({
    service: ctx.service,
    namespace: ctx.namespace,
    phase,
    checksum: ctx.candidate
  });
  const hookOutcomes = async (type, ctx) => (await hooks.check(type, hookCtx(ctx, "Progressing"))).map((o) => ({
    name: o.hook,
    verdict: o.ok ? "pass" : "fail",
    reason: o.ok ? `${type} hook "${o.hook}" passed` : `${type} hook "${o.hook}" failed (${o.status ? `HTTP ${o.status}` : "no answer"}): ${o.detail}`
  }));
  const query = async (ctx, check) => {
    const promql = renderQuery(check, {
      revision: ctx.candidate,
      namespace: ctx.namespace,
      service: ctx.service
    });
    try {
      return judgeMetric(check, await prometheus.query(promql));
    } catch (error) {
      return {
        name: check.name,
        verdict: "inconclusive",
        reason: `${check.name}: ${error.message}`
      };
    }
  };
  return {
    preRollout: (ctx) => hookOutcomes("pre-rollout", ctx),
    rolloutHooks: (ctx) => hookOutcomes("rollout", ctx),
    step: (ctx) => Promise.all(metrics.map((check) => query(ctx, check))),
    trafficWindow: async (ctx) => prometheus && openTrafficWindow(prometheus, {
      namespace: ctx.namespace,
      candidate: ctx.candidate,
      current: ctx.current
    }),
    gate: (type, ctx, maxWaitMs, signal) => hooks.gate(type, hookCtx(ctx, GATE_PHASE[type]), maxWaitMs, signal),
    closedGates: (type, ctx) => hooks.closedGates(type, hookCtx(ctx, GATE_PHASE[type])),
    async rollbackRequested(ctx) {
      return (await hooks.rollbackRequested(hookCtx(ctx, "Progressing")))?.hook;
    },
    async event(ctx, phase, message, warning) {
      await hooks.notify("event", hookCtx(ctx, phase), message, warning);
    },
    async postRollout(ctx) {
      await hooks.notify("post-rollout", hookCtx(ctx, "Succeeded"));
    }
  };
}
var GATE_PHASE = {
  "confirm-rollout": "Waiting",
  "confirm-traffic-increase": "Progressing",
  "confirm-promotion": "WaitingPromotion"
};

// src/rollout/lease.ts
function runIdentityFromEnv(env, fallbackUser = "cli") {
  const runId = env.GITHUB_RUN_ID;
  const repo = env.GITHUB_REPOSITORY;
  if (runId && repo) {
    const server = env.GITHUB_SERVER_URL ?? "https://github.com";
    const attempt = env.GITHUB_RUN_ATTEMPT;
    const url = `${server}/${repo}/actions/runs/${runId}` + (attempt ? `/attempts/${attempt}` : "");
    return { id: `${repo}/runs/${runId}`, url };
  }
  return { id: `cli:${fallbackUser}` };
}
function checkLease(lease, me, now) {
  if (!lease) return { kind: "free" };
  if (lease.holder === me.id) return { kind: "mine" };
  if (now > lease.renewedAt + lease.durationSeconds * 1e3)
    return { kind: "expired", previous: lease };
  return { kind: "held", lease };
}
function newLease(me, now, durationSeconds) {
  return { holder: me.id, url: me.url, renewedAt: now, durationSeconds };
}
function heldMessage(service, lease, now) {
  const left = Math.max(0, Math.ceil((lease.renewedAt + lease.durationSeconds * 1e3 - now) / 1e3));
  return `service "${service}" has a rollout in progress held by ${lease.url ?? lease.holder} (lease expires in ${left}s unless renewed); set wait-for-lock to wait for it`;
}
var LeaseHeldError = class extends Error {
  constructor(message, lease) {
    super(message);
    this.lease = lease;
    this.name = "LeaseHeldError";
  }
  lease;
};
async function acquireLease(client, clock, namespace, name, me, options) {
  for (; ; ) {
    let before = { kind: "free" };
    try {
      const service = await client.updateService(namespace, name, (live) => {
        const now = clock.now();
        before = checkLease(readLease(live), me, now);
        if (before.kind === "held")
          throw new LeaseHeldError(heldMessage(name, before.lease, now), before.lease);
        const leased = writeLease(live, newLease(me, now, options.durationSeconds));
        return options.also ? options.also(leased) : leased;
      });
      return { service, before };
    } catch (err) {
      if (!(err instanceof LeaseHeldError) || !options.wait) throw err;
      const wait = Math.min(options.pollMs ?? 5e3, options.deadline - clock.now());
      if (wait <= 0) throw err;
      await clock.sleep(wait, options.signal);
    }
  }
}
async function releaseLease(client, namespace, name, me) {
  await client.updateService(
    namespace,
    name,
    (live) => readLease(live)?.holder === me.id ? writeLease(live, void 0) : void 0
  );
}

// src/rollout/ports.ts
var WaitTimeoutError = class extends Error {
  constructor(message, last) {
    super(message);
    this.last = last;
  }
  last;
  name = "WaitTimeoutError";
};
function isWaitTimeout(err) {
  return err instanceof WaitTimeoutError || err?.name === "WaitTimeoutError";
}

// src/rollout/drift.ts
function sameRelease(a, b) {
  if (!a) return false;
  const pct2 = (r) => r.candidate ? r.percent : 0;
  return a.current === b.current && (a.candidate ?? "") === (b.candidate ?? "") && pct2(a) === pct2(b);
}
function specDrift(live, expected) {
  return sameRelease(trafficToRelease(live.spec.traffic ?? []), expected) ? void 0 : { kind: "drift", message: driftMessage(live, expected) };
}
function trafficDrift(live, expected) {
  return specDrift(live, expected) ?? (observed(live) && !statusShows(live.status?.traffic, expected) ? { kind: "drift", message: driftMessage(live, expected) } : void 0);
}
function templateDrift(live, mine, service) {
  const now = live.spec.template?.metadata?.name;
  if (!mine || now === mine.metadata?.name && sameTemplate(live.spec.template, mine))
    return void 0;
  const makes = now && now !== mine.metadata?.name ? ` (it now makes ${now}, not the candidate ${mine.metadata?.name})` : "";
  return {
    kind: "drift",
    message: `the template of "${service}" was changed outside this rollout${makes}; pausing instead of overwriting it: review the change, then run promote or abort`
  };
}
function driftMessage(live, expected) {
  const share = expected.candidate ? expected.percent : 0;
  const candidate = expected.candidate ? ` / ${expected.candidate} ${expected.percent}%` : "";
  return `traffic on "${live.metadata.name}" was changed outside this rollout (expected ${expected.current} ${100 - share}%${candidate}, found ${describeTraffic(live.spec.traffic ?? [])}); pausing instead of fighting: fix the traffic, then run promote or abort`;
}

// src/rollout/kube-executor.ts
var Stopped = class extends Error {
  constructor(stop) {
    super(stop.message);
    this.stop = stop;
  }
  stop;
};
function createKubeExecutor(o) {
  let holding = false;
  async function apply(change) {
    try {
      const service = await o.client.updateService(
        o.namespace,
        o.name,
        (live) => mutate(live, change)
      );
      if (change.lease === "release") holding = false;
      return { ok: true, service };
    } catch (err) {
      if (err instanceof Stopped) return { ok: false, stop: err.stop };
      throw err;
    }
  }
  function mutate(live, change) {
    const lease = readLease(live);
    if (lease && lease.holder !== o.me.id) {
      throw new Stopped({
        kind: "lease-lost",
        message: `the lease was taken over by ${lease.url ?? lease.holder}; this run stops without touching traffic`
      });
    }
    if (change.expect) {
      const drift = specDrift(live, change.expect) ?? templateDrift(live, o.mine(), o.name);
      if (drift) throw new Stopped(drift);
    }
    let next = { ...live, spec: { ...live.spec } };
    if (change.template) next.spec.template = change.template;
    if (change.release) next.spec.traffic = mergeUserTags(live.spec.traffic, change.release);
    if (change.state) next = writeState(next, change.state);
    const renewed = change.lease === "release" ? void 0 : newLease(o.me, o.clock.now(), o.timing.leaseSeconds);
    return writeLease(next, renewed);
  }
  async function waitFor(until, what) {
    const chunk = o.timing.renewEveryMs;
    for (; ; ) {
      const left = o.deadline - o.clock.now();
      if (left <= 0)
        return { ok: false, stop: { kind: "timeout", message: `timed out waiting for ${what}` } };
      try {
        const service = await o.client.waitForService(
          o.namespace,
          o.name,
          (s) => observed(s) && until(s),
          Math.min(chunk, left),
          o.signal
        );
        return { ok: true, service };
      } catch (err) {
        if (o.signal.aborted) throw o.signal.reason;
        if (!isWaitTimeout(err)) throw err;
        if (!holding) continue;
        const renewed = await apply({});
        if (!renewed.ok) return renewed;
      }
    }
  }
  return {
    read: () => o.client.getService(o.namespace, o.name),
    revision: (name) => o.client.getRevision(o.namespace, name),
    async acquire() {
      const got = await acquireLease(o.client, o.clock, o.namespace, o.name, o.me, {
        durationSeconds: o.timing.leaseSeconds,
        wait: o.waitForLock,
        deadline: o.deadline,
        signal: o.signal
      });
      holding = true;
      return got;
    },
    async create(service) {
      await o.client.createService(
        writeLease(service, newLease(o.me, o.clock.now(), o.timing.leaseSeconds))
      );
      holding = true;
    },
    apply,
    waitFor,
    async settle(until, timeoutMs) {
      const shown = (s) => observed(s) && until(s);
      return o.client.waitForService(o.namespace, o.name, shown, timeoutMs).catch(() => void 0);
    },
    async release() {
      if (!holding) return;
      await releaseLease(o.client, o.namespace, o.name, o.me);
      holding = false;
    },
    get holding() {
      return holding;
    }
  };
}

// src/rollout/timing.ts
var MAX_STEP_ROUNDS = 3;
var BATCHES_PER_INTERVAL = 5;
var MIN_BATCH_MS = 1e3;
var MIN_LEASE_SECONDS = 120;
function timing(stepIntervalMs) {
  const leaseSeconds = Math.max(MIN_LEASE_SECONDS, Math.ceil(2 * stepIntervalMs / 1e3) + 30);
  return {
    intervalMs: stepIntervalMs,
    batchMs: Math.max(MIN_BATCH_MS, Math.round(stepIntervalMs / BATCHES_PER_INTERVAL)),
    maxStepMs: stepIntervalMs * MAX_STEP_ROUNDS,
    leaseSeconds,
    renewEveryMs: leaseSeconds * 1e3 / 3
  };
}
function nextBatchMs(t, elapsedMs) {
  for (const boundary of [t.intervalMs, t.maxStepMs]) {
    if (elapsedMs < boundary) return Math.max(1, Math.min(t.batchMs, boundary - elapsedMs));
  }
  return t.batchMs;
}

// src/rollout/context.ts
function event(ctx, st, text, evidence) {
  return withEvent(st, {
    at: ctx.clock.now(),
    event: text.length > 500 ? `${text.slice(0, 500)}\u2026` : text,
    by: ctx.me.id,
    ...evidence ? { evidence } : {}
  });
}
function checkContext(ctx, percent, candidate) {
  const st = ctx.progress.state;
  return {
    namespace: ctx.ns,
    service: ctx.name,
    candidate: candidate ?? st.candidate,
    current: st.current,
    percent
  };
}
function outcome(ctx, result, message, svc, extra = {}) {
  const traffic = svc?.status?.traffic;
  const { state, steps, candidateDigest } = ctx.progress;
  return {
    command: ctx.inputs.command,
    result,
    message,
    service: ctx.name,
    namespace: ctx.ns,
    image: state?.image ?? ctx.inputs.image,
    digest: candidateDigest,
    url: svc?.status?.url,
    candidateUrl: tagUrl(traffic, "candidate"),
    traffic: toShares(traffic),
    steps,
    state,
    // A failure always carries its reason (the annotation and the summary show it).
    ...result === "failed" || result === "rolled-back" ? { reason: message } : {},
    ...extra
  };
}

// src/rollout/hooks.ts
async function announce(ctx, phase, message, warning = false, candidate) {
  if (ctx.cancelled?.aborted) return;
  await ctx.checks.event(checkContext(ctx, ctx.progress.state?.percent ?? 0, candidate), phase, message, warning).catch((err) => ctx.log.warn(`event hooks: ${err.message}`));
}
async function waitGate(ctx, type, percent) {
  const chunk = ctx.timing.renewEveryMs;
  for (; ; ) {
    const left = ctx.deadline - ctx.clock.now();
    try {
      await ctx.checks.gate(
        type,
        checkContext(ctx, percent),
        Math.max(0, Math.min(chunk, left)),
        ctx.signal
      );
      return void 0;
    } catch (err) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (left <= chunk) return { kind: "timeout", message: `timed out: ${err.message}` };
      const renewed = await ctx.executor.apply({});
      if (!renewed.ok) return renewed.stop;
    }
  }
}
function notPassed(outcomes) {
  const bad = outcomes.filter((o) => o.verdict !== "pass");
  return bad.length ? bad.map(
    (o) => o.verdict === "inconclusive" ? `${o.reason} (no data is not a pass)` : o.reason
  ).join("; ") : void 0;
}

// src/rollout/finish.ts
async function promoteNow(ctx) {
  const st = ctx.progress.state;
  await announce(ctx, "Promoting", `promoting ${st.candidate}`);
  const release = { current: st.candidate, percent: 0 };
  const promoted = event(
    ctx,
    { ...st, phase: "promoted", current: st.candidate, candidate: void 0, percent: 0 },
    `promoted ${st.candidate}`
  );
  const written = await ctx.executor.apply({
    release,
    expect: { current: st.current, candidate: st.candidate, percent: st.percent },
    state: promoted
  });
  if (!written.ok) return stopped(ctx, written.stop);
  ctx.progress.state = promoted;
  const shown = await ctx.executor.waitFor(
    (s) => statusShows(s.status?.traffic, release),
    `100% on ${st.candidate}`
  );
  if (!shown.ok) return stopped(ctx, shown.stop);
  const released = await ctx.executor.apply({ state: promoted, lease: "release" });
  if (!released.ok) return stopped(ctx, released.stop);
  await ctx.checks.postRollout(checkContext(ctx, 100, st.candidate)).catch((err) => ctx.log.warn(`post-rollout hooks: ${err.message}`));
  await announce(ctx, "Succeeded", `promotion of ${st.candidate} completed`, false, st.candidate);
  return outcome(
    ctx,
    "promoted",
    `promoted ${st.candidate}: it serves 100% (was ${st.current})`,
    shown.service,
    { currentRevision: st.current, candidateRevision: st.candidate }
  );
}
async function pause(ctx, message) {
  const paused = event(ctx, { ...ctx.progress.state, phase: "paused", reason: message }, message);
  const written = await ctx.executor.apply({ state: paused, lease: "release" });
  if (!written.ok) return stopped(ctx, written.stop);
  ctx.progress.state = paused;
  await announce(ctx, "Waiting", message);
  const svc = await ctx.executor.read();
  return outcome(ctx, "paused", message, svc, {
    reason: message,
    currentRevision: paused.current,
    candidateRevision: paused.candidate
  });
}
async function rollBack(ctx, reason, result, dropCandidate) {
  const st = ctx.progress.state;
  const release = dropCandidate ? { current: st.current, percent: 0 } : { current: st.current, candidate: st.candidate, percent: 0 };
  const phase = result === "aborted" ? "aborted" : "rolled-back";
  const back = event(ctx, { ...st, phase, percent: 0, reason }, `${phase}: ${reason}`);
  if (result === "aborted") ctx.log.warn(`aborting: ${reason}`);
  else ctx.log.info(`rolling back: ${reason}`);
  const template = dropCandidate ? await previousTemplate(ctx, st) : void 0;
  const written = await ctx.executor.apply({ release, template, state: back, lease: "release" });
  if (!written.ok) return stopped(ctx, written.stop);
  ctx.progress.state = back;
  await announce(ctx, "Failed", `${phase} ${st.candidate}: ${reason}`, true);
  const svc = await rolledBackService(ctx, release);
  const verb = result === "aborted" ? "aborted" : "rolled back";
  return outcome(ctx, result, `${verb} ${st.candidate}: ${reason}; ${st.current} serves 100%`, svc, {
    currentRevision: st.current,
    candidateRevision: st.candidate,
    reason
  });
}
async function rolledBackService(ctx, release) {
  const svc = await ctx.executor.settle(
    (s) => statusShows(s.status?.traffic, release),
    ctx.cancelled?.aborted ? 3e3 : 3e4
  );
  if (svc) return svc;
  ctx.log.warn(`the rollback was written but status.traffic did not show it yet`);
  return ctx.executor.read();
}
async function previousTemplate(ctx, st) {
  const live = await ctx.executor.read();
  if (live?.spec.template?.metadata?.name !== st.candidate) return void 0;
  const rev = await ctx.executor.revision(st.current);
  if (!rev?.spec) return void 0;
  const annotations = Object.fromEntries(
    Object.entries(rev.metadata.annotations ?? {}).filter(
      ([k]) => !k.startsWith("serving.knative.dev/")
    )
  );
  return {
    metadata: { name: st.current, ...Object.keys(annotations).length ? { annotations } : {} },
    spec: structuredClone(rev.spec)
  };
}
async function stopped(ctx, stop) {
  if (stop.kind === "lease-lost") return outcome(ctx, "failed", stop.message);
  if (stop.kind === "drift") return pauseOnDrift(ctx, stop.message);
  return failed(ctx, stop.message);
}
async function guard(ctx, phase) {
  try {
    return await phase();
  } catch (err) {
    if (!ctx.progress.state || !ctx.executor.holding) throw err;
    if (ctx.cancelled?.aborted) return rollBack(ctx, "cancelled (SIGINT/SIGTERM)", "aborted", false);
    const reason = ctx.timedOut.aborted ? String(ctx.timedOut.reason.message) : err.message;
    return failed(ctx, reason);
  }
}
async function failed(ctx, reason) {
  const st = ctx.progress.state;
  if (!st.candidate) {
    const recorded = event(ctx, { ...st, reason }, `failed: ${reason}`);
    const written = await ctx.executor.apply({ state: recorded, lease: "release" });
    if (written.ok) ctx.progress.state = recorded;
    return outcome(ctx, "failed", reason, void 0, { reason });
  }
  const revision = await ctx.executor.revision(st.candidate);
  return rollBack(ctx, reason, "failed", !revision || !isReady(revision));
}
async function pauseOnDrift(ctx, message) {
  const live = await ctx.executor.read();
  const st = ctx.progress.state;
  const tagged = (tag) => live?.spec.traffic?.find((t) => t.tag === tag);
  const candidate = tagged("candidate");
  ctx.progress.state = {
    ...st,
    current: tagged("current")?.revisionName ?? st.current,
    percent: candidate?.revisionName === st.candidate ? candidate?.percent ?? 0 : 0
  };
  return pause(ctx, message);
}

// src/rollout/commands/dry-run.ts
function dryRun(ctx, live, template, release, plan) {
  const { command, pauseAt } = ctx.inputs;
  const traffic = mergeUserTags(live?.spec.traffic, release);
  const steps = plan.join(", ") || "none";
  ctx.log.info(`dry run: nothing is written. ${command} of ${ctx.name} would write:`);
  ctx.log.info(JSON.stringify({ spec: { template, traffic } }, null, 2));
  ctx.log.info(`steps: ${steps}${pauseAt ? `, pausing at ${pauseAt}%` : ""}`);
  const revision = release.candidate ?? release.current;
  return {
    ...outcome(ctx, "unchanged", `dry run: would ${command} ${revision} (steps ${steps})`, live, {
      currentRevision: release.candidate ? release.current : void 0,
      candidateRevision: revision
    }),
    dryRun: true
  };
}

// src/rollout/commands/abort.ts
async function abort(ctx) {
  const live = await ctx.executor.read();
  const open2 = inFlight(readState(live));
  if (!live || !open2) return outcome(ctx, "unchanged", `no rollout to abort on "${ctx.name}"`, live);
  if (ctx.inputs.dryRun)
    return dryRun(
      ctx,
      live,
      live.spec.template,
      { current: open2.current, candidate: open2.candidate, percent: 0 },
      []
    );
  await ctx.executor.acquire();
  ctx.progress.state = open2;
  return guard(ctx, () => rollBack(ctx, "aborted on request", "aborted", false));
}

// src/rollout/readiness.ts
async function waitCandidateReady(ctx, candidate) {
  ctx.log.info(`waiting for ${candidate} to become ready`);
  let failure;
  const waited = await ctx.executor.waitFor((s) => {
    if (s.status?.latestReadyRevisionName === candidate) return true;
    failure = readinessFailure(s, void 0);
    return failure !== void 0 && FATAL_REASONS.test(failure);
  }, `${candidate} to become ready`);
  if (!waited.ok) return { stop: waited.stop };
  const revision = await ctx.executor.revision(candidate);
  if (revision && isReady(revision)) {
    ctx.progress.candidateDigest = digestOf(revision.status?.containerStatuses?.[0]?.imageDigest);
    return {};
  }
  const service = await ctx.executor.read();
  return { failure: (service && readinessFailure(service, revision)) ?? failure ?? "not ready" };
}
function digestOf(resolved) {
  return resolved?.slice(resolved.indexOf("@") + 1);
}

// src/rollout/evidence.ts
var IN_TUPLES = /* @__PURE__ */ new Set([
  "candidateRequests",
  "candidateErrors",
  "candidateP99Ms",
  "currentRequests",
  "currentErrors",
  "currentP99Ms",
  "elapsedMs"
]);
function stepEvidence(step) {
  const tuple = (s) => s && s.requests > 0 ? [s.requests, s.errors, round(s.p99)] : void 0;
  const stats = step.stats ? Object.fromEntries(
    Object.entries(step.stats).filter(([k, v]) => !IN_TUPLES.has(k) && Number.isFinite(v)).map(([k, v]) => [k, round(v)])
  ) : void 0;
  return {
    percent: step.percent,
    verdict: step.verdict,
    ms: Math.max(0, (step.endedAt ?? 0) - (step.startedAt ?? 0)),
    ...tuple(step.candidate) ? { candidate: tuple(step.candidate) } : {},
    ...tuple(step.current) ? { current: tuple(step.current) } : {},
    ...step.source ? { source: step.source } : {},
    ...stats && Object.keys(stats).length ? { stats } : {},
    ...step.checks?.length ? {
      checks: step.checks.map((c) => ({
        name: c.name,
        verdict: c.verdict,
        ...c.value === void 0 ? {} : { value: round(c.value) }
      }))
    } : {}
  };
}
function describeEvidence(e) {
  const side = (name, t) => t ? `${name} ${t[1]}/${t[0]} errors, p99 ${t[2]} ms` : void 0;
  const checks = e.checks?.map(
    (c) => `${c.name} ${c.value ?? "no data"} ${c.verdict === "pass" ? "\u2713" : c.verdict}`
  );
  return [
    `step ${e.percent}%: ${e.verdict} after ${round(e.ms / 1e3)}s${e.source ? ` (judged on all traffic: ${e.source})` : ""}`,
    side("candidate", e.candidate),
    side("current", e.current),
    checks?.length ? `checks: ${checks.join(", ")}` : void 0
  ].filter(Boolean).join("; ");
}
function round(n) {
  return Number(n.toPrecision(3));
}

// src/rollout/intent.ts
function rolloutStart(v) {
  if (!v.exists || !v.current) return { kind: "first-deploy" };
  if (!v.currentExists)
    return {
      kind: "refuse",
      message: `the current revision "${v.current}" does not exist in namespace "${v.namespace}"`
    };
  if (v.candidate === v.current) {
    if (sameTemplate(v.liveTemplate, v.template))
      return { kind: "unchanged", message: `${v.current} is already current; nothing to roll out` };
    return {
      kind: "refuse",
      message: `revision-name "${v.candidate}" is the current revision but the template differs; Knative refuses a template change without a new name: set revision-name`
    };
  }
  if (v.taken && !sameTemplate({ metadata: v.taken.metadata, spec: v.taken.spec }, v.template))
    return {
      kind: "refuse",
      message: `revision-name "${v.candidate}" is already taken by a revision with a different template; Knative cannot reuse the name (RevisionNameTaken): choose another revision-name`
    };
  const open2 = v.open;
  const resume = !!open2 && open2.candidate === v.candidate && open2.current === v.current;
  if (!open2 && v.madeCurrent && sameTemplate(v.liveTemplate, v.template))
    return {
      kind: "unchanged",
      message: `the template is unchanged and ${v.current} is serving it; nothing to roll out`
    };
  return { kind: "candidate", resume };
}
function nextIntent(w) {
  const percent = w.percents[w.done];
  if (percent === void 0) return w.pause ? { kind: "pause" } : { kind: "promote" };
  if (percent === 100) {
    if (!w.analysedAny && w.command === "rollout") return { kind: "analyse", percent: w.share };
    return { kind: "promote" };
  }
  if (w.share !== percent) return { kind: "split", percent, gated: percent > w.share };
  return { kind: "analyse", percent };
}
function advance(w, intent) {
  if (intent.kind === "split") return { ...w, share: intent.percent };
  if (intent.kind !== "analyse") return w;
  const atStep = w.percents[w.done] === intent.percent;
  return { ...w, analysedAny: true, done: atStep ? w.done + 1 : w.done };
}
function afterStep(verdict, failures, threshold, rollbackHook) {
  if (verdict === "pass") return "next";
  return failures >= threshold || rollbackHook ? "roll-back" : "again";
}

// src/analysis/stats.ts
function isError(sample) {
  return sample.status === 0 || sample.status >= 500;
}
function summarise(samples) {
  return summariseEvidence(evidenceOf(samples));
}
function evidenceOf(samples) {
  return {
    requests: samples.length,
    errors: samples.filter(isError).length,
    latenciesMs: samples.map((s) => s.latencyMs)
  };
}
function summariseEvidence({
  requests,
  errors,
  latenciesMs
}) {
  const latencies = Float64Array.from(latenciesMs).sort();
  return {
    requests,
    errors,
    successRate: requests === 0 ? 0 : (requests - errors) / requests,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99)
  };
}
function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(p / 100 * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

// src/analysis/choose-evidence.ts
function chooseEvidence(probes, dataPlane) {
  if (!dataPlane) return probes;
  if (!probes) return dataPlane;
  const caughtUp = dataPlane.candidate.requests >= probes.candidate.requests && dataPlane.current.requests >= probes.current.requests;
  return caughtUp ? dataPlane : probes;
}

// src/rollout/step-decision.ts
var NO_EVIDENCE = "no evidence: probe-rps is 0, there is no prometheus-url, and no metric check or rollout hook is configured";
function refusedHooks(hooked) {
  const refused = hooked.filter((o) => o.verdict === "fail");
  return refused.length ? fail(refused.map((o) => o.reason).join("; ")) : void 0;
}
function failureAt(look) {
  if (look.rollbackHook) return fail(`rollback hook "${look.rollbackHook}" asked for a rollback`);
  const j = look.judgement;
  if (j?.final && j.verdict === "fail") return fail(j.reason);
  if (!look.checksRanNow) return void 0;
  if (!j && look.checks?.length === 0) return fail(NO_EVIDENCE);
  const failed2 = (look.checks ?? []).filter((o) => o.verdict === "fail");
  return failed2.length ? fail(failed2.map((o) => o.reason).join("; ")) : void 0;
}
function heldDecision(look, gate) {
  if (!gate.open) return { kind: "hold" };
  const held = `${gate.name} opened after ${Math.round(look.elapsedMs / 1e3)}s at ${gate.percent}% with no failure established`;
  return pass(look.judgement ? `${held}: ${look.judgement.reason}` : held);
}
function stepDecision(look) {
  const j = look.judgement;
  const probesPass = !j || j.final && j.verdict === "pass";
  const pending = (look.checks ?? []).filter((o) => o.verdict !== "pass");
  if (look.checks && probesPass && pending.length === 0) {
    const why = [j?.reason ?? "no synthetic probes (probe-rps 0)", ...look.checks.map((o) => o.reason)];
    return pass(why.join("; "));
  }
  if (look.elapsedMs >= look.maxStepMs) {
    const doubts = [
      ...j && !probesPass ? [j.reason] : [],
      ...pending.map((o) => `${o.reason} (no data is not a pass)`)
    ];
    const reason = pending.length ? `not enough evidence after ${Math.round(look.elapsedMs / 1e3)}s: ${doubts.join("; ")}` : doubts.join("; ");
    return { kind: "end", verdict: "inconclusive", reason };
  }
  return look.elapsedMs >= look.intervalMs ? { kind: "extend" } : { kind: "continue" };
}
function fail(reason) {
  return { kind: "end", verdict: "fail", reason };
}
function pass(reason) {
  return { kind: "end", verdict: "pass", reason };
}

// src/rollout/step-loop.ts
var PROBES = "probes";
var NO_DATA_YET = {
  candidate: { requests: 0, errors: 0, latenciesMs: [] },
  current: { requests: 0, errors: 0, latenciesMs: [] },
  source: "data plane (no series yet)"
};
async function analyse(ctx, svc, percent, hold) {
  const { clock, inputs, timing: timing2 } = ctx;
  const { rps } = inputs.probe;
  const interval = timing2.intervalMs;
  const bounds = { ...timing2, maxStepMs: hold ? Infinity : timing2.maxStepMs };
  const targets = rps > 0 ? probeTargets(ctx, svc) : void 0;
  const hookCtx = checkContext(ctx, percent);
  const startedAt = clock.now();
  let lastRenew = startedAt;
  let nextChecksAt = interval;
  let nextHooksAt = 0;
  let hooked = [];
  let checks;
  const cand = [];
  const curr = [];
  const served = await ctx.checks.trafficWindow(hookCtx);
  const earlier = ctx.progress.steps.filter((s) => s.verdict === "pass" && s.candidate && s.current).map((s) => ({ candidate: s.candidate, current: s.current }));
  let judged;
  const report = (verdict, reason, j) => {
    ctx.log.debug(`step ${percent}%: ${verdict}: ${reason}`);
    const figures = judged && judged.source !== PROBES ? {
      source: judged.source,
      candidate: summariseEvidence(judged.candidate),
      current: summariseEvidence(judged.current)
    } : { candidate: summarise(cand), current: summarise(curr) };
    return {
      percent,
      verdict,
      reason,
      ...figures,
      ...j ? { stats: j.stats } : {},
      ...checks?.length ? { checks } : {},
      startedAt,
      endedAt: clock.now()
    };
  };
  for (; ; ) {
    if (clock.now() - startedAt >= nextHooksAt) {
      nextHooksAt += interval;
      hooked = await ctx.checks.rolloutHooks(hookCtx);
      const refused = refusedHooks(hooked);
      if (refused?.kind === "end") {
        checks = hooked;
        return report(refused.verdict, refused.reason);
      }
    }
    const lookMs = nextBatchMs(bounds, clock.now() - startedAt);
    const lookEnds = clock.now() + lookMs;
    if (targets) {
      const [c, k] = await Promise.all([
        ctx.prober.probe(targets.candidate, rps, lookMs, ctx.signal),
        ctx.prober.probe(targets.current, rps, lookMs, ctx.signal)
      ]);
      cand.push(...c);
      curr.push(...k);
    }
    const rest = lookEnds - clock.now();
    if (rest > 0) await clock.sleep(rest, ctx.signal);
    ctx.signal.throwIfAborted();
    const elapsedMs = clock.now() - startedAt;
    const base = { elapsedMs, ...bounds, checksRanNow: false };
    const hook = await ctx.checks.rollbackRequested(hookCtx);
    if (hook) {
      ctx.progress.rollbackHook = hook;
      const stop = failureAt({ ...base, rollbackHook: hook });
      if (stop.kind === "end") return report(stop.verdict, stop.reason);
    }
    const users = await served?.read();
    if (served && !users && elapsedMs >= interval) noDataPlaneOnce(ctx, hookCtx);
    judged = chooseEvidence(
      targets ? { candidate: evidenceOf(cand), current: evidenceOf(curr), source: PROBES } : void 0,
      served && (users ?? NO_DATA_YET)
    );
    const j = judged ? ctx.judge({
      candidate: judged.candidate,
      current: judged.current,
      earlier,
      elapsedMs,
      minStepMs: interval,
      maxStepMs: bounds.maxStepMs,
      thresholds: inputs.thresholds
    }) : void 0;
    const judgedFail = failureAt({ ...base, judgement: j });
    if (judgedFail?.kind === "end") return report(judgedFail.verdict, judgedFail.reason, j);
    let checksRanNow = false;
    if (elapsedMs >= nextChecksAt) {
      nextChecksAt += interval;
      checks = [...await ctx.checks.step(hookCtx), ...hooked];
      checksRanNow = true;
    }
    const look = { ...base, judgement: j, checks, checksRanNow };
    const failed2 = failureAt(look);
    if (failed2?.kind === "end") return report(failed2.verdict, failed2.reason, j);
    const decision = hold ? heldDecision(look, {
      name: hold.gate,
      percent,
      open: (await ctx.checks.closedGates(hold.gate, checkContext(ctx, hold.askedPercent))).length === 0
    }) : stepDecision(look);
    if (decision.kind === "end") return report(decision.verdict, decision.reason, j);
    if (j) ctx.log.debug(`step ${percent}%: ${j.reason}`);
    if (clock.now() - lastRenew >= timing2.renewEveryMs) {
      const renewed = await ctx.executor.apply({});
      if (!renewed.ok) return renewed.stop;
      lastRenew = clock.now();
    }
  }
}
function noDataPlaneOnce(ctx, hookCtx) {
  if (ctx.progress.warnedNoDataPlane) return;
  ctx.progress.warnedNoDataPlane = true;
  ctx.log.warn(
    `prometheus-url is set, but Prometheus has no queue-proxy series for ${hookCtx.candidate} or ${hookCtx.current} (revision_app_request_count, kn_serving_invocation_duration_seconds) after a step interval: the judge weighs the probes only. Check that Prometheus scrapes the revisions' queue-proxy.`
  );
}
function probeTargets(ctx, svc) {
  const traffic = svc.status?.traffic;
  const { path, ingressAddress } = ctx.inputs.probe;
  const target = (tag) => {
    const url = tagUrl(traffic, tag);
    if (!url) throw new Error(`status.traffic has no URL for the tag "${tag}"`);
    if (!ingressAddress) return { url: joinUrl(url, path) };
    return { url: joinUrl(ingressAddress, path), host: new URL(url).host };
  };
  return { candidate: target("candidate"), current: target("current") };
}
function joinUrl(base, path) {
  return base.replace(/\/+$/, "") + "/" + path.replace(/^\/+/, "");
}

// src/rollout/walk.ts
async function walk(ctx, plan) {
  let w = {
    percents: plan.percents,
    done: 0,
    pause: plan.pause,
    share: ctx.progress.state.percent,
    analysedAny: ctx.progress.steps.length > 0,
    command: ctx.inputs.command
  };
  for (; ; ) {
    const intent = nextIntent(w);
    switch (intent.kind) {
      case "promote":
        return await holdWhileGated(ctx, "confirm-promotion", 100) ?? promoteNow(ctx);
      case "pause":
        return pause(
          ctx,
          `paused at ${ctx.progress.state.percent}% (pause-at); run the promote or abort command to finish`
        );
      case "split": {
        const ended = await writeSplit(ctx, intent.percent, intent.gated);
        if (ended) return ended;
        break;
      }
      case "analyse": {
        const ended = await analyseStep(ctx, intent.percent);
        if (ended) return ended;
        break;
      }
    }
    w = advance(w, intent);
  }
}
async function writeSplit(ctx, percent, gated) {
  if (gated) {
    const failed2 = await holdWhileGated(ctx, "confirm-traffic-increase", percent);
    if (failed2) return failed2;
  }
  const st = ctx.progress.state;
  const next = event(ctx, { ...st, percent }, `step ${percent}%`);
  const written = await ctx.executor.apply({
    release: { current: st.current, candidate: st.candidate, percent },
    expect: { current: st.current, candidate: st.candidate, percent: st.percent },
    state: next
  });
  if (!written.ok) return stopped(ctx, written.stop);
  ctx.progress.state = next;
  await announce(ctx, "Progressing", `advance ${st.candidate} weight ${percent}`);
  return void 0;
}
async function holdWhileGated(ctx, gate, askedPercent) {
  const heldAt = ctx.progress.state.percent;
  if (heldAt === 0 || ctx.inputs.command !== "rollout") {
    const stop = await waitGate(ctx, gate, askedPercent);
    return stop && stopped(ctx, stop);
  }
  const closed = await ctx.checks.closedGates(gate, checkContext(ctx, askedPercent));
  if (!closed.length) return void 0;
  ctx.log.info(
    `${gate} gate ${closed.map((n) => `"${n}"`).join(", ")} is closed: holding at ${heldAt}% and analysing until it opens`
  );
  return analyseStep(ctx, heldAt, { gate, askedPercent });
}
async function analyseStep(ctx, percent, hold) {
  const st = ctx.progress.state;
  const what = hold ? `holding at ${percent}% for ${hold.gate}` : `step ${percent}%`;
  const release = { current: st.current, candidate: st.candidate, percent };
  const shown = await ctx.executor.waitFor(
    (s) => statusShows(s.status?.traffic, release),
    `${percent}% on ${st.candidate}`
  );
  if (!shown.ok) return stopped(ctx, shown.stop);
  ctx.log.info(`step ${percent}%: ${describeTraffic(shown.service.status?.traffic ?? [])}`);
  for (; ; ) {
    const step = await analyse(ctx, shown.service, percent, hold);
    if ("kind" in step) return stopped(ctx, step);
    ctx.progress.steps.push(step);
    ctx.onStep?.(step);
    const drift = await driftAfterStep(ctx, release);
    if (drift) return drift;
    const evidence = stepEvidence(step);
    const failures = ctx.progress.state.failures + (step.verdict === "pass" ? 0 : 1);
    const threshold = ctx.inputs.thresholds.failureThreshold;
    const next = afterStep(step.verdict, failures, threshold, !!ctx.progress.rollbackHook);
    if (next === "next") {
      ctx.progress.state = event(ctx, ctx.progress.state, `${what} passed`, evidence);
      return void 0;
    }
    const verdict = step.verdict === "fail" ? "failed" : "inconclusive";
    ctx.progress.state = event(
      ctx,
      { ...ctx.progress.state, failures },
      `${what} ${verdict} (${failures}/${threshold}): ${step.reason}`,
      evidence
    );
    if (next === "roll-back") return rollBack(ctx, `${what}: ${step.reason}`, "rolled-back", false);
    ctx.log.warn(`${what} failed (${failures} of ${threshold} allowed); analysing again`);
    const written = await ctx.executor.apply({ state: ctx.progress.state });
    if (!written.ok) return stopped(ctx, written.stop);
  }
}
async function driftAfterStep(ctx, release) {
  const live = await ctx.executor.read();
  if (!live)
    return stopped(ctx, {
      kind: "drift",
      message: `service "${ctx.name}" was deleted during the rollout`
    });
  const drift = templateDrift(live, ctx.progress.template, ctx.name) ?? trafficDrift(live, release);
  return drift && stopped(ctx, drift);
}

// src/rollout/commands/promote.ts
async function promote(ctx) {
  const live = await ctx.executor.read();
  const open2 = inFlight(readState(live));
  if (!live || !open2)
    return outcome(ctx, "unchanged", `no rollout to promote on "${ctx.name}"`, live);
  const candidate = await ctx.executor.revision(open2.candidate);
  if (!candidate || !isReady(candidate))
    throw new Error(`the candidate ${open2.candidate} is not ready; cannot promote it`);
  ctx.progress.candidateDigest = digestOf(candidate.status?.containerStatuses?.[0]?.imageDigest);
  const rest = ctx.inputs.steps.filter((p) => p > open2.percent);
  if (ctx.inputs.dryRun)
    return dryRun(
      ctx,
      live,
      live.spec.template,
      { current: open2.current, candidate: open2.candidate, percent: rest[0] ?? 100 },
      rest
    );
  await ctx.executor.acquire();
  ctx.progress.state = withEvent(
    { ...open2, phase: "progressing", failures: 0 },
    { at: ctx.clock.now(), event: `promote requested at ${open2.percent}%`, by: ctx.me.id }
  );
  return guard(ctx, () => walk(ctx, planSteps({ steps: rest, startPercent: open2.percent })));
}

// src/rollout/commands/first-deploy.ts
async function firstDeploy(ctx, live, template) {
  const name = template.metadata.name;
  const release = { current: name, percent: 0 };
  const state = {
    phase: "progressing",
    current: name,
    percent: 0,
    steps: [100],
    failures: 0,
    image: template.spec.containers[0]?.image,
    history: [{ at: ctx.clock.now(), event: `first deploy of ${name}`, by: ctx.me.id }]
  };
  if (ctx.inputs.dryRun) return dryRun(ctx, live, template, release, [100]);
  ctx.log.info(
    `first deploy of ${ctx.name}: no current revision, so no canary; ${name} takes 100% once ready`
  );
  if (!live) {
    await ctx.executor.create(writeState(newService(ctx, template, release), state));
  } else {
    await ctx.executor.acquire();
    const written = await ctx.executor.apply({ template, release, state });
    if (!written.ok) return stopped(ctx, written.stop);
  }
  ctx.progress.state = state;
  return guard(ctx, async () => {
    const { failure, stop } = await waitCandidateReady(ctx, name);
    if (stop) return stopped(ctx, stop);
    if (failure) {
      const failed2 = event(
        ctx,
        { ...state, phase: "rolled-back", reason: failure },
        `first deploy failed: ${failure}`
      );
      const written2 = await ctx.executor.apply({ state: failed2, lease: "release" });
      if (!written2.ok) return stopped(ctx, written2.stop);
      ctx.progress.state = failed2;
      return outcome(ctx, "failed", `first deploy of ${name} failed: ${failure}`, void 0, {
        candidateRevision: name,
        reason: failure
      });
    }
    const shown = await ctx.executor.waitFor(
      (s) => statusShows(s.status?.traffic, release),
      `traffic on ${name}`
    );
    if (!shown.ok) return stopped(ctx, shown.stop);
    const done = event(ctx, { ...state, phase: "promoted" }, `first deploy of ${name} serving 100%`);
    const written = await ctx.executor.apply({ state: done, lease: "release" });
    if (!written.ok) return stopped(ctx, written.stop);
    ctx.progress.state = done;
    return outcome(
      ctx,
      "promoted",
      `first deploy: ${name} is serving 100% (no current revision, so no canary)`,
      shown.service,
      { candidateRevision: name }
    );
  });
}
function newService(ctx, template, release) {
  const base = ctx.request.manifest?.service ?? {
    apiVersion: "serving.knative.dev/v1",
    kind: "Service",
    metadata: { name: ctx.name },
    spec: { template }
  };
  return {
    ...base,
    metadata: { ...base.metadata, name: ctx.name, namespace: ctx.ns },
    spec: { ...base.spec, template, traffic: releaseToTraffic(release) }
  };
}

// src/rollout/commands/rollout.ts
var MAX_REDECIDE = 3;
async function rollout(ctx, redecided = 0) {
  const live = await ctx.executor.read();
  const release = ctx.request.manifest?.release;
  const template = candidateTemplate(ctx, live);
  const candidate = template.metadata.name;
  ctx.progress.template = template;
  const open2 = inFlight(readState(live));
  const view = await observe(ctx, live, template, open2);
  const start = rolloutStart(view);
  if (start.kind === "first-deploy") return firstDeploy(ctx, live, template);
  if (start.kind === "refuse") throw new Error(start.message);
  const current = view.current;
  if (start.kind === "unchanged")
    return outcome(ctx, "unchanged", start.message, live, { currentRevision: current });
  const resume = start.resume;
  const plan = resume ? open2.steps : stepPlan(ctx.inputs.steps, release?.rolloutPercent);
  if (ctx.inputs.dryRun) return dryRun(ctx, live, template, { current, candidate, percent: 0 }, plan);
  const { service: leased, before } = await ctx.executor.acquire();
  if (redecided < MAX_REDECIDE && !sameRollout(live, leased)) return rollout(ctx, redecided + 1);
  if (before.kind === "expired")
    ctx.log.warn(
      `took over the lease of ${before.previous.url ?? before.previous.holder}, which expired`
    );
  ctx.progress.state = resume ? resumed(ctx, open2) : created(ctx, leased, open2, { current, candidate, plan, template });
  return guard(ctx, () => launch(ctx, leased, template, { resume, open: open2, plan }));
}
async function observe(ctx, live, template, open2) {
  const candidate = template.metadata.name;
  const release = ctx.request.manifest?.release;
  const current = live ? release?.current ?? open2?.current ?? servingRevision(live) : void 0;
  const view = {
    namespace: ctx.ns,
    exists: !!live,
    current,
    currentExists: false,
    candidate,
    template,
    liveTemplate: live?.spec.template,
    madeCurrent: live?.status?.latestCreatedRevisionName === current && live?.status?.latestReadyRevisionName === current,
    open: open2
  };
  if (!live || !current) return view;
  view.currentExists = !!await ctx.executor.revision(current);
  if (view.currentExists && candidate !== current && open2?.candidate !== candidate) {
    const taken = await ctx.executor.revision(candidate);
    if (taken) view.taken = { metadata: taken.metadata, spec: taken.spec };
  }
  return view;
}
function resumed(ctx, open2) {
  ctx.log.info(`resuming the rollout of ${open2.candidate} (was ${open2.phase} at ${open2.percent}%)`);
  return withEvent(
    { ...open2, phase: "progressing" },
    { at: ctx.clock.now(), event: `resumed at ${open2.percent}%`, by: ctx.me.id }
  );
}
function created(ctx, leased, open2, c) {
  if (open2)
    ctx.log.warn(
      `superseding the unfinished rollout of ${open2.candidate} (${open2.phase} at ${open2.percent}%)`
    );
  return withEvent(
    {
      phase: "progressing",
      current: c.current,
      candidate: c.candidate,
      percent: 0,
      steps: c.plan,
      failures: 0,
      image: c.template.spec.containers[0]?.image,
      history: readState(leased)?.history ?? []
    },
    { at: ctx.clock.now(), event: `candidate ${c.candidate} created at 0%`, by: ctx.me.id }
  );
}
async function launch(ctx, leased, template, o) {
  const st = ctx.progress.state;
  const { current, candidate } = st;
  const zero = { current, candidate, percent: 0 };
  if (!o.resume || leased.spec.template.metadata?.name !== candidate) {
    const made = leased.spec.template.metadata?.name === candidate && sameTemplate(leased.spec.template, template);
    const written = await ctx.executor.apply({
      template: made ? void 0 : template,
      release: zero,
      state: st
    });
    if (!written.ok) return stopped(ctx, written.stop);
  }
  const ready = await waitCandidateReady(ctx, candidate);
  if (ready.stop) return stopped(ctx, ready.stop);
  if (ready.failure)
    return rollBack(
      ctx,
      `candidate ${candidate} did not become ready: ${ready.failure}`,
      "rolled-back",
      true
    );
  if (ctx.inputs.command === "preview") return previewAtZero(ctx, zero);
  if (st.percent === 0) {
    const ended = await beforeFirstStep(ctx);
    if (ended) return ended;
  }
  const again = o.resume && o.open?.phase === "progressing" && st.percent > 0;
  return walk(
    ctx,
    planSteps({
      steps: o.plan,
      startPercent: again ? st.percent - 1 : st.percent,
      pauseAt: ctx.inputs.pauseAt
    })
  );
}
async function previewAtZero(ctx, zero) {
  const shown = await ctx.executor.waitFor(
    (s) => statusShows(s.status?.traffic, zero),
    `the ${zero.candidate} tag`
  );
  if (!shown.ok) return stopped(ctx, shown.stop);
  const url = tagUrl(shown.service.status?.traffic, "candidate") ?? "its candidate tag";
  return pause(
    ctx,
    `preview: ${zero.candidate} is ready at 0% on ${url}; run promote or abort to finish`
  );
}
async function beforeFirstStep(ctx) {
  await announce(ctx, "Initializing", `candidate ${ctx.progress.state.candidate} is ready at 0%`);
  const stop = await waitGate(ctx, "confirm-rollout", 0);
  if (stop) return stopped(ctx, stop);
  const bad = notPassed(await ctx.checks.preRollout(checkContext(ctx, 0)));
  return bad ? rollBack(ctx, `pre-rollout: ${bad}`, "rolled-back", false) : void 0;
}
function candidateTemplate(ctx, live) {
  const base = ctx.request.manifest?.service.spec.template ?? live?.spec.template;
  const image = ctx.inputs.image;
  if (!base && !image)
    throw new Error(
      `service "${ctx.name}" does not exist: give a manifest or an image to create it`
    );
  const template = structuredClone(
    base ?? { spec: { containers: [{ image }] } }
  );
  if (image) template.spec.containers[0] = { ...template.spec.containers[0], image };
  if (!template.spec.containers[0]?.image)
    throw new Error("the manifest has no container image; set the image input");
  const name = candidateName(ctx.name, template, {
    revisionName: ctx.inputs.revisionName,
    releaseCandidate: ctx.request.manifest?.release?.candidate,
    sha: ctx.request.sha
  });
  return { ...template, metadata: { ...template.metadata ?? {}, name } };
}

// src/rollout/commands/status.ts
async function status(ctx) {
  const live = await ctx.executor.read();
  if (!live)
    return outcome(ctx, "unchanged", `service "${ctx.name}" does not exist in namespace "${ctx.ns}"`);
  const state = readState(live);
  const lease = readLease(live);
  const traffic = describeTraffic(live.status?.traffic ?? []);
  const phase = state ? `${state.phase}${state.candidate ? ` (candidate ${state.candidate} at ${state.percent}%)` : ""}` : "no rollout yet";
  const held = lease ? `; lease held by ${lease.url ?? lease.holder}` : "";
  const last = state?.history.findLast((h) => h.evidence)?.evidence;
  const why = (state?.reason && state.phase !== "progressing" ? `; reason: ${state.reason}` : "") + (last ? `; last analysed ${describeEvidence(last)}` : "");
  ctx.progress.state = state;
  const result = !state || state.phase === "progressing" ? "unchanged" : state.phase;
  return outcome(ctx, result, `${ctx.name}: ${phase}; traffic ${traffic}${held}${why}`, live, {
    currentRevision: state?.current ?? servingRevision(live),
    candidateRevision: state?.candidate
  });
}

// src/rollout/engine.ts
var COMMANDS = { status, abort, promote };
async function runEngine(request, deps) {
  const { inputs } = request;
  const timeout = new AbortController();
  const stopTimer = new AbortController();
  deps.clock.sleep(inputs.timeoutMs, stopTimer.signal).then(
    () => timeout.abort(new Error(`timed out after ${inputs.timeoutMs / 1e3}s (timeout)`)),
    () => void 0
  );
  const ctx = context(request, deps, timeout.signal);
  try {
    const command = COMMANDS[inputs.command] ?? rollout;
    return await command(ctx);
  } finally {
    stopTimer.abort();
    await ctx.executor.release().catch((err) => ctx.log.warn(`could not release the lease: ${err.message}`));
  }
}
function context(request, deps, timedOut) {
  const { inputs } = request;
  const signal = deps.signal ? AbortSignal.any([deps.signal, timedOut]) : timedOut;
  const t = timing(inputs.stepIntervalMs);
  const deadline = deps.clock.now() + inputs.timeoutMs;
  const progress = { steps: [], warnedNoDataPlane: false };
  const setup = {
    namespace: inputs.namespace,
    name: request.service,
    timing: t,
    deadline,
    waitForLock: inputs.waitForLock,
    signal,
    mine: () => progress.template
  };
  const executor = deps.executor?.(setup) ?? createKubeExecutor({ ...setup, client: deps.client, clock: deps.clock, me: deps.me });
  return {
    request,
    inputs,
    ns: inputs.namespace,
    name: request.service,
    log: deps.log,
    clock: deps.clock,
    me: deps.me,
    judge: deps.judge ?? judge,
    checks: deps.checks ?? NO_CHECKS,
    prober: deps.prober,
    executor,
    timing: t,
    deadline,
    signal,
    cancelled: deps.signal,
    timedOut,
    onStep: deps.onStep,
    progress
  };
}

// src/run.ts
async function run(inputs, deps) {
  const base = {
    command: inputs.command,
    namespace: inputs.namespace,
    service: inputs.service ?? "",
    traffic: [],
    steps: []
  };
  let built;
  try {
    const manifest = inputs.manifest ? await readManifest(inputs, inputs.manifest) : void 0;
    for (const warning of manifest?.warnings ?? []) deps.log.warn(warning);
    if (inputs.command === "rollout" && inputs.pauseAt !== void 0 && manifest) {
      const plan = stepPlan(inputs.steps, manifest.release?.rolloutPercent);
      const problem = pauseAtProblem(inputs.pauseAt, plan);
      if (problem) throw new Error(`pause-at: "${inputs.pauseAt}" ${problem}`);
    }
    const service = inputs.service ?? manifest?.service.metadata.name;
    if (!service) throw new Error("service: give the service input or a manifest that names it");
    base.service = service;
    const me = deps.me ?? runIdentityFromEnv(deps.env, `${os.userInfo().username}@${os.hostname()}`);
    deps.onTarget?.({ namespace: inputs.namespace, service, holder: me.id });
    const client = deps.client ?? createServingClient({
      kubeconfig: inputs.kubeconfig,
      tlsInsecure: inputs.tlsInsecure,
      clock: deps.clock,
      log: deps.log
    });
    const prober = deps.prober ?? createHttpProber(deps.clock);
    const checks = deps.checks ?? createStepChecks(inputs, deps.clock);
    const writes = inputs.command === "rollout" || inputs.command === "preview";
    if (deps.build && writes && !inputs.dryRun) built = await deps.build();
    const request = {
      inputs: { ...inputs, image: built?.image ?? inputs.image },
      service,
      // The engine puts `image` (the built digest, or the input) into the template.
      manifest: manifest && { service: manifest.service, release: manifest.release },
      sha: deps.env.GITHUB_SHA
    };
    const outcome2 = await runEngine(request, {
      client,
      prober,
      clock: deps.clock,
      log: deps.log,
      me,
      judge: deps.judge,
      checks,
      signal: deps.signal,
      onStep: deps.onStep
    });
    return built && !outcome2.digest ? { ...outcome2, ...built } : outcome2;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { ...base, ...built, result: "failed", message: reason, reason };
  }
}
async function readManifest(inputs, path) {
  const where = `manifest "${path}"`;
  let text;
  try {
    const file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const stat = await file.stat();
      if (!stat.isFile()) throw new Error("is not a regular file");
      if (stat.size > MAX_MANIFEST_BYTES)
        throw new Error(`is ${stat.size} bytes; at most ${MAX_MANIFEST_BYTES} are read`);
      text = await file.readFile("utf8");
    } finally {
      await file.close();
    }
  } catch (err) {
    const e = err;
    const why = e.code === "ENOENT" ? "does not exist" : e.code ? `cannot be read (${e.code})` : e.message;
    throw new Error(`${where}: ${why}`, { cause: err });
  }
  try {
    return loadServiceManifest(text, {
      // When building, `image` names the repository; the pushed digest replaces it below.
      image: inputs.build ? void 0 : inputs.image,
      service: inputs.service,
      namespace: inputs.namespace
    });
  } catch (err) {
    if (err instanceof ManifestError) throw new Error(`${where}: ${err.message}`, { cause: err });
    throw err;
  }
}

// src/report/outputs.ts
function toOutputs(report) {
  return {
    result: report.result,
    revision: report.candidateRevision ?? report.currentRevision ?? "",
    "previous-revision": report.candidateRevision ? report.currentRevision ?? "" : "",
    url: report.url ?? "",
    "candidate-url": report.candidateUrl ?? "",
    image: report.image ?? "",
    digest: report.digest ?? "",
    traffic: report.traffic
  };
}
function writeActionOutputs(outputs) {
  for (const [name, value] of Object.entries(outputs)) {
    setOutput(name, typeof value === "string" ? value : JSON.stringify(value));
  }
}
function formatCliOutputs(outputs) {
  return JSON.stringify(outputs);
}

// src/report/cli-progress.ts
function formatStepLine(step) {
  const parts = [`[${step.percent}%]`, `candidate ${probeText(step.candidate)}`];
  if (step.current) parts.push(`\xB7 current ${probeText(step.current)}`);
  parts.push(`\u2192 ${step.verdict}${step.reason ? ` (${step.reason})` : ""}`);
  return parts.join(" ");
}
function formatResultLine(report) {
  const revisions = report.currentRevision ? `${report.currentRevision} \u2192 ${report.candidateRevision ?? "?"}` : report.candidateRevision ?? "";
  const reason = report.reason ? `: ${report.reason}` : "";
  return `${report.result} ${report.namespace}/${report.service}${revisions ? ` (${revisions})` : ""}${reason}`;
}
function probeText(s) {
  if (!s || s.requests === 0) return "no requests";
  return `${s.requests - s.errors}/${s.requests} ok p99 ${Math.round(s.p99)}ms`;
}
function cliProgress(write, secrets) {
  const out = (line) => write(redact(line, secrets));
  return {
    step: (step) => out(formatStepLine(step)),
    result: (report) => out(formatResultLine(report))
  };
}

// src/build/build-and-push.ts
import { readFile } from "node:fs/promises";

// src/build/auth-file.ts
import { mkdtemp, mkdir, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
function basicAuthToken(credentials) {
  return Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64");
}
function authConfigJson(registry, credentials) {
  const auth = basicAuthToken(credentials);
  return JSON.stringify({
    auths: Object.fromEntries(authFileKeys(registry).map((key) => [key, { auth }]))
  });
}
function makeWorkDir(env) {
  return mkdtemp(join(env.RUNNER_TEMP || tmpdir(), "knative-rollout-build-"));
}
function removeWorkDir(dir) {
  return rm(dir, { recursive: true, force: true });
}
async function writeAuthFile(workDir, registry, credentials) {
  const path = join(workDir, "auth.json");
  await writeFile(path, authConfigJson(registry, credentials), { mode: 384 });
  return path;
}
async function writeDockerConfig(workDir, registry, credentials, env) {
  const dir = join(workDir, "docker");
  await mkdir(dir, { mode: 448 });
  await writeFile(join(dir, "config.json"), authConfigJson(registry, credentials), { mode: 384 });
  const original = env.DOCKER_CONFIG || join(env.HOME || homedir(), ".docker");
  const entries = await readdir(original).catch(() => []);
  for (const entry of entries) {
    if (entry !== "config.json") await symlink(join(original, entry), join(dir, entry));
  }
  return dir;
}

// src/build/buildah.ts
import { basename, join as join2 } from "node:path";
function buildahArgs(opts, plan, files) {
  const global = storageArgs(opts);
  const registryFlags = [
    ...files.authFile ? ["--authfile", files.authFile] : [],
    ...opts.insecure ? ["--tls-verify=false"] : []
  ];
  const name = localName(plan);
  const list = opts.platforms.length > 1 ? `localhost/${basename(files.workDir).toLowerCase()}` : void 0;
  const cacheFrom = opts.cacheFrom.map((spec) => cacheRepository("cache-from", spec));
  const cacheTo = opts.cacheTo.map((spec) => cacheRepository("cache-to", spec));
  const build = [
    ...global,
    "bud",
    "--isolation",
    "chroot",
    ...registryFlags,
    ...opts.dockerfile ? ["--file", opts.dockerfile] : [],
    ...opts.buildArgs.flatMap(([k, v]) => ["--build-arg", `${k}=${v}`]),
    ...opts.target ? ["--target", opts.target] : [],
    ...opts.platforms.length > 0 ? ["--platform", opts.platforms.join(",")] : [],
    ...Object.entries(plan.labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
    ...cacheFrom.length + cacheTo.length > 0 ? ["--layers"] : [],
    ...cacheFrom.flatMap((ref) => ["--cache-from", ref]),
    ...cacheTo.flatMap((ref) => ["--cache-to", ref]),
    ...list ? ["--manifest", list] : plan.tags.flatMap((tag) => ["--tag", `${name}:${tag}`]),
    opts.context
  ];
  const pushes = plan.tags.map((tag, i) => {
    const digestFile = join2(files.workDir, `digest-${i}`);
    const destination = `docker://${name}:${tag}`;
    const args = list ? [
      ...global,
      "manifest",
      "push",
      "--all",
      ...registryFlags,
      "--digestfile",
      digestFile,
      list,
      destination
    ] : [
      ...global,
      "push",
      ...registryFlags,
      "--digestfile",
      digestFile,
      `${name}:${tag}`,
      destination
    ];
    return { tag, args, digestFile };
  });
  return { build, pushes, cleanup: list ? [...global, "manifest", "rm", list] : void 0 };
}
function storageArgs(opts) {
  const s = opts.buildahStorage ?? {};
  return [
    ...s.driver ? ["--storage-driver", s.driver] : [],
    ...s.root ? ["--root", s.root] : [],
    ...s.runroot ? ["--runroot", s.runroot] : []
  ];
}
function localName(plan) {
  const r = plan.repository;
  return r.registry === DOCKER_HUB ? `${DOCKER_HUB}/${r.path}` : r.name;
}
function cacheRepository(input, spec) {
  let ref = spec;
  if (spec.includes("=")) {
    const fields = Object.fromEntries(
      spec.split(",").map((field) => {
        const eq = field.indexOf("=");
        return eq < 0 ? [field, ""] : [field.slice(0, eq), field.slice(eq + 1)];
      })
    );
    if (fields.type !== "registry" || !fields.ref) {
      throw new InputError(
        input,
        `buildah takes only registry caches (REPO or type=registry,ref=REPO), not '${spec}'; use builder: docker for other cache types`
      );
    }
    ref = fields.ref;
  }
  try {
    parseRepository(ref);
  } catch (e) {
    throw new InputError(input, `buildah needs a repository without a tag: ${e.message}`);
  }
  return ref;
}

// src/build/builder.ts
var INSTALL_BUILDX = "install Docker with the buildx plugin (e.g. docker/setup-buildx-action, or the docker-buildx-plugin package)";
var INSTALL_BUILDAH = "install buildah (e.g. apt-get install buildah)";
async function resolveBuilder(choice, probes) {
  switch (choice) {
    case "docker":
      if (await probes.dockerBuildx()) return "docker";
      throw new InputError(
        "builder",
        `docker needs buildx, but \`docker buildx version\` failed: ${INSTALL_BUILDX}, or use builder: buildah`
      );
    case "buildah":
      if (await probes.buildah()) return "buildah";
      throw new InputError(
        "builder",
        `buildah is not installed (\`buildah --version\` failed): ${INSTALL_BUILDAH}`
      );
    case "auto":
      if (await probes.dockerBuildx()) return "docker";
      if (await probes.buildah()) return "buildah";
      throw new InputError(
        "builder",
        `auto found no builder: \`docker buildx version\` and \`buildah --version\` both failed; ${INSTALL_BUILDAH}, or ${INSTALL_BUILDX}`
      );
  }
}
function commandProbes(run2, env) {
  const works = async (file, args) => (await run2(file, args, { env })).code === 0;
  return {
    dockerBuildx: () => works("docker", ["buildx", "version"]),
    buildah: () => works("buildah", ["--version"])
  };
}

// src/build/digest.ts
var DIGEST = /^sha256:[a-f0-9]{64}$/;
function parseDigest(text, source) {
  const digest = text.trim();
  if (!DIGEST.test(digest))
    throw new Error(`${source} did not give a sha256 digest (got '${digest.slice(0, 80)}')`);
  return digest;
}
function digestFromBuildxMetadata(json) {
  let metadata;
  try {
    metadata = JSON.parse(json);
  } catch {
    throw new Error("docker buildx wrote a metadata file that is not JSON");
  }
  const digest = metadata?.["containerimage.digest"];
  return parseDigest(
    typeof digest === "string" ? digest : "",
    "docker buildx metadata (containerimage.digest)"
  );
}

// src/build/docker-buildx.ts
import { join as join3 } from "node:path";
function dockerBuildxArgs(opts, plan, workDir) {
  const metadataFile = join3(workDir, "metadata.json");
  const args = [
    "buildx",
    "build",
    ...opts.dockerfile ? ["--file", opts.dockerfile] : [],
    ...opts.buildArgs.flatMap(([k, v]) => ["--build-arg", `${k}=${v}`]),
    ...opts.target ? ["--target", opts.target] : [],
    ...opts.platforms.length > 0 ? ["--platform", opts.platforms.join(",")] : [],
    ...Object.entries(plan.labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
    ...opts.cacheFrom.flatMap((spec) => ["--cache-from", spec]),
    ...opts.cacheTo.flatMap((spec) => ["--cache-to", spec]),
    ...plan.tags.flatMap((tag) => ["--tag", `${plan.repository.name}:${tag}`]),
    "--metadata-file",
    metadataFile,
    // `--push` is `--output type=image,push=true`; plain HTTP needs the long form.
    ...opts.insecure ? ["--output", "type=image,push=true,registry.insecure=true"] : ["--push"],
    opts.context
  ];
  return { args, metadataFile };
}

// src/build/env.ts
function withoutInputs(env) {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith("INPUT_")));
}

// src/build/labels.ts
function ociLabels(env, nowMs, tags) {
  const labels = {};
  const repository = env.GITHUB_REPOSITORY;
  if (repository) {
    const server = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
    labels["org.opencontainers.image.title"] = repository.split("/").pop() ?? repository;
    labels["org.opencontainers.image.url"] = `${server}/${repository}`;
    labels["org.opencontainers.image.source"] = `${server}/${repository}`;
  }
  if (tags.length > 0) labels["org.opencontainers.image.version"] = tags[0];
  labels["org.opencontainers.image.created"] = new Date(nowMs).toISOString();
  if (env.GITHUB_SHA) labels["org.opencontainers.image.revision"] = env.GITHUB_SHA;
  return labels;
}
function imageLabels(env, nowMs, tags, user) {
  return { ...ociLabels(env, nowMs, tags), ...Object.fromEntries(user) };
}

// src/build/plan.ts
var SHORT_SHA = 7;
function defaultTags(env) {
  return [env.GITHUB_SHA ? env.GITHUB_SHA.slice(0, SHORT_SHA) : "latest"];
}
function planBuild(opts, env, nowMs) {
  const tags = opts.tags.length > 0 ? opts.tags : defaultTags(env);
  return { repository: opts.repository, tags, labels: imageLabels(env, nowMs, tags, opts.labels) };
}

// src/build/registry-client.ts
import { createHash } from "node:crypto";

// src/build/www-authenticate.ts
var PARAM_SOURCE = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?/y;
function parseChallenge(header) {
  const match = /^\s*([A-Za-z][A-Za-z0-9_-]*)(?:\s+|$)/.exec(header ?? "");
  if (!match) return void 0;
  const params = {};
  const rest = (header ?? "").slice(match[0].length);
  const PARAM = new RegExp(PARAM_SOURCE);
  let param;
  while (PARAM.lastIndex < rest.length && (param = PARAM.exec(rest)) !== null) {
    params[param[1].toLowerCase()] = param[2] !== void 0 ? param[2].replace(/\\(.)/g, "$1") : param[3];
  }
  return { scheme: match[1].toLowerCase(), params };
}

// src/build/registry-client.ts
var MANIFEST_ACCEPT = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json"
].join(", ");
var REQUEST_TIMEOUT_MS = 3e4;
var RegistryAuthError = class extends Error {
  constructor(registry, status2, detail) {
    super(`registry ${registry}: authentication failed: ${detail}`);
    this.registry = registry;
    this.status = status2;
    this.name = "RegistryAuthError";
  }
  registry;
  status;
};
var RegistryClient = class {
  baseUrl;
  registry;
  credentials;
  fetch;
  /** Authorization header per token scope, so each tag's HEAD does not fetch a new token. */
  authorizations = /* @__PURE__ */ new Map();
  constructor(options) {
    this.registry = options.registry;
    this.baseUrl = `${options.insecure ? "http" : "https"}://${registryApiHost(options.registry)}`;
    this.credentials = options.credentials;
    this.fetch = options.fetch ?? fetch;
  }
  /** Throws RegistryAuthError unless the credentials may push to `repository` (e.g. acme/shop). */
  async checkLogin(repository) {
    const res = await this.request("GET", "/v2/", `repository:${repository}:pull,push`);
    if (!res.ok) throw new Error(`registry ${this.registry}: GET /v2/ answered HTTP ${res.status}`);
  }
  /** The digest `reference` (a tag or digest) resolves to, or undefined when there is none. */
  async manifestDigest(repository, reference) {
    const path = `/v2/${repository}/manifests/${reference}`;
    const scope = `repository:${repository}:pull`;
    const head = await this.request("HEAD", path, scope, { Accept: MANIFEST_ACCEPT });
    if (head.status === 404) return void 0;
    if (!head.ok)
      throw new Error(`registry ${this.registry}: HEAD ${path} answered HTTP ${head.status}`);
    const digest = head.headers.get("docker-content-digest");
    if (digest) return digest;
    const get = await this.request("GET", path, scope, { Accept: MANIFEST_ACCEPT });
    if (!get.ok)
      throw new Error(`registry ${this.registry}: GET ${path} answered HTTP ${get.status}`);
    return `sha256:${createHash("sha256").update(Buffer.from(await get.arrayBuffer())).digest("hex")}`;
  }
  async request(method, path, scope, headers = {}) {
    const cached = this.authorizations.get(scope);
    let res = await this.send(method, `${this.baseUrl}${path}`, {
      ...headers,
      ...cached ? { Authorization: cached } : {}
    });
    if (res.status === 401) {
      await res.body?.cancel();
      const authorization = await this.authorize(
        parseChallenge(res.headers.get("www-authenticate")),
        scope
      );
      this.authorizations.set(scope, authorization);
      res = await this.send(method, `${this.baseUrl}${path}`, {
        ...headers,
        Authorization: authorization
      });
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw this.authError(res.status, `${method} ${path}`);
    }
    return res;
  }
  /** The Authorization header that answers `challenge`. */
  async authorize(challenge, scope) {
    if (challenge?.scheme === "basic") {
      if (!this.credentials)
        throw this.authError(401, "the registry asks for a username and password");
      return `Basic ${basicAuthToken(this.credentials)}`;
    }
    if (challenge?.scheme !== "bearer" || !challenge.params.realm) {
      throw new Error(`registry ${this.registry}: answered 401 without a Bearer or Basic challenge`);
    }
    const url = new URL(challenge.params.realm);
    if (challenge.params.service) url.searchParams.set("service", challenge.params.service);
    url.searchParams.set("scope", challenge.params.scope ?? scope);
    const res = await this.send(
      "GET",
      url.toString(),
      this.credentials ? { Authorization: `Basic ${basicAuthToken(this.credentials)}` } : {}
    );
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw this.authError(res.status, `token service ${url.origin}${url.pathname}`);
    }
    if (!res.ok)
      throw new Error(
        `registry ${this.registry}: token service ${url.origin}${url.pathname} answered HTTP ${res.status}`
      );
    const body = await res.json();
    const token = typeof body.token === "string" ? body.token : body.access_token;
    if (typeof token !== "string" || !token) {
      throw new Error(
        `registry ${this.registry}: token service ${url.origin}${url.pathname} returned no token`
      );
    }
    return `Bearer ${token}`;
  }
  authError(status2, detail) {
    const who = this.credentials ? `user '${this.credentials.username}' was refused` : "no credentials given";
    return new RegistryAuthError(this.registry, status2, `${who} (HTTP ${status2}; ${detail})`);
  }
  async send(method, url, headers) {
    try {
      return await this.fetch(url, {
        method,
        headers,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
      });
    } catch (e) {
      throw new Error(
        `registry ${this.registry}: ${method} ${url.split("?")[0]} failed: ${e.message}`,
        { cause: e }
      );
    }
  }
};

// src/build/build-and-push.ts
var AUTH_REFUSED = /unauthorized|authentication required|incorrect username or password|insufficient_scope|denied: requested access/i;
async function buildAndPush(opts, deps) {
  const plan = planBuild(opts, deps.env, deps.clock.now());
  const builder = await resolveBuilder(
    opts.builder,
    deps.probes ?? commandProbes(deps.run, withoutInputs(deps.env))
  );
  const credentials = opts.credentials && withUsername(opts.credentials, deps.env);
  const secrets = credentials ? [credentials.password, basicAuthToken(credentials)] : [];
  const { registry, path, name } = plan.repository;
  const client = new RegistryClient({
    registry,
    insecure: opts.insecure,
    credentials,
    fetch: deps.fetch
  });
  if (credentials) await client.checkLogin(path);
  deps.log(
    `Building ${name} (tags ${plan.tags.join(", ")}) with ${builder === "docker" ? "docker buildx" : "buildah"}`
  );
  const workDir = await makeWorkDir(deps.env);
  try {
    const step = stepRunner(deps, registry, secrets);
    const pushed = builder === "buildah" ? await viaBuildah(opts, plan, workDir, credentials, step) : await viaBuildx(opts, plan, workDir, credentials, deps.env, step);
    const digest = await confirmDigest(client, plan, pushed);
    deps.log(`Pushed ${name}@${digest}`);
    return { image: `${name}@${digest}`, digest, tags: plan.tags, builder };
  } finally {
    await removeWorkDir(workDir);
  }
}
function withUsername(credentials, env) {
  return credentials.username ? credentials : { ...credentials, username: env.GITHUB_ACTOR || "github-actions" };
}
function stepRunner(deps, registry, secrets) {
  const clean = (text) => redact(text, secrets);
  return async (what, file, args, options = {}) => {
    deps.log(clean(`$ ${file} ${args.join(" ")}`));
    const result = await deps.run(file, args, {
      env: withoutInputs(options.env ?? deps.env),
      onLine: (line) => deps.log(clean(line))
    });
    if (result.code === 0 || options.mayFail) return;
    const tail = clean(result.stderr || result.stdout).trim().split("\n").slice(-15).join("\n");
    if (options.push && AUTH_REFUSED.test(tail)) {
      throw new RegistryAuthError(registry, 401, `the push was refused:
${tail}`);
    }
    throw new Error(`${what} failed (exit ${result.code}):
${tail}`);
  };
}
async function viaBuildah(opts, plan, workDir, credentials, step) {
  const authFile = credentials ? await writeAuthFile(workDir, plan.repository.registry, credentials) : void 0;
  const commands = buildahArgs(opts, plan, { workDir, authFile });
  try {
    await step("buildah bud", "buildah", commands.build);
    const digests = /* @__PURE__ */ new Map();
    for (const push of commands.pushes) {
      await step(`buildah push (${push.tag})`, "buildah", push.args, { push: true });
      digests.set(
        push.tag,
        parseDigest(
          await readFile(push.digestFile, "utf8"),
          `buildah push --digestfile (${push.tag})`
        )
      );
    }
    return digests;
  } finally {
    if (commands.cleanup)
      await step("buildah manifest rm", "buildah", commands.cleanup, { mayFail: true });
  }
}
async function viaBuildx(opts, plan, workDir, credentials, env, step) {
  const dockerConfig = credentials ? await writeDockerConfig(workDir, plan.repository.registry, credentials, env) : void 0;
  const command = dockerBuildxArgs(opts, plan, workDir);
  await step("docker buildx build", "docker", command.args, {
    push: true,
    env: dockerConfig ? { ...env, DOCKER_CONFIG: dockerConfig } : env
  });
  const digest = digestFromBuildxMetadata(await readFile(command.metadataFile, "utf8"));
  return new Map(plan.tags.map((tag) => [tag, digest]));
}
async function confirmDigest(client, plan, pushed) {
  const { name, path, registry } = plan.repository;
  const digest = pushed.get(plan.tags[0]);
  for (const [tag, reported] of pushed) {
    if (reported !== digest) {
      throw new Error(
        `the builder pushed different digests for ${name}:${plan.tags[0]} (${digest}) and ${name}:${tag} (${reported})`
      );
    }
    const actual = await client.manifestDigest(path, tag);
    if (actual === void 0)
      throw new Error(`registry ${registry} has no ${name}:${tag} after the push`);
    if (actual !== reported) {
      throw new Error(
        `digest mismatch for ${name}:${tag}: the builder reported ${reported}, registry ${registry} serves ${actual}`
      );
    }
  }
  return digest;
}

// src/build/command.ts
import { spawn } from "node:child_process";
var MAX_KEPT = 1 << 20;
var spawnCommand = (file, args, options = {}) => new Promise((resolve) => {
  const child = spawn(file, [...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"]
  });
  const out = { stdout: "", stderr: "" };
  const partial = { stdout: "", stderr: "" };
  const collect = (stream) => (chunk) => {
    const text = chunk.toString("utf8");
    out[stream] = (out[stream] + text).slice(-MAX_KEPT);
    if (!options.onLine) return;
    const lines = (partial[stream] + text).split("\n");
    partial[stream] = lines.pop() ?? "";
    for (const line of lines) options.onLine(line);
  };
  child.stdout.on("data", collect("stdout"));
  child.stderr.on("data", collect("stderr"));
  child.on(
    "error",
    (err) => resolve({ code: 127, stdout: out.stdout, stderr: `${out.stderr}${err.message}` })
  );
  child.on("close", (code, signal) => {
    for (const rest of [partial.stdout, partial.stderr])
      if (rest && options.onLine) options.onLine(rest);
    resolve({ code: code ?? (signal ? 128 : 1), ...out });
  });
});

export {
  exitCodeFor,
  stepEvidence,
  describeEvidence,
  run,
  toOutputs,
  writeActionOutputs,
  formatCliOutputs,
  formatStepLine,
  formatResultLine,
  cliProgress,
  buildAndPush,
  spawnCommand
};
