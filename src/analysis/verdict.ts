// The one answer every judgement gives: the judge at a look, a metric check, a hook, a step.
// inconclusive is never a pass: a step that ends on it is not promoted.
export type Verdict = 'pass' | 'fail' | 'inconclusive'
