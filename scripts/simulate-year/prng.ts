/** A seeded PRNG (mulberry32): the same seed gives the same year. `forKey` derives a stream per task or patch. */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A stream of its own for one decision (a task, a patch), independent of the order decisions are taken in. */
export const forKey = (seed: number, key: string): Rng => mulberry32(hash(`${seed}:${key}`));

/** Picks one of the weighted choices. */
export function pick<T extends string>(rng: Rng, weights: Record<T, number>): T {
  const entries = Object.entries(weights) as Array<[T, number]>;
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let r = rng() * total;
  for (const [k, w] of entries) {
    r -= w;
    if (r < 0) return k;
  }
  return entries[entries.length - 1][0];
}

/** A number of mu with one decimal in [min, max]. */
export const muBetween = (rng: Rng, min: number, max: number) => Math.round((min + rng() * (max - min)) * 10) / 10;
