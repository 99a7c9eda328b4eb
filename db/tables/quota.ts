/**
 * The quota ledger (补充耕地指标储备库, and Jiangmen's construction-land plan quota): append-only entries
 * per county with running balances. Every entry names its case and patch; its key makes a retried booking
 * a no-op; the balance columns cannot go below zero.
 */
import { sql } from 'drizzle-orm';
import { bigserial, check, index, numeric, pgTable, primaryKey, text, timestamp, varchar } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const mu = (name: string) => numeric(name, { precision: 14, scale: 4, mode: 'number' });

export const quotaLedger = pgTable(
  'quota_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    entryKey: text('entry_key').notNull().unique(),
    /** The county of the case the entry is booked for. */
    countyCode: varchar('county_code', { length: 6 }).notNull(),
    /** Whose quota account it is: the county's reserve (farmland), the city's plan quota (construction_plan, 002 冻结地市…指标). */
    regionCode: varchar('region_code', { length: 6 }).notNull(),
    /** farmland (补充耕地指标) | construction_plan (新增建设用地计划指标, Jiangmen) */
    account: text('account').notNull(),
    kind: text('kind').notNull(), // freeze | unfreeze | deduct
    areaMu: mu('area_mu').notNull(),
    caseNo: text('case_no').notNull(),
    patchCode: text('patch_code').notNull(),
    reason: text('reason'),
    actorName: text('actor_name').notNull(),
    workflowId: text('workflow_id'),
    runId: text('run_id'),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [
    index('quota_ledger_county_idx').on(t.countyCode, t.at),
    index('quota_ledger_region_idx').on(t.regionCode, t.account),
    index('quota_ledger_case_idx').on(t.caseNo),
    check('quota_ledger_area_positive', sql`${t.areaMu} > 0`),
    check('quota_ledger_kind_valid', sql`${t.kind} in ('freeze', 'unfreeze', 'deduct')`),
    check('quota_ledger_account_valid', sql`${t.account} in ('farmland', 'construction_plan')`),
  ],
);

export const quotaBalances = pgTable(
  'quota_balances',
  {
    /** The holder of the account: a county (farmland reserve) or a city (Jiangmen's construction-land plan quota). */
    regionCode: varchar('region_code', { length: 6 }).notNull(),
    account: text('account').notNull(),
    frozenMu: mu('frozen_mu').notNull().default(0),
    unfrozenMu: mu('unfrozen_mu').notNull().default(0),
    deductedMu: mu('deducted_mu').notNull().default(0),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.regionCode, t.account] }),
    check('quota_balances_account_valid', sql`${t.account} in ('farmland', 'construction_plan')`),
    check('quota_balances_frozen_nonnegative', sql`${t.frozenMu} >= 0`),
    check('quota_balances_unfrozen_nonnegative', sql`${t.unfrozenMu} >= 0`),
    check('quota_balances_deducted_nonnegative', sql`${t.deductedMu} >= 0`),
  ],
);
