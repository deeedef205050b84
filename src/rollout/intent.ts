// What to do next, as pure functions of what was observed: where a `rollout` starts (first
// deploy, nothing to do, a refusal, a new or resumed candidate), the next move of the walk
// through the steps (write a split, analyse, promote, pause), and what a step's verdict
// leads to (next step, analyse again, roll back). The commands carry the intents out
// through the executor; nothing here reads or writes anything.

import type { RevisionTemplate } from '../knative/types.js'
import type { Verdict } from '../analysis/verdict.js'
import { madeFrom, sameTemplate } from './decide.js'
import type { RolloutState } from './state.js'

// ---- where a rollout starts -----------------------------------------------------------

export interface RolloutView {
  namespace: string
  /** The Service exists. */
  exists: boolean
  /** The revision serving now (the release's, the open rollout's, or the largest share). */
  current?: string
  /** The current revision exists. */
  currentExists: boolean
  candidate: string
  /** The template to roll out, named `candidate`. */
  template: RevisionTemplate
  liveTemplate?: RevisionTemplate
  /** A revision already named `candidate` (looked up unless the open rollout is of it). */
  taken?: { metadata?: RevisionTemplate['metadata']; spec: RevisionTemplate['spec'] }
  /** The live template made the current revision, which is ready. */
  madeCurrent: boolean
  /** A rollout in progress or paused, left by an earlier run. */
  open?: RolloutState
}

export type RolloutStart =
  | { kind: 'first-deploy' }
  | { kind: 'unchanged'; message: string }
  | { kind: 'refuse'; message: string }
  | { kind: 'candidate'; resume: boolean }

export function rolloutStart(v: RolloutView): RolloutStart {
  if (!v.exists || !v.current) return { kind: 'first-deploy' }
  if (!v.currentExists)
    return {
      kind: 'refuse',
      message: `the current revision "${v.current}" does not exist in namespace "${v.namespace}"`
    }
  if (v.candidate === v.current) {
    if (sameTemplate(v.liveTemplate, v.template))
      return { kind: 'unchanged', message: `${v.current} is already current; nothing to roll out` }
    return {
      kind: 'refuse',
      message: `revision-name "${v.candidate}" is the current revision but the template differs; Knative refuses a template change without a new name: set revision-name`
    }
  }
  // A name taken by a revision of another template: Knative would take the write, then fail
  // the Configuration (RevisionNameTaken). Said here, before anything is written.
  if (v.taken && !madeFrom(v.taken, v.template))
    return {
      kind: 'refuse',
      message: `revision-name "${v.candidate}" is already taken by a revision with a different template; Knative cannot reuse the name (RevisionNameTaken): choose another revision-name`
    }
  const open = v.open
  const resume = !!open && open.candidate === v.candidate && open.current === v.current
  // Unchanged only when the live template is the one that made the current revision (a
  // template left by a failed candidate is tried again).
  if (!open && v.madeCurrent && sameTemplate(v.liveTemplate, v.template))
    return {
      kind: 'unchanged',
      message: `the template is unchanged and ${v.current} is serving it; nothing to roll out`
    }
  return { kind: 'candidate', resume }
}

// ---- the walk through the steps --------------------------------------------------------

export interface Walk {
  /** The percents still to walk, in order (traffic.ts planSteps). */
  percents: readonly number[]
  /** How many of them are done. */
  done: number
  /** The walk ends paused (pause-at) instead of promoting. */
  pause: boolean
  /** The candidate's share now. */
  share: number
  /** A step of this run passed its analysis already. */
  analysedAny: boolean
  /** Only `rollout` analyses the present share before a promotion that analysed nothing. */
  command: string
}

export type WalkIntent =
  | { kind: 'split'; percent: number; gated: boolean } // gated: ask confirm-traffic-increase first
  | { kind: 'analyse'; percent: number }
  | { kind: 'promote' }
  | { kind: 'pause' }

/**
 * Examples, from share 0 with percents [10, 50, 100]: split 10 (gated), analyse 10, split 50,
 * analyse 50, promote. With percents [100] (a blue/green switch): analyse 0 on the tag URL,
 * then promote, so nothing is promoted unseen.
 */
export function nextIntent(w: Walk): WalkIntent {
  const percent = w.percents[w.done]
  if (percent === undefined) return w.pause ? { kind: 'pause' } : { kind: 'promote' }
  if (percent === 100) {
    if (!w.analysedAny && w.command === 'rollout') return { kind: 'analyse', percent: w.share }
    return { kind: 'promote' }
  }
  if (w.share !== percent) return { kind: 'split', percent, gated: percent > w.share }
  return { kind: 'analyse', percent }
}

/** The walk after an intent was carried out. */
export function advance(w: Walk, intent: WalkIntent): Walk {
  if (intent.kind === 'split') return { ...w, share: intent.percent }
  if (intent.kind !== 'analyse') return w
  const atStep = w.percents[w.done] === intent.percent
  return { ...w, analysedAny: true, done: atStep ? w.done + 1 : w.done }
}

// ---- after a step's analysis ------------------------------------------------------------

export type AfterStep = 'next' | 'again' | 'roll-back'

/** A pass goes on; anything else counts against failure-threshold; a rollback hook ends it at once. */
export function afterStep(
  verdict: Verdict,
  failures: number,
  threshold: number,
  rollbackHook: boolean
): AfterStep {
  if (verdict === 'pass') return 'next'
  return failures >= threshold || rollbackHook ? 'roll-back' : 'again'
}
