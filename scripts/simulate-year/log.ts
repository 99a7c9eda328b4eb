/**
 * The simulation's own log: what the simulated users issued, filed and decided, and the tasks they were
 * given, with the simulated instant of each. The annual figures are recomputed from this alone
 * (recompute.ts), never from the project's statistics code.
 */
export type Legality = 'legal' | 'illegal' | 'other';
export type Level = 'county' | 'city' | 'province';

export type SimEvent =
  | { e: 'issued'; code: string; county: string; category: string; areaMu: number; issuedAt: number; batch: string }
  /** The county filed its verification at `at`; the task's due instant was `dueAt` then. */
  | { e: 'verified'; code: string; at: number; dueAt: number }
  /** A reviewer sent the county's determination back for correction (审核退回). */
  | { e: 'sent_back'; code: string; at: number }
  /** A determination that took effect: the county's, its correction, a direct determination, an on-site overturn. */
  | {
      e: 'determined';
      code: string;
      how: 'verification' | 'correction' | 'direct' | 'onsite';
      legality: Legality;
      totalMu: number;
      farmlandMu: number;
      level: Level;
    }
  /** A task first seen in a user's inbox, with the legality it was given to check (reviews, on-site checks). */
  | { e: 'task'; id: string; type: string; level: Level; code?: string; caseNo?: string; given?: Legality }
  | { e: 'case'; code: string; caseNo: string }
  | { e: 'path'; caseNo: string; path: string }
  /** The illegal state is gone: re-cultivation confirmed by the province, or legalised, or confiscated. */
  | { e: 'eliminated'; caseNo: string; at: number; path: string; farmlandMu: number }
  | { e: 'registered'; caseNo: string; at: number }
  | { e: 'open_at_end'; id: string; type: string; code?: string; dueAt: number };

export class SimLog {
  readonly events: SimEvent[] = [];
  add(event: SimEvent) {
    this.events.push(event);
  }
  of<K extends SimEvent['e']>(kind: K): Array<Extract<SimEvent, { e: K }>> {
    return this.events.filter((x): x is Extract<SimEvent, { e: K }> => x.e === kind);
  }
}
