/**
 * Region policies as data: inherited down the tree, versioned, previewable, and carried to running
 * workflows by the throttled, idempotent, resumable fan-out when an administrator changes them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordPolicyDues } from '../activities/policy-dues';
import { savePolicyVersion } from '../db/policy-store';
import type { PolicyDues } from '../domain/messages';
import { policyChangedSignal, snapshotQuery } from '../workflows/messages';
import { issueAndWaitForTask } from './support/fixtures';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const LIAOCHENG_DAYS_AFTER_10 = { verification: { default: { kind: 'daysAfter', days: 10, from: 'issuance' } } };

describe('reading a policy', () => {
  it('shows the effective policy and which region each part comes from', async () => {
    const res = await sys.http('GET', '/api/regions/371502/policy', { token: await sys.login('dcf.officer') });
    expect(res.status).toBe(200);
    expect(res.body.sources).toMatchObject({ deadlines: '371500', verification: '371500', onsiteChecks: '371500', escalation: 'base' });
    expect(res.body.effective.deadlines.verification.default).toEqual({ kind: 'dayOfMonth', day: 22, monthOffset: 0, cutoffDay: 20, from: 'issuance' });
    expect(res.body.layers.map((l: { regionCode: string }) => l.regionCode)).toEqual(['000000', '371500']);
    expect(res.body.own).toBeNull();
  });

  it('reads a stored version of the first on-site rule shape in the current one (003 四(一): filed sub-types, by farmland)', async () => {
    // As an older release stored it: `categories` mixing what the county files with what was issued, no `legalities`.
    const old = {
      onsiteChecks: {
        city: [
          { metric: 'totalMu', minMu: 10, categories: ['facility_agriculture', 'unchanged_occupying_farmland'] },
          { metric: 'redLineMu', minMu: 5 },
        ],
      },
    };
    await sys.sql`insert into region_policies (region_code, version, overrides, note) values ('371522', 1, ${JSON.stringify(old)}::jsonb, '旧版规则')`;
    const current = [
      { metric: 'farmlandMu', minMu: 10, legalities: ['illegal'], filedAs: ['facility_agriculture', 'unchanged'] },
      { metric: 'redLineMu', minMu: 5, legalities: ['illegal'] },
    ];
    const res = await sys.http('GET', '/api/regions/371522/policy', { token: await sys.login('lc.admin') });
    expect(res.status).toBe(200);
    expect(res.body.own.onsiteChecks.city).toEqual(current);
    expect(res.body.effective.onsiteChecks.city).toEqual(current);
    const versions = await sys.http('GET', '/api/regions/371522/policy/versions', { token: await sys.login('lc.admin') });
    expect(versions.body[0].overrides.onsiteChecks.city).toEqual(current);
    // The row itself is as it was written.
    const [row] = await sys.sql`select overrides from region_policies where region_code = '371522'`;
    expect(row.overrides).toEqual(old);
  });

  it('is closed to regions outside the line of the reader', async () => {
    const res = await sys.http('GET', '/api/regions/371502/policy', { token: await sys.login('xq.officer') });
    expect(res.status).toBe(403);
  });
});

describe('previewing a change', () => {
  it('gives due instants for sample events under the current and the proposed policy, and how many workflows move', async () => {
    const issuedAt = '2026-11-05T02:00:00Z';
    const { code } = await issueAndWaitForTask(sys, { countyCode: '371503', issuedAt });
    await issueAndWaitForTask(sys, { countyCode: '371503', issuedAt });
    const admin = await sys.login('lc.admin');
    const res = await sys.http('POST', '/api/regions/371500/policy/preview', {
      token: admin,
      body: { overrides: { deadlines: LIAOCHENG_DAYS_AFTER_10 }, samples: [{ taskType: 'verification', issuedAt: '2026-11-21T02:00:00Z' }] },
    });
    expect(res.status).toBe(200);
    expect(res.body.samples[0]).toMatchObject({ currentDueAt: '2026-12-22T15:59:59.999Z', proposedDueAt: '2026-12-01T15:59:59.999Z' });
    expect(res.body.affected.workflows).toBeGreaterThanOrEqual(2);
    expect(res.body.affected.tasks).toBe(res.body.affected.workflows);
    // Previewing changes nothing.
    const handle = sys.temporal.workflow.getHandle(code);
    expect((await handle.query(snapshotQuery)).openTasks[0].dueAt).toBe('2026-11-22T15:59:59.999Z');
  });

  it('rejects unknown keys and impossible rules with 422 naming the field; non-administrators get 403', async () => {
    const admin = await sys.login('lc.admin');
    const typo = await sys.http('POST', '/api/regions/371500/policy/preview', { token: admin, body: { overrides: { deadlines: { verifcation: {} } } } });
    expect(typo.status).toBe(422);
    expect(Object.keys(typo.body.errors).join(' ')).toMatch(/overrides\.deadlines/);
    const bad = await sys.http('PUT', '/api/regions/371500/policy', {
      token: admin,
      body: { note: '测试', overrides: { deadlines: { verification: { default: { kind: 'dayOfMonth', day: 40, monthOffset: 0 } } } } },
    });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors)).toContain('overrides.deadlines.verification.default.day');
    const chain = await sys.http('PUT', '/api/regions/371500/policy', {
      token: admin,
      body: {
        note: '测试',
        overrides: {
          review: {
            chain: [
              { level: 'province', coverage: { mode: 'all' } },
              { level: 'city', coverage: { mode: 'all' } },
            ],
          },
        },
      },
    });
    expect(chain.status).toBe(422);
    const officer = await sys.http('POST', '/api/regions/371500/policy/preview', { token: await sys.login('dcf.officer'), body: { overrides: {} } });
    expect(officer.status).toBe(403);
    const outside = await sys.http('PUT', '/api/regions/640000/policy', { token: admin, body: { note: '越权修改', overrides: {} } });
    expect(outside.status).toBe(403);
    const [{ n }] = await sys.sql`select count(*)::int as n from region_policies where region_code in ('371500', '640000')`;
    expect(n).toBe(2); // the two presets, untouched
  });
});

describe('changing a policy', () => {
  it('versions it, fans it out to the running workflows of the subtree, and re-arms their deadlines', async () => {
    const issuedAt = '2026-11-05T02:00:00Z';
    const inside = await Promise.all(Array.from({ length: 12 }, () => issueAndWaitForTask(sys, { countyCode: '371521', issuedAt })));
    const outside = await issueAndWaitForTask(sys, { countyCode: '350583', issuedAt });
    const admin = await sys.login('lc.admin');
    const saved = await sys.http('PUT', '/api/regions/371500/policy', {
      token: admin,
      body: {
        note: '市局决定：核查期限改为下发后10日',
        overrides: { ...(await currentOwn('371500')), deadlines: { ...(await currentOwn('371500')).deadlines, ...LIAOCHENG_DAYS_AFTER_10 } },
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ regionCode: '371500', version: 2, broadcastWorkflowId: `policy-371500-${saved.body.id}` });
    expect(saved.body.affected.workflows).toBeGreaterThanOrEqual(12);

    const progress = await eventually(async () => {
      const res = await sys.http('GET', `/api/policy-broadcasts/${saved.body.broadcastWorkflowId}`, { token: admin });
      return res.body.status === 'COMPLETED' ? res.body.progress : undefined;
    }, 30_000);
    expect(progress.done).toBe(true);
    expect(progress.signalled).toBeGreaterThanOrEqual(12);

    for (const { task } of inside) {
      const row = await eventually(async () => {
        const [r] = await sys.sql`select due_at, policy_version from tasks where id = ${task.id}`;
        return new Date(r.due_at).toISOString() === '2026-11-15T15:59:59.999Z' ? r : undefined;
      });
      expect(row.policy_version).toBe(saved.body.id);
    }
    // The fan-out recorded each page's instants once, and each workflow re-armed its timer with them without
    // recomputing (no trail row of its own).
    for (const { code, task } of inside) {
      await eventually(async () => {
        const snap = await sys.temporal.workflow.getHandle(code).query(snapshotQuery);
        return snap.policyVersion === saved.body.id && snap.openTasks.find((t) => t.taskId === task.id)?.dueAt === '2026-11-15T15:59:59.999Z';
      });
      const trail = await sys.sql`select event_key from audit_log where patch_code = ${code} and action = 'deadlines.recomputed'`;
      expect(trail.map((r) => r.event_key)).toEqual([`policy-dues:${saved.body.id}:${code}`]);
    }
    // Outside the subtree nothing moved.
    const [far] = await sys.sql`select due_at from tasks where id = ${outside.task.id}`;
    expect(new Date(far.due_at).toISOString()).toBe('2026-11-20T15:59:59.999Z');

    // History: who changed what, when.
    const versions = await sys.http('GET', '/api/regions/371500/policy/versions', { token: admin });
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions.body[0]).toMatchObject({ note: '市局决定：核查期限改为下发后10日', createdByName: '聊城市管理员' });
    expect(versions.headers.get('content-range')).toBe('policy-versions 0-1/2');

    // A repeated or stale signal is ignored.
    const handle = sys.temporal.workflow.getHandle(inside[0].code);
    const before = (await sys.sql`select count(*)::int as n from audit_log where patch_code = ${inside[0].code} and action = 'deadlines.recomputed'`)[0].n;
    await handle.signal(policyChangedSignal, { version: saved.body.id });
    await handle.signal(policyChangedSignal, { version: 1 });
    await handle.query(snapshotQuery);
    const after = (await sys.sql`select count(*)::int as n from audit_log where patch_code = ${inside[0].code} and action = 'deadlines.recomputed'`)[0].n;
    expect(after).toBe(before);
  });

  it("takes the fan-out's due instants only where they were computed from the workflow's own facts", async () => {
    // Signalled here with instants no policy gives (2030), at a version beyond any policy row: taken as they
    // are when their facts are the patch's own; recomputed under the current policy (and recorded) otherwise.
    const issuedAt = '2026-11-05T02:00:00Z';
    const [own, other] = await Promise.all([0, 1].map(() => issueAndWaitForTask(sys, { countyCode: '371521', issuedAt })));
    const version = 1_000_000;
    const eventAt = async (taskId: string) => new Date((await sys.sql`select event_at from tasks where id = ${taskId}`)[0].event_at).toISOString();
    const dues = async (taskId: string, patchIssuedAt: string) => ({
      policyVersion: version,
      subject: { countyCode: '371521', batchKind: 'monthly' as const, issuedAt: patchIssuedAt },
      tasks: { [taskId]: { type: 'verification' as const, eventAt: await eventAt(taskId), dueAt: '2030-01-01T15:59:59.999Z' } },
      escalateAfterMs: 3 * 86_400_000,
      rules: { forbidOtherFor: [], farmlandFlags: [], mineral: true } as unknown as PolicyDues['rules'],
    });
    await sys.temporal.workflow.getHandle(own.code).signal(policyChangedSignal, { version, dues: await dues(own.task.id, issuedAt) });
    await sys.temporal.workflow.getHandle(other.code).signal(policyChangedSignal, { version, dues: await dues(other.task.id, '2026-10-05T02:00:00Z') });
    const dueIn = async (code: string) => {
      const snap = await sys.temporal.workflow.getHandle(code).query(snapshotQuery);
      return snap.policyVersion >= version ? snap.openTasks[0].dueAt : undefined;
    };
    expect(await eventually(() => dueIn(own.code))).toBe('2030-01-01T15:59:59.999Z');
    const [current] = await sys.sql`select due_at from tasks where id = ${other.task.id}`;
    expect(await eventually(() => dueIn(other.code))).toBe(new Date(current.due_at).toISOString());
    const trail = await sys.sql`select patch_code from audit_log where patch_code in (${own.code}, ${other.code}) and action = 'deadlines.recomputed'`;
    expect(trail.map((r) => r.patch_code)).toEqual([other.code]);
  });

  it('records a page of due instants once, and leaves a task that a newer version or an extension reached', async () => {
    const issuedAt = '2026-11-05T02:00:00Z';
    const [plain, newer, extended] = await Promise.all([0, 1, 2].map(() => issueAndWaitForTask(sys, { countyCode: '371521', issuedAt })));
    await sys.sql`update tasks set due_at = '2030-01-01T00:00:00Z', policy_version = 1 where id in (${plain.task.id}, ${newer.task.id}, ${extended.task.id})`;
    await sys.sql`update tasks set policy_version = 1000000 where id = ${newer.task.id}`;
    await sys.sql`update tasks set extended = true where id = ${extended.task.id}`;
    const [{ id: version }] = await sys.sql`select max(id)::int as id from region_policies`;
    const workflowIds = [plain.code, newer.code, extended.code];
    const first = await recordPolicyDues(sys.database.db, { workflowIds, version, now: Date.now() });
    const again = await recordPolicyDues(sys.database.db, { workflowIds, version, now: Date.now() });
    expect(Object.fromEntries(again)).toEqual(Object.fromEntries(first));
    expect(Object.keys(first.get(plain.code)!.tasks)).toEqual([plain.task.id]);
    expect(first.has(extended.code)).toBe(false);
    const rows = await sys.sql`select id, due_at, policy_version from tasks where id in (${plain.task.id}, ${newer.task.id}, ${extended.task.id})`;
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(new Date(byId.get(plain.task.id)!.due_at).toISOString()).toBe(first.get(plain.code)!.tasks[plain.task.id].dueAt);
    expect(byId.get(plain.task.id)!.policy_version).toBeGreaterThanOrEqual(version);
    expect(byId.get(newer.task.id)!).toMatchObject({ policy_version: 1000000 });
    expect(new Date(byId.get(newer.task.id)!.due_at).toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(new Date(byId.get(extended.task.id)!.due_at).toISOString()).toBe('2030-01-01T00:00:00.000Z');
    const [patch] = await sys.sql`select due_at from patches where code = ${plain.code}`;
    expect(new Date(patch.due_at).toISOString()).toBe(first.get(plain.code)!.tasks[plain.task.id].dueAt);
    const trail = await sys.sql`select patch_code from audit_log where event_key like ${`policy-dues:${version}:%`} and patch_code = any(${workflowIds})`;
    expect(trail.map((r) => r.patch_code)).toContain(plain.code);
    expect(trail.map((r) => r.patch_code)).not.toContain(extended.code);
  });

  it('completed tasks keep their history; extended tasks keep their granted date', async () => {
    const done = await issueAndWaitForTask(sys, { countyCode: '350583', issuedAt: '2026-11-05T02:00:00Z' });
    const extended = await issueAndWaitForTask(sys, { countyCode: '350583', issuedAt: '2026-11-05T02:00:00Z' });
    const officer = await sys.login('na.officer');
    await sys.http('POST', `/api/tasks/${done.task.id}/complete`, {
      token: officer,
      body: { determination: { legality: 'other', subType: 'unchanged', areas: { totalMu: 5, farmlandMu: 0, basicFarmlandMu: 0, redLineMu: 0 } } },
    });
    await sys.http('POST', `/api/tasks/${extended.task.id}/extension`, {
      token: officer,
      body: { reason: '台风影响无法外业核查', requestedDate: '2027-01-31' },
    });
    const decision = await eventually(
      async () => (await sys.sql`select id from tasks where patch_code = ${extended.code} and type = 'extension_decision' and status = 'open'`)[0],
    );
    expect(
      (
        await sys.http('POST', `/api/tasks/${decision.id}/complete`, {
          token: await sys.login('qz.reviewer'),
          body: { decision: 'approve', newDueDate: '2027-01-31' },
        })
      ).status,
    ).toBe(200);

    const admin = await sys.login('admin');
    const saved = await sys.http('PUT', '/api/regions/350583/policy', {
      token: admin,
      body: {
        note: '南安：核查期限改为下发后20日',
        overrides: { deadlines: { verification: { default: { kind: 'daysAfter', days: 20, from: 'issuance' } } } },
      },
    });
    expect(saved.status).toBe(200);
    await eventually(
      async () => (await sys.http('GET', `/api/policy-broadcasts/${saved.body.broadcastWorkflowId}`, { token: admin })).body.status === 'COMPLETED',
    );
    const [closed] = await sys.sql`select status, due_at from tasks where id = ${done.task.id}`;
    expect(closed.status).toBe('completed');
    expect(new Date(closed.due_at).toISOString()).toBe('2026-11-20T15:59:59.999Z');
    const [kept] = await sys.sql`select due_at from tasks where id = ${extended.task.id}`;
    expect(new Date(kept.due_at).toISOString()).toBe('2027-01-31T15:59:59.999Z');
  });
});

async function currentOwn(code: string) {
  const res = await sys.http('GET', `/api/regions/${code}/policy`, { token: await sys.login('admin') });
  return res.body.own as Record<string, any>;
}

describe('the fan-out survives an interruption', () => {
  it('resumes after the worker dies mid-broadcast and reaches every workflow once more at most', async () => {
    const issuedAt = '2026-11-05T02:00:00Z';
    const patches = await Promise.all(Array.from({ length: 25 }, () => issueAndWaitForTask(sys, { countyCode: '440781', issuedAt })));
    const row = await savePolicyVersion(sys.database.db, {
      regionCode: '440781',
      overrides: { deadlines: { verification: { default: { kind: 'daysAfter', days: 7, from: 'issuance' } } } },
      note: '台山：7日',
    });
    // Small pages with a pause between them, so that the worker can be stopped half way.
    const handle = await sys.temporal.workflow.start('policyBroadcastWorkflow', {
      workflowId: `policy-440781-${row.id}`,
      taskQueue: sys.taskQueue,
      args: [{ regionCode: '440781', policyId: row.id, pageSize: 5, pauseMs: 400, pagesPerRun: 2, concurrency: 2 }],
    });
    await eventually(async () => ((await handle.query('progress')) as { pages: number }).pages >= 2);
    await sys.restartWorker();
    const result = (await handle.result()) as { signalled: number; done: boolean; pages: number };
    expect(result).toMatchObject({ done: true, signalled: 25, pages: 5 });
    // It continued as new on the way, carrying its cursor.
    expect((await handle.describe()).runId).not.toBe(handle.firstExecutionRunId);
    for (const p of patches) {
      await eventually(async () => {
        const [t] = await sys.sql`select due_at from tasks where id = ${p.task.id}`;
        return new Date(t.due_at).toISOString() === '2026-11-12T15:59:59.999Z';
      });
    }
    const [{ n }] =
      await sys.sql`select count(*)::int as n from audit_log where action = 'deadlines.recomputed' and patch_code = any(${patches.map((p) => p.code)})`;
    expect(n).toBe(25);
    const [done] = await sys.sql`select broadcast_signalled, broadcast_done_at from region_policies where id = ${row.id}`;
    expect(done.broadcast_signalled).toBe(25);
  });
});
