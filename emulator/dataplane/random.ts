// The data plane's only source of chance (traffic split, simulated errors, latency jitter).
// Injected so tests can seed it and get the same sequence on every run.

/** A uniform source on [0, 1), like Math.random. */
export type Random = () => number

/** mulberry32: a tiny, fast 32-bit PRNG; plenty for simulation, not for secrets. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A standard normal draw (Box-Muller), from two uniforms of `random`. */
export function normal(random: Random): number {
  const u = 1 - random() // (0, 1]: log(0) would be -Infinity
  const v = random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}
