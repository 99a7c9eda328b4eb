/**
 * The quota ledger at the database level: entries are append-only (no UPDATE, DELETE or TRUNCATE), kinds
 * and accounts are the known ones, and the balances are the sums of the entries.
 */
import { randomBytes } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BookedEntry, createQuotaActivities, type QuotaBooking } from '../activities/quota';
import { connectDatabase, type Database } from '../db/client';
import { ledgerBalanceMismatches } from './support/fixtures';

let database: Database;
beforeAll(async () => {
  const name = `q_${randomBytes(6).toString('hex')}`;
  const admin = postgres(inject('pgServerUrl'), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}" template "${inject('templateDatabase')}"`);
  await admin.end();
  database = connectDatabase(inject('pgServerUrl').replace(/\/postgres$/, `/${name}`), { max: 6 });
});
afterAll(async () => {
  await database?.close();
});

const book = (entries: QuotaBooking[]) =>
  new MockActivityEnvironment().run(createQuotaActivities(database.db).bookQuota, { entries }) as Promise<BookedEntry[]>;
const entry = (over: Partial<QuotaBooking> & Pick<QuotaBooking, 'entryKey'>): QuotaBooking =>
  ({
    countyCode: '350583',
    account: 'farmland',
    caseNo: 'AJ3505832026T001',
    patchCode: 'P1',
    reason: 'test',
    actorName: '系统',
    kind: 'freeze',
    areaMu: 2,
    ...over,
  }) as QuotaBooking;

describe('quota_ledger is append-only', () => {
  it('rejects UPDATE, DELETE and TRUNCATE, and the entry stays as booked', async () => {
    await book([entry({ entryKey: 'freeze:AJ1:P1:farmland', caseNo: 'AJ1' })]);
    const sql = database.sql;
    await expect(sql`update quota_ledger set area_mu = 1 where entry_key = 'freeze:AJ1:P1:farmland'`).rejects.toThrow(/append-only/);
    await expect(sql`delete from quota_ledger where entry_key = 'freeze:AJ1:P1:farmland'`).rejects.toThrow(/append-only/);
    await expect(sql`truncate quota_ledger`).rejects.toThrow(/append-only/);
    const [row] = await sql`select area_mu::float8 as area from quota_ledger where entry_key = 'freeze:AJ1:P1:farmland'`;
    expect(row.area).toBe(2);
  });

  it('accepts only the known kinds and accounts', async () => {
    const insert = (kind: string, account: string) =>
      database.sql`insert into quota_ledger (entry_key, county_code, region_code, account, kind, area_mu, case_no, patch_code, actor_name)
        values (${`bad:${kind}:${account}`}, '350583', '350583', ${account}, ${kind}, 1, 'AJX', 'PX', 'tester')`;
    await expect(insert('refund', 'farmland')).rejects.toThrow(/quota_ledger_kind_valid/);
    await expect(insert('freeze', 'forest')).rejects.toThrow(/quota_ledger_account_valid/);
    await expect(database.sql`insert into quota_balances (region_code, account) values ('350583', 'forest')`).rejects.toThrow(/quota_balances_account_valid/);
    await insert('freeze', 'construction_plan');
    const [{ n }] = await database.sql`select count(*)::int as n from quota_ledger where entry_key like 'bad:%'`;
    expect(n).toBe(1);
  });
});

describe('balances', () => {
  it('equal the sums of the entries after freezes, a share unfrozen and the rest deducted', async () => {
    const c = 'AJ2';
    await book([
      entry({ entryKey: `freeze:${c}:P1:farmland`, caseNo: c, countyCode: '350502', areaMu: 4 }),
      entry({ entryKey: `freeze:${c}:P1:construction_plan`, caseNo: c, countyCode: '350502', account: 'construction_plan', areaMu: 3 }),
    ]);
    await book([
      entry({
        entryKey: `unfreeze:${c}:P1:construction_plan:round1`,
        caseNo: c,
        countyCode: '350502',
        account: 'construction_plan',
        kind: 'unfreeze',
        share: 0.5,
      }),
    ]);
    await book([entry({ entryKey: `deduct:${c}:P1:construction_plan:final`, caseNo: c, countyCode: '350502', account: 'construction_plan', kind: 'deduct' })]);
    await book([entry({ entryKey: `unfreeze:${c}:P1:farmland`, caseNo: c, countyCode: '350502', kind: 'unfreeze' })]);
    const rows = await database.sql`select account, kind, area_mu::float8 as area from quota_ledger where case_no = ${c} order by id`;
    expect(rows.map((r) => [r.account, r.kind, r.area])).toEqual([
      ['farmland', 'freeze', 4],
      ['construction_plan', 'freeze', 3],
      ['construction_plan', 'unfreeze', 1.5],
      ['construction_plan', 'deduct', 1.5],
      ['farmland', 'unfreeze', 4],
    ]);
    expect(await ledgerBalanceMismatches(database.sql, ['350502'])).toEqual([]);
  });
});

describe('account holders', () => {
  it("books a freeze on the holder's account (a city's plan quota) and its releases on the same account", async () => {
    const c = 'AJ4';
    await book([
      entry({ entryKey: `freeze:${c}:P1:construction_plan`, caseNo: c, countyCode: '440703', regionCode: '440700', account: 'construction_plan', areaMu: 2 }),
    ]);
    // The release names no holder: it follows its freeze.
    const released = await book([
      entry({
        entryKey: `unfreeze:${c}:P1:construction_plan:round1`,
        caseNo: c,
        countyCode: '440703',
        account: 'construction_plan',
        kind: 'unfreeze',
        share: 0.5,
      }),
    ]);
    expect(released.map((b) => [b.regionCode, b.areaMu])).toEqual([['440700', 1]]);
    const rows = await database.sql`select county_code, region_code, kind from quota_ledger where case_no = ${c} order by id`;
    expect(rows.map((r) => [r.county_code, r.region_code, r.kind])).toEqual([
      ['440703', '440700', 'freeze'],
      ['440703', '440700', 'unfreeze'],
    ]);
    const balances =
      await database.sql`select region_code, frozen_mu::float8 as frozen, unfrozen_mu::float8 as unfrozen from quota_balances where account = 'construction_plan' and region_code like '4407%'`;
    expect(balances.map((b) => ({ ...b }))).toEqual([{ region_code: '440700', frozen: 1, unfrozen: 1 }]);
    expect(await ledgerBalanceMismatches(database.sql, ['440700', '440703'])).toEqual([]);
  });
});

describe('concurrent bookings of one key', () => {
  it('book once: two freezes and then three unfreezes racing past the existence check', async () => {
    const c = 'AJ3';
    const county = '350504';
    const freeze = entry({ entryKey: `freeze:${c}:P1:farmland`, caseNo: c, countyCode: county, areaMu: 5 });
    const unfreeze = entry({ entryKey: `unfreeze:${c}:P1:farmland`, caseNo: c, countyCode: county, kind: 'unfreeze' });
    await database.sql`insert into quota_balances (region_code, account) values (${county}, 'farmland') on conflict do nothing`;
    /** Runs the bookings while the county's balance row is held, so that each has passed its existence check before any commits. */
    async function race(e: QuotaBooking, n: number) {
      const holder = await database.sql.reserve();
      try {
        await holder`begin`;
        await holder`select * from quota_balances where region_code = ${county} and account = 'farmland' for update`;
        const runs = Array.from({ length: n }, () => book([e]));
        for (;;) {
          const [{ waiting }] =
            await database.sql`select count(*)::int as waiting from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`;
          if (waiting >= n) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        await holder`commit`;
        return await Promise.all(runs);
      } finally {
        holder.release();
      }
    }
    const frozen = await race(freeze, 2);
    // Each caller learns the entry is booked …
    expect(frozen.map((r) => r.map((b) => [b.entryKey, b.areaMu]))).toEqual([[[freeze.entryKey, 5]], [[freeze.entryKey, 5]]]);
    const unfrozen = await race(unfreeze, 3);
    expect(unfrozen.every((r) => r.length === 1 && r[0].kind === 'unfreeze')).toBe(true);
    // … and it is in the ledger and the balance once.
    const rows = await database.sql`select kind, area_mu::float8 as area from quota_ledger where case_no = ${c} order by id`;
    expect(rows.map((r) => [r.kind, r.area])).toEqual([
      ['freeze', 5],
      ['unfreeze', 5],
    ]);
    const [b] =
      await database.sql`select frozen_mu::float8 as frozen, unfrozen_mu::float8 as unfrozen from quota_balances where region_code = ${county} and account = 'farmland'`;
    expect(b).toEqual({ frozen: 0, unfrozen: 5 });
    expect(await ledgerBalanceMismatches(database.sql, [county])).toEqual([]);
  });
});
