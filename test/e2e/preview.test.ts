// Pull request previews on the real emulator, through run() with the real adapters: two
// previews and a production rollout at once on one Service, each URL serving its own code
// afterwards (reached through the emulator's ingress with the tag's Host), and a cleanup
// that removes only its own tag.

import { withEmulator } from '../helpers/emulator.js'
import { rolloutRig, split, type RolloutRig } from '../helpers/rollout-e2e.js'
import { getOnce } from '../helpers/dataplane-fixtures.js'
import { PREVIEW_ANNOTATION } from '../../src/rollout/preview-traffic.js'

const emulator = withEmulator()
let rig: RolloutRig
beforeAll(async () => {
  rig = await rolloutRig(emulator())
})
afterAll(() => rig.cleanup())

/** What the ingress answers on `url`'s host: the body and the revision that served it. */
async function served(url: string): Promise<{ body: string; revision?: string }> {
  const reply = await getOnce(emulator().ingressUrl, new URL(url).host)
  return { body: reply.body.trim(), revision: reply.revision }
}

async function preview(
  service: string,
  pr: number,
  extra: Record<string, string> = {},
  behaviour: Record<string, string> = {}
) {
  return rig.rollout({
    command: 'preview',
    manifest: await rig.manifest(service, `pr${pr}`, { TARGET: `pr ${pr}`, ...behaviour }),
    'pull-request': String(pr),
    ...extra
  })
}

test('two previews and a production rollout at once, each URL keeps serving its own code', async () => {
  await rig.deployV1('web')
  const [release, seven, eight] = await Promise.all([
    rig.rollout({
      manifest: await rig.manifest('web', 'v2', { TARGET: 'v2' }),
      'revision-name': 'web-v2',
      steps: '20,50,100'
    }),
    preview('web', 7),
    preview('web', 8)
  ])
  expect([release.result, release.message]).toEqual(['promoted', expect.any(String)])
  expect([seven.result, eight.result]).toEqual(['previewed', 'previewed'])
  expect(seven.candidateUrl).toBe('http://pr-7-web.default.example.com')
  expect(eight.candidateUrl).toBe('http://pr-8-web.default.example.com')
  expect(seven.candidateRevision).toMatch(/^web-pr-7-[0-9a-f]{8}$/)

  const svc = await rig.service('web')
  // Production on the promoted revision; both previews at 0% on their own tags.
  expect(split(svc)).toEqual(
    expect.arrayContaining([
      'current:web-v2:100',
      `pr-7:${seven.candidateRevision}:0`,
      `pr-8:${eight.candidateRevision}:0`
    ])
  )
  expect(split(svc).filter((t) => !t.endsWith(':0'))).toEqual(['current:web-v2:100'])
  // The production template is back: no preview's template left on the Service.
  expect(svc.spec.template.metadata?.name).toBe('web-v2')
  expect(svc.spec.template.metadata?.annotations?.[PREVIEW_ANNOTATION]).toBeUndefined()

  expect(await served(svc.status!.url!)).toEqual({ body: 'Hello v2!', revision: 'web-v2' })
  expect(await served(seven.candidateUrl!)).toEqual({
    body: 'Hello pr 7!',
    revision: seven.candidateRevision
  })
  expect(await served(eight.candidateUrl!)).toEqual({
    body: 'Hello pr 8!',
    revision: eight.candidateRevision
  })
})

test('cleanup removes only its own tag; a second cleanup has nothing to do', async () => {
  const before = await rig.service('web')
  const seven = before.spec.traffic!.find((t) => t.tag === 'pr-7')!.revisionName
  const gone = await rig.rollout({
    command: 'preview',
    service: 'web',
    cleanup: 'true',
    'pull-request': '7'
  })
  expect([gone.result, gone.candidateRevision]).toEqual(['aborted', seven])
  const after = await rig.service('web')
  expect(after.spec.traffic).toEqual(before.spec.traffic!.filter((t) => t.tag !== 'pr-7'))
  expect(split(after).some((t) => t.startsWith('pr-7:'))).toBe(false)
  expect(split(after).some((t) => t.startsWith('pr-8:'))).toBe(true)
  expect((await served('http://pr-7-web.default.example.com')).revision).toBeUndefined()
  expect((await served('http://pr-8-web.default.example.com')).body).toBe('Hello pr 8!')

  const again = await rig.rollout({
    command: 'preview',
    service: 'web',
    cleanup: 'true',
    'pull-request': '7'
  })
  expect([again.result, again.message]).toEqual([
    'unchanged',
    'no preview pr-7 on "web"; nothing to clean up'
  ])
})

test('a new commit on the pull request moves its tag to the new revision', async () => {
  const first = await preview('web', 8)
  const next = await rig.rollout({
    command: 'preview',
    manifest: await rig.manifest('web', 'pr8b', { TARGET: 'pr 8 again' }),
    'pull-request': '8'
  })
  expect(next.result).toBe('previewed')
  expect(next.candidateRevision).not.toBe(first.candidateRevision)
  const svc = await rig.service('web')
  // One entry for the tag (Knative's defaulting adds latestRevision: false).
  expect(svc.spec.traffic!.filter((t) => t.tag === 'pr-8')).toEqual([
    expect.objectContaining({ tag: 'pr-8', revisionName: next.candidateRevision, percent: 0 })
  ])
  expect((await served(next.candidateUrl!)).body).toBe('Hello pr 8 again!')
})

test('a preview whose revision fails leaves production and the tags as they were', async () => {
  const before = await rig.service('web')
  const out = await rig.rollout({
    command: 'preview',
    manifest: await rig.manifest('web', 'broken', { EMULATOR_EXIT_CODE: '1' }),
    'pull-request': '9'
  })
  expect(out.result).toBe('failed')
  expect(out.message).toMatch(/^preview pr-9: web-pr-9-[0-9a-f]{8} did not become ready: ExitCode1/)
  const after = await rig.service('web')
  expect(after.spec.traffic).toEqual(before.spec.traffic)
  expect(after.spec.template).toEqual(before.spec.template)
})

test('a preview that is ready but answers only 500s is probed on its URL and ends failed', async () => {
  const before = await rig.service('web')
  const out = await preview('web', 10, {}, { EMULATOR_ERROR_RATE: '1' })
  expect(out.result).toBe('failed')
  expect(out.message).toMatch(
    /^preview pr-10: web-pr-10-[0-9a-f]{8} is on http:\/\/pr-10-web\.default\.example\.com but every answer failed \(HTTP 500\)/
  )
  // Production is as it was; the tag stays for the pull request's author to look at.
  const after = await rig.service('web')
  expect(split(after).filter((t) => !t.endsWith(':0'))).toEqual(
    split(before).filter((t) => !t.endsWith(':0'))
  )
  expect(split(after)).toContain(`pr-10:${out.candidateRevision}:0`)
})
