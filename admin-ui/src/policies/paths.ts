/**
 * Editing a region's own overrides immutably by path, and finding which layer sets a part of the
 * effective policy (the nearest region whose overrides set it, else the system default).
 */
import { BASE_POLICY, mergePolicy, type PolicyOverrides, type RegionPolicy } from '../../../domain/policy';

export type Path = Array<string | number>;

export interface Layer {
  regionCode: string;
  regionName?: string;
  version?: number;
  overrides: PolicyOverrides;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function getAt(obj: unknown, path: Path): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || cur === undefined) return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

export function setAt<T>(obj: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path;
  const base = (Array.isArray(obj) ? [...obj] : isObject(obj) ? { ...obj } : typeof head === 'number' ? [] : {}) as Record<string | number, unknown>;
  base[head] = setAt(base[head], rest, value);
  return base as T;
}

/** Removes the value at a path, and objects left empty on the way. */
export function deleteAt<T>(obj: T, path: Path): T {
  if (!isObject(obj) || path.length === 0) return obj;
  const [head, ...rest] = path;
  const copy: Record<string, unknown> = { ...obj };
  if (rest.length === 0) delete copy[head as string];
  else {
    const child = deleteAt(copy[head as string], rest);
    if (isObject(child) && Object.keys(child).length === 0) delete copy[head as string];
    else copy[head as string] = child;
  }
  return copy as T;
}

/** The region (or "base") whose overrides give the effective value at a path: the nearest one that sets it. */
export function sourceOf(layers: Layer[], path: Path): string {
  for (let i = layers.length - 1; i >= 0; i--) {
    if (getAt(layers[i].overrides, path) !== undefined) return layers[i].regionCode;
  }
  return 'base';
}

/** The effective policy from the base and a chain of layers. */
export const effectiveOf = (layers: Layer[]): RegionPolicy => mergePolicy<RegionPolicy>(BASE_POLICY, ...layers.map((l) => l.overrides));

export const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));
