// The step plan's inputs: steps, pause-at, and the timeout that must hold the analysis at
// its longest (rollout/timing.ts derives every duration from step-interval).

import { formatDuration } from '../duration.js'
import { MAX_STEP_ROUNDS, analysisBounds } from '../rollout/timing.js'
import { planSteps } from '../traffic.js'
import type { Problems } from './fields.js'

/**
 * The timeout must hold the analysis at its longest: each analysed step (the walk's steps
 * below 100%, as traffic.ts plans them up to pause-at; a blue/green switch analyses once)
 * takes one interval when it passes and up to MAX_STEP_ROUNDS when in doubt
 * (rollout/timing.ts). Shorter, a slow but healthy rollout would end `failed` on the
 * timeout instead of being judged.
 */
export function timeoutProblem(
  steps: readonly number[],
  pauseAt: number | undefined,
  stepIntervalMs: number,
  timeoutMs: number
): string | undefined {
  const walked = planSteps({ steps, startPercent: 0, pauseAt }).percents
  const analysed = Math.max(1, walked.filter((s) => s < 100).length)
  const { maxMs } = analysisBounds(analysed, stepIntervalMs)
  if (timeoutMs >= maxMs) return undefined
  const each = `${formatDuration(stepIntervalMs)} to ${formatDuration(stepIntervalMs * MAX_STEP_ROUNDS)}`
  return `is shorter than the analysis alone can take (${analysed} analysed step${analysed === 1 ? '' : 's'} × ${each} each = up to ${formatDuration(maxMs)}; a step in doubt is extended up to ${MAX_STEP_ROUNDS} intervals); raise timeout or shorten step-interval`
}

const STEPS_RULE = 'must be strictly increasing percents ending at 100'

export function parseSteps(p: Problems, text: string): number[] | undefined {
  const parts = text.split(/[\s,]+/).filter(Boolean)
  const bad = parts.find((s) => !/^\d+$/.test(s))
  const fail = (why: string) => {
    p.add('steps', text, `${STEPS_RULE} (${why}), e.g. 10,25,50,100`)
    return undefined
  }
  if (parts.length === 0) return fail('none given')
  if (bad !== undefined) return fail(`"${bad}" is not a whole number`)
  const steps = parts.map(Number)
  const out = steps.find((s) => s < 1 || s > 100)
  if (out !== undefined) return fail(`${out} is outside 1..100`)
  const i = steps.findIndex((s, k) => k > 0 && s <= steps[k - 1])
  if (i > 0) return fail(`${steps[i]} comes after ${steps[i - 1]}`)
  if (steps[steps.length - 1] !== 100)
    return fail(
      `the last is ${steps[steps.length - 1]}; a rollout ends promoted at 100, use pause-at to stop earlier`
    )
  return steps
}

export function parsePauseAt(
  p: Problems,
  text: string | undefined,
  steps: number[] | undefined
): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!/^\d+$/.test(text) || n < 1 || n >= 100) {
    p.add('pause-at', text, 'must be a whole percent from 1 to 99, one of the steps')
    return undefined
  }
  const problem = steps && pauseAtProblem(n, steps)
  if (problem) {
    p.add('pause-at', text, problem)
    return undefined
  }
  return n
}

/** Why `pauseAt` cannot be used with this step plan, or undefined when it can. */
export function pauseAtProblem(pauseAt: number, plan: readonly number[]): string | undefined {
  return plan.includes(pauseAt)
    ? undefined
    : `is not one of the steps (${plan.join(',')}); the rollout can only pause at a step`
}

/** A rollout's timeout against its longest analysis, once the values it needs are good. */
export function checkTimeout(
  p: Problems,
  text: string,
  o: { steps?: number[]; pauseAt?: number; stepIntervalMs?: number; timeoutMs?: number }
): void {
  if (!o.steps || !o.stepIntervalMs || !o.timeoutMs) return
  const problem = timeoutProblem(o.steps, o.pauseAt, o.stepIntervalMs, o.timeoutMs)
  if (problem) p.add('timeout', text, problem)
}
