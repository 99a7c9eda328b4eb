/**
 * The inbox and the statistics with a million patches and their tasks in PostgreSQL.
 *
 *   npm run bench:queries -- [--patches 1000000] [--runs 30]
 *
 * Starts its own embedded PostgreSQL and an in-memory Temporal dev server, migrates, loads the demo
 * regions, generates the patches (spread over every demo county and the last year, in every stage),
 * their verification and review tasks and the cases of the illegal ones, directly in SQL. Then it times
 * the real API over HTTP — a county officer's inbox, a province supervisor's inbox, the statistics of a
 * county and of a province (also with the rectification cut-off of a report), a province's annual report —
 * and prints p50/p95 and the plans of the statistics query.
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { buildApp } from '../api/app';
import { aggregatesSql, rollupAggregatesSql } from '../api/services/statistics';
import type { Database } from '../db/client';
import { startBenchSystem } from './support';
import { startOfLocalDay, localDateOf } from '../domain/deadlines';

const { values } = parseArgs({ options: { patches: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '30' } } });
const N = Number(values.patches);
const RUNS = Number(values.runs);

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function generate(db: Database) {
  const t0 = performance.now();
  await db.sql.unsafe(`
    create temporary table counties as select code, (row_number() over (order by code)) - 1 as idx from regions where level = 'county';
    -- A batch per day and source; every seventh day's issued later than T+10.
    insert into batches (code, name, source, kind, imaged_at, issued_at, t10_late_days, t10_late)
    select 'BENCH-' || d || '-' || src, 'BENCH-' || d || '-' || src, src, 'monthly',
           now() - d * interval '1 day' - interval '12 days', now() - d * interval '1 day',
           case when d % 7 = 0 then 2 else 0 end, d % 7 = 0
    from generate_series(0, 364) d cross join (values ('ministry'), ('province')) v(src);
    insert into patches (code, batch_code, county_code, city_code, province_code, category, source, batch_kind, area_mu, farmland_mu, military,
                         issued_at, imaged_at, workflow_id, stage, legality, determination, direct_determination, concealed,
                         county_legality, overdue, due_at, review_draws, onsite_checks, verification_on_time, rectified, rectification_path, case_no)
    select 'B' || lpad(g::text, 8, '0'), 'BENCH-' || (g % 365) || '-' || case when g % 10 = 0 then 'province' else 'ministry' end,
           c.code, substr(c.code, 1, 4) || '00', substr(c.code, 1, 2) || '0000',
           (array['new_non_agricultural_construction','other_new_construction','other_change','continuous_change',
                  'facility_agriculture','agricultural_project_illegal','unchanged_occupying_farmland','mineral'])[1 + g % 8],
           case when g % 10 = 0 then 'province' else 'ministry' end, 'monthly',
           a.area, a.farmland, g % 997 = 0,
           now() - (g % 365) * interval '1 day' - (g % 24) * interval '1 hour',
           now() - (g % 365) * interval '1 day' - interval '8 days' - (g % 5) * interval '1 day',
           'B' || lpad(g::text, 8, '0'),
           s.stage, s.legality,
           case when s.legality is null then null else jsonb_build_object(
             'legality', s.legality, 'subType', case s.legality when 'legal' then 'approved_construction' when 'illegal' then 'occupied_without_approval' else 'unchanged' end,
             'areas', jsonb_build_object('totalMu', a.area, 'farmlandMu', a.farmland, 'basicFarmlandMu', 0, 'redLineMu', 0),
             'approvals', '[]'::jsonb, 'evidence', '[]'::jsonb) end,
           g % 53 = 0, coalesce(s.legality = 'illegal' and g % 9 = 0, false), case when s.legality = 'illegal' and g % 9 = 0 then 'legal' else s.legality end,
           s.stage = 'verification' and g % 3 = 0,
           now() - (g % 365) * interval '1 day' + interval '30 days',
           case when s.stage <> 'verification' then jsonb_build_object('province', jsonb_build_object('selected', g % 3 = 0)) end,
           case when s.legality = 'illegal' and g % 11 = 0 then '[{"level": "province", "result": "confirmed"}]'::jsonb end,
           case when s.stage = 'verification' then null else g % 7 <> 0 end,
           coalesce(s.legality = 'illegal' and g % 20 in (3, 13), false),
           case when s.legality = 'illegal' and g % 20 in (3, 13) then 'demolish_recultivate' end,
           case when s.stage = 'case' then 'AJB' || lpad(g::text, 8, '0') end
    from generate_series(1, ${N}) g
    join counties c on c.idx = g % (select count(*) from counties)
    cross join lateral (select round((1 + (g % 97) / 4.0)::numeric, 2)::float8 as area) a0
    cross join lateral (select a0.area as area, case when g % 4 = 0 then round((a0.area * 0.6)::numeric, 2)::float8 else 0 end as farmland) a
    cross join lateral (
      select case when g % 10 < 2 then 'verification' when g % 10 = 2 then 'review' when g % 10 = 3 then 'case' else 'closed' end as stage,
             case when g % 10 < 2 then null when g % 10 = 3 then 'illegal' when g % 10 < 7 then 'legal' else 'other' end as legality
    ) s;
    insert into tasks (id, workflow_id, patch_code, type, region_code, role, status, restricted, event_at, due_at, overdue, opened_at, closed_at, closed_by_name)
    select p.code || ':1', p.code, p.code, 'verification', p.county_code, 'officer',
           case when p.stage = 'verification' then 'open' else 'completed' end, p.military,
           p.issued_at, p.issued_at + interval '30 days', p.overdue, p.issued_at,
           case when p.stage = 'verification' then null else p.issued_at + (random() * 40) * interval '1 day' end,
           case when p.stage = 'verification' then null else '核查员' end
    from patches p where p.code like 'B%';
    insert into tasks (id, workflow_id, patch_code, type, region_code, role, level, status, event_at, due_at, opened_at)
    select p.code || ':2', p.code, p.code, 'review', p.province_code, 'reviewer', 'province', 'open',
           p.issued_at + interval '10 days', p.issued_at + interval '40 days', p.issued_at + interval '10 days'
    from patches p where p.code like 'B%' and p.stage = 'review';
    insert into cases (case_no, county_code, city_code, province_code, primary_patch_code, year, status, workflow_id, illegal_mu, illegal_farmland_mu, eliminated, eliminated_at, path, opened_at)
    select 'AJ' || p.code, p.county_code, p.city_code, p.province_code, p.code, extract(year from p.issued_at)::int,
           case when p.rectified then 'struck_off' else 'rectification' end, 'AJ' || p.code, p.area_mu, p.farmland_mu,
           p.rectified, case when p.rectified then p.issued_at + interval '45 days' end, p.rectification_path, p.issued_at + interval '20 days'
    from patches p where p.code like 'B%' and p.stage = 'case';
    insert into case_patches (case_no, patch_code) select 'AJ' || p.code, p.code from patches p where p.code like 'B%' and p.stage = 'case';
  `);
  // What autovacuum does in a running system: statistics, and the visibility map that index-only scans need.
  await db.sql.unsafe('vacuum analyze');
  const [{ patches, tasks, rollup }] =
    await db.sql`select (select count(*) from patches)::int as patches, (select count(*) from tasks)::int as tasks, (select count(*) from patch_statistics_rollup)::int as rollup`;
  console.log(
    `generated ${patches} patches and ${tasks} tasks in ${((performance.now() - t0) / 1000).toFixed(1)} s (the statistics' rollup, kept by the triggers: ${rollup} rows)`,
  );
}

async function main() {
  // No worker: these requests read PostgreSQL only.
  const sys = await startBenchSystem({ memory: true, worker: false });
  const { database } = sys;
  try {
    await generate(database);
    const app = await buildApp({ database, temporal: sys.temporal, taskQueue: sys.taskQueue, namespace: 'default', uiDir: '/nonexistent' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api`;
    const login = async (username: string) =>
      (
        (await (
          await fetch(`${base}/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username, password: 'wpzf2026' }),
          })
        ).json()) as { token: string }
      ).token;
    const time = async (label: string, token: string, url: string, json = true) => {
      const samples: number[] = [];
      let rows = 0;
      for (let i = 0; i < RUNS + 3; i++) {
        const t = performance.now();
        const res = await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${token}` } });
        const body = json ? await res.json() : await res.arrayBuffer();
        if (!res.ok) throw new Error(`${label}: ${res.status} ${JSON.stringify(body)}`);
        if (i >= 3) samples.push(performance.now() - t);
        rows = Array.isArray(body) ? Number(res.headers.get('content-range')?.split('/')[1]) : 0;
      }
      const p95 = percentile(samples, 95);
      baseline ??= p95;
      console.log(
        `${label.padEnd(44)} p50 ${percentile(samples, 50).toFixed(1).padStart(7)} ms   p95 ${p95.toFixed(1).padStart(7)} ms   ${(p95 / baseline).toFixed(1).padStart(6)}× baseline${rows ? `   (${rows} rows match)` : ''}`,
      );
    };
    // The baseline, measured in the same run: one patch by its primary key through the same API.
    let baseline: number | undefined;
    const inbox = `/tasks?${new URLSearchParams({ filter: JSON.stringify({ status: 'open' }), sort: JSON.stringify(['dueAt', 'ASC']), range: JSON.stringify([0, 24]) })}`;
    const year = localDateOf(Date.now()).year;
    console.log(`\n${N} patches; each figure over ${RUNS} requests through the API (HTTP, auth, zod, SQL, JSON)`);
    const [{ code }] = await database.sql`select code from patches where county_code like '64%' and not military order by code limit 1`;
    await time('baseline: one patch by its code (primary key)', await login('nx.supervisor'), `/patches/${code}`);
    await time('inbox: county officer (兴庆区), open tasks', await login('xq.officer'), inbox);
    await time('inbox: province supervisor (宁夏), open tasks', await login('nx.supervisor'), inbox);
    await time('statistics: county (兴庆区), this year', await login('xq.supervisor'), `/statistics?regionCode=640104&from=${year}-01-01`);
    await time(
      'statistics: province (宁夏), last 12 months',
      await login('nx.supervisor'),
      `/statistics?regionCode=640000&from=${year - 1}-${String(localDateOf(Date.now()).month).padStart(2, '0')}-01`,
    );
    await time(
      'statistics: province (宁夏), year, rectified by cut-off',
      await login('nx.supervisor'),
      `/statistics?regionCode=640000&from=${year}-01-01&to=${year + 1}-01-01&rectifiedBy=${year + 1}-01-15`,
    );
    // The report is streamed: the API process's memory stays flat however many rows it holds.
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
    await time('report: province (宁夏), annual XLSX', await login('nx.supervisor'), `/reports/annual?regionCode=640000&year=${year}`, false);
    clearInterval(sampler);
    const [{ illegal }] =
      await database.sql`select count(*)::int as illegal from patches where legality = 'illegal' and county_code like '64%' and not military`;
    console.log(
      `  (${illegal} illegal patches in the province over all years; RSS of the bench process ${(rssBefore / 2 ** 20).toFixed(0)} MB before, peak ${(rssPeak / 2 ** 20).toFixed(0)} MB while the reports were written)`,
    );

    // The province supervisor's inbox as GET /tasks asks for it (api/routes/tasks.ts: region prefix, not
    // restricted, open, due order; the page's ids first, then the count).
    const inboxWhere = `region_code >= '64' and region_code < '65' and restricted = false and status in ('open')`;
    for (const [title, query] of [
      ['province inbox, the page', `select id from tasks where ${inboxWhere} order by due_at asc, id asc limit 25`],
      ['province inbox, the count', `select count(*) from tasks where ${inboxWhere}`],
    ] as const) {
      const plan = await database.sql.unsafe(`explain (analyze, buffers, costs off) ${query}`);
      console.log(`\nplan of the ${title}:`);
      for (const row of plan as unknown as Array<Record<string, string>>) console.log(`  ${row['QUERY PLAN']}`);
    }

    const period = {
      regionCode: '640000',
      from: startOfLocalDay({ year: year - 1, month: 1, day: 1 }),
      to: startOfLocalDay({ year: year + 1, month: 1, day: 1 }),
    };
    for (const [title, q] of [
      ['province, two years', period],
      [
        'province, two years, rectification as of a cut-off (the cases joined)',
        { ...period, rectifiedBy: startOfLocalDay({ year: year + 1, month: 1, day: 16 }) },
      ],
    ] as const) {
      for (const [how, query] of [
        ['from the rollup, as the API reads it', rollupAggregatesSql(q)],
        ['from every patch row, for comparison', aggregatesSql(q)],
      ] as const) {
        const plan = await database.db.execute(sql`explain (analyze, buffers, costs off) ${query}`);
        console.log(`\nplan of the statistics query (${title}; ${how}):`);
        for (const row of plan as unknown as Array<Record<string, string>>) console.log(`  ${row['QUERY PLAN']}`);
      }
    }
    await app.close();
  } finally {
    await sys.stop();
  }
}

await main();
