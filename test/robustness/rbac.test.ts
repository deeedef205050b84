// Least privilege. The README's Role is exactly what the action needs: a token bound to it
// runs a whole rollout (first deploy, pause, status, promote, abort) through dist/, every rule
// of it is used on the wire, and with any one verb removed the run fails with the API
// server's message naming that verb and resource. The emulator enforces the rules like an
// API server with RBAC on (tokens from client-node; kubectl sends none over plain http).

import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseAllDocuments } from 'yaml'
import { kubeconfigYaml } from '../../emulator/kubeconfig.js'
import { parseRbacPolicy, type PolicyRule } from '../../emulator/api/rbac.js'
import { withEmulator } from '../helpers/emulator.js'
import {
  auditLog,
  inPool,
  runAction,
  runCli,
  type AuditEntry,
  type DistRun
} from '../helpers/dist-run.js'
import { recordFigures } from '../helpers/figures.js'
import { parseFileCommands } from '../helpers/file-commands.js'

const GROUP = 'serving.knative.dev'

/** The Role in the README's "Permissions (RBAC)" section. */
function readmeRole(): PolicyRule[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  for (const [, block] of readme.matchAll(/```yaml\n([\s\S]*?)```/g)) {
    const doc = parseAllDocuments(block)[0]?.toJS() as
      { kind?: string; apiVersion?: string; rules?: PolicyRule[] } | undefined
    if (doc?.kind === 'Role' && doc.apiVersion === 'rbac.authorization.k8s.io/v1') return doc.rules!
  }
  throw new Error('the README has no rbac.authorization.k8s.io/v1 Role')
}

const ROLE = readmeRole()
/** `verb resource.group`, one per permission the Role grants. */
const PERMISSIONS = ROLE.flatMap((r) =>
  r.apiGroups.flatMap((g) =>
    r.resources.flatMap((res) => r.verbs.map((verb) => ({ group: g, resource: res, verb })))
  )
)
const key = (p: { group: string; resource: string; verb: string }) =>
  `${p.verb} ${p.resource}.${p.group}`

/** The Role without one verb on one resource. */
function without(p: { group: string; resource: string; verb: string }): PolicyRule[] {
  return ROLE.map((r) =>
    r.apiGroups.includes(p.group) && r.resources.includes(p.resource)
      ? { ...r, verbs: r.verbs.filter((v) => v !== p.verb) }
      : r
  ).filter((r) => r.verbs.length > 0)
}

const ROLE_TOKEN = 'role-token-0123456789abcdef'
const lessToken = (i: number) => `less-token-${i}-0123456789abcdef`
const policy = {
  [ROLE_TOKEN]: { user: 'ci-role', rules: ROLE },
  ...Object.fromEntries(
    PERMISSIONS.map((p, i) => [lessToken(i), { user: `ci-less-${i}`, rules: without(p) }])
  )
}

/** What the API server saw as RBAC attributes: `verb resource.group`. */
function permissionOf(e: AuditEntry): string | undefined {
  const m = /^\/apis\/([^/]+)\/[^/]+\/namespaces\/[^/]+\/([^/]+)(\/[^/]+)?(\/status)?$/.exec(e.path)
  if (!m) return undefined
  const [, group, resource, name, status] = m
  const watch = ['true', '1'].includes(e.query?.watch ?? '')
  const verb = {
    GET: name ? 'get' : watch ? 'watch' : 'list',
    POST: 'create',
    PUT: 'update',
    PATCH: 'patch',
    DELETE: name ? 'delete' : 'deletecollection'
  }[e.method]
  return `${verb} ${resource}${status ? '/status' : ''}.${group}`
}

describe('least privilege: the README Role', () => {
  const emulator = withEmulator({ rbac: policy })
  const kubeconfig = (user: string, token: string) =>
    kubeconfigYaml({ server: emulator().apiUrl, user, token })
  const fast = () => [
    '--steps',
    '20,100',
    '--step-interval',
    '2s',
    '--probe-rps',
    '20',
    '--timeout',
    '2m',
    '--ingress-address',
    emulator().ingressUrl
  ]
  const cliAs = async (token: string, args: string[]): Promise<DistRun> => {
    const file = join(await mkdtemp(join(tmpdir(), 'rbac-')), 'kubeconfig')
    await writeFile(file, kubeconfig('u', token), { mode: 0o600 })
    return runCli([...args, '--kubeconfig', file])
  }
  const admin = () => ({ env: { KUBECONFIG: emulator().kubeconfigPath } })
  const result = (run: DistRun) => JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}').result

  test('the Role is enough for rollout, pause, status, promote and abort, and all of it is used', async () => {
    const as = (args: string[]) => cliAs(ROLE_TOKEN, args)
    const svc = ['--service', 'rb']
    const runs: [string, DistRun, string][] = []
    runs.push([
      'first deploy',
      await as([
        'rollout',
        ...svc,
        '--image',
        'ghcr.io/acme/rb:1',
        '--revision-name',
        'rb-v1',
        ...fast()
      ]),
      'promoted'
    ])
    runs.push([
      'rollout to pause-at 20',
      await as([
        'rollout',
        ...svc,
        '--image',
        'ghcr.io/acme/rb:2',
        '--revision-name',
        'rb-v2',
        '--pause-at',
        '20',
        ...fast()
      ]),
      'paused'
    ])
    runs.push(['status', await as(['status', ...svc]), 'paused'])
    runs.push(['promote', await as(['promote', ...svc, ...fast()]), 'promoted'])
    runs.push([
      'rollout again',
      await as([
        'rollout',
        ...svc,
        '--image',
        'ghcr.io/acme/rb:3',
        '--revision-name',
        'rb-v3',
        '--pause-at',
        '20',
        ...fast()
      ]),
      'paused'
    ])
    // The action's entry, as the runner starts it, for the abort.
    const abort = await runAction({
      command: 'abort',
      service: 'rb',
      kubeconfig: kubeconfig('u', ROLE_TOKEN)
    })
    for (const [name, run, want] of runs) {
      expect([name, run.code, result(run)]).toEqual([name, 0, want])
    }
    expect(abort.code).toBe(0)
    expect(parseFileCommands(abort.files.output).result).toBe('aborted')

    const audit = (await auditLog(emulator().apiUrl)).filter((e) => e.user === 'ci-role')
    expect(audit.filter((e) => e.status === 401 || e.status === 403)).toEqual([])
    const used = new Set(audit.map(permissionOf).filter((p) => p !== undefined))
    // Minimal: every permission of the Role was used; enough: nothing outside it was asked for.
    expect([...used].sort()).toEqual(PERMISSIONS.map(key).sort())
    recordFigures('rbac', {
      role: PERMISSIONS.map(key),
      requestsInFullFlow: audit.length,
      withoutOneRuleFailed: 'see rbacLess'
    })
  }, 120_000)

  describe('with any one rule less, the run fails naming the verb and the resource', () => {
    // `list services` is for the paths these runs do not reach: a watch whose history expired
    // (410) lists again, and a wait that follows no write of ours (traffic-owner git) starts
    // from a list. A wait right after our own write watches from what the write returned.
    const RECOVERY_ONLY = 'list services.serving.knative.dev'
    const rows = PERMISSIONS.map((p, i) => [key(p), p, i] as const).filter(
      ([name]) => name !== RECOVERY_ONLY
    )
    const runs = new Map<number, DistRun>()

    beforeAll(async () => {
      // Each row works on its own Service, first deployed by the administrator.
      await inPool(
        rows.map(([, , i]) => async () => {
          const first = await runCli(
            [
              'rollout',
              '--service',
              `less-${i}`,
              '--image',
              'ghcr.io/acme/less:1',
              '--revision-name',
              `less-${i}-v1`
            ],
            admin()
          )
          expect(first.code).toBe(0)
        }),
        4
      )
      await inPool(
        rows.map(([, p, i]) => async () => {
          // `create` is only used for a Service that does not exist yet.
          const service = p.verb === 'create' ? `new-${i}` : `less-${i}`
          runs.set(
            i,
            await cliAs(lessToken(i), [
              'rollout',
              '--service',
              service,
              '--image',
              'ghcr.io/acme/less:2',
              '--revision-name',
              `${service}-v2`,
              '--pause-at',
              '20',
              ...fast()
            ])
          )
        }),
        4
      )
    }, 180_000)

    afterAll(() => {
      recordFigures('rbacLess', {
        rulesRemoved: rows.length,
        failedNamingIt: rows.filter(([, p, i]) => {
          const run = runs.get(i)
          return (
            run &&
            run.code !== 0 &&
            run.stderr.includes(`needs RBAC permission to ${p.verb} ${p.resource}.${p.group}`)
          )
        }).length
      })
    })

    test.each(rows)('without %s', async (_name, p, i) => {
      const run = runs.get(i)!
      expect(run.code).toBe(1)
      expect(result(run)).toBe('failed')
      // The API server's Forbidden, relayed verbatim (client-node 2.0.1's Watch drops the body
      // of a non-200 answer, so a watch has only the status), and what to grant.
      if (p.verb !== 'watch')
        expect(run.stderr).toContain(
          `is forbidden: User "ci-less-${i}" cannot ${p.verb} resource "${p.resource}" in API group "${p.group}" in the namespace "default"`
        )
      expect(run.stderr).toContain(`forbidden (403) to ${p.verb} ${p.resource}.${p.group}`)
      expect(run.stderr).toContain(`needs RBAC permission to ${p.verb} ${p.resource}.${p.group}`)
      // And the Service still serves what it served.
      if (p.verb !== 'create') {
        const live = emulator().store.get(`services.${GROUP}`, 'default', `less-${i}`)
        const traffic = (live?.spec?.traffic ?? []) as { revisionName?: string; percent?: number }[]
        expect(traffic.filter((t) => (t.percent ?? 0) > 0)).toEqual([
          expect.objectContaining({ revisionName: `less-${i}-v1`, percent: 100 })
        ])
      }
    })
  })
})

describe('the emulator answers like an API server with RBAC on', () => {
  const READ_ONLY: PolicyRule[] = [{ apiGroups: [GROUP], resources: ['services'], verbs: ['get'] }]
  const emulator = withEmulator({ rbac: { 'reader-token': { user: 'reader', rules: READ_ONLY } } })
  const SVC = `/apis/${GROUP}/v1/namespaces/default/services`

  test.each([
    [
      'a verb the rules do not grant',
      'PATCH',
      `${SVC}/shop`,
      'Bearer reader-token',
      403,
      `services.${GROUP} "shop" is forbidden: User "reader" cannot patch resource "services" in API group "${GROUP}" in the namespace "default"`
    ],
    [
      'a list (no name in the message)',
      'GET',
      SVC,
      'Bearer reader-token',
      403,
      `services.${GROUP} is forbidden: User "reader" cannot list resource "services" in API group "${GROUP}" in the namespace "default"`
    ],
    [
      'a subresource',
      'PUT',
      `${SVC}/shop/status`,
      'Bearer reader-token',
      403,
      `services.${GROUP} "shop" is forbidden: User "reader" cannot update resource "services/status" in API group "${GROUP}" in the namespace "default"`
    ],
    [
      'no token',
      'GET',
      `${SVC}/shop`,
      undefined,
      403,
      `services.${GROUP} "shop" is forbidden: User "system:anonymous" cannot get resource "services" in API group "${GROUP}" in the namespace "default"`
    ],
    ['an unknown (expired) token', 'GET', `${SVC}/shop`, 'Bearer expired', 401, 'Unauthorized'],
    [
      'a granted verb',
      'GET',
      `${SVC}/shop`,
      'Bearer reader-token',
      404,
      `services.${GROUP} "shop" not found`
    ]
  ])('%s', async (_name, method, path, authorization, code, message) => {
    const res = await fetch(emulator().apiUrl + path, {
      method,
      headers: {
        ...(authorization ? { authorization } : {}),
        'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json'
      },
      body: method === 'GET' ? undefined : '{}'
    })
    const status = (await res.json()) as { code: number; reason: string; message: string }
    expect([res.status, status.code, status.message]).toEqual([code, code, message])
  })

  test('the kubeconfig token stays an administrator', async () => {
    const kc = await readFile(emulator().kubeconfigPath, 'utf8')
    const token = /token: (\S+)/.exec(kc)![1]
    const res = await fetch(`${emulator().apiUrl}${SVC}`, {
      headers: { authorization: `Bearer ${token}` }
    })
    expect(res.status).toBe(200)
  })
})

describe('knative-emulator --rbac FILE', () => {
  test.each([
    [
      'YAML tokens with rules',
      'ci-token:\n  user: ci\n  rules:\n    - {apiGroups: [serving.knative.dev], resources: [services], verbs: [get]}\n',
      {
        'ci-token': {
          user: 'ci',
          rules: [{ apiGroups: [GROUP], resources: ['services'], verbs: ['get'] }]
        }
      }
    ],
    ['a list instead of a map', '- ci\n', 'the RBAC file must map tokens to {user, rules}'],
    ['a grant without rules', 't: {user: ci}\n', 'must be {user, rules: [...]}'],
    [
      'a rule without verbs',
      't: {user: ci, rules: [{apiGroups: [""], resources: [pods]}]}\n',
      'user "ci": each rule needs apiGroups, resources and verbs lists'
    ]
  ])('%s', (_name, text, expected) => {
    if (typeof expected === 'string') expect(() => parseRbacPolicy(text)).toThrow(expected)
    else expect(parseRbacPolicy(text)).toEqual(expected)
  })
})
