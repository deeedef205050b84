// The post step's clients (pipeline/post-clients.ts): one per cluster, found by a unit's
// place in `waves` from the same inputs and environment the main step had; a place the
// inputs do not have is an error naming it (post.ts warns and goes on with the others).

import { postClients } from '../../../src/pipeline/post-clients.js'
import { wallClock } from '../../../src/clock.js'
import { memoryLogger } from '../../helpers/memory-logger.js'

const kubeconfig = (server: string) => `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${server}"}}]
users: [{name: u, user: {token: t0ken}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
`
const INPUTS: Record<string, string> = {
  manifest: 'deploy/*.yaml',
  kubeconfig: kubeconfig('https://base.example:6443'),
  waves: `- name: staging
  clusters: [{name: stg, kubeconfig-env: KC_STG}]
- name: production
  clusters: [{name: eu, kubeconfig-env: KC_EU}, {name: us, context: c}]
`
}
const env = {
  KC_STG: kubeconfig('https://stg.example:6443'),
  KC_EU: kubeconfig('https://eu.example:6443')
}

function clients() {
  const secrets: string[] = []
  const of = postClients((n) => INPUTS[n], {
    clock: wallClock,
    log: memoryLogger(),
    env,
    onSecret: (s) => secrets.push(s)
  })
  return { of, secrets }
}
const at = (wave?: number, cluster?: number) => ({
  namespace: 'default',
  service: 'shop',
  holder: 'acme/shop/runs/1/jobs/deploy',
  ...(wave === undefined ? {} : { wave, cluster })
})

test('one client per cluster, named as in waves; its kubeconfig as the main step read it, masked', async () => {
  const { of, secrets } = clients()
  const [eu, eu2, stg, us, plain] = await Promise.all([
    of(at(1, 0)),
    of({ ...at(1, 0), service: 'cart' }),
    of(at(0, 0)),
    of(at(1, 1)),
    of(at())
  ])
  expect([eu.cluster, stg.cluster, us.cluster, plain.cluster]).toEqual([
    'eu',
    'stg',
    'us',
    undefined
  ])
  expect(eu2.client).toBe(eu.client)
  expect(new Set([eu, stg, us, plain].map((c) => c.client)).size).toBe(4)
  // us's is the kubeconfig input with its context made current: a secret too, as the main
  // step masks it (run-pipeline.ts prepare).
  expect(secrets).toHaveLength(3)
  expect(secrets).toEqual(expect.arrayContaining([env.KC_EU, env.KC_STG]))
  expect(secrets.find((s) => s !== env.KC_EU && s !== env.KC_STG)).toContain('base.example')
})

test.each([
  [2, 0],
  [1, 2]
])('a place the inputs do not have (wave %p, cluster %p) is an error naming it', async (w, c) => {
  await expect(clients().of(at(w, c))).rejects.toThrow(`waves[${w}].clusters[${c}] is not in waves`)
})

test('inputs the post step cannot read: an error for that unit, not a throw', async () => {
  const of = postClients((n) => (n === 'waves' ? '- {name: x}' : INPUTS[n]), {
    clock: wallClock,
    log: memoryLogger(),
    env
  })
  const asked = of(at(0, 0))
  expect(asked).toBeInstanceOf(Promise)
  await expect(asked).rejects.toThrow(/^waves\[0\]/)
})
