// The tests `npm run mutation` runs against each mutant (stryker.config.mjs): only the unit
// tests of the pure modules, so a run takes minutes. The rest of the suite drives emulators
// and real tools; it would only slow the mutants down without covering more of these modules.
// MUTATION_TESTS narrows them to some folders or files (comma-separated, e.g.
// `test/unit/analysis/sequential.test.ts`) for a quicker run of a module that slow tests also
// reach (the engine's, error-rate.test.ts's simulations); its score is a lower bound of the full run's.
import base from './jest.config.js'

const only = (process.env.MUTATION_TESTS ?? 'test/unit')
  .split(',')
  .map((p) => p.trim().replace(/\/+$/, ''))
  .filter(Boolean)

export default {
  ...base,
  // The unit tests (test/unit mirrors src/): the pure modules' tests are all there.
  testMatch: only.map((p) =>
    p.endsWith('.test.ts') ? `<rootDir>/${p}` : `<rootDir>/${p}/**/*.test.ts`
  )
}
