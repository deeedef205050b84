// Who may take the lease, and who this run is.

import { checkLease, heldMessage, runIdentityFromEnv } from '../../../src/rollout/lease.js'
import { MAX_LEASE_SECONDS } from '../../../src/rollout/state.js'

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

test.each([
  [
    'a GitHub run: the id survives re-run attempts, the URL names the attempt',
    {
      GITHUB_RUN_ID: '42',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_SERVER_URL: 'https://github.example.com',
      GITHUB_RUN_ATTEMPT: '2'
    },
    {
      id: 'acme/shop/runs/42',
      url: 'https://github.example.com/acme/shop/actions/runs/42/attempts/2'
    }
  ],
  ['outside GitHub: the user on this host', {}, { id: 'cli:ana@laptop' }]
])('%s', (_name, env, identity) => {
  expect(runIdentityFromEnv(env, 'ana@laptop')).toEqual(identity)
})
