// The unreachable-probe case end to end: without ingress-address (the default) the probes go
// to the current's tag host, `current-<service>.default.example.com`, which this runner
// cannot resolve. The built action must end `failed` before any write, naming the URL, the
// network error and the fix, instead of rolling the candidate back for "0% success".

import { runAction } from '../helpers/action-runner.js'
import { e2eKit, expectEnded, serviceYaml } from '../helpers/e2e-kit.js'

const kit = e2eKit()

test('probes that reach nothing: failed, zero writes, the network error named', async () => {
  const first = await runAction({
    inputs: kit.inputs({
      manifest: await kit.manifest('net-v1', serviceYaml('net', 'docker.io/acme/net:v1')),
      'revision-name': 'net-v1'
    })
  })
  expectEnded(first, 0, 'promoted')

  const { apiUrl } = kit.emulator()
  await fetch(`${apiUrl}/emulator/requests`, { method: 'DELETE' })
  const out = await runAction({
    inputs: kit.inputs({
      manifest: await kit.manifest('net-v2', serviceYaml('net', 'docker.io/acme/net:v2')),
      'revision-name': 'net-v2',
      'ingress-address': ''
    })
  })
  expectEnded(out, 1, 'failed')
  const [annotation] = out.annotations.filter((a) => a.level === 'error').map((a) => a.message)
  expect(annotation).toMatch(
    /^the current revision is not reachable at http:\/\/current-net\.default\.example\.com\/: every request failed on the network \((ENOTFOUND|EAI_AGAIN|TIMEOUT|ECONNREFUSED)\)\. This is a setup problem, not the candidate: set ingress-address/
  )
  const requests = (await (await fetch(`${apiUrl}/emulator/requests`)).json()) as {
    method: string
    query?: { dryRun?: string }
  }[]
  // A dry-run write (the template's stored form) stores nothing: not a write.
  expect(requests.filter((r) => r.method !== 'GET' && !r.query?.dryRun)).toEqual([])
  expect((await kit.service('net')).spec.template.metadata?.name).toBe('net-v1')
})
