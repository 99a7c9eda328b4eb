/**
 * Administrative regions keyed by GB/T 2260 six-digit codes.
 * province XX0000 → city XXYY00 → county XXYYZZ. The ministry is the pseudo-region 000000.
 * A region's subtree is every code that starts with its significant prefix, so
 * "within the actor's region" is a prefix test here and a `LIKE 'prefix%'` in SQL.
 */
export const NATIONAL_CODE = '000000';

export type RegionLevel = 'national' | 'province' | 'city' | 'county';

export function regionLevel(code: string): RegionLevel {
  if (code === NATIONAL_CODE) return 'national';
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
}

/** The significant prefix of a code: 640000 → "64", 371500 → "3715", 350583 → "350583", 000000 → "". */
export function regionPrefix(code: string): string {
  switch (regionLevel(code)) {
    case 'national':
      return '';
    case 'province':
      return code.slice(0, 2);
    case 'city':
      return code.slice(0, 4);
    default:
      return code;
  }
}

/** True when `code` is `ancestor` itself or lies below it. */
export function inSubtree(code: string, ancestor: string): boolean {
  return code.startsWith(regionPrefix(ancestor));
}

export function provinceOf(code: string): string {
  return code === NATIONAL_CODE ? NATIONAL_CODE : `${code.slice(0, 2)}0000`;
}

export function cityOf(code: string): string {
  const level = regionLevel(code);
  if (level === 'national' || level === 'province') return code;
  return `${code.slice(0, 4)}00`;
}

/** The chain from the nation down to the region itself, e.g. 350583 → [000000, 350000, 350500, 350583]. */
export function ancestry(code: string): string[] {
  const chain = [NATIONAL_CODE];
  const level = regionLevel(code);
  if (level === 'national') return chain;
  chain.push(provinceOf(code));
  if (level === 'province') return chain;
  chain.push(cityOf(code));
  if (level === 'city') return chain;
  chain.push(code);
  return chain;
}

export const isRegionCode = (code: string): boolean => /^\d{6}$/.test(code);

/** The narrowest region whose subtree holds both codes, e.g. 640104 and 640100 → 640100; 640104 and 371502 → 000000. */
export function commonRegion(a: string, b: string): string {
  const chainB = ancestry(b);
  return [...ancestry(a)].reverse().find((code) => chainB.includes(code)) ?? NATIONAL_CODE;
}
