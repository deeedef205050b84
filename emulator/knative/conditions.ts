// Knative's living condition sets (knative/pkg apis/condition_set.go): a happy `Ready`
// condition that summarises its dependents. Pure: the transition time is passed in.

import type { Condition } from '../../src/knative/types.js'

export type Status = Condition['status']

export class ConditionSet {
  private readonly conditions: Condition[]
  /** As the object had them: a condition that ends a reconcile unchanged keeps its time. */
  private readonly before: Map<string, Condition>

  /**
   * @param existing the object's current conditions (copied, never mutated)
   * @param dependents the types whose state decides `Ready`
   * @param now the transition time for conditions that change
   */
  constructor(
    existing: Condition[] | undefined,
    private readonly dependents: string[],
    private readonly now: string,
    private readonly info: string[] = []
  ) {
    this.conditions = (existing ?? []).map((c) => ({ ...c }))
    this.before = new Map(this.conditions.map((c) => [c.type, { ...c }]))
  }

  /** InitializeConditions: every dependent and Ready exist, Unknown when new. */
  initialize(): this {
    for (const type of ['Ready', ...this.dependents]) {
      if (!this.get(type)) this.set({ type, status: 'Unknown' })
    }
    return this
  }

  get(type: string): Condition | undefined {
    return this.conditions.find((c) => c.type === type)
  }

  markTrue(type: string, reason?: string, message?: string): void {
    this.set({ type, status: 'True', reason, message })
    if (!this.dependents.includes(type)) return
    const unhappy = this.unhappyDependent()
    if (!unhappy) this.set({ type: 'Ready', status: 'True' })
    else
      this.set({
        type: 'Ready',
        status: unhappy.status,
        reason: unhappy.reason,
        message: unhappy.message
      })
  }

  markFalse(type: string, reason: string, message: string): void {
    this.set({ type, status: 'False', reason, message })
    if (this.dependents.includes(type))
      this.set({ type: 'Ready', status: 'False', reason, message })
  }

  markUnknown(type: string, reason: string, message: string): void {
    this.set({ type, status: 'Unknown', reason, message })
    if (!this.dependents.includes(type)) return
    // A False dependent outranks an Unknown one.
    const failed = this.dependents.map((d) => this.get(d)).find((c) => c?.status === 'False')
    if (failed) {
      if (this.get('Ready')?.status !== 'False')
        this.set({ type: 'Ready', status: 'False', reason, message })
      return
    }
    this.set({ type: 'Ready', status: 'Unknown', reason, message })
  }

  /** Sorted by type, as Knative keeps them. */
  result(): Condition[] {
    return [...this.conditions].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0))
  }

  private unhappyDependent(): Condition | undefined {
    const unhappy = this.dependents
      .map((d) => this.get(d))
      .filter((c): c is Condition => !!c && c.status !== 'True')
    const newest = (list: Condition[]) =>
      [...list].sort((a, b) =>
        (b.lastTransitionTime ?? '').localeCompare(a.lastTransitionTime ?? '')
      )[0]
    return newest(unhappy.filter((c) => c.status === 'False')) ?? newest(unhappy)
  }

  /**
   * SetCondition: lastTransitionTime moves only when the condition really changed since the
   * reconcile began (a Ready passing through Unknown on its way back to the same False is
   * unchanged; otherwise every reconcile writes a new status and triggers the next one).
   */
  private set(next: Omit<Condition, 'lastTransitionTime'>): void {
    const clean: Condition = { type: next.type, status: next.status }
    if (next.reason) clean.reason = next.reason
    if (next.message) clean.message = next.message
    if (this.info.includes(next.type)) clean.severity = 'Info'
    const i = this.conditions.findIndex((c) => c.type === next.type)
    const old = this.before.get(next.type)
    const same =
      old &&
      old.status === clean.status &&
      (old.reason ?? '') === (clean.reason ?? '') &&
      (old.message ?? '') === (clean.message ?? '') &&
      (old.severity ?? '') === (clean.severity ?? '')
    const condition = { ...clean, lastTransitionTime: same ? old.lastTransitionTime : this.now }
    if (i >= 0) this.conditions[i] = condition
    else this.conditions.push(condition)
  }
}
