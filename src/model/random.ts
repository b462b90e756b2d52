/** Seeded pseudo-random numbers, so shuffles and probes repeat exactly for one seed. */

/** Returns a mulberry32 generator of floats in [0, 1) for a 32-bit seed. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffles `values` in place (Fisher-Yates) with the given generator. */
export function shuffleInPlace(values: Int32Array, random: () => number): Int32Array {
  for (let index = values.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    const swap = values[index];
    values[index] = values[other];
    values[other] = swap;
  }
  return values;
}
