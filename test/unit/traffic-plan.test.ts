// Where a walk ends (traffic.ts planSteps): pause-at at or above 100 is the promotion itself.

import { planSteps } from '../../src/traffic.js'

const steps = [10, 25, 50, 100]
test.each([
  {
    name: 'pause-at 100 promotes, not pauses',
    start: 0,
    pauseAt: 100,
    out: { percents: steps, pause: false }
  },
  {
    name: 'pause-at above 100 too',
    start: 25,
    pauseAt: 150,
    out: { percents: [50, 100], pause: false }
  },
  {
    name: 'pause-at 99 stops before 100',
    start: 0,
    pauseAt: 99,
    out: { percents: [10, 25, 50], pause: true }
  },
  {
    name: 'a pause between steps stops below it',
    start: 0,
    pauseAt: 30,
    out: { percents: [10, 25], pause: true }
  },
  {
    name: 'a pause just behind the start is passed',
    start: 26,
    pauseAt: 25,
    out: { percents: [50, 100], pause: false }
  },
  {
    name: 'a pause at 0 with a fresh candidate',
    start: 0,
    pauseAt: 0,
    out: { percents: [], pause: true }
  }
])('$name', ({ start, pauseAt, out }) => {
  expect(planSteps({ steps, startPercent: start, pauseAt })).toEqual(out)
})
