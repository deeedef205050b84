// The tests `npm run mutation` runs against each mutant (stryker.config.mjs): only the unit
// tests of the pure modules, so a run takes minutes. The rest of the suite drives emulators
// and real tools; it would only slow the mutants down without covering more of these modules.
import base from './jest.config.js'

export default {
  ...base,
  // The unit tests (test/unit mirrors src/): the pure modules' tests are all there.
  testMatch: ['<rootDir>/test/unit/**/*.test.ts']
}
