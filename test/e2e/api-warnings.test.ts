// The API server's warnings on the dry-run write, through the built action against the
// emulator: Knative's webhook warns about a container that leaves insecure securityContext
// defaults unset (pkg/apis/serving/k8s_validation.go), the schema about a field it drops.
// Each is shown once as a warning annotation and in the summary, as text; a manifest that
// sets a restricted securityContext gets no warning.

import { runAction } from '../helpers/action-runner.js'
import { e2eKit, expectEnded } from '../helpers/e2e-kit.js'
import { plantedCommands } from '../helpers/workflow-commands.js'

const kit = e2eKit()

const manifest = (name: string, container: string) => `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: ${name}
spec:
  template:
    spec:
      containers:
        - image: docker.io/acme/${name}:v1
${container}`

const INSECURE =
  'Kubernetes default value is insecure, Knative may default this to secure in a future release: spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation, spec.template.spec.containers[0].securityContext.capabilities, spec.template.spec.containers[0].securityContext.runAsNonRoot, spec.template.spec.containers[0].securityContext.seccompProfile'

test("Knative's securityContext warning and a dropped field's: a warning line each and the summary", async () => {
  const out = await runAction({
    inputs: kit.inputs({
      manifest: await kit.manifest(
        'warned',
        manifest('warned', '          "x\\n::error title=Deployed OK::PWNED": 1\n')
      )
    })
  })
  expectEnded(out, 0, 'promoted')
  const warnings = out.annotations.filter((a) => a.level === 'warning').map((a) => a.message)
  const prefix = 'the Kubernetes API server warns about services.serving.knative.dev "warned": '
  expect(warnings).toContain(prefix + INSECURE)
  // The field's name arrives in one header line (CR/LF are spaces on the wire) and is text.
  expect(warnings).toContain(
    `${prefix}unknown field "spec.template.spec.containers[0].x ::error title=Deployed OK::PWNED"`
  )
  expect(plantedCommands(out.stdout, ['::error title=Deployed OK::PWNED'])).toEqual([])
  expect(out.summary).toContain(
    '> ⚠️ **Kubernetes API server warning:** Kubernetes default value is insecure'
  )
  expect(out.summary).toContain('unknown field "spec.template.spec.containers\\[0\\].x ::error')
})

test('a restricted securityContext: no warning', async () => {
  const out = await runAction({
    inputs: kit.inputs({
      manifest: await kit.manifest(
        'secure',
        manifest(
          'secure',
          `          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            seccompProfile: {type: RuntimeDefault}
            capabilities: {drop: [ALL]}
`
        )
      )
    })
  })
  expectEnded(out, 0, 'promoted')
  expect(out.annotations.filter((a) => a.level === 'warning')).toEqual([])
  expect(out.summary).not.toContain('API server warning')
})
