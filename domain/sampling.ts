/**
 * The reproducible random draw for sampled reviews (Guangdong: 30% of each class, 002). The draw is a
 * hash of the seed, the patch code and the review level, so anyone can recompute it from the record.
 */

/** FNV-1a, 32-bit. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A number in [0, 1) fixed by (seed, patch code, level). */
export function sampleDraw(seed: string, patchCode: string, level: string): number {
  // Two rounds so that codes differing only in their last character spread evenly.
  const h = fnv1a(`${fnv1a(`${seed}|${patchCode}|${level}`)}|${patchCode}`);
  return h / 0x1_0000_0000;
}
