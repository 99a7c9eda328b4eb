/**
 * Booking the quota ledger (两平衡一冻结, 000 二(三); Jiangmen's plan quota, 002 五(四)). One transaction per
 * booking: the county's balance row is locked, the amount is computed from what this case and patch still
 * have frozen, the entry is inserted under its unique key (a retry finds it and books nothing), and the
 * balance moves; CHECK constraints keep balances from going negative.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { loadEffectivePolicy } from '../db/policy-store';
import { quotaBalances, quotaLedger } from '../db/schema';
import { settlementRounds } from '../domain/deadlines';
import { planCoversPatch } from '../domain/policy';
import { cityOf } from '../domain/regions';
import type { OccupiedAreas } from '../domain/legality';
import { execution, orderedAt, writeAudit } from './audit';

export type QuotaAccount = 'farmland' | 'construction_plan';

export type QuotaBooking = {
  entryKey: string;
  /** The county of the case. */
  countyCode: string;
  /**
   * Whose account a freeze is booked on (default: the county). An unfreeze or deduction always goes to the
   * account its freeze was booked on.
   */
  regionCode?: string;
  account: QuotaAccount;
  caseNo: string;
  patchCode: string;
  reason: string;
  actorName: string;
} & (
  | { kind: 'freeze'; areaMu: number }
  /** Unfreeze what is still frozen, or up to a share of what was frozen (Jiangmen's rounds). */
  | { kind: 'unfreeze'; share?: number }
  /** Deduct what is still frozen. */
  | { kind: 'deduct' }
);

export interface BookedEntry {
  entryKey: string;
  kind: 'freeze' | 'unfreeze' | 'deduct';
  account: QuotaAccount;
  /** The account holder (county or city). */
  regionCode: string;
  areaMu: number;
  patchCode: string;
}

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** The audit action of a booking. */
export const QUOTA_ACTIONS = { freeze: 'quota.frozen', unfreeze: 'quota.unfrozen', deduct: 'quota.deducted' } as const;

export function createQuotaActivities(db: Db) {
  const activities = {
    async bookQuota(input: { entries: QuotaBooking[] }): Promise<BookedEntry[]> {
      const { workflowId, runId } = execution();
      const booked: BookedEntry[] = [];
      for (const e of input.entries) {
        await db.transaction(async (tx) => {
          const entryOf = (row: typeof quotaLedger.$inferSelect): BookedEntry => ({
            entryKey: e.entryKey,
            kind: row.kind as BookedEntry['kind'],
            account: e.account,
            regionCode: row.regionCode,
            areaMu: row.areaMu,
            patchCode: e.patchCode,
          });
          const [existing] = await tx.select().from(quotaLedger).where(eq(quotaLedger.entryKey, e.entryKey));
          if (existing) {
            booked.push(entryOf(existing));
            return;
          }
          // A release goes where its freeze went (the city's plan quota for Jiangmen's, 002; the county's before).
          const [frozenOn] =
            e.kind === 'freeze'
              ? []
              : await tx
                  .select({ regionCode: quotaLedger.regionCode })
                  .from(quotaLedger)
                  .where(
                    and(
                      eq(quotaLedger.caseNo, e.caseNo),
                      eq(quotaLedger.patchCode, e.patchCode),
                      eq(quotaLedger.account, e.account),
                      eq(quotaLedger.kind, 'freeze'),
                    ),
                  )
                  .limit(1);
          const holder = frozenOn?.regionCode ?? e.regionCode ?? e.countyCode;
          await tx.insert(quotaBalances).values({ regionCode: holder, account: e.account }).onConflictDoNothing();
          await tx.execute(
            sql`select 1 from ${quotaBalances} where ${quotaBalances.regionCode} = ${holder} and ${quotaBalances.account} = ${e.account} for update`,
          );
          // Again under the lock: a concurrent booking of the same key may have committed while this one waited.
          const [raced] = await tx.select().from(quotaLedger).where(eq(quotaLedger.entryKey, e.entryKey));
          if (raced) {
            booked.push(entryOf(raced));
            return;
          }
          const [held] = await tx
            .select({
              frozen: sql<number>`coalesce(sum(case when ${quotaLedger.kind} = 'freeze' then ${quotaLedger.areaMu} end), 0)::float8`,
              released: sql<number>`coalesce(sum(case when ${quotaLedger.kind} <> 'freeze' then ${quotaLedger.areaMu} end), 0)::float8`,
              unfrozen: sql<number>`coalesce(sum(case when ${quotaLedger.kind} = 'unfreeze' then ${quotaLedger.areaMu} end), 0)::float8`,
            })
            .from(quotaLedger)
            .where(and(eq(quotaLedger.caseNo, e.caseNo), eq(quotaLedger.patchCode, e.patchCode), eq(quotaLedger.account, e.account)));
          const remaining = round4(held.frozen - held.released);
          let area: number;
          if (e.kind === 'freeze') area = round4(e.areaMu);
          else if (e.kind === 'unfreeze' && e.share !== undefined) area = Math.min(remaining, round4(held.frozen * e.share - held.unfrozen));
          else area = remaining;
          if (!(area > 0)) return;
          const [row] = await tx
            .insert(quotaLedger)
            .values({
              entryKey: e.entryKey,
              countyCode: e.countyCode,
              regionCode: holder,
              account: e.account,
              kind: e.kind,
              areaMu: area,
              caseNo: e.caseNo,
              patchCode: e.patchCode,
              reason: e.reason,
              actorName: e.actorName,
              // The instant the workflow booked it (the report's period is read from it), not the write's.
              at: orderedAt(),
              workflowId,
              runId,
            })
            .onConflictDoNothing({ target: quotaLedger.entryKey })
            .returning();
          if (!row) {
            // A concurrent booking of the same key committed first: it is booked, once.
            const [other] = await tx.select().from(quotaLedger).where(eq(quotaLedger.entryKey, e.entryKey));
            if (other) booked.push(entryOf(other));
            return;
          }
          const change =
            e.kind === 'freeze'
              ? { frozenMu: sql`${quotaBalances.frozenMu} + ${area}` }
              : e.kind === 'unfreeze'
                ? { frozenMu: sql`${quotaBalances.frozenMu} - ${area}`, unfrozenMu: sql`${quotaBalances.unfrozenMu} + ${area}` }
                : { frozenMu: sql`${quotaBalances.frozenMu} - ${area}`, deductedMu: sql`${quotaBalances.deductedMu} + ${area}` };
          await tx
            .update(quotaBalances)
            .set({ ...change, updatedAt: new Date() })
            .where(and(eq(quotaBalances.regionCode, holder), eq(quotaBalances.account, e.account)));
          // The booking in the audit too (in its transaction, under the entry's key): the patch's and the case's timeline show it.
          await writeAudit(tx, {
            eventKey: `quota:${e.entryKey}`,
            actor: { userId: 0, displayName: e.actorName },
            action: QUOTA_ACTIONS[e.kind],
            patchCode: e.patchCode,
            caseNo: e.caseNo,
            after: { account: e.account, areaMu: area, holder, reason: e.reason, entryKey: e.entryKey },
            workflowId,
            runId,
          });
          booked.push(entryOf(row));
        });
      }
      return booked;
    },

    /**
     * The freeze at registration, by the region's policy: the farmland of non-agricultural construction in the
     * reserve (000 二(三)); with Jiangmen's variant, a share of the non-farmland area from the construction-land
     * plan quota, with the round dates at which it is settled (002 五(四)).
     */
    async freezeCaseQuota(input: {
      caseNo: string;
      countyCode: string;
      patches: Array<{ code: string; category: string; areas: OccupiedAreas; nonAgricultural: boolean; issuedAt: string; imagedAt?: string }>;
      /** The workflow's clock: rounds already past at registration are not settled (the last always is). */
      now?: number;
    }): Promise<{ booked: BookedEntry[]; planRounds?: string[] }> {
      const { policy } = await loadEffectivePolicy(db, input.countyCode);
      const entries: QuotaBooking[] = [];
      for (const p of input.patches) {
        if (policy.quota.freezeFarmland && p.nonAgricultural && p.areas.farmlandMu > 0) {
          entries.push({
            entryKey: `freeze:${input.caseNo}:${p.code}:farmland`,
            countyCode: input.countyCode,
            account: 'farmland',
            caseNo: input.caseNo,
            patchCode: p.code,
            reason: '违法占用耕地从事非农建设，先行冻结',
            actorName: '系统',
            kind: 'freeze',
            areaMu: p.areas.farmlandMu,
          });
        }
        const plan = policy.quota.constructionPlan;
        const nonFarmland = Math.max(0, p.areas.totalMu - p.areas.farmlandMu);
        // 冻结地市同等数量的新增建设用地计划指标 (002 五(四)): the city's plan quota, for the years the policy covers.
        if (plan && nonFarmland > 0 && planCoversPatch(plan, p)) {
          entries.push({
            entryKey: `freeze:${input.caseNo}:${p.code}:construction_plan`,
            countyCode: input.countyCode,
            regionCode: cityOf(input.countyCode),
            account: 'construction_plan',
            caseNo: input.caseNo,
            patchCode: p.code,
            reason: `按未整改违法用地面积的${Math.round(plan.share * 100)}%冻结地市新增建设用地计划指标`,
            actorName: '系统',
            kind: 'freeze',
            areaMu: round4(nonFarmland * plan.share),
          });
        }
      }
      const booked = await activities.bookQuota({ entries });
      const plan = policy.quota.constructionPlan;
      const anchor = input.patches[0];
      const planRounds =
        plan && anchor && booked.some((b) => b.account === 'construction_plan')
          ? settlementRounds(plan.rounds, { issuedAt: anchor.issuedAt, imagedAt: anchor.imagedAt, eventAt: anchor.issuedAt }, input.now ?? Date.now()).map(
              (d) => d.toISOString(),
            )
          : undefined;
      return { booked, planRounds };
    },
  };
  return activities;
}
