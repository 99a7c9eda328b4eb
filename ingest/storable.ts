/**
 * What a file's text may hold that PostgreSQL cannot store: NUL characters (neither text nor jsonb takes
 * them) and unpaired UTF-16 surrogates (jsonb refuses their escapes). A feature's code or attribute values
 * are kept in its report row, so they are made storable first — NUL shown as ␀, a lone surrogate as �.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const storableText = (s: string): string => s.replace(/\u0000/g, '\u2400').replace(LONE_SURROGATE, '\uFFFD');

/** The value with every string in it (keys too) made storable. */
export function storable<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storable(v)])) as T;
  }
  return value;
}

/**
 * A database error caused by the values written (SQLSTATE classes 22 data exception, 23 integrity
 * constraint, 54 program limit): writing the same values again fails again, so the feature that carries
 * them is rejected rather than the import retried.
 */
export function isDataError(err: unknown): boolean {
  const code = (databaseCause(err) as { code?: unknown })?.code;
  return typeof code === 'string' && /^(22|23|54)/.test(code) && code !== '23505';
}

/** The driver's error under the query builder's wrapping (which quotes the whole query and its values). */
export function databaseCause(err: unknown): Error {
  let e = err as Error & { cause?: unknown };
  while (e && typeof e === 'object' && e.cause && typeof e.cause === 'object' && !('code' in e)) e = e.cause as Error & { cause?: unknown };
  return e;
}
