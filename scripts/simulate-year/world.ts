/**
 * What the simulated users remember between steps: the patches they were issued (with the areas a field
 * survey would find), the cases, and each task's plan (when to act, and how), drawn once from the seed.
 */
import type { Legality } from './log';

export interface PatchFacts {
  code: string;
  county: string;
  category: string;
  areaMu: number;
  /** What a survey finds: the farmland of the patch, and whether it is truly illegal. */
  farmlandMu: number;
  truth: Legality;
  /** The legality the county reports first (it may conceal: report legal or other for an illegal patch). */
  reported: Legality;
  /** Levels that already sent it back once (a reviewer sends a patch back at most once). */
  sentBack: Set<string>;
}

export interface CaseFacts {
  caseNo: string;
  code: string;
  path?: string;
  /** Acceptances already rejected once (each level rejects at most once). */
  rejected: Set<string>;
}

export interface Plan {
  actAt: number;
  /** For a verification: how the county files it. */
  timing?: 'on_time' | 'late' | 'extension';
  extensionAsked?: boolean;
}

export class World {
  patches = new Map<string, PatchFacts>();
  cases = new Map<string, CaseFacts>();
  plans = new Map<string, Plan>();
  /** The legality each patch has now, as the simulation filed it. */
  legality = new Map<string, Legality>();
  /** Task ids seen, so that each is logged once. */
  seen = new Set<string>();
}
