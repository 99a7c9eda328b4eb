/**
 * The statistics' rollup (db/tables/statistics-rollup.ts, kept by triggers on patches): after any sequence of
 * inserts, updates and deletes — one at a time or many at once, from concurrent writers — the figures read
 * from it equal those computed from every patch row (api/services/statistics.ts aggregatesSql, the rollup's
 * specification), for every region, period, source, rectification cut-off and reader (with or without the
 * classified-handling permission), and a change is in the figures as soon as it is committed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregates, monthlyQuality, type StatisticsQuery } from '../api/services/statistics';
import type { Database } from '../db/client';
import { statisticsRollupSql } from '../db/statistics-rollup';
import { STATISTICS_ROLLUP_COLUMNS } from '../db/tables/statistics-rollup';
import { startOfLocalDay } from '../domain/deadlines';
import { NATIONAL_CODE } from '../domain/regions';
import { freshDatabase } from './support/system';

let database: Database;
let counties: string[];

const day = (year: number, month: number, d: number) => startOfLocalDay({ year, month, day: d });
// Instants around the local-day and period boundaries (Asia/Shanghai midnight is 16:00 UTC).
const INSTANTS = ['2025-12-31T15:59:59.999Z', '2025-12-31T16:00:00Z', '2026-01-15T03:00:00Z', '2026-02-28T20:00:00Z', '2026-06-30T16:00:00Z'];
const CASES: Array<[string, string | null]> = [
  ['C-EARLY', '2026-03-01T00:00:00Z'],
  ['C-LATE', '2027-02-01T00:00:00Z'],
  ['C-OPEN', null],
];

beforeAll(async () => {
  database = await freshDatabase(8);
  const rows = await database.sql`
    (select code from regions where level = 'county' and code like '64%' order by code limit 3)
    union all (select code from regions where level = 'county' and code like '35%' order by code limit 1)`;
  counties = rows.map((r) => String(r.code));
  await database.sql`insert into batches (code, name, source, kind, issued_at, t10_late) values ('RB-LATE', 'RB-LATE', 'ministry', 'monthly', now(), true), ('RB-ON', 'RB-ON', 'ministry', 'monthly', now(), false)`;
  for (const [caseNo, eliminatedAt] of CASES)
    await database.sql`insert into cases (case_no, county_code, city_code, province_code, year, status, eliminated, eliminated_at)
      values (${caseNo}, ${counties[0]}, ${counties[0].slice(0, 4) + '00'}, '640000', 2026, 'struck_off', ${eliminatedAt !== null}, ${eliminatedAt})`;
});
afterAll(async () => {
  await database?.close();
});

/** A patch row's columns the statistics read, drawn at random (the generated columns follow from them). */
const patchArb = fc.record({
  county: fc.nat(3),
  issuedAt: fc.constantFrom(...INSTANTS),
  batchCode: fc.constantFrom(null, 'RB-LATE', 'RB-ON'),
  source: fc.constantFrom('ministry', 'province'),
  military: fc.boolean(),
  parentCode: fc.constantFrom(null, 'PARENT'),
  mergedFrom: fc.constantFrom(null, ['SOURCE-1', 'SOURCE-2']),
  stage: fc.constantFrom('verification', 'review', 'split', 'merged', 'case', 'closed'),
  legality: fc.constantFrom(null, 'legal', 'illegal', 'other'),
  totalMu: fc.constantFrom(null, 0.1, 2.35, 7),
  farmlandMu: fc.constantFrom(null, 0.2, 1.15),
  subType: fc.constantFrom(null, 'facility_agriculture', 'occupied_without_approval'),
  major: fc.boolean(),
  mineral: fc.constantFrom(null, 'illegal_mining', 'beyond_boundary', 'none'),
  direct: fc.boolean(),
  concealed: fc.boolean(),
  overdue: fc.boolean(),
  onTime: fc.constantFrom(null, true, false),
  sendBacks: fc.constantFrom(0, 2),
  provinceDraw: fc.constantFrom(null, 'legal', 'illegal'),
  cityDraw: fc.boolean(),
  onsite: fc.constantFrom(null, 'province-overturned', 'city'),
  caseNo: fc.constantFrom(null, ...CASES.map(([c]) => c)),
  rectified: fc.boolean(),
  path: fc.constantFrom(null, 'legalise', 'demolish_recultivate'),
  mineralCase: fc.boolean(),
});
type PatchFields = typeof patchArb extends fc.Arbitrary<infer T> ? T : never;

function columns(p: PatchFields) {
  const determination =
    p.legality === null
      ? null
      : {
          legality: p.legality,
          subType: p.subType,
          majorInfrastructure: p.major,
          areas: { ...(p.totalMu !== null ? { totalMu: p.totalMu } : {}), ...(p.farmlandMu !== null ? { farmlandMu: p.farmlandMu } : {}) },
          ...(p.mineral ? { mineral: { finding: p.mineral, present: p.mineral !== 'none' } } : {}),
        };
  const county = counties[p.county];
  return {
    county_code: county,
    city_code: `${county.slice(0, 4)}00`,
    province_code: `${county.slice(0, 2)}0000`,
    issued_at: p.issuedAt,
    batch_code: p.batchCode,
    source: p.source,
    military: p.military,
    parent_code: p.parentCode,
    merged_from: p.mergedFrom && JSON.stringify(p.mergedFrom),
    stage: p.stage,
    legality: p.legality,
    determination: determination && JSON.stringify(determination),
    direct_determination: p.direct,
    concealed: p.concealed,
    overdue: p.overdue,
    verification_on_time: p.onTime,
    send_back_count: p.sendBacks,
    review_draws: JSON.stringify({ ...(p.provinceDraw ? { province: { selected: true, legality: p.provinceDraw } } : {}), city: { selected: p.cityDraw } }),
    onsite_checks:
      p.onsite === null
        ? null
        : JSON.stringify([
            p.onsite === 'city' ? { level: 'city', result: 'confirmed' } : { level: 'province', result: 'overturned', from: 'legal', to: 'illegal' },
          ]),
    case_no: p.caseNo,
    rectified: p.rectified,
    rectification_path: p.path,
    mineral_case_no: p.mineralCase ? 'KC-1' : null,
  };
}

let serial = 0;
async function insertPatches(sql: Database['sql'], ps: PatchFields[], lineage: { parent_code?: string; merged_from?: string } = {}) {
  const rows = ps.map((p) => ({ code: `R${++serial}`, category: 'other_change', batch_kind: 'monthly', area_mu: 3.5, ...columns(p), ...lineage }));
  if (rows.length) await sql`insert into patches ${sql(rows as never)}`;
}

/** The patch rows a 拆分 or a 合并 leaves (docs/domain.md §13): the parent or sources closed without a determination. */
const LINEAGE_CLOSED = { legality: null, determination: null, rectified: false, rectification_path: null, verification_on_time: null };

const commandArb = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), patches: fc.array(patchArb, { minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), patch: patchArb }),
  // One statement over many rows, some of whose keys change.
  fc.record({ kind: fc.constant('update-many' as const), county: fc.nat(3), to: fc.nat(3) }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  // 拆分: a patch becomes a split parent (stage split), its children carry parent_code.
  fc.record({ kind: fc.constant('split' as const), pick: fc.nat(), children: fc.array(patchArb, { minLength: 1, maxLength: 3 }) }),
  // 合并: sources close as merged (被合并), the merged patch carries merged_from.
  fc.record({ kind: fc.constant('merge' as const), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), merged: patchArb }),
);
type Command = typeof commandArb extends fc.Arbitrary<infer T> ? T : never;

async function run(sql: Database['sql'], c: Command) {
  const codes = async () => (await sql`select code from patches order by code`).map((r) => String(r.code));
  if (c.kind === 'insert') await insertPatches(sql, c.patches);
  else if (c.kind === 'split' || c.kind === 'merge') {
    const all = await codes();
    if (!all.length) return;
    if (c.kind === 'split') {
      const parent = all[c.pick % all.length];
      await sql`update patches set ${sql({ ...LINEAGE_CLOSED, stage: 'split', parent_code: null, merged_from: null } as never)} where code = ${parent}`;
      await insertPatches(
        sql,
        c.children.map((child) => ({ ...child, parentCode: null, mergedFrom: null })),
        { parent_code: parent },
      );
    } else {
      const sources = [...new Set(c.picks.map((i) => all[i % all.length]))];
      const merged = `R${serial + 1}`;
      await insertPatches(sql, [{ ...c.merged, parentCode: null, mergedFrom: null }], { merged_from: JSON.stringify(sources) });
      await sql`update patches set ${sql({ ...LINEAGE_CLOSED, stage: 'merged', merged_into: merged } as never)} where code in ${sql(sources)}`;
    }
  } else if (c.kind === 'update' || c.kind === 'delete') {
    const all = await codes();
    if (!all.length) return;
    const code = all[c.pick % all.length];
    if (c.kind === 'delete') await sql`delete from patches where code = ${code}`;
    else await sql`update patches set ${sql(columns(c.patch) as never)}, updated_at = now() where code = ${code}`;
  } else
    await sql`update patches set county_code = ${counties[c.to]}, overdue = not overdue, rectified = not rectified,
      verification_on_time = case when verification_on_time is null then true else null end where county_code = ${counties[c.county]}`;
}

const round = (v: unknown): unknown =>
  typeof v === 'number'
    ? Math.round(v * 1e6) / 1e6 + 0
    : v instanceof Map
      ? round(Object.fromEntries([...v.entries()].sort()))
      : Array.isArray(v)
        ? v.map(round)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round(x)]))
          : v;

const QUERIES: StatisticsQuery[] = [];
for (const regionCode of ['640000', NATIONAL_CODE, '350000'])
  for (const includeMilitary of [false, true])
    for (const rectifiedBy of [undefined, new Date('2026-06-01T00:00:00Z')])
      QUERIES.push({ regionCode, from: day(2026, 1, 1), to: day(2027, 1, 1), includeMilitary, rectifiedBy });
QUERIES.push({ regionCode: NATIONAL_CODE, from: day(2025, 12, 1), to: day(2026, 3, 1), source: 'province' });
QUERIES.push({ regionCode: NATIONAL_CODE, from: day(2025, 12, 1), to: day(2027, 1, 1), includeMilitary: true });

/** Every query, read from the rollup and from the patch rows: the same figures. */
async function expectRollupEqualsRows() {
  for (const q of QUERIES) {
    const [fromRollup, fromRows] = await Promise.all([aggregates(database.db, q, 'rollup'), aggregates(database.db, q, 'patches')]);
    expect(round(fromRollup), JSON.stringify(q)).toEqual(round(fromRows));
    const [qualityRollup, qualityRows] = await Promise.all([monthlyQuality(database.db, q, 'rollup'), monthlyQuality(database.db, q, 'patches')]);
    expect(round(qualityRollup), JSON.stringify(q)).toEqual(round(qualityRows));
  }
}

/** Once every patch is deleted (one statement over all rows), every counter of the rollup is back to zero. */
async function expectRollupZeroWithoutPatches() {
  await database.sql`delete from patches`;
  const rows = await database.sql`select * from patch_statistics_rollup`;
  expect(rows.filter((r) => STATISTICS_ROLLUP_COLUMNS.some((c) => Number(r[c.name]) !== 0))).toEqual([]);
}

describe("the statistics' rollup", () => {
  it('is created by the migration the generator describes', () => {
    const migration = readFileSync(path.join(__dirname, '../migrations/0030_statistics_rollup.sql'), 'utf8');
    expect(migration).toContain(statisticsRollupSql());
  });

  it('equals the figures computed from every patch row after any sequence of writes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 12 }), async (commands) => {
        // A clean slate (the truncate trigger empties the rollup): a failing run leaves nothing to the next.
        await database.sql`truncate patches cascade`;
        for (const c of commands) await run(database.sql, c);
        await expectRollupEqualsRows();
        await expectRollupZeroWithoutPatches();
      }),
      { numRuns: 40 },
    );
  }, 600_000);

  it('loses no count under concurrent writers (the same keys, many connections at once)', async () => {
    await database.sql`truncate patches cascade`;
    expect((await database.sql`select count(*)::int as n from patch_statistics_rollup`)[0].n).toBe(0);
    const samples = fc.sample(fc.array(commandArb, { minLength: 10, maxLength: 10 }), { numRuns: 8, seed: 16 });
    await Promise.all(
      samples.map((commands) =>
        (async () => {
          for (const c of commands) {
            // Retry what PostgreSQL itself refuses (a deadlock between two writers' own row orders): never a lost count.
            for (let attempt = 0; ; attempt++) {
              try {
                await database.sql.begin((tx) => run(tx as unknown as Database['sql'], c));
                break;
              } catch (err) {
                if ((err as { code?: string }).code !== '40P01' || attempt > 5) throw err;
              }
            }
          }
        })(),
      ),
    );
    expect((await database.sql`select count(*)::int as n from patches`)[0].n).toBeGreaterThan(0);
    await expectRollupEqualsRows();
  }, 600_000);

  it('shows a change at once, and a military patch only to a reader allowed to see it (issued and military, nothing else)', async () => {
    await database.sql`delete from patches`;
    const q: StatisticsQuery = { regionCode: '640000', from: day(2026, 1, 1), to: day(2027, 1, 1) };
    const base: PatchFields = fc.sample(patchArb, { numRuns: 1, seed: 1 })[0];
    await insertPatches(database.sql, [
      { ...base, county: 0, issuedAt: INSTANTS[2], military: false, parentCode: null, mergedFrom: null, legality: 'illegal', totalMu: 7 },
    ]);
    expect((await aggregates(database.db, q)).all).toMatchObject({ issued: 1, illegal: { count: 1, areaMu: 7 } });
    await database.sql`update patches set determination = jsonb_set(determination, '{areas,totalMu}', '2.35')`;
    expect((await aggregates(database.db, q)).all.illegal.areaMu).toBe(2.35);

    await insertPatches(database.sql, [
      { ...base, county: 0, issuedAt: INSTANTS[2], military: true, parentCode: null, mergedFrom: null, legality: 'illegal', onTime: true },
    ]);
    const hidden = await aggregates(database.db, q);
    const shown = await aggregates(database.db, { ...q, includeMilitary: true });
    expect(hidden.all).toMatchObject({ issued: 1, military: 0, illegal: { count: 1 } });
    expect(shown.all).toMatchObject({ issued: 2, military: 1, illegal: { count: 1 } });
    expect((await monthlyQuality(database.db, q)).reduce((s, m) => s + m.issued, 0)).toBe(1);
  });
});
