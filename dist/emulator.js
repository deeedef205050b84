#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  FieldError,
  convertV1alpha1Service,
  validateV1alpha1Service
} from "./chunks/chunk-DJSID42M.js";
import {
  __toESM,
  dns1035LabelErrors,
  dns1035NameErrors,
  goList,
  isReady,
  qualifiedNameErrors,
  require_dist
} from "./chunks/chunk-O6W5F67O.js";

// emulator/main.ts
import { readFileSync, realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

// emulator/emulator.ts
import { randomBytes } from "node:crypto";
import { mkdtemp as mkdtemp2, rm as rm2 } from "node:fs/promises";
import { tmpdir as tmpdir2 } from "node:os";
import { join as join2 } from "node:path";

// emulator/dataplane/index.ts
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { performance } from "node:perf_hooks";

// emulator/api-error.ts
var ApiError = class _ApiError extends Error {
  constructor(code, reason, message, details) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }
  code;
  reason;
  details;
  toStatus() {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      ...this.details ? { details: this.details } : {},
      code: this.code
    };
  }
  static notFound(resource, name) {
    const [plural, ...group] = resource.split(".");
    return new _ApiError(404, "NotFound", `${resource} "${name}" not found`, {
      name,
      group: group.join(".") || void 0,
      kind: plural
    });
  }
  static alreadyExists(resource, name) {
    const [plural, ...group] = resource.split(".");
    return new _ApiError(409, "AlreadyExists", `${resource} "${name}" already exists`, {
      name,
      group: group.join(".") || void 0,
      kind: plural
    });
  }
  static conflict(resource, name) {
    const [plural, ...group] = resource.split(".");
    return new _ApiError(
      409,
      "Conflict",
      `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name, group: group.join(".") || void 0, kind: plural }
    );
  }
  static gone(resourceVersion) {
    return new _ApiError(410, "Expired", `too old resource version: ${resourceVersion}`);
  }
  static badRequest(message) {
    return new _ApiError(400, "BadRequest", message);
  }
  static invalid(message) {
    return new _ApiError(422, "Invalid", message);
  }
  /** An admission webhook's denial, worded as the API server relays it. */
  static denied(webhook, message) {
    return new _ApiError(
      400,
      "BadRequest",
      `admission webhook "${webhook}" denied the request: ${message}`
    );
  }
};

// emulator/resources.ts
var SERVING_GROUP = "serving.knative.dev";
var ALL_VERBS = [
  "create",
  "delete",
  "deletecollection",
  "get",
  "list",
  "patch",
  "update",
  "watch"
];
var READY = '.status.conditions[?(@.type=="Ready")]';
var RESOURCES = [
  {
    group: SERVING_GROUP,
    versions: ["v1"],
    plural: "services",
    singular: "service",
    kind: "Service",
    shortNames: ["kservice", "ksvc"],
    categories: ["all", "knative", "serving"],
    namespaced: true,
    verbs: ALL_VERBS,
    hasStatus: true,
    printerColumns: [
      { name: "URL", type: "string", jsonPath: ".status.url" },
      { name: "LatestCreated", type: "string", jsonPath: ".status.latestCreatedRevisionName" },
      { name: "LatestReady", type: "string", jsonPath: ".status.latestReadyRevisionName" },
      { name: "Ready", type: "string", jsonPath: `${READY}.status` },
      { name: "Reason", type: "string", jsonPath: `${READY}.reason` }
    ]
  },
  {
    group: SERVING_GROUP,
    versions: ["v1"],
    plural: "configurations",
    singular: "configuration",
    kind: "Configuration",
    shortNames: ["config", "cfg"],
    categories: ["all", "knative", "serving"],
    namespaced: true,
    verbs: ALL_VERBS,
    hasStatus: true,
    printerColumns: [
      { name: "LatestCreated", type: "string", jsonPath: ".status.latestCreatedRevisionName" },
      { name: "LatestReady", type: "string", jsonPath: ".status.latestReadyRevisionName" },
      { name: "Ready", type: "string", jsonPath: `${READY}.status` },
      { name: "Reason", type: "string", jsonPath: `${READY}.reason` }
    ]
  },
  {
    group: SERVING_GROUP,
    versions: ["v1"],
    plural: "revisions",
    singular: "revision",
    kind: "Revision",
    shortNames: ["rev"],
    categories: ["all", "knative", "serving"],
    namespaced: true,
    verbs: ALL_VERBS,
    hasStatus: true,
    printerColumns: [
      {
        name: "Config Name",
        type: "string",
        jsonPath: ".metadata.labels['serving\\.knative\\.dev/configuration']"
      },
      {
        name: "Generation",
        type: "string",
        jsonPath: ".metadata.labels['serving\\.knative\\.dev/configurationGeneration']"
      },
      { name: "Ready", type: "string", jsonPath: `${READY}.status` },
      { name: "Reason", type: "string", jsonPath: `${READY}.reason` },
      { name: "Actual Replicas", type: "integer", jsonPath: ".status.actualReplicas" },
      { name: "Desired Replicas", type: "integer", jsonPath: ".status.desiredReplicas" }
    ]
  },
  {
    group: SERVING_GROUP,
    versions: ["v1"],
    plural: "routes",
    singular: "route",
    kind: "Route",
    shortNames: ["rt"],
    categories: ["all", "knative", "serving"],
    namespaced: true,
    verbs: ALL_VERBS,
    hasStatus: true,
    printerColumns: [
      { name: "URL", type: "string", jsonPath: ".status.url" },
      { name: "Ready", type: "string", jsonPath: `${READY}.status` },
      { name: "Reason", type: "string", jsonPath: `${READY}.reason` }
    ]
  },
  {
    group: "",
    versions: ["v1"],
    plural: "pods",
    singular: "pod",
    kind: "Pod",
    shortNames: ["po"],
    categories: ["all"],
    namespaced: true,
    verbs: ["get", "list", "watch", "delete"],
    hasStatus: true,
    printerColumns: []
  }
];
function storeKey(type) {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}
var SERVICES = "services.serving.knative.dev";
var CONFIGURATIONS = "configurations.serving.knative.dev";
var REVISIONS = "revisions.serving.knative.dev";
var ROUTES = "routes.serving.knative.dev";
var PODS = "pods";

// emulator/dataplane/random.ts
function normal(random) {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

// emulator/dataplane/behaviour.ts
var DEFAULT_TARGET = "World";
function behaviourFromEnv(env) {
  const value = (name) => env?.find((e) => e.name === name)?.value;
  const number = (name) => {
    const parsed = Number.parseFloat(value(name) ?? "");
    return Number.isFinite(parsed) ? parsed : 0;
  };
  return {
    errorRate: Math.min(1, Math.max(0, number("EMULATOR_ERROR_RATE"))),
    latencyMs: Math.max(0, number("EMULATOR_LATENCY_MS")),
    target: value("TARGET") || DEFAULT_TARGET
  };
}
function checkOverride(override) {
  const { errorRate, latencyMs } = override;
  if (errorRate !== void 0 && !(errorRate >= 0 && errorRate <= 1)) {
    throw ApiError.badRequest(`errorRate must be a number from 0 to 1, got ${String(errorRate)}`);
  }
  if (latencyMs !== void 0 && !(latencyMs >= 0 && Number.isFinite(latencyMs))) {
    throw ApiError.badRequest(`latencyMs must be a number of ms >= 0, got ${String(latencyMs)}`);
  }
}
function withOverride(base, override) {
  if (!override) return base;
  return {
    errorRate: override.errorRate ?? base.errorRate,
    latencyMs: override.latencyMs ?? base.latencyMs,
    target: base.target
  };
}
var LATENCY_SIGMA = 0.15;
function sampleLatencyMs(latencyMs, random) {
  if (latencyMs <= 0) return 0;
  return latencyMs * Math.exp(LATENCY_SIGMA * normal(random));
}

// emulator/dataplane/metrics.ts
var MS_BUCKETS = [
  5,
  10,
  20,
  40,
  60,
  80,
  100,
  150,
  200,
  250,
  300,
  350,
  400,
  450,
  500,
  600,
  700,
  800,
  900,
  1e3,
  2e3,
  5e3,
  1e4,
  2e4,
  5e4,
  1e5
];
var SECONDS_BUCKETS = [
  5e-3,
  0.01,
  0.025,
  0.05,
  0.075,
  0.1,
  0.25,
  0.5,
  0.75,
  1,
  2.5,
  5,
  7.5,
  10
];
var Histogram = class {
  constructor(bounds) {
    this.bounds = bounds;
    this.counts = new Array(bounds.length + 1).fill(0);
  }
  bounds;
  /** Per bucket (not cumulative), the last one being +Inf. */
  counts;
  sum = 0;
  count = 0;
  observe(value) {
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }
  write(out, name, labels) {
    let running = 0;
    for (let i = 0; i < this.counts.length; i++) {
      running += this.counts[i];
      const le = i < this.bounds.length ? String(this.bounds[i]) : "+Inf";
      out.push(`${name}_bucket{${labels},le="${le}"} ${running}`);
    }
    out.push(`${name}_sum{${labels}} ${this.sum}`);
    out.push(`${name}_count{${labels}} ${this.count}`);
  }
};
var Series = class {
  constructor(labels, bounds) {
    this.labels = labels;
    this.latency = new Histogram(bounds);
  }
  labels;
  count = 0;
  latency;
};
var RevisionMetrics = class {
  /** by response code: revision_app_request_* (what reached the user container) */
  app = /* @__PURE__ */ new Map();
  /** by `code route_tag`: revision_request_* (what reached queue-proxy) */
  request = /* @__PURE__ */ new Map();
  /** by response code: kn_serving_invocation_duration_seconds */
  otel = /* @__PURE__ */ new Map();
  openCensusLabels;
  otelLabels;
  constructor(labels) {
    this.openCensusLabels = labelString([
      ["namespace_name", labels.namespace],
      ["service_name", labels.service || "unknown"],
      ["configuration_name", labels.configuration],
      ["revision_name", labels.revision],
      ["pod_name", labels.pod],
      ["container_name", "queue-proxy"]
    ]);
    this.otelLabels = labelString([
      ["k8s_namespace_name", labels.namespace],
      ["kn_service_name", labels.service],
      ["kn_configuration_name", labels.configuration],
      ["kn_revision_name", labels.revision]
    ]);
  }
  record(code, routeTag, ms) {
    let app = this.app.get(code);
    if (!app) {
      app = new Series(`${this.openCensusLabels},${codeLabels(code)}`, MS_BUCKETS);
      this.app.set(code, app);
    }
    app.count++;
    app.latency.observe(ms);
    const key2 = `${code} ${routeTag}`;
    let request = this.request.get(key2);
    if (!request) {
      const labels = `${this.openCensusLabels},${codeLabels(code)},${labelString([["route_tag", routeTag]])}`;
      request = new Series(labels, MS_BUCKETS);
      this.request.set(key2, request);
    }
    request.count++;
    request.latency.observe(ms);
    let otel = this.otel.get(code);
    if (!otel) {
      otel = new Series(`${this.otelLabels},http_response_status_code="${code}"`, SECONDS_BUCKETS);
      this.otel.set(code, otel);
    }
    otel.count++;
    otel.latency.observe(ms / 1e3);
  }
};
var MetricsRegistry = class {
  /** Keyed by label content, so a revision rebuilt with the same labels keeps its counts. */
  revisions = /* @__PURE__ */ new Map();
  forRevision(labels) {
    const key2 = JSON.stringify(labels);
    let found = this.revisions.get(key2);
    if (!found) {
      found = new RevisionMetrics(labels);
      this.revisions.set(key2, found);
    }
    return found;
  }
  exposition() {
    const all = [...this.revisions.values()];
    const out = [];
    const counter = (name, help, series) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const s of series) out.push(`${name}{${s.labels}} ${s.count}`);
    };
    const histogram = (name, help, series) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
      for (const s of series) s.latency.write(out, name, s.labels);
    };
    const app = all.flatMap((r) => [...r.app.values()]);
    const request = all.flatMap((r) => [...r.request.values()]);
    const otel = all.flatMap((r) => [...r.otel.values()]);
    counter(
      "revision_app_request_count",
      "The number of requests that are routed to user-container",
      app
    );
    histogram("revision_app_request_latencies", "The response time in millisecond", app);
    counter(
      "revision_request_count",
      "The number of requests that are routed to queue-proxy",
      request
    );
    histogram("revision_request_latencies", "The response time in millisecond", request);
    histogram(
      "kn_serving_invocation_duration_seconds",
      "The duration of task execution (unit: s)",
      otel
    );
    return out.join("\n") + "\n";
  }
};
function codeLabels(code) {
  return `response_code="${code}",response_code_class="${Math.floor(code / 100)}xx"`;
}
function labelString(pairs) {
  return pairs.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(",");
}
function escapeLabelValue(value) {
  return value.replace(/[\\"\n]/g, (c) => c === "\n" ? "\\n" : `\\${c}`);
}

// emulator/dataplane/routing-table.ts
function routeHosts(route, domain) {
  const hosts = /* @__PURE__ */ new Map();
  const namespace = route.metadata.namespace ?? "default";
  const name = route.metadata.name;
  const traffic = Array.isArray(route.status?.traffic) ? route.status.traffic : [];
  const main2 = splitTarget(
    namespace,
    name,
    "DEFAULT",
    traffic.filter((t) => t.revisionName && (t.percent ?? 0) > 0)
  );
  if (main2) {
    for (const host of hostForms(name, namespace, domain, route.status?.url)) add(hosts, host, main2);
  }
  for (const t of traffic) {
    if (!t.tag || !t.revisionName) continue;
    const target = splitTarget(namespace, name, t.tag, [
      { revisionName: t.revisionName, percent: 100 }
    ]);
    for (const host of hostForms(`${t.tag}-${name}`, namespace, domain, t.url)) {
      add(hosts, host, target);
    }
  }
  return hosts;
}
function pickRevision(target, r) {
  const x = r * target.total;
  const { cumulative, revisions } = target;
  for (let i = 0; i < cumulative.length; i++) if (x < cumulative[i]) return revisions[i];
  return revisions[revisions.length - 1];
}
function requestHost(header) {
  if (!header) return "";
  const host = header.toLowerCase();
  const colon = host.lastIndexOf(":");
  return colon > host.lastIndexOf("]") ? host.slice(0, colon) : host;
}
function splitTarget(namespace, route, routeTag, entries) {
  const percents = /* @__PURE__ */ new Map();
  for (const e of entries) {
    percents.set(e.revisionName, (percents.get(e.revisionName) ?? 0) + (e.percent ?? 0));
  }
  if (percents.size === 0) return void 0;
  const revisions = [...percents.keys()];
  let running = 0;
  const cumulative = revisions.map((r) => running += percents.get(r));
  return { namespace, route, routeTag, revisions, cumulative, total: running };
}
function hostForms(name, namespace, domain, url) {
  const base = `${name}.${namespace}`.toLowerCase();
  const forms = [
    `${base}.${domain.toLowerCase()}`,
    `${base}.svc.cluster.local`,
    `${base}.svc`,
    base
  ];
  if (typeof url === "string") {
    try {
      forms.push(new URL(url).hostname.toLowerCase());
    } catch {
    }
  }
  return forms;
}
function add(hosts, host, target) {
  if (!hosts.has(host)) hosts.set(host, target);
}
var RoutingTable = class {
  constructor(domain) {
    this.domain = domain;
  }
  domain;
  routes = /* @__PURE__ */ new Map();
  hostsByRoute = /* @__PURE__ */ new Map();
  hosts = /* @__PURE__ */ new Map();
  lookup(host) {
    return this.hosts.get(host);
  }
  setRoute(route) {
    const key2 = `${route.metadata.namespace}/${route.metadata.name}`;
    this.unindex(key2);
    this.routes.set(key2, route);
    const hosts = routeHosts(route, this.domain);
    this.hostsByRoute.set(key2, hosts);
    for (const [host, target] of hosts) if (!this.hosts.has(host)) this.hosts.set(host, target);
  }
  deleteRoute(namespace, name) {
    const key2 = `${namespace}/${name}`;
    this.unindex(key2);
    this.routes.delete(key2);
  }
  /** Called per request with the live setting: a string compare unless it changed. */
  useDomain(domain) {
    if (domain === this.domain) return;
    this.domain = domain;
    const all = [...this.routes.values()];
    this.routes.clear();
    this.hostsByRoute.clear();
    this.hosts.clear();
    for (const route of all) this.setRoute(route);
  }
  /** Drops a Route's hosts; a host another Route also claims goes to that Route. */
  unindex(key2) {
    const old = this.hostsByRoute.get(key2);
    if (!old) return;
    this.hostsByRoute.delete(key2);
    for (const [host, target] of old) {
      if (this.hosts.get(host) !== target) continue;
      this.hosts.delete(host);
      for (const other of this.hostsByRoute.values()) {
        const claim = other.get(host);
        if (claim) {
          this.hosts.set(host, claim);
          break;
        }
      }
    }
  }
};

// emulator/dataplane/index.ts
var REVISION_LABEL = "serving.knative.dev/revision";
var SERVICE_LABEL = "serving.knative.dev/service";
var CONFIGURATION_LABEL = "serving.knative.dev/configuration";
var DataPlane = class {
  constructor(store, settings, options = {}) {
    this.store = store;
    this.settings = settings;
    this.random = options.random ?? Math.random;
    this.table = new RoutingTable(settings.domain);
    for (const revision of store.list(REVISIONS)) this.setRevision(revision);
    for (const route of store.list(ROUTES)) this.table.setRoute(route);
    this.unsubscribe = store.subscribe((event) => this.onEvent(event));
  }
  store;
  settings;
  random;
  table;
  revisions = /* @__PURE__ */ new Map();
  overrides = /* @__PURE__ */ new Map();
  registry = new MetricsRegistry();
  unsubscribe;
  server;
  /** Starts the ingress; resolves to its base URL. `port` 0 picks a free one. */
  async listen(port, host = "127.0.0.1") {
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    await new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const address = server.address();
    const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
    return `http://${shown}:${address.port}`;
  }
  async close() {
    this.unsubscribe();
    const server = this.server;
    if (!server) return;
    this.server = void 0;
    await new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
  /** Prometheus text exposition (0.0.4) of every revision's request metrics. */
  metrics() {
    return this.registry.exposition();
  }
  /** Live override of a revision's error rate or latency, on top of its env. */
  setBehaviour(namespace, revision, b) {
    const key2 = `${namespace}/${revision}`;
    const entry = this.revisions.get(key2);
    if (!entry) throw ApiError.notFound(REVISIONS, revision);
    checkOverride(b);
    const merged = { ...this.overrides.get(key2) };
    if (b.errorRate !== void 0) merged.errorRate = b.errorRate;
    if (b.latencyMs !== void 0) merged.latencyMs = b.latencyMs;
    this.overrides.set(key2, merged);
    this.setRevision(entry.object);
  }
  handle(req, res) {
    req.resume();
    this.table.useDomain(this.settings.domain);
    const target = this.table.lookup(requestHost(req.headers.host));
    if (!target) {
      plain(res, 404, "no Route serves this host\n");
      return;
    }
    const name = pickRevision(target, this.random());
    const revision = this.revisions.get(`${target.namespace}/${name}`);
    if (!revision) {
      plain(res, 503, `revision "${name}" is not available
`);
      return;
    }
    const started = performance.now();
    const { errorRate, latencyMs } = revision.behaviour;
    const fails = errorRate > 0 && this.random() < errorRate;
    const delay = sampleLatencyMs(latencyMs, this.random);
    const answer = () => {
      const code = fails ? 500 : 200;
      res.writeHead(code, revision.headers);
      res.end(fails ? "Internal Server Error\n" : revision.okBody);
      revision.metrics.record(code, target.routeTag, performance.now() - started);
    };
    if (delay > 0) setTimeout(answer, delay);
    else answer();
  }
  onEvent(event) {
    const { object } = event;
    if (event.resource === ROUTES) {
      if (event.type === "DELETED")
        this.table.deleteRoute(object.metadata.namespace, object.metadata.name);
      else this.table.setRoute(object);
    } else if (event.resource === REVISIONS) {
      const key2 = `${object.metadata.namespace}/${object.metadata.name}`;
      if (event.type === "DELETED") {
        this.revisions.delete(key2);
        this.overrides.delete(key2);
      } else this.setRevision(object);
    } else if (event.resource === PODS) {
      const revision = object.metadata.labels?.[REVISION_LABEL];
      const entry = revision && this.revisions.get(`${object.metadata.namespace}/${revision}`);
      if (entry) this.setRevision(entry.object);
    }
  }
  setRevision(object) {
    const meta = object.metadata;
    const namespace = meta.namespace ?? "default";
    const key2 = `${namespace}/${meta.name}`;
    const base = behaviourFromEnv(object.spec?.containers?.[0]?.env);
    this.revisions.set(key2, {
      object,
      behaviour: withOverride(base, this.overrides.get(key2)),
      okBody: `Hello ${base.target}!
`,
      headers: {
        "content-type": "text/plain; charset=utf-8",
        "knative-serving-revision": meta.name,
        "knative-serving-namespace": namespace
      },
      metrics: this.registry.forRevision({
        namespace,
        service: meta.labels?.[SERVICE_LABEL] ?? "",
        configuration: meta.labels?.[CONFIGURATION_LABEL] ?? "",
        revision: meta.name,
        pod: this.podName(namespace, object)
      })
    });
  }
  /** The controller's pod for the revision if it made one, else a stable Deployment-style name. */
  podName(namespace, revision) {
    const name = revision.metadata.name;
    const pod = this.store.list(PODS, namespace).find((p) => p.metadata.labels?.[REVISION_LABEL] === name && !p.metadata.deletionTimestamp);
    if (pod) return pod.metadata.name;
    const hash = createHash("sha256").update(revision.metadata.uid ?? name).digest("hex");
    return `${name}-deployment-${hash.slice(0, 10)}-${hash.slice(10, 15)}`;
  }
};
function plain(res, code, body) {
  res.writeHead(code, { "content-type": "text/plain; charset=utf-8" });
  res.end(body);
}

// emulator/knative/diff.ts
function isEmpty(v) {
  if (v === void 0 || v === null || v === "") return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === "object" && Object.keys(v).length === 0;
}
function semanticEqual(a, b) {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = /* @__PURE__ */ new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => semanticEqual(a[k], b[k]));
  }
  return a === b;
}
var isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
var MAP_FIELDS = /* @__PURE__ */ new Set(["labels", "annotations", "nodeSelector", "limits", "requests"]);
var REVISION_SPEC_FIELDS = /* @__PURE__ */ new Set([
  "containerConcurrency",
  "timeoutSeconds",
  "responseStartTimeoutSeconds",
  "idleTimeoutSeconds"
]);
function shortDiff(root, oldValue, newValue) {
  const out = [];
  const prefix = root === "RevisionTemplateSpec" ? "{*v1.RevisionTemplateSpec}" : "{v1.RevisionSpec}";
  walk(oldValue, newValue, prefix, root === "RevisionSpec" ? "revisionSpec" : "template", out);
  return out.join("");
}
function walk(a, b, path, ctx, out) {
  if (semanticEqual(a, b)) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++)
      walk(a[i], b[i], `${path}[${i}]`, "struct", out);
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const key2 of [.../* @__PURE__ */ new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (ctx === "map") walk(a[key2], b[key2], `${path}[${JSON.stringify(key2)}]`, "struct", out);
      else walk(a[key2], b[key2], path + segment(key2, ctx), childContext(key2, ctx), out);
    }
    return;
  }
  out.push(`${path}:
	-: ${show(a)}
	+: ${show(b)}
`);
}
function segment(key2, ctx) {
  const goName = key2 === "metadata" ? "ObjectMeta" : key2[0].toUpperCase() + key2.slice(1);
  if (ctx === "revisionSpec" && !REVISION_SPEC_FIELDS.has(key2)) return `.PodSpec.${goName}`;
  return `.${goName}`;
}
function childContext(key2, ctx) {
  if (ctx === "template" && key2 === "spec") return "revisionSpec";
  return MAP_FIELDS.has(key2) ? "map" : "struct";
}
function show(v) {
  if (v === void 0 || v === null) return "<non-existent>";
  return JSON.stringify(v);
}

// emulator/knative/labels.ts
var SERVING = "serving.knative.dev";
var L = {
  service: `${SERVING}/service`,
  serviceUID: `${SERVING}/serviceUID`,
  configuration: `${SERVING}/configuration`,
  configurationUID: `${SERVING}/configurationUID`,
  configurationGeneration: `${SERVING}/configurationGeneration`,
  revision: `${SERVING}/revision`,
  revisionUID: `${SERVING}/revisionUID`,
  route: `${SERVING}/route`,
  routingState: `${SERVING}/routingState`,
  visibility: "networking.knative.dev/visibility"
};
var A = {
  creator: `${SERVING}/creator`,
  lastModifier: `${SERVING}/lastModifier`,
  routes: `${SERVING}/routes`,
  routingStateModified: `${SERVING}/routingStateModified`,
  rolloutDuration: `${SERVING}/rollout-duration`,
  rolloutDurationAlias: `${SERVING}/rolloutDuration`,
  progressDeadline: `${SERVING}/progress-deadline`,
  lastApplied: "kubectl.kubernetes.io/last-applied-configuration"
};
var AUTOSCALING_GROUP = "autoscaling.knative.dev";
var V1 = `${SERVING}/v1`;

// emulator/knative/defaults.ts
var DEFAULT_CONTAINER_NAME = "user-container";
var DEFAULT_TIMEOUT_SECONDS = 300;
var DEFAULT_CONTAINER_CONCURRENCY = 0;
function setDefaults(kind, obj, old, user) {
  obj.spec ??= {};
  switch (kind) {
    case "Service":
      setTemplateDefaults(obj, old);
      if (!obj.spec.traffic?.length) obj.spec.traffic = [{ latestRevision: true, percent: 100 }];
      obj.spec.traffic.forEach(setTargetDefaults);
      setUserInfo(obj, old, user);
      return;
    case "Configuration":
      setTemplateDefaults(obj, old);
      if (!obj.metadata.ownerReferences?.length) setUserInfo(obj, old, user);
      return;
    case "Route":
      ;
      (obj.spec.traffic ?? []).forEach(setTargetDefaults);
      if (!obj.metadata.ownerReferences?.length) setUserInfo(obj, old, user);
      return;
    case "Revision":
      if (!old) setRevisionSpecDefaults(obj.spec);
      return;
  }
}
function setTargetDefaults(tt) {
  tt.latestRevision ??= !tt.revisionName;
  tt.percent ??= 0;
}
function setTemplateDefaults(obj, old) {
  const name = obj.spec.template?.metadata?.name;
  if (old && name && old.spec?.template?.metadata?.name === name) return;
  obj.spec.template ??= {};
  obj.spec.template.spec ??= {};
  setRevisionSpecDefaults(obj.spec.template.spec);
}
function setRevisionSpecDefaults(spec) {
  spec.timeoutSeconds ??= DEFAULT_TIMEOUT_SECONDS;
  spec.containerConcurrency ??= DEFAULT_CONTAINER_CONCURRENCY;
  const containers = Array.isArray(spec.containers) ? spec.containers : [];
  containers.forEach((c, i) => {
    if (c && !c.name)
      c.name = containers.length === 1 ? DEFAULT_CONTAINER_NAME : `${DEFAULT_CONTAINER_NAME}-${i}`;
  });
}
function setUserInfo(obj, old, user) {
  const annotations = obj.metadata.annotations ??= {};
  if (!old) {
    annotations[A.creator] = user;
    annotations[A.lastModifier] = user;
  } else if (!semanticEqual(old.spec, obj.spec)) {
    annotations[A.lastModifier] = user;
  }
}

// emulator/knative/names.ts
import { createHash as createHash2 } from "node:crypto";
function childName(parent, suffix) {
  const n = parent + suffix;
  if (n.length <= 63) return n;
  const head = parent.slice(0, 63 - 32 - suffix.length);
  return `${head}${createHash2("md5").update(parent).digest("hex")}${suffix}`;
}
function revisionNameFor(config, generation) {
  return childName(config, `-${String(generation).padStart(5, "0")}`);
}
var UNIT_NS = {
  ns: 1,
  us: 1e3,
  \u00B5s: 1e3,
  \u03BCs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 6e10,
  h: 36e11
};
function parseGoDuration(text) {
  const m = /^([-+]?)(.*)$/.exec(text);
  const sign = m[1] === "-" ? -1 : 1;
  const body = m[2];
  if (body === "0") return 0;
  if (!body) return void 0;
  const part = /(\d*\.?\d*)([a-zµμ]+)/gy;
  let total = 0;
  let consumed = 0;
  for (let p = part.exec(body); p; p = part.exec(body)) {
    const [all, num, unit] = p;
    if (!num || num === "." || !(unit in UNIT_NS)) return void 0;
    total += Number(num) * UNIT_NS[unit];
    consumed += all.length;
  }
  return consumed === body.length ? sign * total : void 0;
}

// emulator/knative/validate-metadata.ts
var SECOND_NS = 1e9;
function validateName(meta) {
  if (meta.generateName) {
    const problems = dns1035NameErrors(meta.generateName, true);
    if (problems.length) {
      return FieldError.generic(`not a DNS 1035 label prefix: ${goList(problems)}`, [
        "generateName"
      ]);
    }
  }
  if (meta.name) {
    const problems = dns1035NameErrors(meta.name, false);
    if (problems.length)
      return FieldError.generic(`not a DNS 1035 label: ${goList(problems)}`, ["name"]);
  }
  if (!meta.name && !meta.generateName)
    return FieldError.generic("name or generateName is required", ["name"]);
  return void 0;
}
function validateNoAutoscaling(annotations = {}) {
  return FieldError.combine(
    ...Object.keys(annotations).filter((k) => k.startsWith(AUTOSCALING_GROUP)).map(
      (k) => FieldError.generic(
        `invalid key name "${k}"`,
        ["annotations"],
        'autoscaling annotations must be put under "spec.template.metadata.annotations" to work'
      )
    )
  );
}
function validateRolloutDuration(annotations = {}) {
  const key2 = [A.rolloutDuration, A.rolloutDurationAlias].find((k) => annotations[k]);
  if (!key2) return void 0;
  const value = annotations[key2];
  const ns = parseGoDuration(value);
  if (ns === void 0) return FieldError.invalidValue(value, key2);
  if (Math.round(ns / SECOND_NS) * SECOND_NS !== ns) {
    return FieldError.generic(`rollout-duration=${value} is not at second precision`, [key2]);
  }
  if (ns < 0) return FieldError.generic(`rollout-duration=${value} must be positive`, [key2]);
  return void 0;
}
function validateVisibilityLabel(labels = {}) {
  const value = labels[L.visibility];
  if (value === void 0 || value === "cluster-local") return void 0;
  return FieldError.invalidValue(value, L.visibility);
}
function validateCreatorAndModifier(oldSpec, newSpec, oldAnnotations = {}, newAnnotations = {}) {
  const errors = [];
  if ((oldAnnotations[A.creator] ?? "") !== (newAnnotations[A.creator] ?? "")) {
    errors.push(FieldError.generic("annotation value is immutable", [A.creator]));
  }
  if (semanticEqual(oldSpec, newSpec) && (oldAnnotations[A.lastModifier] ?? "") !== (newAnnotations[A.lastModifier] ?? "")) {
    errors.push(FieldError.invalidValue(newAnnotations[A.lastModifier] ?? "", A.lastModifier));
  }
  return FieldError.combine(...errors);
}

// emulator/knative/validate-template.ts
var MAX_TIMEOUT_SECONDS = 600;
var MAX_CONTAINER_CONCURRENCY = 1e3;
function validateRevisionSpec(spec) {
  const errors = [];
  const containers = Array.isArray(spec?.containers) ? spec.containers : [];
  if (!containers.length) errors.push(FieldError.missing("containers"));
  containers.forEach((c, i) => {
    if (!c?.image) errors.push(FieldError.missing(`containers[${i}].image`));
  });
  const timeout = spec?.timeoutSeconds;
  if (typeof timeout === "number" && (timeout < 0 || timeout > MAX_TIMEOUT_SECONDS)) {
    errors.push(FieldError.outOfBounds(timeout, 0, MAX_TIMEOUT_SECONDS, "timeoutSeconds"));
  }
  const cc = spec?.containerConcurrency;
  if (typeof cc === "number" && (cc < 0 || cc > MAX_CONTAINER_CONCURRENCY)) {
    errors.push(FieldError.outOfBounds(cc, 0, MAX_CONTAINER_CONCURRENCY, "containerConcurrency"));
  }
  return FieldError.combine(...errors);
}
function validateTemplate(template, parent) {
  return FieldError.combine(
    validateRevisionSpec(template?.spec)?.via("spec"),
    validateRevisionName(
      template?.metadata?.name ?? "",
      template?.metadata?.generateName ?? "",
      parent
    )
  );
}
function validateRevisionName(name, generateName, parent) {
  if (generateName) {
    const problems2 = dns1035NameErrors(generateName, true);
    if (problems2.length) {
      return FieldError.invalidValue(
        `not a DNS 1035 label prefix: ${goList(problems2)}`,
        "metadata.generateName"
      );
    }
  }
  if (!name) return void 0;
  const problems = dns1035NameErrors(name, false);
  if (problems.length)
    return FieldError.invalidValue(`not a DNS 1035 label: ${goList(problems)}`, "metadata.name");
  if (parent.name) {
    const prefix = `${parent.name}-`;
    if (!name.startsWith(prefix)) {
      return FieldError.invalidValue(`"${name}" must have prefix "${prefix}"`, "metadata.name");
    }
  } else if (parent.generateName) {
    return FieldError.disallowed("metadata.name");
  }
  return void 0;
}
function verifyNameChange(next, old) {
  const name = next?.metadata?.name;
  if (!name || !old || old.metadata?.name !== name) return void 0;
  const diff = shortDiff("RevisionTemplateSpec", old, next);
  if (!diff) return void 0;
  return FieldError.generic(
    "Saw the following changes without a name change (-old +new)",
    ["metadata.name"],
    diff
  );
}

// emulator/knative/validate-traffic.ts
function validateTrafficList(traffic, inService) {
  const errors = [];
  const tagIndex = /* @__PURE__ */ new Map();
  let sum = 0;
  traffic.forEach((tt, i) => {
    errors.push(validateTarget(tt, inService)?.via(`[${i}]`));
    sum += tt.percent ?? 0;
    if (!tt.tag) return;
    const problems = dns1035LabelErrors(tt.tag);
    if (problems.length) {
      errors.push(FieldError.invalidValue(`not a DNS 1035 label: ${goList(problems)}`, `tag[${i}]`));
    }
    const first = tagIndex.get(tt.tag);
    if (first === void 0) tagIndex.set(tt.tag, i);
    else
      errors.push(
        FieldError.generic(`Multiple definitions for "${tt.tag}"`, [`[${i}].tag`, `[${first}].tag`])
      );
  });
  if (sum !== 100) errors.push(FieldError.generic(`Traffic targets sum to ${sum}, want 100`, [""]));
  return FieldError.combine(...errors);
}
function validateTarget(tt, inService) {
  const errors = [];
  const rev = tt.revisionName ?? "";
  const config = tt.configurationName ?? "";
  if (inService && config) errors.push(FieldError.disallowed("configurationName"));
  else if (rev && config) errors.push(FieldError.oneOfBoth("revisionName", "configurationName"));
  else if (rev) errors.push(keyName(rev, "revisionName"));
  else if (config) errors.push(keyName(config, "configurationName"));
  else if (!inService) errors.push(FieldError.oneOfNeither("revisionName", "configurationName"));
  if (tt.percent !== void 0 && tt.percent !== null && (tt.percent < 0 || tt.percent > 100)) {
    errors.push(FieldError.outOfBounds(tt.percent, 0, 100, "percent"));
  }
  if (tt.url) errors.push(FieldError.disallowed("url"));
  if (tt.latestRevision !== void 0 && tt.latestRevision !== null && !!rev === tt.latestRevision) {
    errors.push(
      FieldError.generic(
        `may not set revisionName "${rev}" when latestRevision is ${tt.latestRevision}`,
        ["latestRevision"]
      )
    );
  }
  return FieldError.combine(...errors);
}
function keyName(value, path) {
  const problems = qualifiedNameErrors(value);
  return problems.length ? FieldError.generic(`invalid key name "${value}"`, [path], problems.join(", ")) : void 0;
}

// emulator/knative/validate.ts
function validate(kind, obj, old) {
  switch (kind) {
    case "Service":
      return FieldError.combine(
        parentMetadata(obj, true),
        validateTemplate(obj.spec?.template, obj.metadata)?.via("spec.template"),
        validateTrafficList(obj.spec?.traffic ?? [], true)?.via("spec.traffic"),
        old && audit(obj, old),
        old && verifyNameChange(obj.spec?.template, old.spec?.template)?.via("spec.template")
      );
    case "Configuration":
      return FieldError.combine(
        parentMetadata(obj, false),
        validateTemplate(obj.spec?.template, obj.metadata)?.via("spec.template"),
        old && !obj.metadata.ownerReferences?.length ? audit(obj, old) : void 0,
        old && verifyNameChange(obj.spec?.template, old.spec?.template)?.via("spec.template")
      );
    case "Route":
      return FieldError.combine(
        validateName(obj.metadata)?.via("metadata"),
        validateRolloutDuration(obj.metadata.annotations)?.via("metadata.annotations"),
        validateVisibilityLabel(obj.metadata.labels)?.via("metadata.labels"),
        routeSpec(obj),
        old && !obj.metadata.ownerReferences?.length ? audit(obj, old) : void 0
      );
    case "Revision":
      return FieldError.combine(
        validateName(obj.metadata)?.via("metadata"),
        validateRevisionSpec(obj.spec)?.via("spec"),
        old && immutableSpec(obj, old)
      );
  }
}
function parentMetadata(obj, isService) {
  return FieldError.combine(
    validateName(obj.metadata),
    validateNoAutoscaling(obj.metadata.annotations),
    isService ? validateVisibilityLabel(obj.metadata.labels)?.via("labels") : void 0,
    isService ? validateRolloutDuration(obj.metadata.annotations)?.via("annotations") : void 0
  )?.via("metadata");
}
function routeSpec(obj) {
  const traffic = obj.spec?.traffic ?? [];
  if (!traffic.length) return FieldError.missing("spec");
  return validateTrafficList(traffic, false)?.via("spec.traffic");
}
function audit(obj, old) {
  return validateCreatorAndModifier(
    old.spec,
    obj.spec,
    old.metadata.annotations,
    obj.metadata.annotations
  )?.via("metadata.annotations");
}
function immutableSpec(obj, old) {
  const diff = shortDiff("RevisionSpec", old.spec, obj.spec);
  return diff ? FieldError.generic("Immutable fields changed (-old +new)", ["spec"], diff) : void 0;
}

// emulator/knative/admission.ts
var VALIDATION_WEBHOOK = "validation.webhook.serving.knative.dev";
var KINDS = {
  services: "Service",
  configurations: "Configuration",
  routes: "Route",
  revisions: "Revision"
};
function admit(req, _settings) {
  const kind = req.resource.group === SERVING_GROUP ? KINDS[req.resource.plural] : void 0;
  if (!kind) return req.object;
  if (req.subresource === "status") return { ...structuredClone(req.object), apiVersion: V1 };
  const obj = toV1(kind, req.version, structuredClone(req.object));
  const old = req.operation === "UPDATE" ? req.oldObject : void 0;
  setDefaults(kind, obj, old, req.user);
  const error = validate(kind, obj, old);
  if (error) throw deny(error.message);
  return obj;
}
function toV1(kind, version, obj) {
  if (version !== "v1alpha1") return obj;
  if (kind !== "Service") return { ...obj, apiVersion: V1 };
  const error = validateV1alpha1Service(obj);
  if (error) throw deny(error.message);
  try {
    return convertV1alpha1Service(obj);
  } catch (e) {
    throw deny(e instanceof Error ? e.message : String(e));
  }
}
var deny = (message) => ApiError.denied(VALIDATION_WEBHOOK, `validation failed: ${message}`);

// emulator/knative/present.ts
function present(resource, version, stored) {
  if (resource.group !== SERVING_GROUP || version === "v1") return stored;
  return { ...structuredClone(stored), apiVersion: `${SERVING_GROUP}/${version}` };
}

// emulator/knative/image.ts
import { createHash as createHash3 } from "node:crypto";
function parseImage(image) {
  let rest = image;
  let digest;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf("/");
  const first = slash >= 0 ? rest.slice(0, slash) : "";
  const hasRegistry = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  const registry = hasRegistry ? first : "index.docker.io";
  let repository = hasRegistry ? rest.slice(slash + 1) : rest;
  let tag;
  const colon = repository.lastIndexOf(":");
  if (colon >= 0) {
    tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
  }
  if (registry === "index.docker.io" && !repository.includes("/"))
    repository = `library/${repository}`;
  return { registry, repository, tag: tag ?? (digest ? void 0 : "latest"), digest };
}
function digestReference(image, digest) {
  const ref = parseImage(image);
  const withoutTagOrDigest = image.replace(/@.*$/, "").replace(/:[^:/]+$/, "");
  return `${ref.registry === "index.docker.io" ? `index.docker.io/${ref.repository}` : withoutTagOrDigest}@${digest}`;
}
var isLoopbackRegistry = (registry) => /^(127\.0\.0\.1|localhost):\d+$/.test(registry);
var MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json"
].join(", ");
var registryResolver = async (image) => {
  const ref = parseImage(image);
  if (ref.digest) return ref.digest;
  const url = `${isLoopbackRegistry(ref.registry) ? "http" : "https"}://${ref.registry}/v2/${ref.repository}/manifests/${ref.tag}`;
  if (image.includes("unpullable")) throw new Error(headError(url, 404));
  if (!isLoopbackRegistry(ref.registry)) {
    return `sha256:${createHash3("sha256").update(image).digest("hex")}`;
  }
  let res;
  try {
    res = await fetch(url, { method: "HEAD", headers: { Accept: MANIFEST_TYPES } });
  } catch (e) {
    const cause = e.cause?.code;
    throw new Error(`HEAD ${url}: ${cause ?? e.message}`, { cause: e });
  }
  const digest = res.headers.get("docker-content-digest");
  if (!res.ok) throw new Error(headError(url, res.status));
  if (!digest) throw new Error(`HEAD ${url}: response has no Docker-Content-Digest header`);
  return digest;
};
var STATUS_TEXT = {
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  500: "Internal Server Error"
};
function headError(url, status) {
  const text = STATUS_TEXT[status] ?? "";
  return `HEAD ${url}: unexpected status code ${status} ${text} (HEAD responses have no body, use GET for details)`;
}

// emulator/knative/writes.ts
var ACTOR = "controller";
function writeStatus(store, resource, obj, status) {
  return store.update(resource, { ...obj, status }, { subresource: "status", actor: ACTOR });
}
function apply(store, resource, current, desired) {
  if (!current) return store.create(resource, desired, ACTOR);
  const next = {
    ...current,
    metadata: {
      ...current.metadata,
      labels: desired.metadata.labels,
      annotations: desired.metadata.annotations,
      ownerReferences: desired.metadata.ownerReferences
    },
    spec: desired.spec
  };
  return store.update(resource, next, { actor: ACTOR });
}
function isControlledBy(obj, owner) {
  return !!obj.metadata.ownerReferences?.some((r) => r.controller && r.uid === owner.metadata.uid);
}
function ownerRef(owner) {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true
  };
}

// emulator/knative/labeler.ts
function labelRoutingState(store, namespace, now) {
  const routesOf = /* @__PURE__ */ new Map();
  const routedConfigs = /* @__PURE__ */ new Set();
  for (const route of store.list(ROUTES, namespace)) {
    for (const tt of route.status?.traffic ?? []) {
      if (!tt.revisionName) continue;
      const set = routesOf.get(tt.revisionName) ?? /* @__PURE__ */ new Set();
      set.add(route.metadata.name);
      routesOf.set(tt.revisionName, set);
    }
    for (const tt of route.spec?.traffic ?? []) {
      if (tt.configurationName) routedConfigs.add(tt.configurationName);
    }
  }
  for (const rev of store.list(REVISIONS, namespace)) {
    const labels = { ...rev.metadata.labels ?? {} };
    const annotations = { ...rev.metadata.annotations ?? {} };
    const routes = routesOf.get(rev.metadata.name);
    const current = labels[L.routingState];
    const wanted = routes ? "active" : routedConfigs.has(labels[L.configuration] ?? "") || current === "active" ? "reserve" : current;
    const routesValue = routes ? [...routes].sort().join(",") : void 0;
    if (wanted === current && routesValue === annotations[A.routes]) continue;
    if (wanted && wanted !== current) {
      labels[L.routingState] = wanted;
      annotations[A.routingStateModified] = now;
    }
    if (routesValue) annotations[A.routes] = routesValue;
    else delete annotations[A.routes];
    store.update(
      REVISIONS,
      { ...rev, metadata: { ...rev.metadata, labels, annotations } },
      { actor: ACTOR }
    );
  }
}

// emulator/knative/pods.ts
import { createHash as createHash4 } from "node:crypto";
var SAFE = "bcdfghjklmnpqrstvwxz2456789";
function safeHash(seed, length) {
  const bytes = createHash4("sha256").update(seed).digest();
  return Array.from(bytes.subarray(0, length), (b) => SAFE[b % SAFE.length]).join("");
}
function templateHash(rev) {
  return safeHash(`${rev.metadata.uid}/template`, 10);
}
function replicaSetName(rev) {
  return `${childName(rev.metadata.name, "-deployment")}-${templateHash(rev)}`;
}
function podFor(rev, startedAt) {
  const hash = templateHash(rev);
  const name = `${replicaSetName(rev)}-${safeHash(`${rev.metadata.uid}/pod`, 5)}`;
  const containers = (rev.spec?.containers ?? []).map((c, i) => ({
    ...c,
    image: rev.status?.containerStatuses?.[i]?.imageDigest ?? c.image
  }));
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: rev.metadata.namespace,
      labels: {
        ...rev.metadata.labels,
        [L.revision]: rev.metadata.name,
        [L.revisionUID]: rev.metadata.uid ?? "",
        app: rev.metadata.name,
        "pod-template-hash": hash
      },
      // Really owned by a ReplicaSet; the emulator has none, so the Revision owns it and
      // deleting the Revision removes it.
      ownerReferences: [
        {
          apiVersion: V1,
          kind: "Revision",
          name: rev.metadata.name,
          uid: rev.metadata.uid ?? "",
          controller: true
        }
      ]
    },
    spec: {
      containers: [
        ...containers,
        { name: "queue-proxy", image: "gcr.io/knative-releases/knative.dev/serving/cmd/queue" }
      ]
    },
    status: {
      phase: "Running",
      conditions: ["Initialized", "Ready", "ContainersReady", "PodScheduled"].map((type) => ({
        type,
        status: "True",
        lastTransitionTime: startedAt
      })),
      podIP: "127.0.0.1",
      startTime: startedAt,
      containerStatuses: [...containers.map((c) => c.name), "queue-proxy"].map(
        (n) => ({
          name: n,
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt } }
        })
      )
    }
  };
}

// emulator/knative/conditions.ts
var ConditionSet = class {
  /**
   * @param existing the object's current conditions (copied, never mutated)
   * @param dependents the types whose state decides `Ready`
   * @param now the transition time for conditions that change
   */
  constructor(existing, dependents, now, info = []) {
    this.dependents = dependents;
    this.now = now;
    this.info = info;
    this.conditions = (existing ?? []).map((c) => ({ ...c }));
    this.before = new Map(this.conditions.map((c) => [c.type, { ...c }]));
  }
  dependents;
  now;
  info;
  conditions;
  /** As the object had them: a condition that ends a reconcile unchanged keeps its time. */
  before;
  /** InitializeConditions: every dependent and Ready exist, Unknown when new. */
  initialize() {
    for (const type of ["Ready", ...this.dependents]) {
      if (!this.get(type)) this.set({ type, status: "Unknown" });
    }
    return this;
  }
  get(type) {
    return this.conditions.find((c) => c.type === type);
  }
  markTrue(type, reason, message) {
    this.set({ type, status: "True", reason, message });
    if (!this.dependents.includes(type)) return;
    const unhappy = this.unhappyDependent();
    if (!unhappy) this.set({ type: "Ready", status: "True" });
    else
      this.set({
        type: "Ready",
        status: unhappy.status,
        reason: unhappy.reason,
        message: unhappy.message
      });
  }
  markFalse(type, reason, message) {
    this.set({ type, status: "False", reason, message });
    if (this.dependents.includes(type))
      this.set({ type: "Ready", status: "False", reason, message });
  }
  markUnknown(type, reason, message) {
    this.set({ type, status: "Unknown", reason, message });
    if (!this.dependents.includes(type)) return;
    const failed = this.dependents.map((d) => this.get(d)).find((c) => c?.status === "False");
    if (failed) {
      if (this.get("Ready")?.status !== "False")
        this.set({ type: "Ready", status: "False", reason, message });
      return;
    }
    this.set({ type: "Ready", status: "Unknown", reason, message });
  }
  /** Sorted by type, as Knative keeps them. */
  result() {
    return [...this.conditions].sort((a, b) => a.type < b.type ? -1 : a.type > b.type ? 1 : 0);
  }
  unhappyDependent() {
    const unhappy = this.dependents.map((d) => this.get(d)).filter((c) => !!c && c.status !== "True");
    const newest = (list2) => [...list2].sort(
      (a, b) => (b.lastTransitionTime ?? "").localeCompare(a.lastTransitionTime ?? "")
    )[0];
    return newest(unhappy.filter((c) => c.status === "False")) ?? newest(unhappy);
  }
  /**
   * SetCondition: lastTransitionTime moves only when the condition really changed since the
   * reconcile began (a Ready passing through Unknown on its way back to the same False is
   * unchanged; otherwise every reconcile writes a new status and triggers the next one).
   */
  set(next) {
    const clean = { type: next.type, status: next.status };
    if (next.reason) clean.reason = next.reason;
    if (next.message) clean.message = next.message;
    if (this.info.includes(next.type)) clean.severity = "Info";
    const i = this.conditions.findIndex((c) => c.type === next.type);
    const old = this.before.get(next.type);
    const same = old && old.status === clean.status && (old.reason ?? "") === (clean.reason ?? "") && (old.message ?? "") === (clean.message ?? "") && (old.severity ?? "") === (clean.severity ?? "");
    const condition = { ...clean, lastTransitionTime: same ? old.lastTransitionTime : this.now };
    if (i >= 0) this.conditions[i] = condition;
    else this.conditions.push(condition);
  }
};

// emulator/knative/reconcile-configuration.ts
var generationOf = (rev) => Number(rev.metadata.labels?.[L.configurationGeneration] ?? NaN);
function checkNameAvailability(config, store) {
  const name = config.spec?.template?.metadata?.name;
  if (!name) return void 0;
  const rev = store.get(REVISIONS, config.metadata.namespace, name);
  if (!rev) return void 0;
  const sameGeneration = rev.metadata.labels?.[L.configurationGeneration] === String(config.metadata.generation);
  if (isControlledBy(rev, config) && (sameGeneration || semanticEqual(config.spec.template.spec, rev.spec))) {
    return void 0;
  }
  return ApiError.alreadyExists(REVISIONS, name);
}
function reconcileConfiguration(store, config, now) {
  const cs = new ConditionSet(config.status?.conditions, [], now).initialize();
  const status = { ...config.status ?? {} };
  if (status.observedGeneration !== config.metadata.generation) {
    cs.markUnknown("Ready", "NewObservedGenFailure", "unsuccessfully observed a new generation");
  }
  const finish = () => {
    writeStatus(store, CONFIGURATIONS, config, {
      ...status,
      observedGeneration: config.metadata.generation,
      conditions: cs.result()
    });
  };
  let latest;
  try {
    latest = latestCreatedRevision(store, config) ?? createRevision(store, config, now);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    cs.markFalse("Ready", "RevisionFailed", `Revision creation failed with message: ${e.message}.`);
    return finish();
  }
  status.latestCreatedRevisionName = latest.metadata.name;
  if (status.latestReadyRevisionName !== latest.metadata.name) cs.markUnknown("Ready", "", "");
  const ready = latest.status?.conditions?.find((c) => c.type === "Ready");
  if (ready?.status === "False") {
    cs.markFalse(
      "Ready",
      "RevisionFailed",
      `Revision "${latest.metadata.name}" failed with message: ${ready.message ?? ""}.`
    );
  }
  const newestReady = sortedCandidates(store, config, status.latestReadyRevisionName).find(
    (r) => isReady(r)
  );
  if (newestReady) {
    status.latestReadyRevisionName = newestReady.metadata.name;
    if (newestReady.metadata.name === status.latestCreatedRevisionName) cs.markTrue("Ready");
  }
  finish();
}
function latestCreatedRevision(store, config) {
  const taken = checkNameAvailability(config, store);
  if (taken) throw taken;
  const byo = config.spec?.template?.metadata?.name;
  if (byo) return store.get(REVISIONS, config.metadata.namespace, byo);
  return ownedRevisions(store, config).find((r) => generationOf(r) === config.metadata.generation);
}
function createRevision(store, config, now) {
  const template = config.spec?.template ?? {};
  const meta = template.metadata ?? {};
  const labels = {
    ...meta.labels ?? {},
    [L.configuration]: config.metadata.name,
    [L.configurationGeneration]: String(config.metadata.generation),
    [L.configurationUID]: config.metadata.uid ?? "",
    [L.routingState]: "pending"
  };
  for (const key2 of [L.service, L.serviceUID]) {
    const value = config.metadata.labels?.[key2];
    if (value) labels[key2] = value;
  }
  const annotations = {
    ...meta.annotations ?? {},
    [A.routingStateModified]: now
  };
  const creator = config.metadata.annotations?.[A.lastModifier];
  if (creator) annotations[A.creator] = creator;
  return store.create(
    REVISIONS,
    {
      apiVersion: V1,
      kind: "Revision",
      metadata: {
        name: meta.name || revisionNameFor(config.metadata.name, config.metadata.generation ?? 1),
        namespace: config.metadata.namespace,
        labels,
        annotations,
        ownerReferences: [ownerRef(config)]
      },
      spec: structuredClone(template.spec ?? {})
    },
    ACTOR
  );
}
function ownedRevisions(store, config) {
  return store.list(REVISIONS, config.metadata.namespace).filter(
    (r) => r.metadata.labels?.[L.configuration] === config.metadata.name && isControlledBy(r, config)
  );
}
function sortedCandidates(store, config, latestReady) {
  const byo = config.spec?.template?.metadata?.name;
  const all = ownedRevisions(store, config);
  const floorRev = latestReady ? all.find((r) => r.metadata.name === latestReady) : void 0;
  const floor = floorRev ? generationOf(floorRev) : -Infinity;
  const gen = config.metadata.generation ?? 0;
  return all.filter((r) => r.metadata.name === byo || generationOf(r) >= floor && generationOf(r) <= gen).sort((a, b) => {
    if (a.metadata.name === byo) return -1;
    if (b.metadata.name === byo) return 1;
    return generationOf(b) - generationOf(a);
  });
}

// emulator/knative/route-traffic.ts
var readyStatus = (obj) => obj.status?.conditions?.find((c) => c.type === "Ready")?.status;
var isReady2 = (obj) => readyStatus(obj) === "True" && obj.status?.observedGeneration === obj.metadata.generation;
function buildTraffic(route, lookup, hosts) {
  const service = route.metadata.labels?.[L.service];
  const out = [];
  let error;
  for (const tt of route.spec?.traffic ?? []) {
    const resolved = resolveTarget(tt, lookup, service);
    if ("error" in resolved) {
      if (!error || !error.failure && resolved.error.failure) error = resolved.error;
      continue;
    }
    const entry = {};
    if (tt.tag) entry.tag = tt.tag;
    entry.revisionName = resolved.revision;
    entry.latestRevision = tt.latestRevision ?? !tt.revisionName;
    entry.percent = tt.percent ?? 0;
    if (tt.tag) entry.url = hosts.tagUrl(tt.tag);
    const same = out.find(
      (e) => e.tag === entry.tag && e.revisionName === entry.revisionName && e.latestRevision === entry.latestRevision
    );
    if (same) same.percent = (same.percent ?? 0) + (entry.percent ?? 0);
    else out.push(entry);
  }
  if (error) return { error };
  for (const tag of out.map((e) => e.tag).filter((t) => !!t)) {
    const label = hosts.tagLabel(tag);
    if (label.length > 63) {
      return {
        error: {
          failure: true,
          reason: "ErrorConfig",
          message: `domain name error: invalid domain name "${hosts.tagHost(tag)}": url: Invalid value: "${label}": must be no more than 63 characters`
        }
      };
    }
  }
  return { traffic: out };
}
function resolveTarget(tt, lookup, service) {
  let name = tt.revisionName;
  if (!name && tt.configurationName) {
    const config = lookup.configuration(tt.configurationName);
    if (!config) {
      return missing("Configuration", tt.configurationName);
    }
    name = config.status?.latestReadyRevisionName;
    if (!name) {
      const failed = readyStatus(config) === "False";
      return {
        error: {
          failure: failed,
          reason: "RevisionMissing",
          message: failed ? `Configuration "${tt.configurationName}" does not have any ready Revision.` : `Configuration "${tt.configurationName}" is waiting for a Revision to become ready.`
        }
      };
    }
  }
  if (!name) return missing("Revision", "");
  const rev = lookup.revision(name);
  if (!rev) return missing("Revision", name);
  if (!isReady2(rev)) {
    const failed = readyStatus(rev) === "False";
    return {
      error: {
        failure: failed,
        reason: "RevisionMissing",
        message: failed ? `Revision "${name}" failed to become ready.` : `Revision "${name}" is not yet ready.`
      }
    };
  }
  const owner = rev.metadata.labels?.[L.service];
  if (service && owner !== service) {
    return {
      error: {
        failure: true,
        reason: "RevisionNotOwned",
        message: owner ? `Revision "${name}" belongs to Service "${owner}", not Service "${service}".` : `Revision "${name}" does not belong to Service "${service}".`
      }
    };
  }
  return { revision: name };
}
function missing(kind, name) {
  return {
    error: {
      failure: true,
      reason: `${kind}Missing`,
      message: `${kind} "${name}" referenced in traffic not found.`
    }
  };
}

// emulator/knative/reconcile-route.ts
var ROUTE_DEPENDENTS = ["AllTrafficAssigned", "CertificateProvisioned", "IngressReady"];
function routeDomain(route, settings) {
  const clusterLocal = route.metadata.labels?.[L.visibility] === "cluster-local";
  return clusterLocal ? "svc.cluster.local" : settings.domain;
}
function reconcileRoute(store, route, settings, now) {
  const { name, namespace } = route.metadata;
  const domain = routeDomain(route, settings);
  const cs = new ConditionSet(route.status?.conditions, ROUTE_DEPENDENTS, now).initialize();
  if (route.status?.observedGeneration !== route.metadata.generation) {
    cs.markUnknown("Ready", "NewObservedGenFailure", "unsuccessfully observed a new generation");
  }
  const status = { ...route.status ?? {}, url: `http://${name}.${namespace}.${domain}` };
  const result = buildTraffic(
    route,
    {
      configuration: (n) => store.get(CONFIGURATIONS, namespace, n),
      revision: (n) => store.get(REVISIONS, namespace, n)
    },
    {
      tagLabel: (tag) => `${tag}-${name}`,
      tagHost: (tag) => `${tag}-${name}.${namespace}.${domain}`,
      tagUrl: (tag) => `http://${tag}-${name}.${namespace}.${domain}`
    }
  );
  if (result.error) {
    const { failure, reason, message } = result.error;
    if (failure) cs.markFalse("AllTrafficAssigned", reason, message);
    else cs.markUnknown("AllTrafficAssigned", reason, message);
  } else {
    status.traffic = result.traffic;
    status.address = { url: `http://${name}.${namespace}.svc.cluster.local` };
    cs.markTrue("AllTrafficAssigned");
    cs.markTrue("CertificateProvisioned", "TLSNotEnabled", "external-domain-tls is not enabled");
    cs.markTrue("IngressReady");
  }
  writeStatus(store, ROUTES, route, {
    ...status,
    observedGeneration: route.metadata.generation,
    conditions: cs.result()
  });
}

// emulator/knative/reconcile-service.ts
var OUT_OF_DATE = "OutOfDate";
function without(map, ...keys) {
  const out = { ...map ?? {} };
  for (const k of keys) delete out[k];
  return out;
}
function desiredConfiguration(svc) {
  return {
    apiVersion: V1,
    kind: "Configuration",
    metadata: {
      name: svc.metadata.name,
      namespace: svc.metadata.namespace,
      labels: {
        ...svc.metadata.labels,
        [L.service]: svc.metadata.name,
        [L.serviceUID]: svc.metadata.uid ?? ""
      },
      annotations: {
        ...without(
          svc.metadata.annotations,
          A.lastApplied,
          A.rolloutDuration,
          A.rolloutDurationAlias
        ),
        [A.routes]: svc.metadata.name
      },
      ownerReferences: [ownerRef(svc)]
    },
    spec: { template: structuredClone(svc.spec?.template ?? {}) }
  };
}
function desiredRoute(svc) {
  const traffic = (svc.spec?.traffic ?? []).map(
    (tt) => tt.revisionName ? { ...tt } : { ...tt, configurationName: svc.metadata.name }
  );
  return {
    apiVersion: V1,
    kind: "Route",
    metadata: {
      name: svc.metadata.name,
      namespace: svc.metadata.namespace,
      labels: { ...svc.metadata.labels, [L.service]: svc.metadata.name },
      annotations: without(svc.metadata.annotations, A.lastApplied),
      ownerReferences: [ownerRef(svc)]
    },
    spec: { traffic }
  };
}
function mirror(cs, type, child) {
  const ready = child.status?.conditions?.find((c) => c.type === "Ready");
  if (ready?.status === "True") cs.markTrue(type);
  else if (ready?.status === "False") cs.markFalse(type, ready.reason ?? "", ready.message ?? "");
  else cs.markUnknown(type, ready?.reason ?? "", ready?.message ?? "");
}
function reconcileService(store, svc, now) {
  const { name, namespace } = svc.metadata;
  const cs = new ConditionSet(
    svc.status?.conditions,
    ["ConfigurationsReady", "RoutesReady"],
    now
  ).initialize();
  const status = { ...svc.status ?? {} };
  if (status.observedGeneration !== svc.metadata.generation) {
    cs.markUnknown("Ready", "NewObservedGenFailure", "unsuccessfully observed a new generation");
  }
  const finish = () => {
    writeStatus(store, SERVICES, svc, {
      ...status,
      observedGeneration: svc.metadata.generation,
      conditions: cs.result()
    });
  };
  const existingConfig = store.get(CONFIGURATIONS, namespace, name);
  if (existingConfig && !isControlledBy(existingConfig, svc)) {
    cs.markFalse(
      "ConfigurationsReady",
      "NotOwned",
      `There is an existing Configuration "${name}" that we do not own.`
    );
    return finish();
  }
  const config = apply(store, CONFIGURATIONS, existingConfig, desiredConfiguration(svc));
  if (config.metadata.generation !== config.status?.observedGeneration) {
    cs.markUnknown(
      "ConfigurationsReady",
      OUT_OF_DATE,
      "The Configuration is still working to reflect the latest desired specification."
    );
    if (config.spec?.template?.metadata?.name) return finish();
  } else {
    for (const key2 of ["latestCreatedRevisionName", "latestReadyRevisionName"]) {
      const value = config.status?.[key2];
      if (value === void 0) delete status[key2];
      else status[key2] = value;
    }
    mirror(cs, "ConfigurationsReady", config);
  }
  if (checkNameAvailability(config, store)) {
    const byo = config.spec.template.metadata.name;
    cs.markFalse(
      "RoutesReady",
      "RevisionNameTaken",
      `The revision name "${byo}" is taken by a conflicting Revision, so traffic will not be migrated`
    );
    return finish();
  }
  const existingRoute = store.get(ROUTES, namespace, name);
  if (existingRoute && !isControlledBy(existingRoute, svc)) {
    cs.markFalse(
      "RoutesReady",
      "NotOwned",
      `There is an existing Route "${name}" that we do not own.`
    );
    return finish();
  }
  const route = apply(store, ROUTES, existingRoute, desiredRoute(svc));
  if (route.metadata.generation !== route.status?.observedGeneration) {
    cs.markUnknown(
      "RoutesReady",
      OUT_OF_DATE,
      "The Route is still working to reflect the latest desired specification."
    );
  } else {
    for (const key2 of ["url", "address", "traffic"]) {
      if (route.status?.[key2] !== void 0) status[key2] = route.status[key2];
    }
    mirror(cs, "RoutesReady", route);
    if (!trafficMigrated(route, config)) {
      cs.markUnknown(
        "RoutesReady",
        "TrafficNotMigrated",
        "Traffic is not yet migrated to the latest revision."
      );
    }
  }
  finish();
}
function trafficMigrated(route, config) {
  const ready = route.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
  if (!ready) return true;
  const want = route.spec?.traffic ?? [];
  const got = route.status?.traffic ?? [];
  if (want.length !== got.length) return false;
  return want.every((w, i) => {
    const rev = w.configurationName === config.metadata.name ? config.status?.latestReadyRevisionName : w.revisionName;
    return (w.tag ?? "") === (got[i].tag ?? "") && rev === got[i].revisionName && (w.percent ?? 0) === (got[i].percent ?? 0);
  });
}

// emulator/knative/revision-status.ts
var DEFAULT_PROGRESS_DEADLINE_MS = 6e5;
var DEPLOYING = "Deploying";
function behaviourEnv(rev, name) {
  const env = rev.spec?.containers?.[0]?.env ?? [];
  return env.find((e) => e.name === name)?.value;
}
function revisionStatus(rev, obs) {
  const now = new Date(obs.nowMs).toISOString();
  const cs = new ConditionSet(
    rev.status?.conditions,
    ["ResourcesAvailable", "ContainerHealthy"],
    now,
    ["Active"]
  );
  cs.initialize();
  if (!cs.get("Active")) cs.markUnknown("Active", "", "");
  const status = { ...rev.status ?? {}, observedGeneration: rev.metadata.generation };
  const finish = (running, wakeAtMs) => ({
    status: { ...status, conditions: cs.result() },
    running,
    wakeAtMs
  });
  if (obs.image.state === "pending") {
    cs.markUnknown("ResourcesAvailable", "ResolvingDigests", "");
    return finish(false);
  }
  if (obs.image.state === "failed") {
    cs.markFalse(
      "ContainerHealthy",
      "ContainerMissing",
      `Unable to fetch image "${obs.image.image}": failed to resolve image to digest: ${obs.image.error}`
    );
    return finish(false);
  }
  const digests = obs.image.digests;
  status.containerStatuses = (rev.spec?.containers ?? []).map((c, i) => ({
    name: c.name,
    imageDigest: digestReference(c.image, digests[i])
  }));
  const exitCode = behaviourEnv(rev, "EMULATOR_EXIT_CODE");
  if (exitCode !== void 0 && exitCode !== "") {
    const text = behaviourEnv(rev, "EMULATOR_EXIT_MESSAGE") ?? "";
    const message = text || (exitCode === "0" ? "container exited with no error" : `exit status ${exitCode}`);
    cs.markFalse("ContainerHealthy", `ExitCode${exitCode}`, `Container failed with: ${message}`);
    Object.assign(status, { actualReplicas: 0, desiredReplicas: 1 });
    return finish(false);
  }
  const readyDelay = Number(behaviourEnv(rev, "EMULATOR_READY_DELAY_MS") ?? 0) || 0;
  const deadlineNs = parseGoDuration(rev.metadata.annotations?.[A.progressDeadline] ?? "");
  const deadline = deadlineNs !== void 0 ? deadlineNs / 1e6 : DEFAULT_PROGRESS_DEADLINE_MS;
  const elapsed = obs.nowMs - obs.startedMs;
  if (readyDelay > deadline && elapsed >= deadline) {
    cs.markFalse(
      "ResourcesAvailable",
      "ProgressDeadlineExceeded",
      `ReplicaSet "${replicaSetName(rev)}" has timed out progressing.`
    );
    Object.assign(status, { actualReplicas: 0, desiredReplicas: 1 });
    return finish(false);
  }
  if (elapsed < readyDelay) {
    cs.markUnknown("ResourcesAvailable", DEPLOYING, "");
    cs.markUnknown("ContainerHealthy", DEPLOYING, "");
    cs.markUnknown("Active", DEPLOYING, "");
    Object.assign(status, { actualReplicas: 0, desiredReplicas: 1 });
    return finish(false, obs.startedMs + Math.min(readyDelay, deadline));
  }
  cs.markTrue("ResourcesAvailable");
  cs.markTrue("ContainerHealthy");
  cs.markTrue("Active");
  Object.assign(status, { actualReplicas: 1, desiredReplicas: 1 });
  return finish(true);
}

// emulator/knative/controller.ts
var KNATIVE = [SERVICES, CONFIGURATIONS, REVISIONS, ROUTES];
var OWNED = [CONFIGURATIONS, ROUTES, REVISIONS, PODS];
var RETRY_MS = 50;
var Controller = class {
  constructor(store, settings, resolveImage = registryResolver, clock = Date.now) {
    this.store = store;
    this.settings = settings;
    this.resolveImage = resolveImage;
    this.clock = clock;
  }
  store;
  settings;
  resolveImage;
  clock;
  unsubscribe;
  pending = /* @__PURE__ */ new Map();
  wakers = /* @__PURE__ */ new Set();
  /** Revision uid → when its deployment started (first seen), in ms. */
  startedAt = /* @__PURE__ */ new Map();
  /** Revision uid → digest resolution, done once per Revision as Knative does. */
  images = /* @__PURE__ */ new Map();
  start() {
    if (this.unsubscribe) return;
    this.unsubscribe = this.store.subscribe((e) => this.onEvent(e));
    for (const resource of KNATIVE) {
      for (const obj of this.store.list(resource))
        this.enqueue(resource, obj.metadata.namespace, obj.metadata.name);
    }
  }
  stop() {
    this.unsubscribe?.();
    this.unsubscribe = void 0;
    for (const t of [...this.pending.values(), ...this.wakers]) clearTimeout(t);
    this.pending.clear();
    this.wakers.clear();
  }
  /** Which objects an event makes stale. */
  onEvent(e) {
    const { namespace, name, uid } = e.object.metadata;
    if (e.type === "DELETED") {
      this.later(`gc|${uid}`, 0, () => this.collectGarbage(namespace, uid));
      if (e.resource === REVISIONS && uid) {
        this.startedAt.delete(uid);
        this.images.delete(uid);
      }
    }
    if (e.resource === PODS) {
      const rev = e.object.metadata.labels?.[L.revision];
      if (e.type === "DELETED" && rev) this.enqueue(REVISIONS, namespace, rev);
      return;
    }
    if (!KNATIVE.includes(e.resource)) return;
    if (e.type !== "DELETED") this.enqueue(e.resource, namespace, name);
    const owner = e.object.metadata.ownerReferences?.find((r) => r.controller);
    if (e.resource === CONFIGURATIONS || e.resource === ROUTES) {
      if (owner?.kind === "Service") this.enqueue(SERVICES, namespace, owner.name);
    }
    if (e.resource === REVISIONS && owner?.kind === "Configuration") {
      this.enqueue(CONFIGURATIONS, namespace, owner.name);
    }
    if (e.resource === CONFIGURATIONS || e.resource === REVISIONS) {
      for (const route of this.store.list(ROUTES, namespace))
        this.enqueue(ROUTES, namespace, route.metadata.name);
    }
  }
  enqueue(resource, namespace, name, delayMs) {
    const key2 = `${resource}|${namespace ?? ""}|${name}`;
    this.later(
      key2,
      delayMs ?? this.settings.statusDelayMs,
      () => this.reconcile(resource, namespace, name)
    );
  }
  /** Debounced: a key already waiting keeps its turn. */
  later(key2, delayMs, work) {
    if (this.pending.has(key2) || !this.unsubscribe) return;
    const timer = setTimeout(() => {
      this.pending.delete(key2);
      try {
        work();
      } catch (e) {
        if (!(e instanceof ApiError)) console.error(`knative controller: ${key2}:`, e);
        this.later(key2, RETRY_MS, work);
      }
    }, delayMs);
    this.pending.set(key2, timer);
  }
  reconcile(resource, namespace, name) {
    const obj = this.store.get(resource, namespace, name);
    if (!obj) return;
    const now = new Date(this.clock()).toISOString();
    switch (resource) {
      case SERVICES:
        return reconcileService(this.store, obj, now);
      case CONFIGURATIONS:
        return reconcileConfiguration(this.store, obj, now);
      case ROUTES:
        reconcileRoute(this.store, obj, this.settings, now);
        return labelRoutingState(this.store, namespace, now);
      case REVISIONS:
        return this.reconcileRevision(obj);
    }
  }
  reconcileRevision(rev) {
    const uid = rev.metadata.uid ?? rev.metadata.name;
    const nowMs = this.clock();
    if (!this.startedAt.has(uid)) this.startedAt.set(uid, nowMs);
    if (!this.images.has(uid)) this.resolve(rev, uid);
    const outcome = revisionStatus(rev, {
      nowMs,
      startedMs: this.startedAt.get(uid),
      image: this.images.get(uid)
    });
    const stored = writeStatus(this.store, REVISIONS, rev, outcome.status);
    this.syncPods(stored, outcome.running, new Date(nowMs).toISOString());
    if (outcome.wakeAtMs !== void 0) {
      const timer = setTimeout(
        () => {
          this.wakers.delete(timer);
          this.enqueue(REVISIONS, rev.metadata.namespace, rev.metadata.name, 0);
        },
        Math.max(0, outcome.wakeAtMs - nowMs)
      );
      this.wakers.add(timer);
    }
  }
  resolve(rev, uid) {
    this.images.set(uid, { state: "pending" });
    const images = (rev.spec?.containers ?? []).map((c) => String(c.image ?? ""));
    const attempts = images.map(
      (image) => this.resolveImage(image).then(
        (digest) => ({ image, digest, error: void 0 }),
        (e) => ({ image, digest: "", error: e instanceof Error ? e.message : String(e) })
      )
    );
    void Promise.all(attempts).then((results) => {
      if (this.images.get(uid)?.state !== "pending") return;
      const failed = results.find((r) => r.error !== void 0);
      this.images.set(
        uid,
        failed ? { state: "failed", image: failed.image, error: failed.error } : { state: "resolved", digests: results.map((r) => r.digest) }
      );
      this.enqueue(REVISIONS, rev.metadata.namespace, rev.metadata.name);
    });
  }
  /** One pod per running Revision. */
  syncPods(rev, running, now) {
    const pods = this.store.list(PODS, rev.metadata.namespace).filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === rev.metadata.uid));
    if (running && !pods.length) this.store.create(PODS, podFor(rev, now), ACTOR);
    if (!running)
      for (const p of pods) this.store.delete(PODS, p.metadata.namespace, p.metadata.name, ACTOR);
  }
  /** What a deleted object owned goes too (the API server's garbage collector). */
  collectGarbage(namespace, uid) {
    if (!uid) return;
    for (const resource of OWNED) {
      for (const obj of this.store.list(resource, namespace)) {
        if (!obj.metadata.ownerReferences?.some((r) => r.uid === uid)) continue;
        try {
          this.store.delete(resource, namespace, obj.metadata.name, ACTOR);
        } catch (e) {
          if (!(e instanceof ApiError && e.code === 404)) throw e;
        }
      }
    }
  }
};

// emulator/kubeconfig.ts
var import_yaml = __toESM(require_dist(), 1);
import { chmod, writeFile } from "node:fs/promises";
var CONTEXT_NAME = "knative-emulator";
function clusterEntry(spec) {
  if (!spec.server.startsWith("https:"))
    return { server: spec.server, "insecure-skip-tls-verify": true };
  return spec.ca ? { server: spec.server, "certificate-authority-data": Buffer.from(spec.ca).toString("base64") } : { server: spec.server };
}
function kubeconfigYaml(spec) {
  return (0, import_yaml.stringify)({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: CONTEXT_NAME, cluster: clusterEntry(spec) }],
    users: [{ name: spec.user, user: { token: spec.token } }],
    contexts: [
      {
        name: CONTEXT_NAME,
        context: { cluster: CONTEXT_NAME, user: spec.user, namespace: spec.namespace ?? "default" }
      }
    ],
    "current-context": CONTEXT_NAME,
    preferences: {}
  });
}
async function writeKubeconfig(path, spec) {
  await writeFile(path, kubeconfigYaml(spec), { mode: 384 });
  await chmod(path, 384);
}

// emulator/server.ts
import { createServer as createServer2 } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { setTimeout as sleep } from "node:timers/promises";

// emulator/settings.ts
var NO_FAULTS = {
  errorRate: 0,
  errorStatus: 500,
  latencyMs: 0,
  latencySpikeRate: 0,
  latencySpikeMs: 0,
  conflictRate: 0,
  watchDropAfterMs: 0
};
function defaultSettings(overrides = {}) {
  return {
    domain: "example.com",
    statusDelayMs: 20,
    serveV1alpha1: false,
    ...overrides,
    faults: { ...NO_FAULTS, ...overrides.faults ?? {} }
  };
}

// emulator/api/faults.ts
var REASONS = {
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout"
};
function injectedError(status) {
  const reason = REASONS[status] ?? "Unknown";
  const retry = status === 429 || status === 503 ? { retryAfterSeconds: 1 } : void 0;
  return new ApiError(status, reason, `the emulator injected a fault (HTTP ${status})`, retry);
}
function decideFaults(faults, isWrite, random) {
  let delayMs = faults.latencyMs;
  if (faults.latencySpikeRate > 0 && random() < faults.latencySpikeRate)
    delayMs += faults.latencySpikeMs;
  const error = faults.errorRate > 0 && random() < faults.errorRate ? injectedError(faults.errorStatus) : void 0;
  const conflict = !error && isWrite && faults.conflictRate > 0 && random() < faults.conflictRate;
  return { delayMs, error, conflict };
}
var RATE_KEYS = ["errorRate", "latencySpikeRate", "conflictRate"];
var MS_KEYS = ["latencyMs", "latencySpikeMs", "watchDropAfterMs"];
function parseFaults(body) {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw ApiError.badRequest("faults must be a JSON object");
  const out = {};
  for (const [key2, value] of Object.entries(body)) {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw ApiError.badRequest(`faults.${key2} must be a non-negative number`);
    }
    if (RATE_KEYS.includes(key2)) {
      if (value > 1) throw ApiError.badRequest(`faults.${key2} must be between 0 and 1`);
    } else if (key2 === "errorStatus") {
      if (!Number.isInteger(value) || value < 400 || value > 599)
        throw ApiError.badRequest("faults.errorStatus must be an HTTP error status (400-599)");
    } else if (!MS_KEYS.includes(key2)) {
      throw ApiError.badRequest(`unknown fault "${key2}"`);
    }
    ;
    out[key2] = value;
  }
  return out;
}

// emulator/api/http.ts
var MAX_BODY = 3 * 1024 * 1024;
async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY)
      throw new ApiError(413, "RequestEntityTooLarge", "the request body is too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
function sendJson(res, status, body, extraHeaders = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    ...extraHeaders
  });
  res.end(text);
}
function sendText(res, status, text, contentType = "text/plain; charset=utf-8") {
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}
function sendError(res, err) {
  const error = err instanceof ApiError ? err : new ApiError(
    500,
    "InternalError",
    `Internal error occurred: ${String(err?.message ?? err)}`
  );
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const retry = error.details?.retryAfterSeconds;
  sendJson(res, error.code, error.toStatus(), retry ? { "Retry-After": String(retry) } : {});
}
function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw ApiError.badRequest(`error decoding request body: ${err.message}`);
  }
}
function isPlainObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// emulator/api/routing.ts
function servedVersions(type, settings) {
  const extra = settings.serveV1alpha1 && type.group === SERVING_GROUP ? ["v1alpha1"] : [];
  return [...type.versions, ...extra.filter((v) => !type.versions.includes(v))];
}
function groupVersions(settings) {
  const out = [];
  for (const type of RESOURCES) {
    for (const version of servedVersions(type, settings)) {
      let gv = out.find((x) => x.group === type.group && x.version === version);
      if (!gv) out.push(gv = { group: type.group, version, types: [] });
      gv.types.push(type);
    }
  }
  return out;
}
var notFoundResource = () => new ApiError(404, "NotFound", "the server could not find the requested resource");
function resolveResource(path, settings) {
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  let group;
  let rest;
  let version;
  if (parts[0] === "api" && parts.length >= 3) {
    ;
    [group, version, rest] = ["", parts[1], parts.slice(2)];
  } else if (parts[0] === "apis" && parts.length >= 4) {
    ;
    [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
  } else {
    return void 0;
  }
  let namespace;
  if (rest[0] === "namespaces" && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource, ...extra] = rest;
  const type = RESOURCES.find((t) => t.group === group && t.plural === plural);
  if (!type || !servedVersions(type, settings).includes(version)) throw notFoundResource();
  if (extra.length || subresource !== void 0 && (subresource !== "status" || !type.hasStatus)) {
    throw notFoundResource();
  }
  if (name !== void 0 && namespace === void 0 && type.namespaced) throw notFoundResource();
  return { type, version, namespace, name, subresource };
}
function verbOf(method, target, query) {
  const watch = ["true", "1"].includes(query.get("watch") ?? "");
  const named = target.name !== void 0;
  switch (method) {
    case "GET":
      return named ? "get" : watch ? "watch" : "list";
    case "POST":
      if (!named) return "create";
      break;
    case "PUT":
      if (named) return "update";
      break;
    case "PATCH":
      if (named) return "patch";
      break;
    case "DELETE":
      return named ? "delete" : "deletecollection";
  }
  throw methodNotAllowed();
}
function methodNotAllowed() {
  return new ApiError(
    405,
    "MethodNotAllowed",
    "the server does not allow this method on the requested resource"
  );
}
function apiVersionOf(type, version) {
  return type.group ? `${type.group}/${version}` : version;
}

// emulator/api/admin.ts
var notFound = (path) => new ApiError(404, "NotFound", `no emulator admin endpoint at ${path}`);
function serveAdmin(ctx, method, path, query, body) {
  const route = path.replace(/^\/emulator\//, "");
  const behaviour = /^revisions\/([^/]+)\/([^/]+)\/behaviour$/.exec(route);
  if (behaviour) {
    if (method !== "PUT") throw methodNotAllowed();
    return setBehaviour(
      ctx,
      decodeURIComponent(behaviour[1]),
      decodeURIComponent(behaviour[2]),
      body
    );
  }
  const key2 = `${method} ${route}`;
  switch (key2) {
    case "GET requests":
      return { status: 200, body: ctx.audit.list() };
    case "DELETE requests":
      ctx.audit.clear();
      return { status: 200, body: [] };
    case "GET faults":
      return { status: 200, body: ctx.settings.faults };
    case "PUT faults":
      Object.assign(ctx.settings.faults, parseFaults(parseJson(body)));
      return { status: 200, body: ctx.settings.faults };
    case "DELETE faults":
      Object.assign(ctx.settings.faults, NO_FAULTS);
      return { status: 200, body: ctx.settings.faults };
    case "GET settings":
      return { status: 200, body: ctx.settings };
    case "PUT settings":
      return putSettings(ctx, body);
    case "GET history":
      return { status: 200, body: history(ctx.store, query) };
  }
  if (["requests", "faults", "settings", "history"].includes(route)) throw methodNotAllowed();
  throw notFound(path);
}
function putSettings(ctx, body) {
  const input = parseJson(body);
  if (!isPlainObject(input)) throw ApiError.badRequest("settings must be a JSON object");
  for (const [key2, value] of Object.entries(input)) {
    if (key2 !== "statusDelayMs")
      throw ApiError.badRequest(`setting "${key2}" cannot be changed while the emulator runs`);
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw ApiError.badRequest("statusDelayMs must be a non-negative number");
    }
    ctx.settings.statusDelayMs = value;
  }
  return { status: 200, body: ctx.settings };
}
function setBehaviour(ctx, namespace, revision, body) {
  if (!ctx.dataPlane)
    throw new ApiError(503, "ServiceUnavailable", "this emulator has no data plane");
  const input = parseJson(body);
  if (!isPlainObject(input)) throw ApiError.badRequest("behaviour must be a JSON object");
  const behaviour = {};
  for (const [key2, value] of Object.entries(input)) {
    if (key2 !== "errorRate" && key2 !== "latencyMs")
      throw ApiError.badRequest(`unknown behaviour "${key2}"`);
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || key2 === "errorRate" && value > 1) {
      throw ApiError.badRequest(
        key2 === "errorRate" ? "errorRate must be between 0 and 1" : "latencyMs must be a non-negative number"
      );
    }
    behaviour[key2] = value;
  }
  ctx.dataPlane.setBehaviour(namespace, revision, behaviour);
  return { status: 200, body: { namespace, revision, ...behaviour } };
}
function history(store, query) {
  const want = (field, value) => !query.get(field) || query.get(field) === value;
  return store.history.filter(
    (e) => want("resource", e.resource) && want("namespace", e.object.metadata.namespace) && want("name", e.object.metadata.name)
  ).map((e) => ({
    type: e.type,
    resource: e.resource,
    namespace: e.object.metadata.namespace,
    name: e.object.metadata.name,
    resourceVersion: e.resourceVersion,
    actor: e.actor,
    at: e.at,
    object: e.object
  }));
}

// emulator/api/audit.ts
var AuditLog = class {
  constructor(limit = 2e4) {
    this.limit = limit;
  }
  limit;
  entries = [];
  record(entry) {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.shift();
    return entry;
  }
  list() {
    return this.entries;
  }
  clear() {
    this.entries = [];
  }
};

// emulator/api/rbac.ts
var import_yaml2 = __toESM(require_dist(), 1);
var matches = (allowed, value) => allowed.includes("*") || allowed.includes(value);
function rbacResource(attrs) {
  return attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource ?? "";
}
function allows(rules, attrs) {
  const resource = rbacResource(attrs);
  return rules.some(
    (r) => matches(r.verbs, attrs.verb) && matches(r.apiGroups, attrs.group ?? "") && matches(r.resources, resource) && // resourceNames cannot restrict list, watch or create (there is no name to match).
    (!r.resourceNames?.length || !!attrs.name && r.resourceNames.includes(attrs.name))
  );
}
function forbidden(user, attrs) {
  const resource = rbacResource(attrs);
  const group = attrs.group ?? "";
  const qualified = group ? `${attrs.resource}.${group}` : attrs.resource ?? "";
  const scope = attrs.namespace ? `in the namespace "${attrs.namespace}"` : "at the cluster scope";
  const why = `User "${user}" cannot ${attrs.verb} resource "${resource}" in API group "${group}" ${scope}`;
  const subject = attrs.name ? `${qualified} "${attrs.name}"` : qualified;
  return new ApiError(403, "Forbidden", `${subject} is forbidden: ${why}`, {
    ...attrs.name ? { name: attrs.name } : {},
    group: group || void 0,
    kind: attrs.resource
  });
}
function unauthorized() {
  return new ApiError(401, "Unauthorized", "Unauthorized");
}
function parseRbacPolicy(text) {
  const data = (0, import_yaml2.parse)(text, { maxAliasCount: 10 });
  if (!data || typeof data !== "object" || Array.isArray(data))
    throw new Error("the RBAC file must map tokens to {user, rules}");
  const out = {};
  for (const [token, grant] of Object.entries(data)) {
    const g = grant;
    if (!g || typeof g.user !== "string" || !Array.isArray(g.rules))
      throw new Error(`the RBAC file's entry for a token must be {user, rules: [...]}`);
    const list2 = (v) => Array.isArray(v) && v.every((x) => typeof x === "string");
    for (const r of g.rules) {
      if (!list2(r.apiGroups) || !list2(r.resources) || !list2(r.verbs))
        throw new Error(`user "${g.user}": each rule needs apiGroups, resources and verbs lists`);
    }
    out[token] = { user: g.user, rules: g.rules };
  }
  return out;
}

// emulator/api/auth.ts
var ANONYMOUS = "system:anonymous";
function bearer(headers) {
  return /^Bearer\s+(.+)$/i.exec(headers.authorization ?? "")?.[1].trim();
}
function authenticate(headers, auth) {
  const token = bearer(headers);
  if (!token) return ANONYMOUS;
  const user = auth.tokens.get(token) ?? auth.rbac?.get(token)?.user;
  if (user) return user;
  if (auth.rbac) throw unauthorized();
  return ANONYMOUS;
}
function authorize(headers, auth, attrs) {
  const user = authenticate(headers, auth);
  if (!auth.rbac || attrs.resource === void 0) return user;
  const token = bearer(headers);
  if (token && auth.tokens.has(token)) return user;
  const grant = token ? auth.rbac.get(token) : void 0;
  if (!grant || !allows(grant.rules, attrs)) throw forbidden(user, attrs);
  return user;
}

// emulator/api/discovery.ts
var SERVER_VERSION = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.0-knative-emulator",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2026-01-01T00:00:00Z",
  goVersion: "go1.23.0",
  compiler: "gc",
  platform: "linux/amd64"
};
var NAMESPACES = {
  name: "namespaces",
  singularName: "namespace",
  namespaced: false,
  kind: "Namespace",
  verbs: ["get", "list"],
  shortNames: ["ns"]
};
function resourceList(settings, group, version) {
  const gv = groupVersions(settings).find((x) => x.group === group && x.version === version);
  if (!gv) return void 0;
  const resources = group === "" ? [NAMESPACES] : [];
  for (const t of gv.types) {
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      shortNames: t.shortNames,
      categories: t.categories
    });
    if (t.hasStatus) {
      resources.push({
        name: `${t.plural}/status`,
        singularName: "",
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: ["get", "patch", "update"]
      });
    }
  }
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: group ? `${group}/${version}` : version,
    resources
  };
}
function apiGroup(settings, group) {
  const versions = groupVersions(settings).filter((gv) => gv.group === group).map((gv) => ({ groupVersion: `${group}/${gv.version}`, version: gv.version }));
  if (versions.length === 0) return void 0;
  return {
    kind: "APIGroup",
    apiVersion: "v1",
    name: group,
    versions,
    preferredVersion: versions[0]
  };
}
function discovery(path, settings, host) {
  if (path === "/version") return SERVER_VERSION;
  if (path === "/api") {
    return {
      kind: "APIVersions",
      versions: ["v1"],
      serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: host }]
    };
  }
  if (path === "/api/v1") return resourceList(settings, "", "v1");
  if (path === "/apis") {
    const groups = [
      ...new Set(
        groupVersions(settings).map((gv) => gv.group).filter(Boolean)
      )
    ];
    return {
      kind: "APIGroupList",
      apiVersion: "v1",
      groups: groups.map((g) => apiGroup(settings, g))
    };
  }
  const m = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (m) return m[2] ? resourceList(settings, m[1], m[2]) : apiGroup(settings, m[1]);
  return void 0;
}

// emulator/api/namespaces.ts
function namespaceObject(name, resourceVersion, created) {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      uid: `namespace-${name}`,
      resourceVersion,
      creationTimestamp: created.toISOString().replace(/\.\d+Z$/, "Z"),
      labels: { "kubernetes.io/metadata.name": name }
    },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: "Active" }
  };
}
function namespaceNames(store) {
  const names = /* @__PURE__ */ new Set(["default"]);
  for (const type of RESOURCES)
    for (const obj of store.list(storeKey(type))) names.add(obj.metadata.namespace ?? "default");
  return [...names].sort();
}
function getNamespace(store, name, created) {
  return namespaceObject(name, store.resourceVersion, created);
}
function listNamespaces(store, created) {
  return {
    apiVersion: "v1",
    kind: "NamespaceList",
    metadata: { resourceVersion: store.resourceVersion },
    items: namespaceNames(store).map((n) => namespaceObject(n, store.resourceVersion, created))
  };
}
var NAMESPACE_TYPE = {
  group: "",
  versions: ["v1"],
  plural: "namespaces",
  singular: "namespace",
  kind: "Namespace",
  shortNames: ["ns"],
  categories: [],
  namespaced: false,
  verbs: ["get", "list"],
  hasStatus: false,
  printerColumns: [{ name: "Status", type: "string", jsonPath: ".status.phase" }]
};

// emulator/api/openapi.ts
import { createHash as createHash5 } from "node:crypto";
var PATCH_SCHEMA = "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch";
var queryParam = (name, description) => ({
  name,
  in: "query",
  description,
  schema: { type: "string", uniqueItems: true }
});
var pathParam = (name) => ({
  name,
  in: "path",
  required: true,
  schema: { type: "string", uniqueItems: true }
});
function schemaName(type, version) {
  const group = type.group ? type.group.split(".").reverse().join(".") : "io.k8s.api.core";
  return `${group}.${version}.${type.kind}`;
}
function operations(type, version) {
  const gvk = { group: type.group, version, kind: type.kind };
  const ref = { $ref: `#/components/schemas/${schemaName(type, version)}` };
  const json = { "application/json": { schema: ref } };
  const ok = { "200": { description: "OK", content: json } };
  const op = (action, verb, extra = {}) => ({
    operationId: `${verb}${type.kind}`,
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": gvk,
    responses: ok,
    ...extra
  });
  const writeParams = [
    queryParam("dryRun", "When present, indicates that modifications should not be persisted."),
    queryParam(
      "fieldManager",
      "A name associated with the actor or entity that is making these changes."
    ),
    queryParam(
      "fieldValidation",
      "Ignore, Warn or Strict: how to handle unknown or duplicate fields."
    )
  ];
  const patch2 = op("patch", "patch", {
    parameters: [...writeParams, queryParam("force", 'Force is going to "force" Apply requests.')],
    requestBody: {
      content: Object.fromEntries(
        [
          "application/json-patch+json",
          "application/merge-patch+json",
          "application/apply-patch+yaml"
        ].map((t) => [t, { schema: { $ref: PATCH_SCHEMA } }])
      )
    }
  });
  const put = op("put", "replace", { parameters: writeParams, requestBody: { content: json } });
  return {
    gvk,
    patch: patch2,
    put,
    get: op("get", "read"),
    del: op("delete", "delete"),
    list: op("list", "list"),
    post: op("post", "create", { parameters: writeParams, requestBody: { content: json } })
  };
}
function gvDocument(settings, group, version) {
  const gv = groupVersions(settings).find((x) => x.group === group && x.version === version);
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const paths = {};
  const schemas = {
    "io.k8s.apimachinery.pkg.apis.meta.v1.Patch": {
      type: "object",
      description: "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body."
    }
  };
  for (const type of gv.types) {
    const ops = operations(type, version);
    const collection = `${prefix}/namespaces/{namespace}/${type.plural}`;
    const params = [pathParam("namespace")];
    const named = [pathParam("name"), pathParam("namespace")];
    const canWrite = type.verbs.includes("patch");
    paths[`${prefix}/${type.plural}`] = { get: ops.list };
    paths[collection] = {
      get: ops.list,
      ...type.verbs.includes("create") ? { post: ops.post } : {},
      parameters: params
    };
    paths[`${collection}/{name}`] = {
      get: ops.get,
      delete: ops.del,
      ...canWrite ? { put: ops.put, patch: ops.patch } : {},
      parameters: named
    };
    if (type.hasStatus && canWrite) {
      paths[`${collection}/{name}/status`] = {
        get: ops.get,
        put: ops.put,
        patch: ops.patch,
        parameters: named
      };
    }
    const open = { type: "object", "x-kubernetes-preserve-unknown-fields": true };
    schemas[schemaName(type, version)] = {
      type: "object",
      "x-kubernetes-group-version-kind": [ops.gvk],
      properties: {
        apiVersion: { type: "string" },
        kind: { type: "string" },
        metadata: open,
        spec: open,
        status: open
      }
    };
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "v1.32.0" },
    paths,
    components: { schemas }
  };
}
var hashOf = (doc) => createHash5("sha256").update(JSON.stringify(doc)).digest("hex").slice(0, 32).toUpperCase();
function openapiV3(path, settings) {
  const docs = /* @__PURE__ */ new Map();
  for (const gv of groupVersions(settings)) {
    const key2 = gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`;
    docs.set(key2, gvDocument(settings, gv.group, gv.version));
  }
  if (path === "/openapi/v3") {
    const paths = {};
    for (const [key2, doc] of docs)
      paths[key2] = { serverRelativeURL: `/openapi/v3/${key2}?hash=${hashOf(doc)}` };
    return { paths };
  }
  return docs.get(path.replace(/^\/openapi\/v3\//, ""));
}

// emulator/api/jsonpath.ts
function parse(path) {
  const steps = [];
  let rest = path.trim();
  while (rest) {
    let m;
    if (m = /^\.([A-Za-z0-9_-]+)/.exec(rest)) steps.push({ kind: "field", name: m[1] });
    else if (m = /^\['((?:[^'\\]|\\.)*)'\]/.exec(rest))
      steps.push({ kind: "field", name: m[1].replace(/\\(.)/g, "$1") });
    else if (m = /^\[(\d+)\]/.exec(rest)) steps.push({ kind: "index", index: Number(m[1]) });
    else if (m = /^\[\?\(@\.([A-Za-z0-9_.-]+)\s*==\s*"([^"]*)"\)\]/.exec(rest)) {
      steps.push({ kind: "filter", field: m[1], value: m[2] });
    } else throw new Error(`unsupported JSONPath at "${rest}" in "${path}"`);
    rest = rest.slice(m[0].length);
  }
  return steps;
}
var cache = /* @__PURE__ */ new Map();
function evaluate(path, obj) {
  let steps = cache.get(path);
  if (!steps) cache.set(path, steps = parse(path));
  let current = obj;
  for (const step of steps) {
    if (current === void 0 || current === null) return void 0;
    if (step.kind === "field") current = current[step.name];
    else if (step.kind === "index")
      current = Array.isArray(current) ? current[step.index] : void 0;
    else {
      current = Array.isArray(current) ? current.find((item) => String(evaluate(`.${step.field}`, item)) === step.value) : void 0;
    }
  }
  return current;
}

// emulator/api/table.ts
function wantsTable(accept) {
  if (!accept) return false;
  const parts = accept.split(",").map((part) => part.replace(/\s/g, ""));
  return parts.some(
    (part) => part.includes("as=Table") && part.includes("g=meta.k8s.io") && part.startsWith("application/json")
  );
}
function humanDuration(ms) {
  const s = Math.floor(ms / 1e3);
  if (s < -1) return "<invalid>";
  if (s < 0) return "0s";
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 24 * 8)
    return h % 24 === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`;
  const d = Math.floor(h / 24);
  if (h < 24 * 365 * 8)
    return d % 365 === 0 ? `${Math.floor(d / 365)}y` : `${Math.floor(d / 365)}y${d % 365}d`;
  return `${Math.floor(d / 365)}y`;
}
var podColumns = [
  {
    name: "Ready",
    type: "string",
    priority: 0,
    description: "ready containers / containers",
    cell: (pod) => {
      const statuses = pod.status?.containerStatuses ?? [];
      const total = pod.spec?.containers?.length ?? statuses.length;
      return `${statuses.filter((c) => c.ready).length}/${total}`;
    }
  },
  {
    name: "Status",
    type: "string",
    priority: 0,
    description: "the pod phase, or why a container is not running",
    cell: (pod) => {
      if (pod.metadata.deletionTimestamp) return "Terminating";
      for (const c of pod.status?.containerStatuses ?? []) {
        const reason = c.state?.waiting?.reason ?? c.state?.terminated?.reason;
        if (reason) return reason;
      }
      return pod.status?.phase ?? "Pending";
    }
  },
  {
    name: "Restarts",
    type: "integer",
    priority: 0,
    description: "container restarts",
    cell: (pod) => (pod.status?.containerStatuses ?? []).reduce(
      (n, c) => n + (c.restartCount ?? 0),
      0
    )
  }
];
function columnsFor(type, now) {
  const name = {
    name: "Name",
    type: "string",
    format: "name",
    priority: 0,
    description: "Name must be unique within a namespace.",
    cell: (obj) => obj.metadata.name
  };
  const age = {
    name: "Age",
    type: "date",
    priority: 0,
    description: "CreationTimestamp is the time the object was created.",
    cell: (obj) => obj.metadata.creationTimestamp ? humanDuration(now.getTime() - Date.parse(obj.metadata.creationTimestamp)) : "<unknown>"
  };
  const custom = type.group === "" && type.plural === "pods" ? podColumns : type.printerColumns.map((c) => ({
    name: c.name,
    type: c.type,
    priority: c.priority ?? 0,
    description: c.jsonPath,
    cell: (obj) => evaluate(c.jsonPath, obj) ?? null
  }));
  return [name, ...custom, age];
}
function toTable(type, objects, now, include, resourceVersion) {
  const columns = columnsFor(type, now);
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: resourceVersion ? { resourceVersion } : {},
    columnDefinitions: columns.map(({ cell: _cell, ...def }) => def),
    rows: objects.map((obj) => ({
      cells: columns.map((c) => c.cell(obj)),
      ...include === "None" ? {} : {
        object: include === "Object" ? obj : {
          kind: "PartialObjectMetadata",
          apiVersion: "meta.k8s.io/v1",
          metadata: obj.metadata
        }
      }
    }))
  };
}
function includeObjectOf(query) {
  const value = query.get("includeObject");
  return value === "None" || value === "Object" ? value : "PartialObjectMetadata";
}

// emulator/api/types.ts
var identityAdmit = (req) => structuredClone(req.object);
var identityPresent = (_resource, _version, stored) => stored;

// emulator/api/request.ts
var import_yaml3 = __toESM(require_dist(), 1);
var keyOf = (req) => storeKey(req.target.type);
var show2 = (ctx, req, obj) => ctx.present(req.target.type, req.target.version, obj);
function live(ctx, req) {
  const { namespace, name } = req.target;
  const found = ctx.store.get(keyOf(req), namespace, name);
  if (!found) throw ApiError.notFound(keyOf(req), name);
  return found;
}
function isDryRun(query) {
  const values = query.getAll("dryRun");
  if (values.some((v) => v !== "All")) {
    throw ApiError.badRequest(`unsupported dry run value: ${values.join(",")}`);
  }
  return values.length > 0;
}
function parseObject(req) {
  const data = req.contentType.includes("yaml") ? parseYamlBody(req.body) : parseJson(req.body);
  if (!isPlainObject(data)) throw ApiError.badRequest("the request body must be a JSON object");
  const obj = data;
  checkKind(obj, req.target.type, req.target.version);
  obj.metadata = isPlainObject(obj.metadata) ? obj.metadata : {};
  const { namespace } = req.target;
  if (obj.metadata.namespace && namespace && obj.metadata.namespace !== namespace) {
    throw ApiError.badRequest(
      "the namespace of the provided object does not match the namespace sent on the request"
    );
  }
  obj.metadata.namespace = namespace;
  return obj;
}
function parseYamlBody(text) {
  try {
    return (0, import_yaml3.parse)(text);
  } catch (err) {
    throw ApiError.badRequest(`error decoding YAML: ${err.message}`);
  }
}
function checkKind(obj, type, version) {
  const apiVersion = apiVersionOf(type, version);
  if (obj.apiVersion && obj.apiVersion !== apiVersion) {
    throw ApiError.badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersion})`
    );
  }
  if (obj.kind && obj.kind !== type.kind) {
    throw ApiError.badRequest(
      `the kind in the data (${obj.kind}) does not match the expected kind (${type.kind})`
    );
  }
  obj.apiVersion = apiVersion;
  obj.kind = type.kind;
}
function checkName(obj, req) {
  if (obj.metadata.name !== req.target.name) {
    throw ApiError.badRequest(
      `the name of the object (${obj.metadata.name ?? ""}) does not match the name on the URL (${req.target.name})`
    );
  }
}
function invalidObject(type, name, field, detail) {
  const qualified = type.group ? `${type.kind}.${type.group}` : type.kind;
  return new ApiError(422, "Invalid", `${qualified} "${name}" is invalid: ${field}: ${detail}`, {
    name,
    group: type.group || void 0,
    kind: type.kind,
    causes: [{ reason: "FieldValueInvalid", message: detail, field }]
  });
}

// emulator/api/selectors.ts
function splitTerms(selector) {
  const terms = [];
  let depth = 0;
  let current = "";
  for (const ch of selector) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      terms.push(current);
      current = "";
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter(Boolean);
}
function parseLabelTerm(term) {
  let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (m) {
    const values = m[3].split(",").map((v) => v.trim()).filter(Boolean);
    return { key: m[1], op: m[2], values };
  }
  m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(term);
  if (m) return { key: m[1], op: m[2] === "!=" ? "neq" : "eq", value: m[3] };
  m = /^!\s*([\w./-]+)$/.exec(term);
  if (m) return { key: m[1], op: "absent" };
  m = /^([\w./-]+)$/.exec(term);
  if (m) return { key: m[1], op: "exists" };
  throw ApiError.badRequest(`unable to parse requirement: invalid label selector term "${term}"`);
}
function matches2(req, labels) {
  const has = Object.hasOwn(labels, req.key);
  const value = labels[req.key];
  switch (req.op) {
    case "eq":
      return has && value === req.value;
    case "neq":
      return !has || value !== req.value;
    case "in":
      return has && req.values.includes(value);
    case "notin":
      return !has || !req.values.includes(value);
    case "exists":
      return has;
    case "absent":
      return !has;
  }
}
function parseLabelSelector(selector) {
  if (!selector) return () => true;
  const reqs = splitTerms(selector).map(parseLabelTerm);
  return (obj) => reqs.every((r) => matches2(r, obj.metadata.labels ?? {}));
}
var FIELDS = {
  "metadata.name": (o) => o.metadata.name,
  "metadata.namespace": (o) => o.metadata.namespace
};
function parseFieldSelector(selector) {
  if (!selector) return () => true;
  const checks = splitTerms(selector).map((term) => {
    const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw ApiError.badRequest(`invalid selector: '${term}'; can't understand '${term}'`);
    const get3 = FIELDS[m[1]];
    if (!get3) {
      throw ApiError.badRequest(
        `"${m[1]}" is not a known field selector: only "metadata.name", "metadata.namespace"`
      );
    }
    const [op, value] = [m[2], m[3].trim()];
    return (obj) => get3(obj) === value === (op !== "!=");
  });
  return (obj) => checks.every((check) => check(obj));
}
function selectorsOf(query) {
  const labels = parseLabelSelector(query.get("labelSelector"));
  const fields = parseFieldSelector(query.get("fieldSelector"));
  return (obj) => labels(obj) && fields(obj);
}

// emulator/api/delete.ts
var GC_ACTOR = "garbage-collector";
function deleteOptions(req) {
  const body = req.body.trim() ? parseJson(req.body) : {};
  const opts = isPlainObject(body) ? body : {};
  const policy = req.query.get("propagationPolicy") ?? opts.propagationPolicy;
  return { ...opts, propagationPolicy: policy ?? void 0 };
}
function cascade(store, uid, namespace) {
  if (!uid) return;
  for (const type of RESOURCES) {
    const key2 = storeKey(type);
    for (const obj of store.list(key2, namespace)) {
      if (!obj.metadata.ownerReferences?.some((ref) => ref.uid === uid)) continue;
      if (!store.get(key2, namespace, obj.metadata.name)) continue;
      store.delete(key2, namespace, obj.metadata.name, GC_ACTOR);
      cascade(store, obj.metadata.uid, namespace);
    }
  }
}
function deleteOne(ctx, req, current, opts, dryRun) {
  const { uid, resourceVersion } = opts.preconditions ?? {};
  if (uid && uid !== current.metadata.uid || resourceVersion && resourceVersion !== current.metadata.resourceVersion) {
    throw ApiError.conflict(keyOf(req), current.metadata.name);
  }
  if (dryRun) return current;
  const gone = ctx.store.delete(
    keyOf(req),
    current.metadata.namespace,
    current.metadata.name,
    "api"
  );
  if (opts.propagationPolicy !== "Orphan")
    cascade(ctx.store, current.metadata.uid, current.metadata.namespace);
  return gone;
}
function remove(ctx, req) {
  const current = live(ctx, req);
  const gone = deleteOne(ctx, req, current, deleteOptions(req), isDryRun(req.query));
  const { type } = req.target;
  if (type.group === "") return { status: 200, body: show2(ctx, req, gone) };
  return {
    status: 200,
    body: {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Success",
      details: {
        name: gone.metadata.name,
        group: type.group,
        kind: type.plural,
        uid: gone.metadata.uid
      }
    }
  };
}
function removeCollection(ctx, req) {
  const { type, version, namespace } = req.target;
  const opts = deleteOptions(req);
  const dryRun = isDryRun(req.query);
  const matches3 = selectorsOf(req.query);
  const items = [];
  for (const obj of ctx.store.list(keyOf(req), namespace).filter(matches3)) {
    if (!ctx.store.get(keyOf(req), obj.metadata.namespace, obj.metadata.name)) continue;
    items.push(show2(ctx, req, deleteOne(ctx, req, obj, opts, dryRun)));
  }
  return {
    status: 200,
    body: {
      apiVersion: apiVersionOf(type, version),
      kind: `${type.kind}List`,
      metadata: { resourceVersion: ctx.store.resourceVersion },
      items
    }
  };
}

// emulator/api/read.ts
function asTableOr(ctx, req, objects, plain2) {
  if (!wantsTable(req.accept)) return plain2;
  return toTable(
    req.target.type,
    objects,
    ctx.now(),
    includeObjectOf(req.query),
    ctx.store.resourceVersion
  );
}
function list(ctx, req) {
  const { type, version, namespace } = req.target;
  const matches3 = selectorsOf(req.query);
  const items = ctx.store.list(keyOf(req), namespace).filter(matches3).map((o) => show2(ctx, req, o));
  const plain2 = {
    apiVersion: apiVersionOf(type, version),
    kind: `${type.kind}List`,
    metadata: { resourceVersion: ctx.store.resourceVersion },
    items
  };
  return { status: 200, body: asTableOr(ctx, req, items, plain2) };
}
function get(ctx, req) {
  const obj = show2(ctx, req, live(ctx, req));
  return { status: 200, body: asTableOr(ctx, req, [obj], obj) };
}

// emulator/api/write.ts
import { randomUUID } from "node:crypto";

// emulator/api/apply.ts
var import_yaml4 = __toESM(require_dist(), 1);
var SERVER_OWNED = /* @__PURE__ */ new Set(["apiVersion", "kind", "status"]);
var SERVER_OWNED_META = /* @__PURE__ */ new Set([
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "managedFields",
  "selfLink"
]);
function parseApplyBody(text) {
  let body;
  try {
    body = (0, import_yaml4.parse)(text);
  } catch (err) {
    throw ApiError.badRequest(`error decoding YAML: ${err.message}`);
  }
  if (!isPlainObject(body) || !isPlainObject(body.metadata)) {
    throw ApiError.badRequest("the apply body must be an object with metadata");
  }
  return body;
}
function fieldPaths(obj, prefix = []) {
  const out = [];
  for (const [key2, value] of Object.entries(obj)) {
    if (prefix.length === 0 && SERVER_OWNED.has(key2)) continue;
    if (prefix.length === 1 && prefix[0] === "metadata" && SERVER_OWNED_META.has(key2)) continue;
    const path = [...prefix, key2];
    if (isPlainObject(value) && Object.keys(value).length > 0) out.push(...fieldPaths(value, path));
    else out.push(path);
  }
  return out;
}
function encodeFields(paths) {
  const root = {};
  for (const path of paths) {
    let node = root;
    for (const key2 of path) node = node[`f:${key2}`] ??= {};
  }
  return root;
}
function decodeFields(fields, prefix = []) {
  if (!isPlainObject(fields)) return [];
  const entries = Object.entries(fields).filter(([k]) => k.startsWith("f:"));
  if (entries.length === 0) return prefix.length ? [prefix] : [];
  return entries.flatMap(([k, v]) => decodeFields(v, [...prefix, k.slice(2)]));
}
function deleteAt(obj, path) {
  let node = obj;
  for (const key2 of path.slice(0, -1)) {
    node = node?.[key2];
    if (!isPlainObject(node)) return;
  }
  delete node[path[path.length - 1]];
}
function merge(live2, applied) {
  if (!isPlainObject(applied) || !isPlainObject(live2)) return structuredClone(applied);
  const out = { ...live2 };
  for (const [key2, value] of Object.entries(applied)) {
    if (value === null) delete out[key2];
    else out[key2] = merge(out[key2], value);
  }
  return out;
}
function applyConfig(live2, applied, manager, apiVersion, now) {
  const entries = live2?.metadata.managedFields ?? [];
  const mine = entries.find((e) => e.manager === manager && e.operation === "Apply");
  const newPaths = fieldPaths(applied);
  const keep = new Set(newPaths.map((p) => p.join("\0")));
  const result = structuredClone(live2 ?? { metadata: {} });
  for (const old of decodeFields(mine?.fieldsV1)) {
    if (!keep.has(old.join("\0"))) deleteAt(result, old);
  }
  const merged = merge(result, { ...applied, metadata: { ...applied.metadata } });
  delete merged.metadata.managedFields;
  merged.metadata.managedFields = [
    ...entries.filter((e) => e !== mine),
    {
      manager,
      operation: "Apply",
      apiVersion,
      time: now.toISOString().replace(/\.\d+Z$/, "Z"),
      fieldsType: "FieldsV1",
      fieldsV1: encodeFields(newPaths)
    }
  ];
  return merged;
}

// emulator/api/patch.ts
function mergePatch(target, patch2) {
  if (!isPlainObject(patch2)) return structuredClone(patch2);
  const out = isPlainObject(target) ? { ...target } : {};
  for (const [key2, value] of Object.entries(patch2)) {
    if (value === null) delete out[key2];
    else out[key2] = mergePatch(out[key2], value);
  }
  return out;
}
var invalid = (message) => new ApiError(422, "Invalid", message);
function tokens(pointer) {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw invalid(`invalid JSON pointer: "${pointer}"`);
  return pointer.slice(1).split("/").map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}
function parentOf(doc, pointer) {
  const path = tokens(pointer);
  if (path.length === 0) throw invalid(`cannot operate on the whole document: "${pointer}"`);
  let node = doc;
  for (const t of path.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(t)] : isPlainObject(node) ? node[t] : void 0;
    if (node === void 0) throw invalid(`doc is missing path: "${pointer}": missing value`);
  }
  return { parent: node, key: path[path.length - 1] };
}
function arrayIndex(arr, key2, forInsert, pointer) {
  if (forInsert && key2 === "-") return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(key2)) throw invalid(`invalid array index "${key2}" in "${pointer}"`);
  const i = Number(key2);
  if (i > arr.length || !forInsert && i === arr.length)
    throw invalid(`index out of range: "${pointer}"`);
  return i;
}
function get2(doc, pointer) {
  let node = doc;
  for (const t of tokens(pointer)) {
    node = Array.isArray(node) ? node[Number(t)] : isPlainObject(node) ? node[t] : void 0;
    if (node === void 0) throw invalid(`doc is missing path: "${pointer}": missing value`);
  }
  return node;
}
function add2(doc, pointer, value) {
  if (pointer === "") return value;
  const { parent, key: key2 } = parentOf(doc, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key2, true, pointer), 0, value);
  else if (isPlainObject(parent)) parent[key2] = value;
  else throw invalid(`doc is missing path: "${pointer}"`);
  return doc;
}
function remove2(doc, pointer) {
  const { parent, key: key2 } = parentOf(doc, pointer);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, key2, false, pointer), 1)[0];
  if (!isPlainObject(parent) || !Object.hasOwn(parent, key2)) {
    throw invalid(`Unable to remove nonexistent key: ${key2}: missing value`);
  }
  const old = parent[key2];
  delete parent[key2];
  return old;
}
var canonical = (v) => JSON.stringify(
  v,
  (_k, val) => isPlainObject(val) ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => a.localeCompare(b))) : val
);
function jsonPatch(target, patch2) {
  if (!Array.isArray(patch2))
    throw ApiError.badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  let doc = structuredClone(target);
  for (const raw of patch2) {
    if (!isPlainObject(raw) || typeof raw.path !== "string")
      throw ApiError.badRequest("invalid JSON patch operation");
    const { op, path } = raw;
    switch (op) {
      case "add":
        doc = add2(doc, path, structuredClone(raw.value));
        break;
      case "remove":
        remove2(doc, path);
        break;
      case "replace":
        get2(doc, path);
        if (path === "") doc = structuredClone(raw.value);
        else {
          const { parent, key: key2 } = parentOf(doc, path);
          parent[Array.isArray(parent) ? arrayIndex(parent, key2, false, path) : key2] = structuredClone(raw.value);
        }
        break;
      case "move":
        doc = add2(doc, path, remove2(doc, raw.from ?? ""));
        break;
      case "copy":
        doc = add2(doc, path, structuredClone(get2(doc, raw.from ?? "")));
        break;
      case "test":
        if (canonical(get2(doc, path)) !== canonical(raw.value)) {
          throw invalid(`testing value ${path} failed: test failed`);
        }
        break;
      default:
        throw ApiError.badRequest(`Unexpected kind: ${String(op)}`);
    }
  }
  return doc;
}

// emulator/api/write.ts
var PATCH_TYPES = [
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/apply-patch+yaml"
];
var NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
var nameSuffix = () => Array.from(
  { length: 5 },
  () => NAME_ALPHABET[Math.floor(Math.random() * NAME_ALPHABET.length)]
).join("");
function create(ctx, req, obj) {
  const { type, version } = req.target;
  const meta = obj.metadata;
  if (!meta.name && meta.generateName) meta.name = meta.generateName + nameSuffix();
  if (!meta.name) {
    throw invalidObject(
      type,
      "",
      "metadata.name",
      "Required value: name or generateName is required"
    );
  }
  if (meta.resourceVersion) {
    throw new ApiError(
      500,
      "InternalError",
      "Internal error occurred: resourceVersion should not be set on objects to be created"
    );
  }
  for (const field of ["uid", "generation", "creationTimestamp", "deletionTimestamp"])
    delete meta[field];
  if (type.hasStatus) delete obj.status;
  const stored = ctx.admit(
    { operation: "CREATE", resource: type, version, object: obj, user: req.user },
    ctx.settings
  );
  if (isDryRun(req.query)) {
    if (ctx.store.get(keyOf(req), stored.metadata.namespace, stored.metadata.name)) {
      throw ApiError.alreadyExists(keyOf(req), stored.metadata.name);
    }
    const preview = structuredClone(stored);
    Object.assign(preview.metadata, {
      uid: randomUUID(),
      generation: 1,
      creationTimestamp: ctx.now().toISOString().replace(/\.\d+Z$/, "Z")
    });
    return { status: 201, body: show2(ctx, req, preview) };
  }
  return { status: 201, body: show2(ctx, req, ctx.store.create(keyOf(req), stored, "api")) };
}
function write(ctx, req, admitted, current, resourceVersion) {
  admitted.metadata.resourceVersion = resourceVersion ?? current.metadata.resourceVersion;
  if (isDryRun(req.query)) {
    if (admitted.metadata.resourceVersion !== current.metadata.resourceVersion) {
      throw ApiError.conflict(keyOf(req), current.metadata.name);
    }
    const { uid, creationTimestamp, generation } = current.metadata;
    const preview = {
      ...admitted,
      status: current.status,
      metadata: { ...admitted.metadata, uid, creationTimestamp, generation }
    };
    return { status: 200, body: show2(ctx, req, preview) };
  }
  return {
    status: 200,
    body: show2(ctx, req, ctx.store.update(keyOf(req), admitted, { actor: "api" }))
  };
}
function writeStatus2(ctx, req, next, current) {
  const resourceVersion = next.metadata?.resourceVersion ?? current.metadata.resourceVersion;
  const { type, version } = req.target;
  const proposed = { ...show2(ctx, req, current), status: next.status };
  const admitted = ctx.admit(
    {
      operation: "UPDATE",
      resource: type,
      version,
      object: proposed,
      oldObject: current,
      user: req.user,
      subresource: "status"
    },
    ctx.settings
  );
  const input = {
    ...current,
    status: admitted.status,
    metadata: { ...current.metadata, resourceVersion }
  };
  if (isDryRun(req.query)) return { status: 200, body: show2(ctx, req, input) };
  return {
    status: 200,
    body: show2(
      ctx,
      req,
      ctx.store.update(keyOf(req), input, { subresource: "status", actor: "api" })
    )
  };
}
function update(ctx, req) {
  const current = live(ctx, req);
  const obj = parseObject(req);
  checkName(obj, req);
  if (req.target.subresource === "status") return writeStatus2(ctx, req, obj, current);
  const rv = obj.metadata.resourceVersion;
  if (!rv) {
    throw invalidObject(
      req.target.type,
      current.metadata.name,
      "metadata.resourceVersion",
      "Invalid value: 0x0: must be specified for an update"
    );
  }
  if (rv !== current.metadata.resourceVersion)
    throw ApiError.conflict(keyOf(req), current.metadata.name);
  const { type, version } = req.target;
  const admitted = ctx.admit(
    {
      operation: "UPDATE",
      resource: type,
      version,
      object: obj,
      oldObject: current,
      user: req.user
    },
    ctx.settings
  );
  return write(ctx, req, admitted, current, rv);
}
function patch(ctx, req) {
  const { type, version } = req.target;
  if (req.contentType === "application/apply-patch+yaml") return apply2(ctx, req);
  if (!PATCH_TYPES.includes(req.contentType)) {
    throw new ApiError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(", ")}`
    );
  }
  const current = live(ctx, req);
  const body = parseJson(req.body);
  const patched = req.contentType === "application/merge-patch+json" ? mergePatch(show2(ctx, req, current), body) : jsonPatch(show2(ctx, req, current), body);
  if (!isPlainObject(patched) || !isPlainObject(patched.metadata)) {
    throw ApiError.badRequest("the patched object must be an object with metadata");
  }
  if (req.target.subresource === "status") return writeStatus2(ctx, req, patched, current);
  checkKind(patched, type, version);
  patched.metadata.name = current.metadata.name;
  patched.metadata.namespace = current.metadata.namespace;
  const admitted = ctx.admit(
    {
      operation: "UPDATE",
      resource: type,
      version,
      object: patched,
      oldObject: current,
      user: req.user
    },
    ctx.settings
  );
  return write(ctx, req, admitted, current, patched.metadata.resourceVersion);
}
function apply2(ctx, req) {
  const { type, version, namespace, name } = req.target;
  const manager = req.query.get("fieldManager");
  if (!manager) {
    throw invalidObject(type, name, "fieldManager", "Required value: is required for apply patch");
  }
  const applied = parseApplyBody(req.body);
  if (!applied.apiVersion || !applied.kind) {
    throw ApiError.badRequest("apiVersion and kind must be set in an apply request");
  }
  checkKind(applied, type, version);
  checkName(applied, req);
  if (applied.metadata.namespace && applied.metadata.namespace !== namespace) {
    throw ApiError.badRequest(
      "the namespace of the provided object does not match the namespace sent on the request"
    );
  }
  const current = ctx.store.get(keyOf(req), namespace, name);
  const gv = apiVersionOf(type, version);
  if (!current) {
    if (req.target.subresource === "status") throw ApiError.notFound(keyOf(req), name);
    const obj = applyConfig(void 0, applied, manager, gv, ctx.now());
    obj.metadata.namespace = namespace;
    return create(ctx, req, obj);
  }
  const merged = applyConfig(show2(ctx, req, current), applied, manager, gv, ctx.now());
  if (req.target.subresource === "status") return writeStatus2(ctx, req, merged, current);
  const admitted = ctx.admit(
    {
      operation: "UPDATE",
      resource: type,
      version,
      object: merged,
      oldObject: current,
      user: req.user
    },
    ctx.settings
  );
  return write(ctx, req, admitted, current, merged.metadata.resourceVersion);
}

// emulator/api/verbs.ts
function serveVerb(verb, ctx, req) {
  switch (verb) {
    case "list":
      return list(ctx, req);
    case "get":
      return get(ctx, req);
    case "create":
      return create(ctx, req, parseObject(req));
    case "update":
      return update(ctx, req);
    case "patch":
      return patch(ctx, req);
    case "delete":
      return remove(ctx, req);
    case "deletecollection":
      return removeCollection(ctx, req);
  }
}

// emulator/api/watch.ts
function serveWatch(res, ctx, req, opts) {
  const { type, version, namespace } = req.target;
  const key2 = storeKey(type);
  const matches3 = selectorsOf(req.query);
  const rvParam = req.query.get("resourceVersion");
  const since = rvParam && rvParam !== "0" ? Number(rvParam) : void 0;
  if (since !== void 0 && !Number.isInteger(since)) {
    throw ApiError.badRequest(`invalid resource version: ${rvParam}`);
  }
  const asTable = wantsTable(req.accept);
  const render = (obj) => {
    const shown = ctx.present(type, version, obj);
    return asTable ? toTable(type, [shown], ctx.now(), "PartialObjectMetadata") : shown;
  };
  res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache" });
  res.flushHeaders();
  const timers = [];
  let unsubscribe = () => {
  };
  const stop = () => {
    unsubscribe();
    timers.forEach(clearTimeout);
  };
  const close = (how) => {
    stop();
    if (how === "end") res.end();
    else res.destroy();
  };
  res.on("close", stop);
  const send = (eventType, object) => {
    if (!res.writableEnded && !res.destroyed)
      res.write(JSON.stringify({ type: eventType, object }) + "\n");
  };
  if (since === void 0) {
    for (const obj of ctx.store.list(key2, namespace)) if (matches3(obj)) send("ADDED", render(obj));
  }
  try {
    unsubscribe = ctx.store.watch(key2, namespace, since, (event) => {
      try {
        if (matches3(event.object)) send(event.type, render(event.object));
      } catch {
        close("destroy");
      }
    });
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    send("ERROR", err.toStatus());
    close("end");
    return;
  }
  const timeoutSeconds = Number(req.query.get("timeoutSeconds") ?? 0);
  if (timeoutSeconds > 0) timers.push(setTimeout(() => close("end"), timeoutSeconds * 1e3));
  if (opts.dropAfterMs > 0) timers.push(setTimeout(() => close("destroy"), opts.dropAfterMs));
}

// emulator/server.ts
var NAMESPACE_PATH = /^\/api\/v1\/namespaces(?:\/([^/]+))?$/;
function createApiServer(opts) {
  const { store, settings, dataPlane } = opts;
  const now = opts.now ?? (() => /* @__PURE__ */ new Date());
  const random = opts.random ?? Math.random;
  const auth = {
    tokens: new Map(Object.entries(opts.tokens ?? {})),
    rbac: opts.rbac && new Map(Object.entries(opts.rbac))
  };
  const audit2 = new AuditLog();
  const startedAt = now();
  const ctx = {
    store,
    settings,
    admit: opts.admit ?? identityAdmit,
    present: opts.present ?? identityPresent,
    now
  };
  async function serveApi(req, res, url, path, entry) {
    const method = req.method ?? "GET";
    const query = url.searchParams;
    const namespaces = NAMESPACE_PATH.exec(path);
    const target = namespaces ? void 0 : resolveResource(path, settings);
    const verb = target ? verbOf(method, target, query) : method === "GET" ? "get" : void 0;
    entry.user = authenticate(req.headers, auth);
    authorize(req.headers, auth, {
      verb: verb ?? method.toLowerCase(),
      group: target?.type.group ?? (namespaces ? "" : void 0),
      resource: target?.type.plural ?? (namespaces ? "namespaces" : void 0),
      subresource: target?.subresource,
      namespace: target?.namespace,
      name: target?.name ?? namespaces?.[1]
    });
    if (!target) {
      if (method !== "GET") throw methodNotAllowed();
      if (namespaces) {
        const name2 = namespaces[1] && decodeURIComponent(namespaces[1]);
        const body2 = name2 ? getNamespace(store, name2, startedAt) : listNamespaces(store, startedAt);
        if (!wantsTable(req.headers.accept)) return sendJson(res, 200, body2);
        const objects = "items" in body2 ? body2.items : [body2];
        return sendJson(res, 200, toTable(NAMESPACE_TYPE, objects, now(), includeObjectOf(query)));
      }
      const doc = path.startsWith("/openapi/v3") ? openapiV3(path, settings) : discovery(path, settings, req.headers.host ?? "");
      if (doc === void 0) return sendText(res, 404, "404 page not found\n");
      return sendJson(res, 200, doc);
    }
    const { type, subresource, name } = target;
    const allowed = subresource === "status" ? ["get", "update", "patch"] : type.verbs;
    if (!allowed.includes(verb)) throw methodNotAllowed();
    const faults = decideFaults(settings.faults, verb === "update" || verb === "patch", random);
    if (faults.delayMs > 0) await sleep(faults.delayMs);
    if (faults.error) throw faults.error;
    const body = await readBody(req);
    if (faults.conflict) throw ApiError.conflict(storeKey(type), name ?? "");
    const request = {
      target,
      query,
      contentType: (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase(),
      accept: req.headers.accept,
      body,
      user: entry.user
    };
    if (verb === "watch")
      return serveWatch(res, ctx, request, { dropAfterMs: settings.faults.watchDropAfterMs });
    const reply = serveVerb(verb, ctx, request);
    sendJson(res, reply.status, reply.body);
  }
  async function handle(req, res) {
    const url = new URL(req.url ?? "/", "http://emulator");
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
    const method = req.method ?? "GET";
    if (path.startsWith("/emulator/") || path === "/metrics") {
      try {
        if (path === "/metrics") {
          if (!dataPlane) return sendText(res, 404, "this emulator has no data plane\n");
          return sendText(res, 200, dataPlane.metrics(), "text/plain; version=0.0.4; charset=utf-8");
        }
        const reply = serveAdmin(
          { store, settings, audit: audit2, dataPlane },
          method,
          path,
          url.searchParams,
          await readBody(req)
        );
        sendJson(res, reply.status, reply.body ?? {});
      } catch (err) {
        sendError(res, err);
      }
      return;
    }
    const entry = audit2.record({
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      contentType: req.headers["content-type"],
      status: 0,
      user: ANONYMOUS,
      time: now().toISOString()
    });
    try {
      await serveApi(req, res, url, path, entry);
    } catch (err) {
      sendError(res, err);
    }
    entry.status = res.statusCode;
  }
  const listener = (req, res) => {
    handle(req, res).catch((err) => sendError(res, err));
  };
  const httpServer = opts.tls ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, listener) : createServer2(listener);
  return {
    audit: audit2,
    httpServer,
    listen(port = 0, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          httpServer.off("error", reject);
          const address = httpServer.address();
          resolve(`${opts.tls ? "https" : "http"}://${host}:${address.port}`);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        if (!httpServer.listening) return resolve();
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
    }
  };
}

// emulator/tls.ts
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
var run = promisify(execFile);
async function selfSignedCert(openssl = "openssl") {
  const dir = await mkdtemp(join(tmpdir(), "emulator-tls-"));
  try {
    const keyPath = join(dir, "key.pem");
    const certPath = join(dir, "cert.pem");
    await run(
      openssl,
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=knative-emulator",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-keyout",
        keyPath,
        "-out",
        certPath
      ],
      { timeout: 3e4 }
    ).catch((err) => {
      throw new Error(`cannot make a TLS certificate with the openssl CLI: ${err.message}`);
    });
    return { cert: await readFile(certPath, "utf8"), key: await readFile(keyPath, "utf8") };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// emulator/store.ts
import { randomUUID as randomUUID2 } from "node:crypto";
var clone = (value) => structuredClone(value);
var Store = class {
  /**
   * @param now injected clock for creationTimestamp
   * @param logLimit how many events a watch can resume from before it gets 410 Gone
   */
  constructor(now = () => /* @__PURE__ */ new Date(), logLimit = 5e3) {
    this.now = now;
    this.logLimit = logLimit;
  }
  now;
  logLimit;
  objects = /* @__PURE__ */ new Map();
  log = [];
  listeners = /* @__PURE__ */ new Set();
  version = 0;
  /** The newest resourceVersion, as a list's `metadata.resourceVersion`. */
  get resourceVersion() {
    return String(this.version);
  }
  get(resource, namespace, name) {
    const found = this.objects.get(key(resource, namespace, name));
    return found && clone(found);
  }
  list(resource, namespace) {
    const prefix = namespace === void 0 ? `${resource}/` : `${resource}/${namespace}/`;
    return [...this.objects.entries()].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b)).map(([, obj]) => clone(obj));
  }
  create(resource, input, actor = "api") {
    const obj = clone(input);
    const meta = obj.metadata;
    if (!meta.name && meta.generateName) meta.name = meta.generateName + randomSuffix();
    const k = key(resource, meta.namespace, meta.name);
    if (this.objects.has(k)) {
      throw ApiError.alreadyExists(resource, meta.name);
    }
    meta.uid = randomUUID2();
    meta.generation = 1;
    meta.creationTimestamp = this.now().toISOString().replace(/\.\d+Z$/, "Z");
    delete meta.deletionTimestamp;
    return this.commit("ADDED", resource, k, obj, actor);
  }
  /**
   * Replace an object. A `metadata.resourceVersion` on the input is a precondition (409 on
   * mismatch); without one the write is unconditional, as for a Kubernetes update.
   */
  update(resource, input, opts = {}) {
    const meta = input.metadata;
    const k = key(resource, meta.namespace, meta.name);
    const current = this.objects.get(k);
    if (!current) throw ApiError.notFound(resource, meta.name);
    if (meta.resourceVersion && meta.resourceVersion !== current.metadata.resourceVersion) {
      throw ApiError.conflict(resource, meta.name);
    }
    let next;
    if (opts.subresource === "status") {
      next = clone(current);
      next.status = clone(input.status);
      next.metadata.resourceVersion = current.metadata.resourceVersion;
    } else {
      next = clone(input);
      next.status = clone(current.status);
      next.metadata = {
        ...next.metadata,
        resourceVersion: current.metadata.resourceVersion,
        uid: current.metadata.uid,
        creationTimestamp: current.metadata.creationTimestamp,
        generation: current.metadata.generation
      };
      if (JSON.stringify(current.spec ?? null) !== JSON.stringify(next.spec ?? null)) {
        next.metadata.generation = (current.metadata.generation ?? 0) + 1;
      }
    }
    if (JSON.stringify(next) === JSON.stringify(current)) {
      return clone(current);
    }
    return this.commit("MODIFIED", resource, k, next, opts.actor ?? "api");
  }
  delete(resource, namespace, name, actor = "api") {
    const k = key(resource, namespace, name);
    const current = this.objects.get(k);
    if (!current) throw ApiError.notFound(resource, name);
    this.objects.delete(k);
    this.version += 1;
    const gone = clone(current);
    gone.metadata.resourceVersion = String(this.version);
    this.record("DELETED", resource, gone, actor);
    return clone(gone);
  }
  /**
   * Events for `resource` (optionally one namespace) after `sinceVersion`, then live ones.
   * Throws 410 Gone when `sinceVersion` is older than the log keeps.
   */
  watch(resource, namespace, sinceVersion, listener) {
    const matches3 = (e) => e.resource === resource && (namespace === void 0 || e.object.metadata.namespace === namespace);
    if (sinceVersion !== void 0 && sinceVersion > 0) {
      const oldest = this.log.length ? this.log[0].resourceVersion : this.version + 1;
      if (sinceVersion < oldest - 1) throw ApiError.gone(sinceVersion);
      for (const e of this.log) if (e.resourceVersion > sinceVersion && matches3(e)) listener(e);
    }
    const live2 = (e) => matches3(e) && listener(e);
    this.listeners.add(live2);
    return () => this.listeners.delete(live2);
  }
  /** Every write, for controllers: called synchronously after each commit. */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  /** The events still in the watch log (the newest `logLimit`). */
  events() {
    return this.log;
  }
  /** Every write ever made, oldest first, for invariant checks. */
  history = [];
  commit(type, resource, k, obj, actor) {
    this.version += 1;
    obj.metadata.resourceVersion = String(this.version);
    this.objects.set(k, obj);
    this.record(type, resource, clone(obj), actor);
    return clone(obj);
  }
  record(type, resource, object, actor) {
    const event = {
      type,
      resource,
      object: deepFreeze(object),
      resourceVersion: this.version,
      actor,
      at: this.now().toISOString()
    };
    this.log.push(event);
    if (this.log.length > this.logLimit) this.log.shift();
    this.history.push(event);
    for (const listener of [...this.listeners]) listener(event);
  }
};
function key(resource, namespace, name) {
  return `${resource}/${namespace ?? ""}/${name}`;
}
function randomSuffix() {
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  let out = "";
  for (let i = 0; i < 5; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)];
  return out;
}
function deepFreeze(value) {
  if (value && typeof value === "object") {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

// emulator/emulator.ts
var EMULATOR_USER = "kubernetes-admin";
async function startEmulator(opts = {}) {
  const settings = defaultSettings({
    ...opts.domain !== void 0 ? { domain: opts.domain } : {},
    ...opts.statusDelayMs !== void 0 ? { statusDelayMs: opts.statusDelayMs } : {},
    serveV1alpha1: opts.serveV1alpha1 ?? false
  });
  const store = new Store();
  const controller = new Controller(store, settings);
  const dataPlane = new DataPlane(store, settings);
  const token = randomBytes(24).toString("hex");
  const tls = opts.tls ? await selfSignedCert() : void 0;
  const api = createApiServer({
    store,
    settings,
    admit,
    present,
    dataPlane,
    tokens: { [token]: EMULATOR_USER },
    rbac: opts.rbac,
    tls
  });
  const tempDir = opts.kubeconfigPath ? void 0 : await mkdtemp2(join2(tmpdir2(), "knative-emulator-"));
  const kubeconfigPath = opts.kubeconfigPath ?? join2(tempDir, "kubeconfig");
  controller.start();
  const stop = async () => {
    await api.close();
    await dataPlane.close();
    controller.stop();
    if (tempDir) await rm2(tempDir, { recursive: true, force: true });
  };
  try {
    const ingressUrl = await dataPlane.listen(opts.ingressPort ?? 0, "127.0.0.1");
    const apiUrl = await api.listen(opts.port ?? 0, "127.0.0.1");
    await writeKubeconfig(kubeconfigPath, {
      server: apiUrl,
      user: EMULATOR_USER,
      token,
      ca: tls?.cert
    });
    return {
      apiUrl,
      ingressUrl,
      kubeconfigPath,
      store,
      settings,
      dataPlane,
      controller,
      api,
      ca: tls?.cert,
      stop
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

// emulator/main.ts
var USAGE = `Usage: knative-emulator --kubeconfig PATH [options]

A local Knative Serving: a Kubernetes API server, a controller and an ingress on 127.0.0.1.
Prints {"api": URL, "ingress": URL, "kubeconfig": PATH} on one line when ready, and
runs until interrupted (SIGINT or SIGTERM).

Options:
  --kubeconfig PATH        where to write the kubeconfig (required; mode 0600)
  --port N                 API server port (default: a free one)
  --ingress-port N         ingress port (default: a free one)
  --domain D               domain of route hosts (default: example.com)
  --status-delay-ms N      how long the controller waits before writing status (default: 20)
  --serve-v1alpha1         also serve serving.knative.dev/v1alpha1
  --tls                    serve the API over HTTPS with a self-signed certificate
                           (the kubeconfig carries it as certificate-authority-data)
  --rbac FILE              turn RBAC on: FILE (YAML/JSON) maps bearer tokens to
                           {user, rules: [{apiGroups, resources, verbs}]}; the
                           kubeconfig's own token stays an administrator
  -h, --help               show this help
`;
var UsageError = class extends Error {
};
function integer(flag, value, max) {
  if (value === void 0) return void 0;
  if (!/^\d+$/.test(value) || Number(value) > max) {
    throw new UsageError(`--${flag} must be a whole number from 0 to ${max}, got "${value}"`);
  }
  return Number(value);
}
function parseCli(argv) {
  let values;
  try {
    ;
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        kubeconfig: { type: "string" },
        port: { type: "string" },
        "ingress-port": { type: "string" },
        domain: { type: "string" },
        "status-delay-ms": { type: "string" },
        "serve-v1alpha1": { type: "boolean" },
        tls: { type: "boolean" },
        rbac: { type: "string" },
        help: { type: "boolean", short: "h" }
      }
    }));
  } catch (err) {
    throw new UsageError(err.message);
  }
  if (values.help) return { help: true };
  const kubeconfigPath = values.kubeconfig;
  if (!kubeconfigPath) throw new UsageError("--kubeconfig PATH is required");
  const domain = values.domain;
  if (domain !== void 0 && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(domain)) {
    throw new UsageError(`--domain must be a DNS name such as example.com, got "${domain}"`);
  }
  const rbacFile = values.rbac;
  let rbac;
  if (rbacFile !== void 0) {
    try {
      rbac = parseRbacPolicy(readFileSync(rbacFile, "utf8"));
    } catch (err) {
      throw new UsageError(`--rbac ${rbacFile}: ${err.message}`);
    }
  }
  return {
    help: false,
    options: {
      kubeconfigPath,
      port: integer("port", values.port, 65535),
      ingressPort: integer("ingress-port", values["ingress-port"], 65535),
      domain,
      statusDelayMs: integer(
        "status-delay-ms",
        values["status-delay-ms"],
        36e5
      ),
      serveV1alpha1: Boolean(values["serve-v1alpha1"]),
      tls: Boolean(values.tls),
      rbac
    }
  };
}
async function main(argv) {
  let cli;
  try {
    cli = parseCli(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`knative-emulator: ${err.message}

${USAGE}`);
    return 2;
  }
  if (cli.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const emulator = await startEmulator(cli.options);
  process.stdout.write(
    JSON.stringify({
      api: emulator.apiUrl,
      ingress: emulator.ingressUrl,
      kubeconfig: emulator.kubeconfigPath
    }) + "\n"
  );
  await new Promise((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await emulator.stop();
  return 0;
}
var invokedDirectly = (() => {
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1] ?? "")).href;
  } catch {
    return false;
  }
})();
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`knative-emulator: ${err.message}
`);
      process.exit(1);
    }
  );
}
export {
  USAGE,
  UsageError,
  main,
  parseCli
};
