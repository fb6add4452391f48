/**
 * mulberry32: a tiny deterministic pseudo-random sequence in [0, 1). Tests and
 * benchmarks that must replay from a printed seed, or compare runs, draw from
 * it instead of Math.random.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
