// The action job of .github/workflows/ci.yml, step by step as the runner would run it: each
// `uses: ./` step with its `with:` inputs (the emulator's ingress filled in) through the
// built action, against the emulator the job starts. So the workflow CI runs is known to
// pass here, with the results its last step checks.

import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { runAction } from '../helpers/action-runner.js'
import { ROOT } from '../helpers/child-run.js'
import { withEmulator } from '../helpers/emulator.js'

const emulator = withEmulator({ serveV1alpha1: true })

interface Step {
  id?: string
  uses?: string
  run?: string
  with?: Record<string, string>
  'continue-on-error'?: boolean
}
const ci = parse(readFileSync(`${ROOT}.github/workflows/ci.yml`, 'utf8')) as {
  jobs: { action: { steps: Step[] } }
}
const steps = ci.jobs.action.steps

test('the emulator is started as the demo starts it, with v1alpha1 for the tutorial manifest', () => {
  const start = steps.find((s) => s.run?.includes('dist/emulator.js'))!.run!
  expect(start).toContain('--kubeconfig "$RUNNER_TEMP/kubeconfig" --serve-v1alpha1')
  expect(start).toContain('KUBECONFIG=$RUNNER_TEMP/kubeconfig')
})

test('its uses: ./ steps end as the check step expects: promoted, promoted, rolled back', async () => {
  const results: Record<string, { result: string; code: number | null }> = {}
  for (const step of steps.filter((s) => s.uses === './')) {
    const inputs = Object.fromEntries(
      Object.entries(step.with ?? {}).map(([name, value]) => [
        name,
        String(value).replace('${{ steps.emulator.outputs.ingress }}', emulator().ingressUrl)
      ])
    )
    expect(Object.values(inputs).filter((v) => v.includes('${{'))).toEqual([])
    const out = await runAction({
      inputs,
      env: { GITHUB_WORKSPACE: ROOT, KUBECONFIG: emulator().kubeconfigPath }
    })
    results[step.id!] = { result: out.outputs.result, code: out.code }
  }
  expect(results).toEqual({
    v1: { result: 'promoted', code: 0 },
    v2: { result: 'promoted', code: 0 },
    v3: { result: 'rolled-back', code: 1 }
  })
  expect(steps.find((s) => s.id === 'v3')?.['continue-on-error']).toBe(true)
  const check = steps.find((s) => s.run?.includes('test "$V2" = promoted'))!.run!
  expect(check).toContain('test "$V3" = rolled-back')
})
