// Who may take the lease, and who this run is.

import {
  checkLease,
  heldMessage,
  MAX_RUN_ID_CHARS,
  newLease,
  runIdentityFromEnv
} from '../../../src/rollout/lease.js'
import type { KService } from '../../../src/knative/types.js'
import { MAX_LEASE_SECONDS, readLease, writeLease } from '../../../src/rollout/state.js'

const me = { id: 'acme/shop/runs/7' }
const NOW = 1_000_000

test.each([
  ['no lease: free', undefined, 'free'],
  [
    'our own (a re-run of the same run): mine',
    { holder: 'acme/shop/runs/7', renewedAt: NOW, durationSeconds: 60 },
    'mine'
  ],
  [
    'another run, renewed just now: held',
    { holder: 'acme/shop/runs/9', renewedAt: NOW - 1000, durationSeconds: 60 },
    'held'
  ],
  [
    'another run, at the last second: held',
    { holder: 'acme/shop/runs/9', renewedAt: NOW - 60_000, durationSeconds: 60 },
    'held'
  ],
  [
    'another run, not renewed within its duration: expired',
    { holder: 'acme/shop/runs/9', renewedAt: NOW - 60_001, durationSeconds: 60 },
    'expired'
  ],
  [
    'another run, renewed a little ahead of our clock (skew): held',
    { holder: 'acme/shop/runs/9', renewedAt: NOW + 30_000, durationSeconds: 60 },
    'held'
  ],
  [
    'renewed "in the future" past any lease this action writes (planted): expired',
    { holder: 'acme/shop/runs/9', renewedAt: NOW + MAX_LEASE_SECONDS * 1000, durationSeconds: 60 },
    'expired'
  ]
])('%s', (_name, lease, kind) => {
  expect(checkLease(lease, me, NOW).kind).toBe(kind)
})

test('the refusal names the holder by its run URL', () => {
  const msg = heldMessage(
    'shop',
    {
      holder: 'acme/shop/runs/9',
      url: 'https://github.com/acme/shop/actions/runs/9',
      renewedAt: NOW,
      durationSeconds: 120
    },
    NOW + 20_000
  )
  expect(msg).toBe(
    'service "shop" has a rollout in progress held by https://github.com/acme/shop/actions/runs/9 (lease expires in 100s unless renewed); set wait-for-lock to wait for it'
  )
})

const SERVICE: KService = {
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'shop' },
  spec: { template: { spec: { containers: [] } } }
}
const RUN = { GITHUB_RUN_ID: '42', GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ATTEMPT: '1' }

test.each([
  [
    'a GitHub run: the id survives re-run attempts, the URL names the attempt',
    {
      GITHUB_RUN_ID: '42',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_SERVER_URL: 'https://github.example.com',
      GITHUB_RUN_ATTEMPT: '2'
    },
    undefined,
    {
      id: 'acme/shop/runs/42',
      url: 'https://github.example.com/acme/shop/actions/runs/42/attempts/2'
    }
  ],
  [
    'a job of a GitHub run: the job is part of the id, the URL still the attempt',
    { ...RUN, GITHUB_JOB: 'staging' },
    undefined,
    {
      id: 'acme/shop/runs/42/jobs/staging',
      url: 'https://github.com/acme/shop/actions/runs/42/attempts/1',
      job: 'staging'
    }
  ],
  [
    'a matrix leg: the job and its job-key',
    { ...RUN, GITHUB_JOB: 'production', GITHUB_RUN_ATTEMPT: '3' },
    'eu',
    {
      id: 'acme/shop/runs/42/jobs/production[eu]',
      url: 'https://github.com/acme/shop/actions/runs/42/attempts/3',
      job: 'production[eu]'
    }
  ],
  [
    'a job-key without GITHUB_JOB',
    RUN,
    '0',
    {
      id: 'acme/shop/runs/42[0]',
      url: 'https://github.com/acme/shop/actions/runs/42/attempts/1',
      job: '[0]'
    }
  ],
  ['outside GitHub: the user on this host', {}, undefined, { id: 'cli:ana@laptop' }],
  [
    'outside GitHub with a job-key: two terminals of one user apart',
    { GITHUB_JOB: 'ignored' },
    'eu',
    { id: 'cli:ana@laptop[eu]', job: '[eu]' }
  ]
])('%s', (_name, env, jobKey, identity) => {
  expect(runIdentityFromEnv(env, 'ana@laptop', jobKey)).toEqual(identity)
})

// Who holds the lease as another job of the same run sees it: each job, each matrix leg,
// is its own holder; the same job's re-run (another attempt) is the same one.
const job = (GITHUB_JOB: string, jobKey?: string, attempt = '1') =>
  runIdentityFromEnv({ ...RUN, GITHUB_JOB, GITHUB_RUN_ATTEMPT: attempt }, 'x', jobKey)
const heldBy = (holder: ReturnType<typeof job>) => newLease(holder, NOW - 1000, 60)

test.each([
  ['another job of the same run: held', job('staging'), job('production'), 'held'],
  [
    'another leg of the same matrix job: held',
    job('production', 'eu'),
    job('production', 'us'),
    'held'
  ],
  ['a leg and the job without a key: held', job('production', 'eu'), job('production'), 'held'],
  ['the same job re-run (attempt 2): mine', job('staging'), job('staging', undefined, '2'), 'mine'],
  [
    'the same leg re-run (attempt 2): mine',
    job('production', 'eu'),
    job('production', 'eu', '2'),
    'mine'
  ],
  [
    'the same job of another run: held',
    job('staging'),
    runIdentityFromEnv({ ...RUN, GITHUB_RUN_ID: '43', GITHUB_JOB: 'staging' }),
    'held'
  ]
])('%s', (_name, holder, me, kind) => {
  expect(checkLease(heldBy(holder), me, NOW).kind).toBe(kind)
})

test('another job of the same run is refused naming its job, not just the run', () => {
  const lease = heldBy(job('production', 'eu'))
  expect(heldMessage('shop', lease, NOW)).toBe(
    'service "shop" has a rollout in progress held by https://github.com/acme/shop/actions/runs/42/attempts/1 (job production[eu]) (lease expires in 59s unless renewed); set wait-for-lock to wait for it'
  )
})

test('the job is read back from the Service as written, escaped', () => {
  const svc = writeLease(SERVICE, {
    ...heldBy(job('production', 'eu')),
    job: 'production[eu]\n::error::x'
  })
  expect(readLease(svc)?.job).toBe('production[eu]\\n::error::x')
})

test('a very long id is cut and hashed: within what is read back, stable, and distinct', () => {
  const long = (key: string) =>
    runIdentityFromEnv({ ...RUN, GITHUB_JOB: 'j'.repeat(300) }, 'x', key).id
  expect(long('a').length).toBe(MAX_RUN_ID_CHARS)
  expect(long('a')).toBe(long('a'))
  expect(long('a')).not.toBe(long('b'))
  const svc = writeLease(SERVICE, { holder: long('a'), renewedAt: NOW, durationSeconds: 60 })
  expect(checkLease(readLease(svc), { id: long('a') }, NOW).kind).toBe('mine')
})
