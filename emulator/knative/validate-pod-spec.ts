// The pod spec rules of Knative's webhook (serving.ValidatePodSpec and the field masks):
// which pod and container fields may be set with the default feature flags, reserved env
// vars, ports, container names and mount paths, probes, volumes and image references.
// Paths are relative to the RevisionSpec. Only the rules a user can meet with a Service
// manifest are here; feature flags are all at their defaults (pkg/apis/config/features.go).

import { FieldError } from '../../src/manifest/field-error.js'
import { imageReferenceProblem } from '../../src/manifest/image-ref.js'

type Obj = Record<string, any>
type Err = FieldError | undefined

const RESERVED_ENV = ['PORT', 'K_SERVICE', 'K_CONFIGURATION', 'K_REVISION']
/** queue-proxy's ports: data, h2c, admin, autoscaler metrics, user metrics, profiling. */
const RESERVED_PORTS = [8012, 8013, 8022, 9090, 9091, 8008]
const PORT_NAMES = ['', 'h2c', 'http1']
const RESERVED_PATHS = ['/', '/dev', '/dev/log']
const INT32_MAX = 2147483647

/** Pod fields allowed with the default flags (PodSpecMask); RevisionSpec's own fields too. */
const POD_ALLOWED = new Set([
  'serviceAccountName',
  'containers',
  'volumes',
  'imagePullSecrets',
  'enableServiceLinks',
  'automountServiceAccountToken',
  'containerConcurrency',
  'timeoutSeconds',
  'responseStartTimeoutSeconds',
  'idleTimeoutSeconds'
])
/** Container fields allowed (ContainerMask). */
const CONTAINER_ALLOWED = new Set([
  'name',
  'args',
  'command',
  'env',
  'workingDir',
  'envFrom',
  'image',
  'imagePullPolicy',
  'livenessProbe',
  'ports',
  'readinessProbe',
  'resources',
  'securityContext',
  'startupProbe',
  'terminationMessagePath',
  'terminationMessagePolicy',
  'volumeMounts'
])
/** SecurityContextMask; `privileged` only when false. */
const SECURITY_ALLOWED = new Set([
  'capabilities',
  'readOnlyRootFilesystem',
  'runAsUser',
  'runAsGroup',
  'runAsNonRoot',
  'allowPrivilegeEscalation',
  'seccompProfile'
])
const PORT_ALLOWED = new Set(['containerPort', 'name', 'protocol'])
const PROBE_ALLOWED = new Set([
  'initialDelaySeconds',
  'timeoutSeconds',
  'periodSeconds',
  'successThreshold',
  'failureThreshold',
  'httpGet',
  'tcpSocket',
  'exec',
  'grpc'
])

/** A Go zero value is indistinguishable from an unset field to the webhook's field masks. */
const isSet = (v: unknown) =>
  v !== undefined &&
  v !== null &&
  v !== false &&
  v !== 0 &&
  v !== '' &&
  !(Array.isArray(v) && v.length === 0)

/** apis.CheckDisallowedFields against an allow-list. */
function disallowed(
  obj: Obj,
  allowed: Set<string>,
  also?: (k: string, v: unknown) => boolean
): Err {
  const bad = Object.entries(obj)
    .filter(([k, v]) => isSet(v) && !allowed.has(k) && !also?.(k, v))
    .map(([k]) => k)
  return bad.length ? FieldError.disallowed(...bad) : undefined
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const list = (v: unknown): any[] => (Array.isArray(v) ? v : [])

export function validatePodSpec(spec: Obj): Err {
  const containers = list(spec.containers)
  const volumes = list(spec.volumes)
  const mounted = new Set(containers.flatMap((c) => list(c?.volumeMounts).map((m) => m?.name)))
  const errors: Err[] = [
    disallowed(spec, POD_ALLOWED, (k, v) => k === 'automountServiceAccountToken' && v === false),
    validateVolumes(volumes, mounted)?.via('volumes'),
    validatePortCount(containers)?.via('containers[*]')
  ]
  const byName = new Map(volumes.map((v) => [v?.name, v]))
  const port = servingPort(containers)
  if (containers.length === 0) errors.push(FieldError.missing('containers'))
  else if (containers.length === 1) {
    errors.push(validateContainer(containers[0], byName, port, true)?.via('containers[0]'))
  } else {
    const seen = new Set<string>()
    containers.forEach((c, i) => {
      if (seen.has(c?.name)) {
        errors.push(
          FieldError.generic(`duplicate container name "${c.name}"`, ['name'])?.via(
            `containers[${i}]`
          )
        )
      }
      seen.add(c?.name)
      const serving = list(c?.ports).length > 0
      errors.push(validateContainer(c, byName, port, serving)?.via(`containers[${i}]`))
    })
  }
  return FieldError.combine(...errors)
}

function servingPort(containers: Obj[]): Obj {
  const withPorts = containers.find((c) => list(c?.ports).length)
  const p = withPorts ? withPorts.ports[0] : {}
  return { name: p.name || 'http', containerPort: p.containerPort || 8080 }
}

function validatePortCount(containers: Obj[]): Err {
  const count = containers.reduce((n, c) => n + list(c?.ports).length, 0)
  if (count === 0 && containers.length > 1) return FieldError.missing('ports')
  if (count > 1) {
    return FieldError.generic(
      'more than one container port is set',
      ['ports'],
      'Only a single port is allowed across all containers'
    )
  }
  return undefined
}

function validateVolumes(volumes: Obj[], mounted: Set<string>): Err {
  const seen = new Set<string>()
  return FieldError.combine(
    ...volumes.map((v, i) => {
      const errors: Err[] = []
      if (seen.has(v?.name))
        errors.push(FieldError.generic(`duplicate volume name "${v.name}"`, ['name']))
      if (!mounted.has(v?.name))
        errors.push(FieldError.generic(`volume with name "${v?.name}" not mounted`, ['name']))
      seen.add(v?.name)
      const sources = ['secret', 'configMap', 'projected', 'emptyDir'].filter((k) => isObj(v?.[k]))
      if (!sources.length)
        errors.push(FieldError.oneOfNeither('secret', 'configMap', 'projected', 'emptyDir'))
      else if (sources.length > 1) errors.push(FieldError.oneOfBoth(...sources))
      return FieldError.combine(...errors)?.via(`[${i}]`)
    })
  )
}

function validateContainer(c: Obj, volumes: Map<string, Obj>, port: Obj, serving: boolean): Err {
  if (!isObj(c) || Object.keys(c).length === 0) return FieldError.missing('')
  const errors: Err[] = [disallowed(c, CONTAINER_ALLOWED)]
  if (serving) {
    errors.push(validateProbe(c.livenessProbe, port)?.via('livenessProbe'))
    errors.push(validateReadinessProbe(c.readinessProbe, port)?.via('readinessProbe'))
  } else {
    // A sidecar may not carry probe settings while multi-container-probing is off.
    for (const key of ['livenessProbe', 'readinessProbe']) {
      if (isObj(c[key])) errors.push(disallowed(c[key], new Set())?.via(key))
    }
  }
  if (c.name === 'queue-proxy')
    errors.push(FieldError.generic('"queue-proxy" is a reserved container name', ['name']))
  errors.push(validateEnv(list(c.env), serving)?.via('env'))
  if (!c.image) errors.push(FieldError.missing('image'))
  else if (imageReferenceProblem(String(c.image))) {
    errors.push(
      FieldError.generic(
        'Failed to parse image reference',
        ['image'],
        `image: "${c.image}", error: could not parse reference: ${c.image}`
      )
    )
  }
  errors.push(validatePorts(list(c.ports))?.via('ports'))
  errors.push(validateSecurityContext(c.securityContext)?.via('securityContext'))
  const policy = c.terminationMessagePolicy
  if (policy && policy !== 'File' && policy !== 'FallbackToLogsOnError')
    errors.push(FieldError.invalidValue(policy, 'terminationMessagePolicy'))
  errors.push(validateMounts(list(c.volumeMounts), volumes)?.via('volumeMounts'))
  return FieldError.combine(...errors)
}

function validateEnv(env: Obj[], serving: boolean): Err {
  // A sidecar may set PORT; the other names are the queue-proxy's for every container.
  const reserved = serving ? RESERVED_ENV : RESERVED_ENV.filter((n) => n !== 'PORT')
  return FieldError.combine(
    ...env.map((e, i) => {
      if (!e?.name) return FieldError.missing('name').via(`[${i}]`)
      if (reserved.includes(e.name))
        return FieldError.generic(`"${e.name}" is a reserved environment variable`, ['name']).via(
          `[${i}]`
        )
      return undefined
    })
  )
}

function validatePorts(ports: Obj[]): Err {
  if (!ports.length) return undefined
  const p = ports[0] ?? {}
  const errors: Err[] = [disallowed(p, PORT_ALLOWED)]
  const n = p.containerPort
  if (RESERVED_PORTS.includes(n)) {
    errors.push(
      FieldError.invalidValue(
        `${n} is a reserved port`,
        'containerPort',
        `${n} is a reserved port, please use a different value`
      )
    )
  }
  if (typeof n === 'number' && (n < 0 || n > 65535))
    errors.push(FieldError.outOfBounds(n, 0, 65535, 'containerPort'))
  if (p.protocol && p.protocol !== 'TCP')
    errors.push(FieldError.invalidValue(p.protocol, 'protocol'))
  if (!PORT_NAMES.includes(p.name ?? '')) {
    errors.push(
      FieldError.generic(
        `Port name ${p.name} is not allowed`,
        [''],
        "Name must be empty, or one of: 'h2c', 'http1'"
      )
    )
  }
  return FieldError.combine(...errors)
}

function validateSecurityContext(sc: unknown): Err {
  if (!isObj(sc)) return undefined
  const errors: Err[] = [
    disallowed(sc, SECURITY_ALLOWED, (k, v) => k === 'privileged' && v === false)
  ]
  // Added capabilities need the container-spec-add-capabilities flag, off by default.
  if (isObj(sc.capabilities) && isSet(sc.capabilities.add))
    errors.push(FieldError.disallowed('add').via('capabilities'))
  for (const key of ['runAsUser', 'runAsGroup']) {
    const id = sc[key]
    if (typeof id === 'number' && (id < 0 || id > INT32_MAX))
      errors.push(FieldError.outOfBounds(id, 0, INT32_MAX, key))
  }
  return FieldError.combine(...errors)
}

function validateMounts(mounts: Obj[], volumes: Map<string, Obj>): Err {
  const seenPaths = new Set<string>()
  return FieldError.combine(
    ...mounts.map((m, i) => {
      const errors: Err[] = []
      const volume = volumes.get(m?.name)
      if (!volume) errors.push(FieldError.generic('volumeMount has no matching volume', ['name']))
      const path = cleanPath(m?.mountPath ?? '')
      if (!m?.mountPath) errors.push(FieldError.missing('mountPath'))
      else if (RESERVED_PATHS.includes(path))
        errors.push(FieldError.generic(`mountPath "${path}" is a reserved path`, ['mountPath']))
      else if (!m.mountPath.startsWith('/'))
        errors.push(FieldError.invalidValue(m.mountPath, 'mountPath'))
      else if (seenPaths.has(path))
        errors.push(FieldError.invalidValue(`"${m.mountPath}" must be unique`, 'mountPath'))
      seenPaths.add(path)
      if (!volume?.emptyDir && !volume?.persistentVolumeClaim && !m?.readOnly) {
        errors.push(
          FieldError.generic('volume mount should be readOnly for this type of volume', [
            'readOnly'
          ])
        )
      }
      return FieldError.combine(...errors)?.via(`[${i}]`)
    })
  )
}

/** Go's path.Clean for the absolute paths a mount names. */
function cleanPath(p: string): string {
  const out: string[] = []
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') out.pop()
    else out.push(part)
  }
  return (p.startsWith('/') ? '/' : '') + out.join('/') || (p.startsWith('/') ? '/' : '.')
}

function validateReadinessProbe(p: unknown, port: Obj): Err {
  if (!isObj(p)) return undefined
  const errors: Err[] = [validateProbe(p, port)]
  const n = (k: string) => (typeof p[k] === 'number' ? p[k] : 0)
  if (n('periodSeconds') < 0)
    errors.push(FieldError.outOfBounds(n('periodSeconds'), 0, INT32_MAX, 'periodSeconds'))
  if (n('initialDelaySeconds') < 0)
    errors.push(
      FieldError.outOfBounds(n('initialDelaySeconds'), 0, INT32_MAX, 'initialDelaySeconds')
    )
  if (n('successThreshold') < 1)
    errors.push(FieldError.outOfBounds(n('successThreshold'), 1, INT32_MAX, 'successThreshold'))
  if (n('periodSeconds') === 0) {
    // periodSeconds 0 is Knative's aggressive readiness probing, with its own retries.
    for (const key of ['failureThreshold', 'timeoutSeconds']) {
      if (n(key) !== 0)
        errors.push(FieldError.generic(`${key} is disallowed when periodSeconds is zero`, [key]))
    }
  } else {
    if (n('timeoutSeconds') < 1)
      errors.push(FieldError.outOfBounds(n('timeoutSeconds'), 1, INT32_MAX, 'timeoutSeconds'))
    if (n('failureThreshold') < 1)
      errors.push(FieldError.outOfBounds(n('failureThreshold'), 1, INT32_MAX, 'failureThreshold'))
  }
  return FieldError.combine(...errors)
}

function validateProbe(p: unknown, port: Obj): Err {
  if (!isObj(p)) return undefined
  const errors: Err[] = [disallowed(p, PROBE_ALLOWED)]
  const handlers: string[] = []
  for (const [key, name] of [
    ['httpGet', 'httpGet'],
    ['tcpSocket', 'tcpSocket'],
    ['exec', 'exec'],
    ['grpc', 'gRPC']
  ]) {
    if (!isObj(p[key])) continue
    handlers.push(name)
    const probePort = p[key].port
    if ((key === 'httpGet' || key === 'tcpSocket') && typeof probePort === 'string') {
      if (probePort !== '' && probePort !== port.name) {
        errors.push(
          FieldError.invalidValue(probePort, `${key}.port`, 'Probe port must match container port')
        )
      }
    }
  }
  if (!handlers.length) errors.push(FieldError.oneOfNeither('httpGet', 'tcpSocket', 'exec', 'grpc'))
  else if (handlers.length > 1) errors.push(FieldError.oneOfBoth(...handlers))
  return FieldError.combine(...errors)
}
