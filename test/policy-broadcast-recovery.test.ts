/**
 * Saving a policy version and starting its fan-out are two steps: if the API stops between them, the
 * version's fan-out is started by the API's sweep (the newest version of each region without one), under
 * the workflow id fixed by the version, so a repeated start starts nothing. A preset corrected in the code
 * reaches, through the demo seed and the same sweep, the regions no administrator has changed since.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savePolicyVersion } from '../db/policy-store';
import { resumePendingBroadcasts, startPolicyBroadcast } from '../api/services/policy-broadcasts';
import { seedReferenceData } from '../scripts/demo/seed';
import { snapshotQuery } from '../workflows/messages';
import { issueAndWaitForTask } from './support/fixtures';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const deps = () => ({ db: sys.database.db, temporal: sys.temporal, taskQueue: sys.taskQueue });
const broadcastOf = async (id: number) =>
  (await sys.sql`select broadcast_workflow_id from region_policies where id = ${id}`)[0].broadcast_workflow_id as string | null;

describe('a version saved without its fan-out (the API stopped in between)', () => {
  it('is fanned out by the sweep, once, and reaches the running workflows', async () => {
    const issuedAt = new Date().toISOString();
    const { code } = await issueAndWaitForTask(sys, { countyCode: '350583', issuedAt });
    const handle = sys.temporal.workflow.getHandle(code);
    // What PUT /regions/350583/policy did before it stopped: the version is saved, nothing started.
    const row = await savePolicyVersion(sys.database.db, {
      regionCode: '350583',
      overrides: { deadlines: { verification: { default: { kind: 'daysAfter', days: 30, from: 'issuance' } } } },
      note: '中断的修改',
    });
    expect(await broadcastOf(row.id)).toBeNull();

    const started = await resumePendingBroadcasts(deps());
    expect(started).toContain(`policy-350583-${row.id}`);
    expect(await broadcastOf(row.id)).toBe(`policy-350583-${row.id}`);
    const moved = await eventually(async () => {
      const s = await handle.query(snapshotQuery);
      return s.policyVersion === row.id ? s : undefined;
    }, 30_000);
    expect(Date.parse(moved.openTasks[0].dueAt) - Date.parse(issuedAt)).toBeGreaterThan(29 * 24 * 3600_000);

    // Again: nothing is pending; starting the same version again starts nothing new.
    expect(await resumePendingBroadcasts(deps())).toEqual([]);
    expect(await startPolicyBroadcast(deps(), row)).toBe(`policy-350583-${row.id}`);
    const runs = [];
    for await (const w of sys.temporal.workflow.list({ query: `WorkflowId = 'policy-350583-${row.id}'` })) runs.push(w.runId);
    expect(runs).toHaveLength(1);
  });

  it('starts only the newest version of a region: older ones without a fan-out are covered by it', async () => {
    const older = await savePolicyVersion(sys.database.db, { regionCode: '350500', overrides: { escalation: { afterDays: 5 } }, note: '旧版本' });
    const newer = await savePolicyVersion(sys.database.db, { regionCode: '350500', overrides: { escalation: { afterDays: 4 } }, note: '新版本' });
    const started = await resumePendingBroadcasts(deps());
    expect(started).toEqual([`policy-350500-${newer.id}`]);
    expect(await broadcastOf(older.id)).toBeNull();
  });
});

describe('a corrected preset', () => {
  it('reaches a region still on its preset, through the seed and the sweep; a region an administrator changed keeps its rules', async () => {
    // An installation seeded before the correction: Liaocheng's corrections counted from issuance.
    const [lc] = await sys.sql`select id, overrides from region_policies where region_code = '371500' order by version desc limit 1`;
    const old = {
      ...lc.overrides,
      deadlines: { ...lc.overrides.deadlines, correction: { default: { kind: 'dayOfMonth', day: 25, monthOffset: 0, cutoffDay: 20, from: 'issuance' } } },
    };
    await sys.sql`update region_policies set overrides = ${JSON.stringify(old)}::jsonb where id = ${lc.id}`;
    const admin = await sys.login('admin');
    const nx = await sys.http('GET', '/api/regions/640000/policy', { token: admin });
    const changed = await sys.http('PUT', '/api/regions/640000/policy', {
      token: admin,
      body: { note: '管理员修改', overrides: { ...nx.body.own, escalation: { afterDays: 2 } } },
    });
    expect(changed.status).toBe(200);
    const { code } = await issueAndWaitForTask(sys, { countyCode: '371502', issuedAt: new Date().toISOString() });

    await seedReferenceData(sys.database.db);
    const [latest] = await sys.sql`select id, note, created_by, overrides from region_policies where region_code = '371500' order by version desc limit 1`;
    expect(latest.id).not.toBe(lc.id);
    expect(latest).toMatchObject({ created_by: null, note: expect.stringContaining('预置方案') });
    expect(latest.overrides.deadlines.correction.default).toEqual({ kind: 'dayOfMonth', day: 25, monthOffset: 0, cutoffDay: 24, from: 'event' });
    const [nxLatest] = await sys.sql`select id from region_policies where region_code = '640000' order by version desc limit 1`;
    expect(nxLatest.id).toBe(changed.body.id);
    // Seeding again changes nothing more.
    await seedReferenceData(sys.database.db);
    expect((await sys.sql`select count(*)::int as n from region_policies where region_code = '371500'`)[0].n).toBe(2);

    expect(await resumePendingBroadcasts(deps())).toContain(`policy-371500-${latest.id}`);
    await eventually(async () => (await sys.temporal.workflow.getHandle(code).query(snapshotQuery)).policyVersion === latest.id, 30_000);
  });
});
