// Which figures the judge weighs: the data plane once it has counted at least what the
// probes sent to each revision (it counts them too), the probes before that.

import { chooseEvidence, type Evidence } from '../../../src/analysis/choose-evidence.js'

const figures = (source: string, candidate: number, current: number): Evidence => ({
  candidate: { requests: candidate, errors: 0, latenciesMs: [] },
  current: { requests: current, errors: 0, latenciesMs: [] },
  source
})

describe('chooseEvidence', () => {
  test.each([
    {
      name: 'probes only (no prometheus-url)',
      probes: figures('probes', 50, 50),
      dataPlane: undefined,
      chosen: 'probes'
    },
    {
      name: 'data plane only (probe-rps 0)',
      probes: undefined,
      dataPlane: figures('dp', 3, 30),
      chosen: 'dp'
    },
    { name: 'neither', probes: undefined, dataPlane: undefined, chosen: undefined },
    {
      name: 'the data plane has caught up with the probes and counts users too',
      probes: figures('probes', 50, 50),
      dataPlane: figures('dp', 600, 5400),
      chosen: 'dp'
    },
    {
      name: 'exactly the probes (no users yet): the data plane, which holds them all',
      probes: figures('probes', 50, 50),
      dataPlane: figures('dp', 50, 50),
      chosen: 'dp'
    },
    {
      name: 'scrapes lag behind the candidate’s probes: the probes',
      probes: figures('probes', 50, 50),
      dataPlane: figures('dp', 40, 5000),
      chosen: 'probes'
    },
    {
      name: 'scrapes lag behind the current’s probes: the probes',
      probes: figures('probes', 50, 50),
      dataPlane: figures('dp', 5000, 45),
      chosen: 'probes'
    }
  ])('$name', ({ probes, dataPlane, chosen }) => {
    expect(chooseEvidence(probes, dataPlane)?.source).toBe(chosen)
  })
})
