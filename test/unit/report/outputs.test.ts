// The `image` output as action.yml describes it: by digest whenever the digest is known.

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
