// `npm run bench -- robustness`: the promise "never leave production half-broken" at scale.
// 50 healthy and 50 bad rollouts under the API storm (run() in this process, real adapters),
// 50 CLI processes SIGKILLed at random points and run again, and cancellations of the built
// action (SIGINT; SIGKILL + post step). Emulators run as separate processes. Reports how many
// ended right, the invariant violations over every emulator's complete write history
// (target 0), and the time from a cancel signal to the candidate's 0% write.

import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkInvariants } from '../test/helpers/invariants.js'
import { inPool } from '../test/helpers/pool.js'
import type { RolloutState } from '../src/rollout/state.js'
import {
  STORM,
  freshDist,
  history,
  rotateErrorStatus,
  seed,
  setFaults,
  startEmulatorChild,
  type World
} from './lib/robustness-world.js'
import {
  cancelAction,
  crashAndRerun,
  killThenPost,
  stormRollout,
  type KillPoint,
  type ScenarioResult
} from './lib/robustness-scenarios.js'
import { seededRandom } from '../emulator/dataplane/random.js'

const STORM_PER_KIND = 50
/** Rollouts at once: 2 CPUs also run the emulators, and starved probes are a real regression to the judge. */
const CONCURRENCY = 8
const KILLS = 50
/** Of the killed rollouts, this many have a bad candidate (the rest are healthy). */
const KILLED_BAD = 10
const CANCELS_PER_KIND = 10
const EMULATORS = 3

/**
 * A random point of a run: a random moment of one of its stages (starting up, the candidate
 * coming up at 0%, the step at 50%, finishing), so every stage is hit whatever the machine's
 * speed. The stage is reached by polling the Service's state, then a random 0-1.5 s more.
 */
function killPoint(random: () => number): KillPoint {
  const extra = Math.round(random() * 1500)
  const stage = Math.floor(random() * 4)
  if (stage === 0) return { afterMs: extra }
  const at = (ok: (s: RolloutState | undefined) => boolean) => ({ when: ok, thenMs: extra })
  if (stage === 1) return at((s) => s?.phase === 'progressing' && s.percent === 0)
  if (stage === 2) return at((s) => s?.phase === 'progressing' && s.percent === 50)
  return at(
    (s) => (s?.phase === 'promoted' && s.current.endsWith('-v2')) || s?.phase === 'rolled-back'
  )
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : undefined
}

function tally(results: readonly ScenarioResult[]) {
  const wrong = results.filter((r) => r.problems.length)
  return {
    runs: results.length,
    correct: results.length - wrong.length,
    wrong: wrong.map((r) => `${r.service}: ${r.problems.join('; ')}`)
  }
}

export async function runRobustnessBench() {
  const root = await mkdtemp(join(tmpdir(), 'bench-robustness-'))
  const dist = freshDist(join(root, 'dist'))
  const worlds: (World & { stop(): Promise<void> })[] = []
  try {
    for (let i = 0; i < EMULATORS; i++) {
      const dir = join(root, `emulator-${i}`)
      await mkdir(dir)
      worlds.push(await startEmulatorChild(dist, dir))
    }
    const worldOf = (i: number) => worlds[i % worlds.length]

    // ---- 1. the storm: 50 healthy + 50 bad, concurrently across the emulators
    const storm = Array.from({ length: 2 * STORM_PER_KIND }, (_, i) => ({
      world: worldOf(i),
      service: `storm-${i % 2 ? 'bad' : 'ok'}-${i}`,
      bad: i % 2 === 1
    }))
    console.log(`seeding ${storm.length} services`)
    await inPool(
      storm.map((c) => () => seed(c.world, c.service)),
      6
    )
    for (const w of worlds) await setFaults(w, STORM)
    const stopRotating = rotateErrorStatus(worlds)
    console.log(`${storm.length} rollouts under the storm`)
    const stormResults = await inPool(
      storm.map((c) => () => stormRollout(c.world, c.service, c.bad)),
      CONCURRENCY
    ).finally(async () => {
      await stopRotating()
      for (const w of worlds) await setFaults(w, 'none')
    })
    const requests = await Promise.all(
      worlds.map(
        async (w) =>
          (await (await fetch(`${w.apiUrl}/emulator/requests`)).json()) as { status: number }[]
      )
    )
    const injected = requests.flat().filter((r) => [409, 429, 500, 503, 504].includes(r.status))

    // ---- 2. kills: SIGKILL at a random point, then the same command again
    const random = seededRandom(20261126) // the kill points are random but reproducible
    const kills = Array.from({ length: KILLS }, (_, i) => ({
      world: worldOf(i),
      service: `kill-${i}`,
      bad: i < KILLED_BAD,
      kill: killPoint(random)
    }))
    console.log(`seeding ${kills.length} services`)
    await inPool(
      kills.map((c) => () => seed(c.world, c.service)),
      6
    )
    console.log(`${kills.length} rollouts killed and run again`)
    const killResults = await inPool(
      kills.map((c) => () => crashAndRerun(c.world, c.service, c.bad, c.kill)),
      4
    )

    // ---- 3. cancellations of the built action
    const cancels = Array.from({ length: 2 * CANCELS_PER_KIND }, (_, i) => ({
      world: worldOf(i),
      service: `cancel-${i}`,
      how: i % 2 ? ('post' as const) : ('sigint' as const),
      delayMs: Math.round(random() * 3000)
    }))
    await inPool(
      cancels.map((c) => () => seed(c.world, c.service)),
      6
    )
    console.log(`${cancels.length} cancellations`)
    const cancelResults = await inPool(
      cancels.map(
        (c) => () =>
          (c.how === 'sigint' ? cancelAction : killThenPost)(c.world, c.service, c.delayMs)
      ),
      4
    )

    // ---- the invariant over every write each emulator ever stored
    const violations = (
      await Promise.all(worlds.map(async (w) => checkInvariants(await history(w))))
    ).flat()
    const writes = (await Promise.all(worlds.map(async (w) => (await history(w)).length))).reduce(
      (a, b) => a + b,
      0
    )

    const cancelFigures = (how: 'sigint' | 'post') => {
      const rs = cancelResults.filter((_, i) => cancels[i].how === how)
      const ms = rs.map((r) => r.toZeroMs).filter((x): x is number => x !== undefined)
      return { ...tally(rs), toZeroMs: { p50: percentile(ms, 50), max: Math.max(...ms) } }
    }
    const killedIn: Record<string, number> = {}
    for (const r of killResults) {
      const where = r.killedIn.replace(/ \(current .*\)$/, '')
      killedIn[where] = (killedIn[where] ?? 0) + 1
    }
    const figures = {
      storm: {
        faults: STORM,
        healthy: tally(stormResults.filter((_, i) => !storm[i].bad)),
        bad: tally(stormResults.filter((_, i) => storm[i].bad)),
        injectedFaultsAnswered: injected.length
      },
      kills: {
        ...tally(killResults),
        killedBeforeExit: killResults.filter((r) => r.killed).length,
        killedIn,
        rerunResults: Object.fromEntries(
          [...new Set(killResults.map((r) => r.result))].map((k) => [
            k,
            killResults.filter((r) => r.result === k).length
          ])
        )
      },
      cancels: { sigint: cancelFigures('sigint'), postStep: cancelFigures('post') },
      invariant: {
        writesChecked: writes,
        violations: violations.length,
        sample: violations.slice(0, 10)
      }
    }
    console.log(JSON.stringify(figures, null, 2))
    return figures
  } finally {
    await Promise.all(worlds.map((w) => w.stop()))
    await rm(root, { recursive: true, force: true })
  }
}
