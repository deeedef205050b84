// Traffic and failure conformance: TestServiceWithTrafficSplit, TestBlueGreenRoute,
// TestRoutesNotReady, TestContainerErrorMsg and friends, against admission + controller.

import type { TrafficTarget } from '../../../../src/knative/types.js'
import { registryResolver } from '../../../../emulator/knative/image.js'
import { Cluster, cond, svc, template } from '../../../helpers/knative-cluster.js'

const url = (tag: string, name: string) => `http://${tag}-${name}.default.example.com`

describe('TestServiceWithTrafficSplit', () => {
  const c = new Cluster()
  afterAll(() => c.stop())
  const name = 'split'
  const image = (v: string) => (s: any) => (s.spec.template.spec.containers[0].image = `img:${v}`)

  test.each<[string, (s: any) => void, TrafficTarget[]]>([
    [
      '1: current pinned at 100, latest floating at 0',
      (s) =>
        (s.spec.traffic = [
          { tag: 'current', revisionName: 'split-00001', percent: 100 },
          { tag: 'latest' }
        ]),
      [
        {
          tag: 'current',
          revisionName: 'split-00001',
          latestRevision: false,
          percent: 100,
          url: url('current', name)
        },
        {
          tag: 'latest',
          revisionName: 'split-00001',
          latestRevision: true,
          percent: 0,
          url: url('latest', name)
        }
      ]
    ],
    [
      '2: a new image moves latest only',
      image('v2'),
      [
        {
          tag: 'current',
          revisionName: 'split-00001',
          latestRevision: false,
          percent: 100,
          url: url('current', name)
        },
        {
          tag: 'latest',
          revisionName: 'split-00002',
          latestRevision: true,
          percent: 0,
          url: url('latest', name)
        }
      ]
    ],
    [
      '3: current 50 / candidate 50',
      (s) =>
        (s.spec.traffic = [
          { tag: 'current', revisionName: 'split-00001', percent: 50 },
          { tag: 'candidate', revisionName: 'split-00002', percent: 50 },
          { tag: 'latest' }
        ]),
      [
        {
          tag: 'current',
          revisionName: 'split-00001',
          latestRevision: false,
          percent: 50,
          url: url('current', name)
        },
        {
          tag: 'candidate',
          revisionName: 'split-00002',
          latestRevision: false,
          percent: 50,
          url: url('candidate', name)
        },
        {
          tag: 'latest',
          revisionName: 'split-00002',
          latestRevision: true,
          percent: 0,
          url: url('latest', name)
        }
      ]
    ],
    [
      '4: a new image leaves the split alone',
      image('v3'),
      [
        {
          tag: 'current',
          revisionName: 'split-00001',
          latestRevision: false,
          percent: 50,
          url: url('current', name)
        },
        {
          tag: 'candidate',
          revisionName: 'split-00002',
          latestRevision: false,
          percent: 50,
          url: url('candidate', name)
        },
        {
          tag: 'latest',
          revisionName: 'split-00003',
          latestRevision: true,
          percent: 0,
          url: url('latest', name)
        }
      ]
    ],
    [
      '5: candidate floats to the latest revision',
      (s) =>
        (s.spec.traffic = [
          { tag: 'current', revisionName: 'split-00001', percent: 50 },
          { tag: 'candidate', percent: 50 },
          { tag: 'latest' }
        ]),
      [
        {
          tag: 'current',
          revisionName: 'split-00001',
          latestRevision: false,
          percent: 50,
          url: url('current', name)
        },
        {
          tag: 'candidate',
          revisionName: 'split-00003',
          latestRevision: true,
          percent: 50,
          url: url('candidate', name)
        },
        {
          tag: 'latest',
          revisionName: 'split-00003',
          latestRevision: true,
          percent: 0,
          url: url('latest', name)
        }
      ]
    ]
  ])('%s', async (step, mutate, traffic) => {
    if (step.startsWith('1')) {
      c.create('services', svc(name, { template: template('img:v1') }))
      await c.settled(name)
    }
    c.update('services', name, mutate)
    const s = await c.settled(name)
    expect(s.status.traffic).toEqual(traffic)
  })
})

describe('TestBlueGreenRoute', () => {
  test('blue and green at 50/50 with tag URLs; main and cluster addresses', async () => {
    const c = new Cluster()
    c.create('services', svc('bg', { template: template('img:blue') }))
    await c.settled('bg')
    c.update('services', 'bg', (s) => (s.spec.template.spec.containers[0].image = 'img:green'))
    await c.until(
      'green ready',
      () => c.get('services', 'bg')?.status?.latestReadyRevisionName === 'bg-00002'
    )
    c.update('services', 'bg', (s) => {
      s.spec.traffic = [
        { tag: 'blue', revisionName: 'bg-00001', percent: 50 },
        { tag: 'green', revisionName: 'bg-00002', percent: 50 }
      ]
    })
    const s = await c.settled('bg')
    expect({ url: s.status.url, address: s.status.address, traffic: s.status.traffic }).toEqual({
      url: 'http://bg.default.example.com',
      address: { url: 'http://bg.default.svc.cluster.local' },
      traffic: [
        {
          tag: 'blue',
          revisionName: 'bg-00001',
          latestRevision: false,
          percent: 50,
          url: url('blue', 'bg')
        },
        {
          tag: 'green',
          revisionName: 'bg-00002',
          latestRevision: false,
          percent: 50,
          url: url('green', 'bg')
        }
      ]
    })
    expect(
      c.get('routes', 'bg')!.status.conditions.map((x: any) => [x.type, x.status, x.reason])
    ).toEqual([
      ['AllTrafficAssigned', 'True', undefined],
      ['CertificateProvisioned', 'True', 'TLSNotEnabled'],
      ['IngressReady', 'True', undefined],
      ['Ready', 'True', undefined]
    ])
    c.stop()
  })
})

describe('failures keep the old split serving', () => {
  test.each<[string, Record<string, string>, string, { reason: string; message: string | RegExp }]>(
    [
      [
        'TestContainerErrorMsg: an unpullable image is ContainerMissing',
        {},
        'registry.example.com/unpullable:v2',
        {
          reason: 'ContainerMissing',
          message:
            'Unable to fetch image "registry.example.com/unpullable:v2": failed to resolve image to digest: HEAD https://registry.example.com/v2/unpullable/manifests/v2: unexpected status code 404 Not Found (HEAD responses have no body, use GET for details)'
        }
      ],
      [
        'TestContainerExitingMsg: a crashing container is ExitCode<N>',
        { EMULATOR_EXIT_CODE: '5' },
        'img:v2',
        { reason: 'ExitCode5', message: 'Container failed with: exit status 5' }
      ]
    ]
  )('%s', async (_name, env, image, expected) => {
    const c = new Cluster({ resolver: registryResolver })
    c.create('services', svc('fail', { template: template('img:v1') }))
    await c.settled('fail')
    c.update('services', 'fail', (s) => {
      s.spec.template = template(image, { metadata: { name: 'fail-candidate' } }, env)
      s.spec.traffic = [
        { tag: 'current', revisionName: 'fail-00001', percent: 90 },
        { tag: 'candidate', revisionName: 'fail-candidate', percent: 10 }
      ]
    })
    const s = await c.settled('fail', 'False')
    const rev = c.get('revisions', 'fail-candidate')!
    expect({
      revision: cond(rev, 'Ready'),
      healthy: cond(rev, 'ContainerHealthy')?.reason,
      config: cond(c.get('configurations', 'fail'), 'Ready'),
      configurationsReady: cond(s, 'ConfigurationsReady')?.status,
      routesReady: cond(s, 'RoutesReady'),
      latestReady: s.status.latestReadyRevisionName,
      traffic: s.status.traffic
    }).toEqual({
      revision: expect.objectContaining({ status: 'False', ...expected }),
      healthy: expected.reason,
      config: expect.objectContaining({
        status: 'False',
        reason: 'RevisionFailed',
        message: `Revision "fail-candidate" failed with message: ${expected.message}.`
      }),
      configurationsReady: 'False',
      routesReady: expect.objectContaining({
        status: 'False',
        reason: 'RevisionMissing',
        message: 'Revision "fail-candidate" failed to become ready.'
      }),
      latestReady: 'fail-00001',
      traffic: [{ revisionName: 'fail-00001', latestRevision: true, percent: 100 }]
    })
    c.stop()
  })

  test('TestContainerErrorMsg on a new Service: every level is Ready False for the current generation', async () => {
    const c = new Cluster({ resolver: registryResolver })
    c.create('services', svc('broken', { template: template('unpullable:latest') }))
    const s = await c.settled('broken', 'False')
    const route = c.get('routes', 'broken')!
    expect({
      configurationsReady: cond(s, 'ConfigurationsReady')?.status,
      routesReady: cond(s, 'RoutesReady')?.status,
      route: [
        cond(route, 'Ready')?.status,
        route.status.observedGeneration === route.metadata.generation
      ],
      routeMessage: cond(route, 'AllTrafficAssigned')?.message,
      traffic: s.status.traffic
    }).toEqual({
      configurationsReady: 'False',
      routesReady: 'False',
      route: ['False', true],
      routeMessage: 'Configuration "broken" does not have any ready Revision.',
      traffic: undefined
    })
    c.stop()
  })

  test('TestRoutesNotReady: traffic to a revision that does not exist', async () => {
    const c = new Cluster()
    c.create(
      'services',
      svc('nr', {
        template: template('img:v1'),
        traffic: [{ revisionName: 'foobar', percent: 100 }]
      })
    )
    const s = await c.settled('nr', 'False')
    expect({
      routesReady: cond(s, 'RoutesReady'),
      routeFailed: cond(c.get('routes', 'nr'), 'Ready')?.status
    }).toEqual({
      routesReady: expect.objectContaining({
        status: 'False',
        reason: 'RevisionMissing',
        message: 'Revision "foobar" referenced in traffic not found.'
      }),
      routeFailed: 'False'
    })
    c.stop()
  })
})

// pkg/reconciler/route/traffic/traffic.go addRevisionTarget: from knative-v1.21.0 (#16294)
// a Service's Route may pin only that Service's Revisions; 1.20 routes to any in the namespace.
describe.each([
  ['1.21', { status: 'False' as const, reason: 'RevisionNotOwned' }],
  ['1.20', { status: 'True' as const }]
])("traffic to another Service's Revision on Knative %s", (knativeVersion, routesReady) => {
  test(`RoutesReady ${routesReady.status}`, async () => {
    const c = new Cluster({ knativeVersion })
    c.create('services', svc('mine', { template: template('img:v1') }))
    await c.settled('mine')
    c.create(
      'services',
      svc('theirs', {
        template: template('img:v1'),
        traffic: [{ revisionName: 'mine-00001', percent: 100 }]
      })
    )
    const s = await c.settled('theirs', routesReady.status)
    expect(cond(s, 'RoutesReady')).toEqual(expect.objectContaining(routesReady))
    if (routesReady.status === 'False')
      expect(cond(s, 'RoutesReady')?.message).toBe(
        'Revision "mine-00001" belongs to Service "mine", not Service "theirs".'
      )
    else expect(s.status.traffic).toEqual([expect.objectContaining({ revisionName: 'mine-00001' })])
    c.stop()
  })
})

describe('revision readiness from the container env', () => {
  test.each<[string, Record<string, string>, Record<string, string>, string, string | undefined]>([
    [
      'a ready delay shows Deploying first, then Ready',
      { EMULATOR_READY_DELAY_MS: '150' },
      {},
      'True',
      'Deploying'
    ],
    [
      'a delay past the progress deadline is ProgressDeadlineExceeded',
      { EMULATOR_READY_DELAY_MS: '60000' },
      { 'serving.knative.dev/progress-deadline': '1s' },
      'False',
      'Deploying'
    ]
  ])('%s', async (_name, env, annotations, finalStatus, firstReason) => {
    const c = new Cluster()
    c.create(
      'services',
      svc('rd', { template: template('img:v1', { metadata: { annotations } }, env) })
    )
    const first = await c.until('deploying', () => {
      const r = c.get('revisions', 'rd-00001')
      return r?.status?.conditions ? r : undefined
    })
    expect(
      cond(first, 'ResourcesAvailable')?.reason === 'ResolvingDigests' ||
        cond(first, 'ResourcesAvailable')?.reason === firstReason
    ).toBe(true)
    await c.until(
      'deploying reported',
      () => cond(c.get('revisions', 'rd-00001'), 'ResourcesAvailable')?.reason === firstReason
    )
    await c.settled('rd', finalStatus as 'True' | 'False')
    const rev = c.get('revisions', 'rd-00001')!
    if (finalStatus === 'True') {
      expect({
        replicas: [rev.status.actualReplicas, rev.status.desiredReplicas],
        pods: c.list('pods').length
      }).toEqual({ replicas: [1, 1], pods: 1 })
    } else {
      expect(cond(rev, 'ResourcesAvailable')).toEqual(
        expect.objectContaining({
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: expect.stringMatching(
            /^ReplicaSet "rd-00001-deployment-[a-z0-9]{10}" has timed out progressing\.$/
          )
        })
      )
      expect(c.list('pods')).toEqual([])
    }
    c.stop()
  })
})
