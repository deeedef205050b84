// What the main step hands the post step (core.saveState → STATE_* → core.getState): every
// Service it may be holding the lease of, so that a main step killed mid-pipeline leaves
// none of them with a candidate at a share. Pure: the saving and reading are given.
//
// Bounded: a unit takes a slot (`unit-<n>`) when it starts and frees it when it ends, and a
// freed slot is taken again, so there are only as many slots as units ran at once (at most
// max-parallel), each a short JSON object; the holder, the same for every unit of a job, is
// saved once. The state file grows by two short lines per unit.

import { MAX_PARALLEL } from '../inputs/pipeline.js'
import type { SafetyNetTarget } from './safety-net.js'

/** One Service the post step may have to take back to 0%; `wave`/`cluster` index `waves`. */
export interface PostTarget extends SafetyNetTarget {
  wave?: number
  cluster?: number
}

/** Told each unit as it takes a Service's lease; the answer is called when the unit ends. */
export interface PostTargets {
  started(target: PostTarget): () => void
}

export const POST_KEYS = {
  finished: 'finished',
  holder: 'holder',
  /** How many slots were ever taken (slots are numbered from 0, densely). */
  slots: 'slots',
  slot: (n: number) => `unit-${n}`
} as const

type Saved = Omit<PostTarget, 'holder'> & { holder?: string }

/** Saves each started unit in a free slot and empties the slot when the unit ends. */
export function postStateWriter(save: (key: string, value: string) => void): PostTargets {
  let holder: string | undefined
  let slots = 0
  const free: number[] = []
  return {
    started(target) {
      if (holder === undefined) save(POST_KEYS.holder, (holder = target.holder))
      let slot: number
      if (free.length) slot = free.sort((a, b) => a - b).shift()!
      else {
        slot = slots++
        save(POST_KEYS.slots, String(slots))
      }
      const { holder: own, ...where } = target
      const saved: Saved = own === holder ? where : { ...where, holder: own }
      save(POST_KEYS.slot(slot), JSON.stringify(saved))
      let ended = false
      return () => {
        if (ended) return
        ended = true
        save(POST_KEYS.slot(slot), '')
        free.push(slot)
      }
    }
  }
}

/**
 * The units the main step left in progress: none when it finished (then every lease it took
 * was released or handed on). A slot that does not read as one of ours is skipped.
 */
export function readPostTargets(get: (key: string) => string): PostTarget[] {
  if (get(POST_KEYS.finished) === 'true') return []
  const holder = get(POST_KEYS.holder)
  // No run has more units at once than max-parallel allows.
  const slots = Math.min(Number(get(POST_KEYS.slots)) || 0, MAX_PARALLEL)
  const out: PostTarget[] = []
  for (let n = 0; n < slots; n++) {
    const saved = parse(get(POST_KEYS.slot(n)))
    const who = saved?.holder ?? holder
    if (saved && who) out.push({ ...saved, holder: who })
  }
  return out
}

function parse(text: string): Saved | undefined {
  if (!text) return undefined
  let v: Partial<Saved>
  try {
    v = JSON.parse(text) as Partial<Saved>
  } catch {
    return undefined
  }
  if (typeof v?.namespace !== 'string' || typeof v.service !== 'string') return undefined
  const index = (n: unknown) =>
    Number.isInteger(n) && (n as number) >= 0 ? (n as number) : undefined
  const wave = index(v.wave)
  const cluster = index(v.cluster)
  return {
    namespace: v.namespace,
    service: v.service,
    ...(wave !== undefined && cluster !== undefined ? { wave, cluster } : {}),
    ...(typeof v.holder === 'string' && v.holder ? { holder: v.holder } : {})
  }
}
