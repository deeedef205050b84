// The kubeconfig is a secret: given as content in INPUT_KUBECONFIG, neither its token nor
// any of its lines may reach stdout, stderr, the outputs or the job summary, except in the
// `::add-mask::` commands that tell the runner what to mask. Checked on a run that rolls
// back (the most talkative path), against a plain-http API and an HTTPS one whose
// kubeconfig carries certificate-authority-data.

import { parse, stringify } from 'yaml'
import { runAction } from '../helpers/action-runner.js'
import { plantedCommands, workflowCommands } from '../helpers/workflow-commands.js'
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

describe('a kubeconfig exec plugin', () => {
  const kit = e2eKit()
  /** The kit's kubeconfig with its user's token handed out by a plugin (a Node script). */
  function pluginKubeconfig(script: string): string {
    const config = parse(kit.kubeconfig())
    config.users = config.users.map((u: { name: string }) => ({
      name: u.name,
      user: {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: process.execPath,
          args: ['-e', script],
          interactiveMode: 'Never'
        }
      }
    }))
    return stringify(config)
  }

  test('the credential it hands back is masked before anything could print it', async () => {
    const token = /token: (\S+)/.exec(kit.kubeconfig())![1]!
    // The script builds the token, so no input holds it and only the plugin's answer tells it.
    const reversed = JSON.stringify([...token].reverse().join(''))
    const script = `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: [...${reversed}].reverse().join('') } }))`
    const out = await runAction({
      inputs: kit.inputs({
        kubeconfig: pluginKubeconfig(script),
        manifest: await kit.manifest('plugin', serviceYaml('plugin', 'docker.io/acme/plugin:v1'))
      })
    })
    expectEnded(out, 0, 'promoted')
    expect(out.stdout.split('\n')).toContain(`::add-mask::${token}`)
  })

  test('a failing plugin is named; its stdout is never shown, its stderr only as text', async () => {
    const script = `process.stdout.write('stdout-credential-LEAK'); process.stderr.write('::error title=OK::PWNED\\n'); process.exit(1)`
    const out = await runAction({
      inputs: kit.inputs({
        kubeconfig: pluginKubeconfig(script),
        manifest: await kit.manifest('plugin2', serviceYaml('plugin2', 'docker.io/acme/plugin:v1'))
      })
    })
    expectEnded(out, 1, 'failed')
    // The kubeconfig (which holds the script) is masked as a whole: that command is the action's own.
    const stdout = out.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n')
    const printed = `${stdout}\n${out.stderr}\n${out.summary}\n${JSON.stringify(out.outputs)}`
    expect(printed).toContain('credential plugin "node"')
    expect(printed).not.toContain('LEAK')
    // Shown inside the action's own error annotation, as data, never as a command of its own.
    expect(plantedCommands(printed, ['::error title=OK::PWNED'])).toEqual([])
    expect(workflowCommands(printed).filter((c) => c.line.startsWith('::error title=OK'))).toEqual(
      []
    )
  })
})
