// A manifest error points at its field: the line and column of the key in the file (so the
// action can annotate the file there), or of the deepest part that exists when it is missing.

import { loadServiceManifest, ManifestError } from '../../../src/manifest/load.js'
import { locateField, pathSegments } from '../../../src/manifest/locate.js'
import { LineCounter, parseDocument } from 'yaml'

const GOOD = `# a comment
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: shop
  annotations:
    autoscaling.knative.dev/minScale: "1"
spec:
  template:
    spec:
      containers:
        - image: ghcr.io/acme/shop:1
          ports:
            - containerPort: 8080
`

function faultOf(text: string, overrides = {}) {
  try {
    loadServiceManifest(text, overrides)
  } catch (e) {
    if (e instanceof ManifestError) return { line: e.at.line, column: e.at.column }
    throw e
  }
  throw new Error('the manifest was accepted')
}

test.each([
  {
    name: 'not a Knative apiVersion',
    text: GOOD.replace('serving.knative.dev/v1', 'apps/v1'),
    at: { line: 2, column: 1 }
  },
  {
    name: 'another kind',
    text: GOOD.replace('kind: Service', 'kind: Deployment'),
    at: { line: 3, column: 1 }
  },
  {
    name: 'a container without an image: the container',
    text: GOOD.replace('- image: ghcr.io/acme/shop:1\n          ports:', '- ports:'),
    at: { line: 12, column: 11 }
  },
  {
    name: 'an image of the wrong type',
    text: GOOD.replace('image: ghcr.io/acme/shop:1', 'image: [1]'),
    at: { line: 12, column: 11 }
  },
  {
    name: 'the namespace input disagrees with metadata.namespace',
    text: GOOD.replace('  name: shop\n', '  name: shop\n  namespace: prod\n'),
    overrides: { namespace: 'default' },
    at: { line: 6, column: 3 }
  },
  {
    name: 'a YAML error (a key given twice): the second one',
    text: GOOD.replace('metadata:\n', 'metadata:\n  labels: {}\n  labels: {}\n'),
    at: { line: 6, column: 3 }
  },
  {
    name: 'a name too long',
    text: GOOD.replace('name: shop', `name: ${'a'.repeat(60)}`),
    at: { line: 5, column: 3 }
  }
])('$name: line $at.line', ({ text, overrides, at }) => {
  expect(faultOf(text, overrides)).toEqual(at)
})

test.each([
  {
    path: 'spec.template.spec.containers[0].image',
    want: ['spec', 'template', 'spec', 'containers', 0, 'image']
  },
  { path: 'spec.traffic[1]', want: ['spec', 'traffic', 1] },
  { path: 'a[0][2]', want: ['a', 0, 2] },
  { path: 'env[NAME]', want: undefined }
])('pathSegments: $path', ({ path, want }) => {
  expect(pathSegments(path)).toEqual(want)
})

test.each([
  {
    name: 'a key with dots under annotations',
    path: 'metadata.annotations.autoscaling.knative.dev/minScale',
    line: 7
  },
  {
    name: 'a missing field: its deepest parent',
    path: 'spec.template.spec.containers[0].resources.limits',
    line: 12
  },
  {
    name: 'a list item',
    path: 'spec.template.spec.containers[0].ports[0].containerPort',
    line: 14
  },
  { name: 'nothing of it in the file', path: 'status.url', line: undefined }
])('locateField: $name', ({ path, line }) => {
  const lines = new LineCounter()
  const doc = parseDocument(GOOD, { lineCounter: lines })
  expect(locateField(doc, lines, path)?.line).toBe(line)
})
