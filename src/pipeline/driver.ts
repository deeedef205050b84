// Drives many rollouts: stage after stage, the units of a stage (each Service in each of its
// clusters) at most `maxParallel` at once, each with its own AbortSignal. A stage starts
// only when every unit of the one before ended promoted (or unchanged); a failure ends the
// pipeline there, so later stages get no request at all. With fail-fast, a failed unit
// aborts the others still running (the engine rolls each back) and keeps the rest from
// starting. No clock and no I/O here: `runUnit` does the work (pipeline/run-pipeline.ts).

import type { Command } from '../inputs.js'
import type { RolloutReport, RolloutResult } from '../report/types.js'
import { runBounded } from './bounded.js'
import {
  gated,
  unitsOf,
  unitLabel,
  waitsBefore,
  type Stage,
  type Target,
  type Unit
} from './plan.js'
import { isFailure, reachedGoal } from './worst.js'

/** What the driver needs of a unit's outcome. */
export type UnitReport = Pick<
  RolloutReport,
  'service' | 'result' | 'reason' | 'candidateRevision' | 'currentRevision'
>

export interface UnitEnd<R extends UnitReport> {
  unit: Unit
  service: string
  result: RolloutResult
  reason?: string
  /** The unit's own outcome; undefined when it never started. */
  ran?: R
}

export interface DriveOptions<R extends UnitReport> {
  stages: readonly Stage[]
  /** Index of the stage to start at (`wave`). */
  start: number
  /** The stage named by `wave`: its pause-before is what this run was started to pass. */
  wave?: string
  targets: readonly Target[]
  command: Command
  maxParallel: number
  failFast: boolean
  /** SIGINT/SIGTERM: running units are aborted, no more start. */
  signal?: AbortSignal
  /** The Service a target names (read from its manifest beforehand). */
  nameOf(target: Target): string
  runUnit(unit: Unit, signal: AbortSignal): Promise<R>
  /** Told as each unit that ran ends, with its final result (an aborted one's included). */
  onEnd?(end: UnitEnd<R>): void
}

export async function drive<R extends UnitReport>(o: DriveOptions<R>): Promise<UnitEnd<R>[]> {
  const ends: UnitEnd<R>[] = []
  const skipped = (unit: Unit, result: RolloutResult, reason: string): UnitEnd<R> => ({
    unit,
    service: o.nameOf(unit.target),
    result,
    reason
  })
  let stop: string | undefined
  for (const stage of o.stages.slice(o.start)) {
    const units = unitsOf(stage, o.targets)
    if (stop) {
      ends.push(...units.map((u) => skipped(u, 'unchanged', `not started: ${stop}`)))
      continue
    }
    if (gated(o.command) && waitsBefore(stage, o.wave)) {
      const reason = `stage "${stage.name}" waits for a person: run command: promote with wave: ${stage.name}`
      ends.push(...units.map((u) => skipped(u, 'paused', reason)))
      stop = `the pipeline paused before stage "${stage.name}"`
      continue
    }
    const stageEnds = await runStage(o, units)
    ends.push(...stageEnds)
    if (o.signal?.aborted) stop = 'cancelled'
    else if (gated(o.command) && !stageEnds.every((e) => reachedGoal(e.result)))
      stop = `stage${stage.name ? ` "${stage.name}"` : ''} did not promote every service`
  }
  return ends
}

async function runStage<R extends UnitReport>(
  o: DriveOptions<R>,
  units: readonly Unit[]
): Promise<UnitEnd<R>[]> {
  const running = new Map<number, AbortController>()
  let failFast: string | undefined
  const label = (unit: Unit, service: string) => unitLabel(service, unit.cluster.name)
  const done = await runBounded(
    units,
    o.maxParallel,
    async (unit, i): Promise<UnitEnd<R>> => {
      const controller = new AbortController()
      running.set(i, controller)
      const signal = o.signal ? AbortSignal.any([o.signal, controller.signal]) : controller.signal
      const ran = await o.runUnit(unit, signal)
      running.delete(i)
      const end: UnitEnd<R> = {
        unit,
        service: ran.service,
        result: ran.result,
        reason: ran.reason,
        ran
      }
      if (controller.signal.aborted) {
        // Stopped by another unit's failure: whatever it ended with, it did not fail itself.
        end.result = end.result === 'failed' ? 'aborted' : end.result
        end.reason = `${String((controller.signal.reason as Error).message)}; ${ran.reason ?? ran.result}`
      } else if (o.failFast && isFailure(ran.result) && !failFast) {
        failFast = `fail-fast: ${label(unit, ran.service)} ${ran.result}`
        for (const other of running.values()) other.abort(new Error(failFast))
      }
      o.onEnd?.(end)
      return end
    },
    () => failFast !== undefined || !!o.signal?.aborted
  )
  return done.map(
    (end, i) =>
      end ?? {
        unit: units[i],
        service: o.nameOf(units[i].target),
        result: 'unchanged',
        reason: `not started: ${failFast ?? 'cancelled'}`
      }
  )
}
