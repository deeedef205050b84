// The tests `npm run mutation` runs against each mutant (stryker.config.mjs): only the unit
// tests of the pure modules, so a run takes minutes. The rest of the suite drives emulators
// and real tools; it would only slow the mutants down without covering more of these modules.
import base from './jest.config.js'

export default {
  ...base,
  testMatch: [
    '<rootDir>/test/unit/**/*.test.ts',
    // Unit tests of pure modules that still live beside the integration tests.
    '<rootDir>/test/rollout/state.test.ts',
    '<rootDir>/test/rollout/lease.test.ts',
    '<rootDir>/test/analysis/error-rate.test.ts',
    '<rootDir>/test/analysis/mann-whitney.test.ts'
  ]
}
