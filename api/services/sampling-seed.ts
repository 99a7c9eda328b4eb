/**
 * The sampling seed (review.sampleSeed) fixes the reproducible draw of a sampled review — Guangdong's
 * province "从合法用地、违法用地和其他用地图斑中各随机抽取30%" (002 三(一)). Whoever knows it can compute, before
 * filing, whether a patch will be drawn; so only administrators see it. The draw itself (value, share,
 * selected) stays on the patch and in the audit for everyone, and with the seed an administrator recomputes it.
 */
import type { Actor } from '../../domain/types';

export const maySeeSamplingSeed = (actor: Pick<Actor, 'role'>): boolean => actor.role === 'administrator';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A policy (or overrides) without review.sampleSeed. */
export function withoutSeed<T>(policy: T): T {
  if (!isObject(policy) || !isObject(policy.review) || !('sampleSeed' in policy.review)) return policy;
  const { sampleSeed: _hidden, ...review } = policy.review;
  return { ...policy, review } as T;
}

/** Recorded draws ({ city: {…, seed}, province: {…} }, or one draw) without their seed. */
export function drawsWithoutSeed<T>(draws: T): T {
  if (!isObject(draws)) return draws;
  if ('seed' in draws) {
    const { seed: _hidden, ...rest } = draws;
    return rest as T;
  }
  return Object.fromEntries(Object.entries(draws).map(([k, v]) => [k, isObject(v) && 'seed' in v ? drawsWithoutSeed(v) : v])) as T;
}
