// Untrusted text stays text, end to end: the built action is run against the emulator while an
// app's termination message, a webhook's answer and the Service's own state annotations carry
// lines that would be workflow commands (`::error::`, `::add-mask::`, `::stop-commands::`,
// `##[error]`). The runner's reading of stdout and stderr (test/helpers/workflow-commands.ts)
// must find none of them as a command, and the outputs must stay single clean values.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createServingClient } from '../../src/knative/client.js'
import { wallClock } from '../../src/clock.js'
import { STATE_PREFIX } from '../../src/rollout/state.js'
import { runAction, type ActionResult } from '../helpers/action-runner.js'
import { memoryLogger } from '../helpers/memory-logger.js'
import { plantedCommands, workflowCommands } from '../helpers/workflow-commands.js'
import { e2eKit, expectEnded, serviceYaml } from '../helpers/e2e-kit.js'

const kit = e2eKit()

/** The lines planted, each as the runner would read it at a line start. */
const PAYLOADS = [
  '::error title=Deployed OK::PWNED',
  '::add-mask::PWNED',
  '::stop-commands::PWNED',
  '##[error]PWNED'
]
/** Every payload on its own line, after ordinary text, with LF, CRLF and CR. */
const HOSTILE = `crashed\n${PAYLOADS[0]}\r\n${PAYLOADS[1]}\r${PAYLOADS[2]}\n  ${PAYLOADS[3]}`

/** What a run printed that the runner reads: stdout and stderr (a `run:` step's both). */
function expectNoPlantedCommand(out: ActionResult): void {
  const printed = `${out.stdout}\n${out.stderr}`
  expect(plantedCommands(printed, PAYLOADS)).toEqual([])
  const names = new Set(workflowCommands(printed).map((c) => c.name))
  expect(names.has('stop-commands')).toBe(false)
  // Masks are the action's own (its secret inputs), never a value the text chose.
  const masks = workflowCommands(printed).filter((c) => c.name === 'add-mask')
  expect(masks.filter((c) => c.line.includes('PWNED'))).toEqual([])
  for (const value of Object.values(out.outputs)) expect(value).not.toMatch(/[\r\n]/)
  expect(out.summary.split('\n').filter((l) => l.trimStart().startsWith('::'))).toEqual([])
}

async function firstDeploy(name: string): Promise<void> {
  const out = await runAction({
    inputs: kit.inputs({
      manifest: await kit.manifest(`${name}-v1`, serviceYaml(name, `docker.io/acme/${name}:v1`)),
      'revision-name': `${name}-v1`
    })
  })
  expectEnded(out, 0, 'promoted')
}

/** A YAML double-quoted scalar (serviceYaml quotes env values): newlines as `\n`. */
const yamlQuoted = (text: string) =>
  text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r/g, '\\r').replace(/\n/g, '\\n')

test("a candidate whose termination message plants commands: rolled back, Knative's message shown as text", async () => {
  await firstDeploy('exitmsg')
  const out = await runAction({
    inputs: kit.inputs({
      manifest: await kit.manifest(
        'exitmsg-v2',
        serviceYaml('exitmsg', 'docker.io/acme/exitmsg:v2', {
          EMULATOR_EXIT_CODE: '1',
          EMULATOR_EXIT_MESSAGE: yamlQuoted(HOSTILE)
        })
      ),
      'revision-name': 'exitmsg-v2'
    })
  })
  expect(out.code).not.toBe(0)
  expect(['rolled-back', 'failed']).toContain(out.outputs.result)
  // The message is there, escaped: its words, not its line breaks (the result line).
  expect(out.stdout).toContain('Container failed with: crashed\\n::error title=Deployed OK::PWNED')
  expectNoPlantedCommand(out)
  // What the run stored for later runs is one escaped line as well.
  const reason = (await kit.service('exitmsg')).metadata.annotations?.[`${STATE_PREFIX}reason`]
  expect(reason).toContain('PWNED')
  expect(reason).not.toMatch(/[\r\n]/)
})

describe('a webhook that answers with commands', () => {
  let server: Server
  let url = ''
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume()
      req.on('end', () => res.writeHead(500, { 'content-type': 'text/plain' }).end(HOSTILE))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  test('the pre-rollout check fails; its answer is printed as text', async () => {
    await firstDeploy('hook')
    const out = await runAction({
      inputs: kit.inputs({
        manifest: await kit.manifest('hook-v2', serviceYaml('hook', 'docker.io/acme/hook:v2')),
        'revision-name': 'hook-v2',
        webhooks: `- name: gate\n  type: pre-rollout\n  url: ${url}\n  retries: 0\n  timeout: 2s\n`
      })
    })
    expect(out.code).not.toBe(0)
    expectNoPlantedCommand(out)
  })
})

test('state annotations written by someone else: status prints them as text, outputs stay clean', async () => {
  await firstDeploy('annot')
  const client = createServingClient({
    kubeconfig: kit.kubeconfig(),
    clock: wallClock,
    log: memoryLogger()
  })
  await client.updateService('default', 'annot', (svc) => ({
    ...svc,
    metadata: {
      ...svc.metadata,
      annotations: {
        ...svc.metadata.annotations,
        [`${STATE_PREFIX}phase`]: 'rolled-back',
        [`${STATE_PREFIX}reason`]: HOSTILE,
        [`${STATE_PREFIX}candidate`]: `annot-v2\n${PAYLOADS[0]}`,
        [`${STATE_PREFIX}history`]: JSON.stringify([{ at: 1, event: HOSTILE }]),
        [`${STATE_PREFIX}lease`]: JSON.stringify({
          holder: HOSTILE,
          renewedAt: Date.now(),
          durationSeconds: 600
        })
      }
    }
  }))
  const out = await runAction({ inputs: kit.inputs({ command: 'status', service: 'annot' }) })
  expect(out.code).toBe(0)
  expect(out.stdout).toContain('PWNED')
  expectNoPlantedCommand(out)
  // The hostile candidate name is not a revision name: no revision output carries it.
  expect(out.outputs.revision).toBe('annot-v1')
})
