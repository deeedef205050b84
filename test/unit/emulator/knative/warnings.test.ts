// Knative's admission warnings (emulator/knative/warnings.ts), row by row from the source:
// pkg/apis/serving/k8s_validation.go warnDefaultContainerSecurityContext and
// pkg/apis/serving/v1/revision_validation.go validateQueueSidecarResourceAnnotations, merged
// as knative.dev/pkg apis/field_error.go does (one warning per message, paths sorted).

import { admissionWarnings } from '../../../../emulator/knative/warnings.js'
import { warningHeader } from '../../../../emulator/api/field-validation.js'
import { parseWarningHeader } from '../../../../src/knative/warnings.js'

const INSECURE =
  'Kubernetes default value is insecure, Knative may default this to secure in a future release'
const at = (i: number, ...fields: string[]) =>
  fields.map((f) => `spec.template.spec.containers[${i}].securityContext.${f}`).join(', ')
const SECURE = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  seccompProfile: { type: 'RuntimeDefault' },
  capabilities: { drop: ['ALL'] }
}
const service = (containers: object[], annotations?: Record<string, string>) => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 's' },
  spec: { template: { metadata: { annotations }, spec: { containers } } }
})

test.each<[string, object, string[]]>([
  [
    'k8s_validation.go: no securityContext: every insecure default, one warning',
    service([{ image: 'a' }]),
    [
      `${INSECURE}: ${at(0, 'allowPrivilegeEscalation', 'capabilities', 'runAsNonRoot', 'seccompProfile')}`
    ]
  ],
  [
    'k8s_validation.go: a restricted securityContext: none',
    service([{ image: 'a', securityContext: SECURE }]),
    []
  ],
  [
    'k8s_validation.go: capabilities without drop, a seccompProfile without type',
    service([{ image: 'a', securityContext: { ...SECURE, capabilities: {}, seccompProfile: {} } }]),
    [`${INSECURE}: ${at(0, 'capabilities.drop', 'seccompProfile.type')}`]
  ],
  [
    'k8s_validation.go: drop "all" in lower case does nothing',
    service([{ image: 'a', securityContext: { ...SECURE, capabilities: { drop: ['all'] } } }]),
    [`invalid value: all: ${at(0, 'capabilities.drop')}\nMust be spelled as 'ALL'`]
  ],
  [
    'field_error.go merge: two containers, one warning with both paths',
    service([
      { image: 'a', securityContext: { ...SECURE, runAsNonRoot: undefined } },
      { image: 'b', securityContext: { ...SECURE, runAsNonRoot: undefined } }
    ]),
    [`${INSECURE}: ${at(0, 'runAsNonRoot')}, ${at(1, 'runAsNonRoot')}`]
  ],
  [
    'revision_validation.go: the deprecated queue-proxy resource percentage',
    service([{ image: 'a', securityContext: SECURE }], {
      'queue.sidecar.serving.knative.dev/resource-percentage': '20'
    }),
    [
      'Queue proxy resource percentage annotation is deprecated. Please use the available annotations to explicitly set resource values per service: spec.template.metadata.annotations[queue.sidecar.serving.knative.dev/resource-percentage]'
    ]
  ]
])('%s', (_name, obj, expected) => {
  expect(admissionWarnings('Service', obj as never)).toEqual(expected)
})

test('a Route has no such warnings', () => {
  expect(admissionWarnings('Route', service([{ image: 'a' }]) as never)).toEqual([])
})

test.each<[string, string]>([
  ['quotes and backslashes', 'unknown field "spec.a\\b"'],
  ['UTF-8 text', 'champ inconnu « é »'],
  ['a workflow command', '::error::forged']
])('a warning header carries %s back to the client as it was sent', (_name, text) => {
  const header = warningHeader([text, 'second'])
  expect(parseWarningHeader(header.join(', '))).toEqual([text, 'second'])
})

test('a two-line warning is one line on the wire, as Go writes headers', () => {
  expect(parseWarningHeader(warningHeader(['a\nb\r\nc'])[0])).toEqual(['a b  c'])
})

test('a header that is not RFC 7234 gives no warning; many are bounded', () => {
  expect(parseWarningHeader('garbage')).toEqual([])
  expect(parseWarningHeader(undefined)).toEqual([])
  const many = parseWarningHeader(
    warningHeader(Array.from({ length: 25 }, (_, i) => `w${i}`)).join(', ')
  )
  expect(many).toHaveLength(21)
  expect(many[20]).toBe('(5 more warnings)')
})
