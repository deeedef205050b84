// Taking, waiting for and dropping the lease (lease.ts) against an in-memory Service store:
// the wait-for-lock deadline, the takeover report, the release that leaves others' leases.

import type { KService } from '../../../src/knative/types.js'
import {
  acquireLease,
  checkLease,
  heldMessage,
  LeaseHeldError,
  newLease,
  releaseLease,
  runIdentityFromEnv
} from '../../../src/rollout/lease.js'
import type { Clock, ServingClient } from '../../../src/rollout/ports.js'
import { readLease, writeLease, type Lease } from '../../../src/rollout/state.js'

const me = { id: 'acme/shop/runs/7', url: 'https://github.com/acme/shop/actions/runs/7' }
const other: Lease = { holder: 'acme/shop/runs/9', renewedAt: 0, durationSeconds: 60 }

/** One Service in memory; updateService applies `mutate` once, as after a successful write. */
function store(lease?: Lease) {
  let service: KService = {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: 'shop', annotations: { keep: 'me' } },
    spec: { template: { spec: { containers: [] } } }
  }
  if (lease) service = writeLease(service, lease)
  let writes = 0
  const client = {
    async updateService(_ns: string, _name: string, mutate: (s: KService) => KService | undefined) {
      const next = mutate(service)
      if (next) {
        service = next
        writes++
      }
      return service
    }
  } as unknown as ServingClient
  return { client, get: () => service, writes: () => writes }
}

/** A clock whose sleeps only move time on, recording them. */
function clock(start = 0) {
  let now = start
  const sleeps: number[] = []
  const c: Clock = {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms)
      now += ms
    }
  }
  return { c, sleeps }
}

const opts = { durationSeconds: 120, wait: false, deadline: 0 }

describe('acquireLease', () => {
  test('a free Service: leased to us, other annotations kept', async () => {
    const s = store()
    const { c } = clock(5000)
    const r = await acquireLease(s.client, c, 'ns', 'shop', me, opts)
    expect(r.before).toEqual({ kind: 'free' })
    expect(readLease(r.service)).toEqual({
      holder: me.id,
      url: me.url,
      renewedAt: 5000,
      durationSeconds: 120
    })
    expect(r.service.metadata.annotations!.keep).toBe('me')
  })

  test('an expired lease is taken over and reported, with `also` in the same write', async () => {
    const s = store(other)
    const { c } = clock(60_001)
    const also = (svc: KService) => ({
      ...svc,
      metadata: { ...svc.metadata, labels: { takeover: 'yes' } }
    })
    const r = await acquireLease(s.client, c, 'ns', 'shop', me, { ...opts, also })
    expect(r.before).toEqual({ kind: 'expired', previous: { ...other, url: undefined } })
    expect(readLease(r.service)?.holder).toBe(me.id)
    expect(r.service.metadata.labels).toEqual({ takeover: 'yes' })
    expect(s.writes()).toBe(1)
  })

  test('held, not waiting: refused at once, naming the holder', async () => {
    const s = store(other)
    const { c, sleeps } = clock(1000)
    const err = await acquireLease(s.client, c, 'ns', 'shop', me, opts).catch((e) => e)
    expect(err).toBeInstanceOf(LeaseHeldError)
    expect(err.name).toBe('LeaseHeldError')
    expect(err.lease.holder).toBe(other.holder)
    expect(err.message).toContain(other.holder)
    expect(sleeps).toEqual([])
    expect(readLease(s.get())?.holder).toBe(other.holder)
  })

  test('held, waiting: polls until the lease expires, then takes it', async () => {
    const s = store(other)
    const { c, sleeps } = clock(0)
    const r = await acquireLease(s.client, c, 'ns', 'shop', me, {
      ...opts,
      wait: true,
      deadline: 200_000,
      pollMs: 25_000
    })
    expect(sleeps).toEqual([25_000, 25_000, 25_000])
    expect(r.before.kind).toBe('expired')
    expect(readLease(r.service)?.holder).toBe(me.id)
  })

  test('held, waiting: the default poll is 5 s', async () => {
    const s = store(other)
    const { c, sleeps } = clock(50_000)
    await acquireLease(s.client, c, 'ns', 'shop', me, { ...opts, wait: true, deadline: 1e9 })
    expect(sleeps).toEqual([5000, 5000, 5000])
  })

  test('held, waiting past the deadline: the last sleep ends at the deadline, then refused', async () => {
    const s = store({ ...other, durationSeconds: 3600 })
    const { c, sleeps } = clock(0)
    const err = await acquireLease(s.client, c, 'ns', 'shop', me, {
      ...opts,
      wait: true,
      deadline: 12_000,
      pollMs: 5000
    }).catch((e) => e)
    expect(err).toBeInstanceOf(LeaseHeldError)
    expect(sleeps).toEqual([5000, 5000, 2000])
  })

  test('another error is not waited on', async () => {
    const boom = new Error('forbidden')
    const client = {
      updateService: async () => {
        throw boom
      }
    } as unknown as ServingClient
    const { c, sleeps } = clock(0)
    await expect(
      acquireLease(client, c, 'ns', 'shop', me, { ...opts, wait: true, deadline: 1e9 })
    ).rejects.toBe(boom)
    expect(sleeps).toEqual([])
  })
})

describe('releaseLease', () => {
  test.each([
    { name: 'ours: removed', lease: newLease(me, 0, 60), after: undefined, writes: 1 },
    { name: 'another run’s: left alone', lease: other, after: other.holder, writes: 0 },
    { name: 'none: no write', lease: undefined, after: undefined, writes: 0 }
  ])('$name', async ({ lease, after, writes }) => {
    const s = store(lease)
    await releaseLease(s.client, 'ns', 'shop', me)
    expect(readLease(s.get())?.holder).toBe(after)
    expect(s.writes()).toBe(writes)
    expect(s.get().metadata.annotations!.keep).toBe('me')
  })
})

describe('heldMessage: seconds left, rounded up, never negative', () => {
  test.each([
    { name: 'just renewed', now: 0, left: '60s' },
    { name: 'part of a second left rounds up', now: 58_500, left: '2s' },
    { name: 'at expiry', now: 60_000, left: '0s' },
    { name: 'past expiry', now: 90_000, left: '0s' }
  ])('$name', ({ now, left }) => {
    const m = heldMessage('shop', other, now)
    expect(m).toBe(
      `service "shop" has a rollout in progress held by ${other.holder}` +
        ` (lease expires in ${left} unless renewed); set wait-for-lock to wait for it`
    )
  })
})

describe('runIdentityFromEnv', () => {
  test.each([
    {
      name: 'GitHub, with an attempt',
      env: { GITHUB_RUN_ID: '7', GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ATTEMPT: '2' },
      out: { id: 'acme/shop/runs/7', url: 'https://github.com/acme/shop/actions/runs/7/attempts/2' }
    },
    {
      name: 'GitHub Enterprise, no attempt',
      env: {
        GITHUB_RUN_ID: '7',
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_SERVER_URL: 'https://ghe.example'
      },
      out: { id: 'acme/shop/runs/7', url: 'https://ghe.example/acme/shop/actions/runs/7' }
    },
    {
      name: 'a run id without a repository: the CLI',
      env: { GITHUB_RUN_ID: '7' },
      out: { id: 'cli:ann' }
    },
    {
      name: 'a repository without a run id: the CLI',
      env: { GITHUB_REPOSITORY: 'acme/shop' },
      out: { id: 'cli:ann' }
    }
  ])('$name', ({ env, out }) => {
    expect(runIdentityFromEnv(env, 'ann')).toEqual(out)
  })

  test('the CLI user defaults to cli', () => {
    expect(runIdentityFromEnv({})).toEqual({ id: 'cli:cli' })
  })
})

test('checkLease: an expired lease names the previous holder', () => {
  expect(checkLease(other, me, 60_001)).toEqual({ kind: 'expired', previous: other })
  expect(checkLease(other, me, 60_000)).toEqual({ kind: 'held', lease: other })
})
