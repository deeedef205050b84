// The real kubectl (v1.32) against the full emulator: apply (client-side with default
// validation, then server-side), get with Knative's columns, wait, patch, delete.

import { eventually, kubectl, withEmulator, type TestEmulator } from '../../helpers/emulator.js'

const emulator = withEmulator({ statusDelayMs: 5 })

const manifest = (target: string, extra = '') => `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: kc-hello
  namespace: default
${extra}spec:
  template:
    spec:
      containers:
        - image: docker.io/acme/helloworld-go:v1
          env:
            - name: TARGET
              value: "${target}"
`

async function requestsSince(e: TestEmulator, mark: number): Promise<any[]> {
  const all = (await (await fetch(`${e.apiUrl}/emulator/requests`)).json()) as any[]
  return all
    .slice(mark)
    .filter((r) => !r.path.startsWith('/api') || r.path.includes('/namespaces/'))
}
const mark = async (e: TestEmulator) =>
  ((await (await fetch(`${e.apiUrl}/emulator/requests`)).json()) as any[]).length

async function ok(args: string[], stdin?: string): Promise<string> {
  const res = await kubectl(emulator(), args, stdin)
  if (res.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${res.code}: ${res.stderr}`)
  return res.stdout
}

const isReady = (name: string) => () => {
  const svc = emulator().store.get('services.serving.knative.dev', 'default', name)
  return (
    svc?.status?.observedGeneration === svc?.metadata.generation &&
    svc?.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')
  )
}

describe('kubectl', () => {
  test('apply -f creates with server-side field validation (OpenAPI v3 found the PATCH parameter)', async () => {
    const before = await mark(emulator())
    expect(await ok(['apply', '-f', '-'], manifest('v1'))).toBe(
      'service.serving.knative.dev/kc-hello created\n'
    )
    const writes = (await requestsSince(emulator(), before)).filter((r) => r.method !== 'GET')
    expect(writes).toEqual([
      expect.objectContaining({
        method: 'POST',
        query: expect.objectContaining({
          fieldValidation: 'Strict',
          fieldManager: 'kubectl-client-side-apply'
        }),
        status: 201
      })
    ])
  })

  test('wait --for=condition=Ready follows the watch', async () => {
    expect(await ok(['wait', '--for=condition=Ready', 'ksvc/kc-hello', '--timeout=30s'])).toBe(
      'service.serving.knative.dev/kc-hello condition met\n'
    )
  })

  test('apply -f again sends a JSON merge patch', async () => {
    const before = await mark(emulator())
    expect(await ok(['apply', '-f', '-'], manifest('v2'))).toBe(
      'service.serving.knative.dev/kc-hello configured\n'
    )
    const writes = (await requestsSince(emulator(), before)).filter((r) => r.method !== 'GET')
    expect(writes.map((r) => [r.method, r.contentType, r.status])).toEqual([
      ['PATCH', 'application/merge-patch+json', 200]
    ])
  })

  test('apply --server-side sends an apply patch', async () => {
    const before = await mark(emulator())
    const out = await ok(
      ['apply', '--server-side', '--force-conflicts', '-f', '-'],
      manifest('v3', '  labels:\n    owner: ssa\n')
    )
    expect(out).toBe('service.serving.knative.dev/kc-hello serverside-applied\n')
    const writes = (await requestsSince(emulator(), before)).filter((r) => r.method !== 'GET')
    // A 409 from the migration's resourceVersion precondition (the controller wrote status
    // in between) is retried by kubectl, so only the successful writes are compared.
    const succeeded = writes.filter((r) => r.status !== 409)
    expect(succeeded.map((r) => [r.method, r.contentType, r.query.fieldManager, r.status])).toEqual(
      [
        ['PATCH', 'application/apply-patch+yaml', 'kubectl', 200],
        // kubectl's own migration of the client-side last-applied annotation
        ['PATCH', 'application/apply-patch+yaml', 'kubectl-last-applied', 200],
        // it saw the kubectl-client-side-apply entry in managedFields and moved those fields
        // to its Apply entry, then applied again so that they are pruned as needed
        ['PATCH', 'application/json-patch+json', 'kubectl', 200],
        ['PATCH', 'application/apply-patch+yaml', 'kubectl', 200]
      ]
    )
    const svc = emulator().store.get('services.serving.knative.dev', 'default', 'kc-hello')!
    expect(
      (svc.metadata.managedFields as { manager: string; operation: string }[])
        .map((e) => `${e.manager}/${e.operation}`)
        .sort()
    ).toEqual(['kubectl-last-applied/Apply', 'kubectl/Apply'])
    expect(svc.metadata.labels).toEqual({ owner: 'ssa' })
    expect(svc.spec.template.spec.containers[0].env).toEqual([{ name: 'TARGET', value: 'v3' }])
  })

  test('get ksvc,rev,route,configuration prints Knative columns', async () => {
    await eventually(isReady('kc-hello'), 'kc-hello Ready after v3')
    const out = await ok(['get', 'ksvc,rev,route,configuration'])
    const headers = out
      .split('\n')
      .filter((l) => l.startsWith('NAME'))
      .map((l) => l.split(/\s{2,}/))
    expect(headers).toEqual([
      ['NAME', 'URL', 'LATESTCREATED', 'LATESTREADY', 'READY', 'REASON', 'AGE'],
      [
        'NAME',
        'CONFIG NAME',
        'GENERATION',
        'READY',
        'REASON',
        'ACTUAL REPLICAS',
        'DESIRED REPLICAS',
        'AGE'
      ],
      ['NAME', 'URL', 'READY', 'REASON', 'AGE'],
      ['NAME', 'LATESTCREATED', 'LATESTREADY', 'READY', 'REASON', 'AGE']
    ])
    expect(out).toMatch(
      /^service\.serving\.knative\.dev\/kc-hello\s+http:\/\/kc-hello\.default\.example\.com\s+kc-hello-00003\s+kc-hello-00003\s+True\s/m
    )
    expect(out).toMatch(/^revision\.serving\.knative\.dev\/kc-hello-00001\s+kc-hello\s+1\s/m)
    expect(out).toMatch(
      /^route\.serving\.knative\.dev\/kc-hello\s+http:\/\/kc-hello\.default\.example\.com\s+True\s/m
    )
  })

  test('get pod,ksvc,configuration,revision,route includes the pods', async () => {
    const out = await ok(['get', 'pod,ksvc,configuration,revision,route'])
    expect(out.split('\n')[0].split(/\s{2,}/)).toEqual([
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE'
    ])
    expect(out).toMatch(/^pod\/kc-hello-00003-deployment-\S+\s+2\/2\s+Running\s+0\s/m)
  })

  test('patch --type=merge', async () => {
    expect(
      await ok([
        'patch',
        'ksvc',
        'kc-hello',
        '--type=merge',
        '-p',
        '{"metadata":{"annotations":{"team":"blue"}}}'
      ])
    ).toBe('service.serving.knative.dev/kc-hello patched\n')
    expect(
      await ok(['get', 'ksvc', 'kc-hello', '-o', 'jsonpath={.metadata.annotations.team}'])
    ).toBe('blue')
  })

  test('patch --type=strategic is refused as for any custom resource', async () => {
    const res = await kubectl(emulator(), [
      'patch',
      'ksvc',
      'kc-hello',
      '--type=strategic',
      '-p',
      '{"metadata":{"labels":{"x":"y"}}}'
    ])
    expect(res.code).toBe(1)
    expect(res.stderr).toContain(
      'application/strategic-merge-patch+json is not supported by serving.knative.dev/v1, Kind=Service'
    )
  })

  test('an invalid manifest is refused with the webhook message', async () => {
    const res = await kubectl(
      emulator(),
      ['apply', '-f', '-'],
      manifest('v1').replace('name: kc-hello', 'name: Bad_Name')
    )
    expect(res.code).toBe(1)
    expect(res.stderr).toContain(
      'admission webhook "validation.webhook.serving.knative.dev" denied the request: validation failed:'
    )
  })

  test('get ns lists a fresh cluster’s namespaces as Active', async () => {
    const out = await ok(['get', 'ns'])
    expect(out).toMatch(
      /^NAME\s+STATUS\s+AGE\ndefault\s+Active\s+\d+s\nkube-node-lease\s+Active\s+\d+s\nkube-public\s+Active\s+\d+s\nkube-system\s+Active\s+\d+s\n$/
    )
  })

  test('create namespace, then apply into it; a missing namespace is NotFound', async () => {
    expect(await ok(['create', 'namespace', 'kc-team'])).toBe('namespace/kc-team created\n')
    expect(
      await ok(
        ['apply', '-n', 'kc-team', '-f', '-'],
        manifest('v1').replace('namespace: default', 'namespace: kc-team')
      )
    ).toBe('service.serving.knative.dev/kc-hello created\n')
    const res = await kubectl(
      emulator(),
      ['apply', '-n', 'kc-nowhere', '-f', '-'],
      manifest('v1').replace('  namespace: default\n', '')
    )
    expect(res.code).toBe(1)
    expect(res.stderr).toBe(
      'Error from server (NotFound): error when creating "STDIN": namespaces "kc-nowhere" not found\n'
    )
  })

  // The CRDs' structural schemas (config/core/300-resources/*.yaml), published in OpenAPI v3.
  test('explain reads the schema: the fields of a template container, their types', async () => {
    const out = await ok(['explain', 'ksvc.spec.template.spec.containers'])
    expect(out).toMatch(/^GROUP:\s+serving\.knative\.dev\nKIND:\s+Service\nVERSION:\s+v1\n/)
    expect(out).toMatch(/FIELD: containers <\[\]Object>/)
    const fields = [...out.matchAll(/^ {2}(\w+)\t<([^>]+)>$/gm)].map((m) => `${m[1]} ${m[2]}`)
    expect(fields).toEqual(
      expect.arrayContaining(['image string', 'ports []Object', 'env []Object', 'name string'])
    )
    // Knative's field mask leaves these out of the schema: the API server prunes them.
    expect(fields.map((f) => f.split(' ')[0])).not.toContain('lifecycle')
    const pruned = await kubectl(emulator(), [
      'explain',
      'ksvc.spec.template.spec.containers.lifecycle'
    ])
    expect([pruned.code, pruned.stderr.trim()]).toEqual([
      1,
      'error: field "lifecycle" does not exist'
    ])
    const port = await ok(['explain', 'ksvc.spec.template.spec.containers.ports.containerPort'])
    expect(port).toMatch(/FIELD: containerPort <integer>/)
  })

  test('get of a missing service is NotFound', async () => {
    const res = await kubectl(emulator(), ['get', 'ksvc', 'nope'])
    expect(res.code).toBe(1)
    expect(res.stderr).toBe(
      'Error from server (NotFound): services.serving.knative.dev "nope" not found\n'
    )
  })

  test('delete removes the service and everything it owns', async () => {
    expect(await ok(['delete', 'ksvc', 'kc-hello'])).toBe(
      'service.serving.knative.dev "kc-hello" deleted\n'
    )
    const out = await kubectl(emulator(), [
      'get',
      'ksvc,configuration,revision,route',
      '-o',
      'name'
    ])
    expect([out.code, out.stdout]).toEqual([0, ''])
    await eventually(() => emulator().store.list('pods', 'default').length === 0, 'pods to go')
  })
})
