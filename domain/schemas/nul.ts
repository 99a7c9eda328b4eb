/**
 * NUL characters (U+0000): PostgreSQL cannot store them in text or jsonb, and no field of this system
 * has a use for one. Every string that comes in (path, query, body, multipart field, a JSON filter's
 * values and keys) is checked for them at the edge, and the field holding one is named.
 */
import { msg } from './messages';

export const NUL_MESSAGE = msg('不能包含空字符（\\u0000）', 'may not contain a NUL character (\\u0000)', 'nul_character');

/** The path of the first string (or object key) holding a NUL in `value`, or undefined. */
export function nulPath(value: unknown, path: string[] = []): string[] | undefined {
  const stack: Array<[unknown, string[]]> = [[value, path]];
  while (stack.length) {
    const [v, p] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return p;
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => {
        stack.push([item, [...p, String(i)]]);
      });
    } else if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const [k, item] of Object.entries(v)) {
        if (k.includes('\u0000')) return [...p, k.replace(/\u0000/g, '\\u0000')];
        stack.push([item, [...p, k]]);
      }
    }
  }
  return undefined;
}
