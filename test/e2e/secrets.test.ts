// The kubeconfig is a secret: given as content in INPUT_KUBECONFIG, neither its token nor
// any of its lines may reach stdout, stderr, the outputs or the job summary, except in the
// `::add-mask::` commands that tell the runner what to mask. Checked on a run that rolls
// back (the most talkative path), against a plain-http API and an HTTPS one whose
// kubeconfig carries certificate-authority-data.

import { runAction } from '../helpers/action-runner.js'
import { secretFragments } from '../../src/report/redact.js'
import { e2eKit, expectEnded, serviceYaml } from '../helpers/e2e-kit.js'

describe.each([
  { name: 'plain http', tls: false },
  { name: 'https with the CA in the kubeconfig', tls: true }
])('$name', ({ tls }) => {
  const kit = e2eKit({ tls })

  test('no line of the kubeconfig and not its token are shown', async () => {
    const kubeconfig = kit.kubeconfig()
    const token = /token: (\S+)/.exec(kubeconfig)![1]
    expect(kubeconfig.includes('certificate-authority-data')).toBe(tls)
    const first = await runAction({
      inputs: kit.inputs({
        manifest: await kit.manifest('v1', serviceYaml('secret', 'docker.io/acme/secret:v1')),
        'revision-name': 'secret-v1'
      })
    })
    expectEnded(first, 0, 'promoted')
    const out = await runAction({
      inputs: kit.inputs({
        manifest: await kit.manifest(
          'v2',
          serviceYaml('secret', 'docker.io/acme/secret:v2', { EMULATOR_ERROR_RATE: '0.5' })
        ),
        'revision-name': 'secret-v2'
      })
    })
    expectEnded(out, 1, 'rolled-back')

    const masks = out.stdout.split('\n').filter((l) => l.startsWith('::add-mask::'))
    expect(masks.some((l) => l.includes(token))).toBe(true)
    const shown = [
      out.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
      out.stderr,
      JSON.stringify(out.outputs),
      out.summary
    ].join('\n')
    expect(shown).not.toContain(token)
    const lines = kubeconfig
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length >= 8)
    expect(lines.filter((l) => shown.includes(l))).toEqual([])
    expect(secretFragments(kubeconfig).filter((f) => shown.includes(f))).toEqual([])
  })
})
