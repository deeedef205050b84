import type { KService, RevisionTemplate, TrafficTarget } from '../../../src/knative/types.js'
import { releaseToTraffic, type Release } from '../../../src/traffic.js'
import { sameRelease, specDrift, templateDrift, trafficDrift } from '../../../src/rollout/drift.js'

const A = 'web-00001'
const B = 'web-00002'
const at20: Release = { current: A, candidate: B, percent: 20 }
const tpl = (name: string, image = 'ghcr.io/acme/web:2'): RevisionTemplate => ({
  metadata: { name },
  spec: { containers: [{ image }] }
})
const svc = (spec: TrafficTarget[], status: TrafficTarget[] = spec, observed = true): KService =>
  ({
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop', generation: 2 },
    spec: { template: tpl(B), traffic: spec },
    status: { observedGeneration: observed ? 2 : 1, traffic: status }
  }) as KService

describe('sameRelease', () => {
  test.each<[string, Release | undefined, Release, boolean]>([
    ['identical', at20, at20, true],
    ['nothing live', undefined, at20, false],
    ['another share', { ...at20, percent: 30 }, at20, false],
    ['another current', { ...at20, current: 'web-00000' }, at20, false],
    ['another candidate', { ...at20, candidate: 'web-00003' }, at20, false],
    [
      'no candidate on both sides, shares ignored',
      { current: A, percent: 7 },
      { current: A, percent: 0 },
      true
    ],
    [
      'a candidate at 0 is not "no candidate"',
      { current: A, candidate: B, percent: 0 },
      { current: A, percent: 0 },
      false
    ]
  ])('%s', (_name, a, b, want) => {
    expect(sameRelease(a, b)).toBe(want)
  })
})

describe('specDrift and trafficDrift', () => {
  const ours = releaseToTraffic(at20)
  const theirs = releaseToTraffic({ ...at20, percent: 50 })
  test('our split: no drift', () => {
    expect(specDrift(svc(ours), at20)).toBeUndefined()
    expect(trafficDrift(svc(ours), at20)).toBeUndefined()
  })
  test('a person moved spec.traffic: drift, with both splits named', () => {
    const stop = specDrift(svc(theirs), at20)
    expect(stop?.kind).toBe('drift')
    expect(stop?.message).toContain(`expected ${A} 80% / ${B} 20%`)
    expect(stop?.message).toContain('found')
    expect(stop?.message).toContain('run promote or abort')
  })
  test('status.traffic differs once observed: drift (spec alone would miss it)', () => {
    expect(specDrift(svc(ours, theirs), at20)).toBeUndefined()
    expect(trafficDrift(svc(ours, theirs), at20)?.kind).toBe('drift')
  })
  test('status.traffic lagging an unobserved spec is not drift', () => {
    expect(trafficDrift(svc(ours, theirs, false), at20)).toBeUndefined()
  })
})

describe('templateDrift', () => {
  const live = svc(releaseToTraffic(at20))
  test.each<[string, RevisionTemplate | undefined, string | undefined]>([
    ['promote and abort (no template of ours): never drift', undefined, undefined],
    ['our template live', tpl(B), undefined],
    [
      'same name, another image: edited',
      tpl(B, 'ghcr.io/acme/web:3'),
      'was changed outside this rollout;'
    ],
    ['another name live', tpl('web-00003'), `(it now makes ${B}, not the candidate web-00003)`]
  ])('%s', (_name, mine, want) => {
    const stop = templateDrift(live, mine, 'web')
    if (want === undefined) expect(stop).toBeUndefined()
    else {
      expect(stop?.kind).toBe('drift')
      expect(stop?.message).toContain(want)
      expect(stop?.message).toContain('the template of "web"')
    }
  })
})
