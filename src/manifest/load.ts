// A Service manifest file → a v1 KService the engine can write, checked before anything
// touches the cluster: one YAML document, parsed safely; a Knative Service (v1, or legacy
// v1alpha1 converted the way Knative did); valid by Knative's rules; the `image` input
// swapped in. A v1alpha1 `release` block (or its v1 spelling: current/candidate tags) is
// returned so the engine can honour it. Pure: the caller reads the file.

import { deeperThan, nestsDeeperThan, MAX_YAML_DEPTH } from '../yaml-input.js'
import { isScalar, LineCounter, parseAllDocuments, type Document } from 'yaml'
import { escapeUntrusted } from '../report/untrusted.js'
import type { Container, KService, TrafficTarget } from '../knative/types.js'
import { TAGS } from '../traffic.js'
import { imageReferenceProblem } from './image-ref.js'
import { MAX_SERVICE_NAME } from './names.js'
import { clone, isObject, show, type Obj } from './shape.js'
import { locateField } from './locate.js'
import type { FieldError } from './field-error.js'
import { validateV1Service } from './v1.js'
import {
  ConversionError,
  LATEST_KEYWORD,
  convertV1alpha1Service,
  validateV1alpha1Service
} from './v1alpha1.js'

/** Where the fault is: the field's path, and (once located in the text) its line and column. */
export interface ManifestFault {
  path?: string
  line?: number
  column?: number
}

export class ManifestError extends Error {
  constructor(
    message: string,
    readonly at: ManifestFault = {}
  ) {
    super(message)
    this.name = 'ManifestError'
  }
}

/** The field of a Knative validation error to point at: its first problem's first path. */
function firstPath(error: FieldError): ManifestFault {
  const path = error.problems[0]?.paths[0]
  return path ? { path } : {}
}

export interface ManifestOverrides {
  /** Replaces the serving container's image. */
  image?: string
  /** Renames the Service (metadata.name). */
  service?: string
  /** Must agree with the manifest's metadata.namespace, when it has one (kubectl's rule). */
  namespace?: string
}

/** The release block: revisions[0], revisions[1] (a name or `@latest`), rolloutPercent. */
export interface ReleaseBlock {
  current: string
  /** A revision name, or `@latest`: the revision this manifest's template creates. */
  candidate?: string
  rolloutPercent: number
}

export type ManifestMode = 'v1' | 'runLatest' | 'pinned' | 'release' | 'template'

export interface LoadedManifest {
  service: KService
  release?: ReleaseBlock
  /** What the file said, for logs: its apiVersion and (v1alpha1) mode. */
  source: { apiVersion: string; mode: ManifestMode }
  /**
   * Problems Knative itself accepts but that will fail the revision (e.g. a placeholder
   * image like `docker.io/{username}/app` with no image input). Worth logging.
   */
  warnings: string[]
}

/** Larger than any real Service (Kubernetes objects top out near 1.5 MiB in etcd). */
export const MAX_MANIFEST_BYTES = 1024 * 1024
/** Alias expansions allowed in the YAML; a few anchors are fine, a "billion laughs" is not. */
export const MAX_ALIAS_COUNT = 100
/** Nesting of mappings and lists; a Knative Service is about 10 deep. */
const DEPTH_PROBLEM = `the manifest nests deeper than ${MAX_YAML_DEPTH} levels; refusing it`

const GROUP = 'serving.knative.dev'
const API_VERSIONS: Record<string, 'v1' | 'v1alpha1'> = {
  [`${GROUP}/v1`]: 'v1',
  [`${GROUP}/v1beta1`]: 'v1', // same schema as v1
  [`${GROUP}/v1alpha1`]: 'v1alpha1'
}
// Set by the API server or Knative's webhook; sending them back breaks a create or update.
const SERVER_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink'
]
const SERVER_ANNOTATIONS = [
  'serving.knative.dev/creator',
  'serving.knative.dev/lastModifier',
  'kubectl.kubernetes.io/last-applied-configuration'
]

/**
 * The manifest, loaded and checked. A ManifestError carries the line and column of the
 * field at fault when the file has it (the action annotates the file there).
 */
export function loadServiceManifest(
  yamlText: string,
  overrides: ManifestOverrides = {}
): LoadedManifest {
  const { root, doc, lines } = parseSingleObject(yamlText)
  try {
    return checkedManifest(root, overrides)
  } catch (e) {
    if (!(e instanceof ManifestError) || !e.at.path || e.at.line) throw e
    const at = locateField(doc, lines, e.at.path)
    throw at ? new ManifestError(e.message, { ...e.at, ...at }) : e
  }
}

function checkedManifest(root: Obj, overrides: ManifestOverrides): LoadedManifest {
  const apiVersion = root.apiVersion
  if (apiVersion === undefined) {
    throw new ManifestError(`apiVersion: missing; a Knative Service has apiVersion: ${GROUP}/v1`)
  }
  const version = typeof apiVersion === 'string' ? API_VERSIONS[apiVersion] : undefined
  if (!version) {
    throw new ManifestError(
      `apiVersion: "${show(apiVersion)}" is not a Knative Service version; use ${GROUP}/v1 (or the legacy ${GROUP}/v1alpha1)`,
      { path: 'apiVersion' }
    )
  }
  if (root.kind !== 'Service') {
    throw new ManifestError(
      `kind: ${root.kind === undefined ? 'missing' : `"${show(root.kind)}" is not supported`}; the manifest must be a Knative Service (kind: Service)`,
      { path: 'kind' }
    )
  }
  const mode = version === 'v1' ? 'v1' : v1alpha1Mode(root)
  const service = version === 'v1' ? asV1(root) : fromV1alpha1(root)
  stripServerFields(service)
  applyOverrides(service, overrides)

  const invalid = validateV1Service(service)
  if (invalid) throw new ManifestError(`invalid Service:\n${invalid.message}`, firstPath(invalid))
  checkName(service)
  return {
    service,
    release: releaseOf(service.spec.traffic),
    source: { apiVersion: String(apiVersion), mode },
    warnings: imageWarnings(service, overrides)
  }
}

function parseSingleObject(text: string): { root: Obj; doc: Document; lines: LineCounter } {
  const bytes = Buffer.byteLength(text)
  if (bytes > MAX_MANIFEST_BYTES) {
    throw new ManifestError(
      `the manifest is ${bytes} bytes; at most ${MAX_MANIFEST_BYTES} are read`
    )
  }
  if (nestsDeeperThan(text, MAX_YAML_DEPTH)) throw new ManifestError(DEPTH_PROBLEM)
  let value: unknown
  let doc: Document
  const lines = new LineCounter()
  try {
    const docs = parseAllDocuments(text, { uniqueKeys: true, strict: true, lineCounter: lines })
    // Empty documents (a stray `---`, a comment-only file) are not documents that count.
    const used = docs.filter(
      (d) => !(isScalar(d.contents) && d.contents.value === null) || d.errors.length > 0
    )
    if (used.length === 0)
      throw new ManifestError('the manifest is empty; it must hold one Knative Service')
    if (used.length > 1) {
      throw new ManifestError(
        `the manifest holds ${used.length} YAML documents; it must hold exactly one Knative Service`
      )
    }
    doc = used[0]
    // The parser recurses per level and reports its own stack's end as a YAML error.
    if (doc.errors.some((e) => /call stack/i.test(e.message)))
      throw new ManifestError(DEPTH_PROBLEM)
    if (doc.errors.length) {
      const pos = doc.errors[0].linePos?.[0]
      throw new ManifestError(
        `not valid YAML: ${firstLine(doc.errors[0].message)}`,
        pos ? { line: pos.line, column: pos.col } : {}
      )
    }
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (e) {
    if (e instanceof ManifestError) throw e
    const msg = firstLine((e as Error).message)
    if (e instanceof RangeError) throw new ManifestError(DEPTH_PROBLEM)
    if (/alias/i.test(msg)) {
      throw new ManifestError(`YAML aliases expand too much (${msg}); refusing the manifest`)
    }
    throw new ManifestError(`not valid YAML: ${msg}`)
  }
  if (deeperThan(value, MAX_YAML_DEPTH)) throw new ManifestError(DEPTH_PROBLEM)
  if (!isObject(value)) {
    const got = value === null ? 'nothing' : Array.isArray(value) ? 'a list' : `a ${typeof value}`
    throw new ManifestError(`the manifest must be a mapping (a Knative Service object), got ${got}`)
  }
  return { root: value, doc, lines }
}

/**
 * The first line of a YAML error, which names the problem and its line and column. The rest
 * is a snippet of the file, and the file may not be what it claims (a symlink to a secret):
 * content is never quoted beyond that line, and that line is escaped.
 */
function firstLine(message: string): string {
  return escapeUntrusted(message.split('\n')[0], 300)
}

function v1alpha1Mode(root: Obj): ManifestMode {
  const spec = isObject(root.spec) ? root.spec : {}
  for (const m of ['runLatest', 'release', 'pinned'] as const) if (spec[m] != null) return m
  return 'template'
}

function asV1(root: Obj): KService {
  const service = clone(root) as unknown as KService
  service.apiVersion = 'serving.knative.dev/v1'
  if (!isObject(service.metadata)) service.metadata = { name: '' }
  return service
}

function fromV1alpha1(root: Obj): KService {
  const invalid = validateV1alpha1Service(root)
  if (invalid) {
    // manual has two Knative messages: the webhook's refusal and the conversion's reason.
    const manual = isObject(root.spec) && root.spec.manual != null
    const why = manual ? '\nmanual mode cannot be migrated forward.' : ''
    throw new ManifestError(
      `invalid v1alpha1 Service:\n${invalid.message}${why}`,
      firstPath(invalid)
    )
  }
  try {
    return convertV1alpha1Service(root)
  } catch (e) {
    if (e instanceof ConversionError) throw new ManifestError(`cannot convert to v1: ${e.message}`)
    throw e
  }
}

function stripServerFields(service: KService): void {
  delete (service as { status?: unknown }).status
  for (const k of SERVER_METADATA) delete service.metadata[k]
  const annotations = service.metadata.annotations
  if (annotations) {
    for (const k of SERVER_ANNOTATIONS) delete annotations[k]
    if (Object.keys(annotations).length === 0) delete service.metadata.annotations
  }
}

function applyOverrides(service: KService, o: ManifestOverrides): void {
  if (o.service) service.metadata.name = o.service
  if (o.namespace) {
    const own = service.metadata.namespace
    if (own && own !== o.namespace) {
      throw new ManifestError(
        `metadata.namespace is "${own}" but the namespace input is "${o.namespace}"; set namespace: ${own}, or remove metadata.namespace from the manifest`,
        { path: 'metadata.namespace' }
      )
    }
    service.metadata.namespace = o.namespace
  }
  if (o.image) servingContainer(service).image = o.image
}

/** The container that serves: the only one, or the one that declares ports (Knative's rule). */
export function servingContainer(service: KService): Container {
  const containers = service.spec?.template?.spec?.containers
  if (!Array.isArray(containers) || containers.length === 0) {
    throw new ManifestError('invalid Service:\nmissing field(s): spec.template.spec.containers', {
      path: 'spec.template.spec.containers'
    })
  }
  if (containers.length === 1) return containers[0]
  const withPorts = containers.filter((c) => Array.isArray(c.ports) && c.ports.length > 0)
  if (withPorts.length !== 1) {
    throw new ManifestError(
      `spec.template.spec.containers has ${containers.length} containers and ${withPorts.length} declare ports; exactly one must, to say which container serves (and gets the image input)`,
      { path: 'spec.template.spec.containers' }
    )
  }
  return withPorts[0]
}

/** Beyond Knative's webhook: the name our tag hosts are built from. */
function checkName(service: KService): void {
  const name = service.metadata.name
  if (!name) {
    throw new ManifestError(
      'metadata.name: missing; a rollout needs a named Service (generateName would create a new one each run), or give the service input',
      { path: 'metadata' }
    )
  }
  if (name.length > MAX_SERVICE_NAME) {
    throw new ManifestError(
      `metadata.name "${name}" has ${name.length} characters; at most ${MAX_SERVICE_NAME}, so the tag host "candidate-${name}" fits Knative's 63-character label`,
      { path: 'metadata.name' }
    )
  }
}

/**
 * Knative accepts any image string and fails the revision later (ContainerMissing); tutorial
 * manifests carry placeholders such as `docker.io/{username}/…`. Said early, not refused.
 */
function imageWarnings(service: KService, o: ManifestOverrides): string[] {
  if (o.image) return []
  const image = servingContainer(service).image
  const problem = imageReferenceProblem(image)
  return problem
    ? [
        `the container image "${image}" ${problem}; the revision will fail to pull it. Fix it in the manifest or give the image input`
      ]
    : []
}

/**
 * The release block the traffic spells: a `current` target and, optionally, a `candidate`
 * (`@latest` when it follows the latest revision), summing to 100.
 */
function releaseOf(traffic: TrafficTarget[] | undefined): ReleaseBlock | undefined {
  if (!traffic) return undefined
  const byTag = (tag: string) => traffic.filter((t) => t.tag === tag)
  const [current, ...moreCurrent] = byTag(TAGS.current)
  const [candidate, ...moreCandidate] = byTag(TAGS.candidate)
  if (!current || moreCurrent.length || moreCandidate.length) return undefined
  const name = (t: TrafficTarget) => t.revisionName || LATEST_KEYWORD
  const rolloutPercent = candidate?.percent ?? 0
  if ((current.percent ?? 0) + rolloutPercent !== 100) return undefined
  return candidate
    ? { current: name(current), candidate: name(candidate), rolloutPercent }
    : { current: name(current), rolloutPercent: 0 }
}
