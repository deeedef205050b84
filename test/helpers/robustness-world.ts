// The robustness tests' set-up: one in-process emulator per test file and a World over it
// (a scratch directory; the bundles child processes run), removed after the file's tests.

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freshDist, type World } from '../../bench/lib/robustness-world.js'
import { startTestEmulator, type TestEmulator } from './emulator.js'

/**
 * `freshDist`: children run a bundle of the source as it is now (tests that spawn the CLI
 * or the action); otherwise dist/ (tests that run the engine in process).
 */
export async function startWorld(
  name: string,
  opts: { freshDist?: boolean } = {}
): Promise<{ emulator: TestEmulator; world: World }> {
  const emulator = await startTestEmulator()
  const dir = await mkdtemp(join(tmpdir(), `robustness-${name}-`))
  const dist = opts.freshDist ? freshDist(join(dir, 'dist')) : 'dist'
  return { emulator, world: { ...emulator, dir, dist } }
}

export async function stopWorld(emulator?: TestEmulator, world?: World): Promise<void> {
  await emulator?.stop()
  if (world) await rm(world.dir, { recursive: true, force: true })
}
