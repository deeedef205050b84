#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  dns1035LabelErrors,
  goList,
  qualifiedNameErrors
} from "./chunk-O6W5F67O.js";

// src/manifest/shape.ts
function isObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function isSet(v) {
  return v !== void 0 && v !== null;
}
var clone = (v) => structuredClone(v);
function show(v) {
  return typeof v === "string" ? v : JSON.stringify(v);
}

// src/manifest/field-error.ts
var FieldError = class _FieldError extends Error {
  problems;
  constructor(problems) {
    const merged = mergeProblems(problems);
    super(render(merged));
    this.problems = merged;
  }
  /** Several errors (any may be undefined) as one, or undefined when there are none. */
  static combine(...errors) {
    const problems = errors.flatMap((e) => e?.problems ?? []);
    return problems.length ? new _FieldError(problems) : void 0;
  }
  /** The same errors with `prefix` in front of every path (knative's ViaField). */
  via(prefix) {
    return new _FieldError(
      this.problems.map((p) => ({ ...p, paths: p.paths.map((path) => joinPath(prefix, path)) }))
    );
  }
  static missing(...paths) {
    return new _FieldError([{ message: "missing field(s)", paths }]);
  }
  static disallowed(...paths) {
    return new _FieldError([{ message: "must not set the field(s)", paths }]);
  }
  static invalidValue(value, path, details) {
    return new _FieldError([{ message: `invalid value: ${String(value)}`, paths: [path], details }]);
  }
  static oneOfNeither(...paths) {
    return new _FieldError([{ message: "expected exactly one, got neither", paths }]);
  }
  static oneOfBoth(...paths) {
    return new _FieldError([{ message: "expected exactly one, got both", paths }]);
  }
  static outOfBounds(value, lo, hi, path) {
    return new _FieldError([{ message: `expected ${lo} <= ${value} <= ${hi}`, paths: [path] }]);
  }
  static generic(message, paths, details) {
    return new _FieldError([{ message, paths, details }]);
  }
};
function joinPath(prefix, path) {
  if (!path) return prefix;
  return path.startsWith("[") ? `${prefix}${path}` : `${prefix}.${path}`;
}
function mergeProblems(problems) {
  const byKey = /* @__PURE__ */ new Map();
  for (const p of problems) {
    const k = `${p.message}\0${p.details ?? ""}`;
    const existing = byKey.get(k);
    const paths = /* @__PURE__ */ new Set([...existing?.paths ?? [], ...p.paths]);
    byKey.set(k, { message: p.message, details: p.details, paths: [...paths].sort() });
  }
  return [...byKey.values()].sort(
    (a, b) => cmp(a.message, b.message) || cmp(a.details ?? "", b.details ?? "")
  );
}
var cmp = (a, b) => a < b ? -1 : a > b ? 1 : 0;
function render(problems) {
  return problems.map((p) => {
    const head = p.paths.length ? `${p.message}: ${p.paths.join(", ")}` : p.message;
    return p.details ? `${head}
${p.details}` : head;
  }).join("\n");
}

// src/manifest/v1.ts
function validateV1Service(obj) {
  if (!isObject(obj)) return FieldError.generic(`invalid value: ${show(obj)}`, []);
  const metadata = isObject(obj.metadata) ? obj.metadata : {};
  const name = typeof metadata.name === "string" ? metadata.name : "";
  const spec = isObject(obj.spec) ? obj.spec : void 0;
  return FieldError.combine(
    validateServiceName(metadata)?.via("metadata"),
    spec ? FieldError.combine(
      validateV1Template(spec.template, name)?.via("template"),
      validateTraffic(spec.traffic)
    )?.via("spec") : FieldError.missing("spec")
  );
}
function validateServiceName(metadata) {
  const { name, generateName } = metadata;
  if (!isSet(name) || name === "") {
    return isSet(generateName) && generateName !== "" ? void 0 : FieldError.generic("name or generateName is required", ["name"]);
  }
  if (typeof name !== "string") return FieldError.invalidValue(show(name), "name");
  const msgs = dns1035LabelErrors(name);
  return msgs.length ? FieldError.generic(`not a DNS 1035 label: ${goList(msgs)}`, ["name"]) : void 0;
}
function validateRevisionName(name, parent) {
  if (!isSet(name) || name === "") return void 0;
  if (typeof name !== "string") return FieldError.invalidValue(show(name), "metadata.name");
  const msgs = dns1035LabelErrors(name);
  if (msgs.length) {
    return FieldError.invalidValue(`not a DNS 1035 label: ${goList(msgs)}`, "metadata.name");
  }
  const prefix = `${parent}-`;
  if (parent && !name.startsWith(prefix)) {
    return FieldError.invalidValue(`"${name}" must have prefix "${prefix}"`, "metadata.name");
  }
  return void 0;
}
function validateV1Template(template, parent) {
  if (!isSet(template)) return FieldError.missing("");
  if (!isObject(template)) return FieldError.invalidValue(show(template), "");
  const metadata = isObject(template.metadata) ? template.metadata : {};
  const spec = template.spec;
  let specErr;
  if (!isObject(spec)) specErr = FieldError.missing("spec.containers");
  else specErr = validateContainers(spec.containers)?.via("spec");
  return FieldError.combine(validateRevisionName(metadata.name, parent), specErr);
}
function validateContainers(containers) {
  if (!isSet(containers) || Array.isArray(containers) && containers.length === 0) {
    return FieldError.missing("containers");
  }
  if (!Array.isArray(containers)) return FieldError.invalidValue(show(containers), "containers");
  return FieldError.combine(
    ...containers.map((c, i) => validateContainer(c)?.via(`containers[${i}]`))
  );
}
function validateContainer(container) {
  if (!isObject(container)) return FieldError.invalidValue(show(container), "");
  const image = container.image;
  if (!isSet(image) || image === "") return FieldError.missing("image");
  if (typeof image !== "string") return FieldError.invalidValue(show(image), "image");
  return void 0;
}
function validateTraffic(traffic) {
  if (!isSet(traffic)) return void 0;
  if (!Array.isArray(traffic)) return FieldError.invalidValue(show(traffic), "traffic");
  if (traffic.length === 0) return void 0;
  const errors = [];
  const firstByTag = /* @__PURE__ */ new Map();
  let sum = 0;
  traffic.forEach((target, i) => {
    if (!isObject(target)) {
      errors.push(FieldError.invalidValue(show(target), `traffic[${i}]`));
      return;
    }
    errors.push(validateTarget(target)?.via(`traffic[${i}]`));
    if (typeof target.percent === "number") sum += target.percent;
    const tag = target.tag;
    if (typeof tag !== "string" || tag === "") return;
    const msgs = dns1035LabelErrors(tag);
    if (msgs.length) {
      errors.push(
        FieldError.invalidValue(`not a DNS 1035 label: ${goList(msgs)}`, `traffic.tag[${i}]`)
      );
    }
    const first = firstByTag.get(tag);
    if (first === void 0) firstByTag.set(tag, i);
    else {
      errors.push(
        FieldError.generic(`Multiple definitions for "${tag}"`, [
          `traffic[${i}].tag`,
          `traffic[${first}].tag`
        ])
      );
    }
  });
  if (sum !== 100)
    errors.push(FieldError.generic(`Traffic targets sum to ${sum}, want 100`, ["traffic"]));
  return FieldError.combine(...errors);
}
function validateTarget(t) {
  const errors = [];
  const revisionName = t.revisionName ?? "";
  const { latestRevision, percent, tag } = t;
  if (typeof revisionName !== "string") {
    errors.push(FieldError.invalidValue(show(revisionName), "revisionName"));
  } else if (latestRevision === true && revisionName !== "") {
    errors.push(
      FieldError.generic(`may not set revisionName "${revisionName}" when latestRevision is true`, [
        "latestRevision"
      ])
    );
  } else if (latestRevision === false && revisionName === "") {
    errors.push(
      FieldError.generic('may not set revisionName "" when latestRevision is false', [
        "latestRevision"
      ])
    );
  }
  if (isSet(latestRevision) && typeof latestRevision !== "boolean") {
    errors.push(FieldError.invalidValue(show(latestRevision), "latestRevision"));
  }
  if (isSet(t.configurationName) && t.configurationName !== "") {
    errors.push(FieldError.disallowed("configurationName"));
  } else if (typeof revisionName === "string" && revisionName !== "") {
    const msgs = qualifiedNameErrors(revisionName);
    if (msgs.length) {
      errors.push(
        FieldError.generic(`invalid key name "${revisionName}"`, ["revisionName"], msgs.join(", "))
      );
    }
  }
  if (isSet(percent)) {
    if (typeof percent !== "number" || !Number.isInteger(percent)) {
      errors.push(FieldError.invalidValue(show(percent), "percent"));
    } else if (percent < 0 || percent > 100) {
      errors.push(FieldError.outOfBounds(percent, 0, 100, "percent"));
    }
  }
  if (isSet(tag) && typeof tag !== "string") errors.push(FieldError.invalidValue(show(tag), "tag"));
  if (isSet(t.url)) errors.push(FieldError.disallowed("url"));
  return FieldError.combine(...errors);
}

// src/manifest/v1alpha1.ts
var LATEST_KEYWORD = "@latest";
var ConversionError = class extends Error {
  constructor(field, message) {
    super(message);
    this.field = field;
    this.name = "ConversionError";
  }
  field;
};
var MODES = ["runLatest", "release", "pinned"];
var DEPRECATED_CONFIG_FIELDS = ["revisionTemplate", "build"];
var DEPRECATED_REVISION_FIELDS = [
  "container",
  "concurrencyModel",
  "servingState",
  "buildRef",
  "generation"
];
function validateV1alpha1Service(obj) {
  if (!isObject(obj)) return FieldError.generic(`invalid value: ${show(obj)}`, []);
  const metadata = isObject(obj.metadata) ? obj.metadata : {};
  const parent = typeof metadata.name === "string" ? metadata.name : "";
  const spec = isObject(obj.spec) ? obj.spec : {};
  return validateSpec(spec, parent)?.via("spec");
}
function validateSpec(spec, parent) {
  const errors = [];
  const set = [];
  if (isSet(spec.runLatest)) {
    set.push("runLatest");
    errors.push(validateRunLatest(spec.runLatest, parent)?.via("runLatest"));
  }
  if (isSet(spec.release)) {
    set.push("release");
    errors.push(validateRelease(spec.release, parent)?.via("release"));
  }
  if (isSet(spec.manual)) {
    set.push("manual");
    errors.push(FieldError.disallowed("manual"));
  }
  if (isSet(spec.pinned)) {
    set.push("pinned");
    errors.push(validatePinned(spec.pinned, parent)?.via("pinned"));
  }
  if (set.length > 0 && Array.isArray(spec.traffic) && spec.traffic.length > 0) {
    errors.push(FieldError.oneOfBoth("traffic", ...set));
  }
  const inline = inlineConfiguration(spec);
  if (inline) {
    set.push("template");
    errors.push(validateConfiguration(inline, parent, true));
    errors.push(validateInlineTraffic(spec.traffic));
  }
  if (set.length > 1) errors.push(FieldError.oneOfBoth(...set));
  else if (set.length === 0) errors.push(FieldError.oneOfNeither(...MODES, "template"));
  return FieldError.combine(...errors);
}
function inlineConfiguration(spec) {
  const fields = ["template", ...DEPRECATED_CONFIG_FIELDS].filter((k) => isSet(spec[k]));
  return fields.length ? Object.fromEntries(fields.map((k) => [k, spec[k]])) : void 0;
}
function validateRunLatest(mode, parent) {
  if (!isObject(mode)) return FieldError.invalidValue(show(mode), "");
  return validateConfiguration(mode.configuration, parent, false)?.via("configuration");
}
function validatePinned(mode, parent) {
  if (!isObject(mode)) return FieldError.invalidValue(show(mode), "");
  const name = mode.revisionName;
  return FieldError.combine(
    !isSet(name) || name === "" ? FieldError.missing("revisionName") : typeof name !== "string" ? FieldError.invalidValue(show(name), "revisionName") : void 0,
    validateConfiguration(mode.configuration, parent, false)?.via("configuration")
  );
}
function validateRelease(mode, parent) {
  if (!isObject(mode)) return FieldError.invalidValue(show(mode), "");
  const errors = [];
  const revisions = mode.revisions ?? [];
  const count = Array.isArray(revisions) ? revisions.length : 0;
  if (!Array.isArray(revisions)) errors.push(FieldError.invalidValue(show(revisions), "revisions"));
  else if (count === 0) errors.push(FieldError.missing("revisions"));
  if (count > 2) errors.push(FieldError.outOfBounds(count, 1, 2, "revisions"));
  if (Array.isArray(revisions)) {
    revisions.forEach((r, i) => {
      if (r === LATEST_KEYWORD) return;
      if (typeof r !== "string") {
        errors.push(FieldError.invalidValue(show(r), `revisions[${i}]`));
        return;
      }
      const msgs = dns1035LabelErrors(r);
      if (msgs.length) {
        errors.push(
          FieldError.invalidValue(`not a DNS 1035 label: ${goList(msgs)}`, `revisions[${i}]`)
        );
      }
    });
  }
  const percent = mode.rolloutPercent ?? 0;
  if (typeof percent !== "number" || !Number.isInteger(percent)) {
    errors.push(FieldError.invalidValue(show(percent), "rolloutPercent"));
  } else {
    if (count < 2 && percent !== 0) {
      errors.push(
        FieldError.generic("may not set rolloutPercent for a single revision", ["rolloutPercent"])
      );
    }
    if (percent < 0 || percent > 99) {
      errors.push(FieldError.outOfBounds(percent, 0, 99, "rolloutPercent"));
    }
  }
  errors.push(validateConfiguration(mode.configuration, parent, false)?.via("configuration"));
  return FieldError.combine(...errors);
}
function validateConfiguration(config, parent, inline) {
  if (isSet(config) && !isObject(config)) return FieldError.invalidValue(show(config), "");
  const cs = isObject(config) ? config : {};
  if (!["template", ...DEPRECATED_CONFIG_FIELDS].some((k) => isSet(cs[k]))) {
    return FieldError.missing("");
  }
  const errors = [];
  if (inline) {
    for (const k of DEPRECATED_CONFIG_FIELDS)
      if (isSet(cs[k])) errors.push(FieldError.disallowed(k));
  }
  const hasOld = isSet(cs.revisionTemplate);
  const hasNew = isSet(cs.template);
  if (hasOld && hasNew) errors.push(FieldError.oneOfBoth("revisionTemplate", "template"));
  else if (!hasOld && !hasNew) errors.push(FieldError.oneOfNeither("revisionTemplate", "template"));
  else {
    const field = hasNew ? "template" : "revisionTemplate";
    errors.push(validateTemplate(cs[field], parent, inline)?.via(field));
  }
  return FieldError.combine(...errors);
}
function validateTemplate(template, parent, inline) {
  if (!isObject(template)) return FieldError.invalidValue(show(template), "");
  const metadata = isObject(template.metadata) ? template.metadata : {};
  return FieldError.combine(
    validateRevisionName(metadata.name, parent),
    validateRevisionSpec(template.spec, inline)?.via("spec")
  );
}
function validateRevisionSpec(spec, inline) {
  if (!isObject(spec) || Object.keys(spec).length === 0) return FieldError.missing("");
  const errors = [];
  if (inline) {
    for (const k of DEPRECATED_REVISION_FIELDS)
      if (isSet(spec[k])) errors.push(FieldError.disallowed(k));
  }
  const { container, containers } = spec;
  const hasMany = Array.isArray(containers) && containers.length > 0;
  if (isSet(containers) && !Array.isArray(containers)) {
    errors.push(FieldError.invalidValue(show(containers), "containers"));
  } else if (hasMany && isSet(container)) {
    errors.push(FieldError.oneOfBoth("container", "containers"));
  } else if (hasMany) {
    const list = containers;
    if (list.length > 1) errors.push(FieldError.oneOfBoth("containers"));
    else errors.push(validateContainer(list[0])?.via("containers[0]"));
  } else if (isSet(container)) {
    errors.push(validateContainer(container)?.via("container"));
  } else {
    errors.push(FieldError.oneOfNeither("container", "containers"));
  }
  return FieldError.combine(...errors);
}
function validateInlineTraffic(traffic) {
  if (!Array.isArray(traffic)) return validateTraffic(traffic);
  const errors = [];
  const v1 = traffic.map((t, i) => {
    if (!isObject(t) || !isSet(t.name)) return t;
    errors.push(FieldError.disallowed(`traffic[${i}].name`));
    if (isSet(t.tag)) errors.push(FieldError.oneOfBoth(`traffic[${i}].name`, `traffic[${i}].tag`));
    const { name: _name, ...rest } = t;
    return rest;
  });
  return FieldError.combine(...errors, validateTraffic(v1));
}
function convertV1alpha1Service(obj) {
  if (!isObject(obj)) throw new ConversionError("", `not an object: ${show(obj)}`);
  const metadata = clone(isObject(obj.metadata) ? obj.metadata : {});
  const spec = isObject(obj.spec) ? obj.spec : {};
  const { template, traffic } = convertSpec(spec);
  return {
    apiVersion: "serving.knative.dev/v1",
    kind: "Service",
    metadata,
    spec: traffic ? { template, traffic } : { template }
  };
}
function convertSpec(spec) {
  const mode = (name) => isObject(spec[name]) ? spec[name] : void 0;
  const runLatest = mode("runLatest");
  if (runLatest) {
    return {
      template: convertConfiguration(runLatest.configuration, "runLatest.configuration"),
      traffic: [{ percent: 100, latestRevision: true }]
    };
  }
  const release = mode("release");
  if (release) {
    return {
      template: convertConfiguration(release.configuration, "release.configuration"),
      traffic: releaseTraffic(release)
    };
  }
  const pinned = mode("pinned");
  if (pinned) {
    return {
      template: convertConfiguration(pinned.configuration, "pinned.configuration"),
      traffic: [{ revisionName: String(pinned.revisionName ?? ""), percent: 100 }]
    };
  }
  if (isSet(spec.manual))
    throw new ConversionError("manual", "manual mode cannot be migrated forward.");
  const inline = inlineConfiguration(spec);
  if (!inline) {
    throw new ConversionError("", "expected exactly one of runLatest, release, pinned, template");
  }
  const traffic = Array.isArray(spec.traffic) ? spec.traffic.map(convertTarget) : void 0;
  return { template: convertConfiguration(inline, "template"), traffic };
}
function releaseTraffic(release) {
  const revisions = Array.isArray(release.revisions) ? release.revisions.map(String) : [];
  const percent = typeof release.rolloutPercent === "number" ? release.rolloutPercent : 0;
  const target = (tag, revision, p) => revision === LATEST_KEYWORD ? { tag, latestRevision: true, percent: p } : { tag, revisionName: revision, percent: p };
  const traffic = [
    target("current", revisions[0] ?? "", revisions.length > 1 ? 100 - percent : 100)
  ];
  if (revisions.length > 1) traffic.push(target("candidate", revisions[1], percent));
  traffic.push({ tag: "latest", latestRevision: true, percent: 0 });
  return traffic;
}
function convertTarget(t) {
  if (!isObject(t)) return {};
  const out = {};
  const tag = isSet(t.name) && t.name !== "" ? t.name : t.tag;
  if (isSet(tag) && tag !== "") out.tag = String(tag);
  if (isSet(t.revisionName) && t.revisionName !== "") out.revisionName = String(t.revisionName);
  if (isSet(t.configurationName) && t.configurationName !== "") {
    out.configurationName = String(t.configurationName);
  }
  if (typeof t.latestRevision === "boolean") out.latestRevision = t.latestRevision;
  if (typeof t.percent === "number") out.percent = t.percent;
  return out;
}
function convertConfiguration(config, path) {
  const cs = isObject(config) ? config : {};
  if (isSet(cs.build))
    throw new ConversionError(`${path}.build`, "build cannot be migrated forward.");
  const template = cs.template ?? cs.revisionTemplate;
  if (!isObject(template)) {
    throw new ConversionError(path, `missing field(s): ${path}.template`);
  }
  const spec = isObject(template.spec) ? template.spec : {};
  const out = { spec: convertRevisionSpec(spec, `${path}.template.spec`) };
  if (isObject(template.metadata)) out.metadata = clone(template.metadata);
  return out;
}
function convertRevisionSpec(spec, path) {
  const { container, containers, concurrencyModel, ...rest } = clone(spec);
  for (const k of DEPRECATED_REVISION_FIELDS) delete rest[k];
  const list = Array.isArray(containers) ? containers : [];
  if (isSet(container) && list.length > 0) {
    throw new ConversionError(
      path,
      `expected exactly one, got both: ${path}.container, ${path}.containers`
    );
  }
  const converted = isSet(container) ? [container] : list;
  if (converted.length === 0) {
    throw new ConversionError(
      path,
      `expected exactly one, got neither: ${path}.container, ${path}.containers`
    );
  }
  if (concurrencyModel === "Single" && !isSet(rest.containerConcurrency))
    rest.containerConcurrency = 1;
  return { ...rest, containers: converted };
}

export {
  isObject,
  clone,
  show,
  FieldError,
  validateV1Service,
  LATEST_KEYWORD,
  ConversionError,
  validateV1alpha1Service,
  convertV1alpha1Service
};
