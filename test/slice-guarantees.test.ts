/**
 * What the first vertical slice promises beyond its happy path, against the real servers: an
 * idempotent completion whose first copy completed the Update but never stored its answer still gets
 * 200; a refused completion changes nothing; every audit row of the workflow names its workflow and
 * run; the search attributes find a patch by due instant, category and city; GET /patches follows
 * simple-rest; the health endpoint says which part is down.
 */
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../api/app';
import { hashPassword, verifyPassword } from '../api/passwords';
import { connectDatabase } from '../db/client';
import { completeTaskUpdate, snapshotQuery } from '../workflows/messages';
import { issueAndWaitForTask, legalDetermination } from './support/fixtures';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  // A configured origin (CORS_ORIGINS) sees the headers react-admin reads; any other gets none (test/sessions.test.ts).
  sys = await startTestSystem({ app: { corsOrigins: ['http://localhost:5173'] } });
});
afterAll(async () => {
  await sys?.stop();
});

/** Legal, with farmland: Ningxia's city reviews every farmland patch (001 三(三)), so the workflow stays open. */
const legalOnFarmland = {
  determination: { ...legalDetermination.determination, areas: { totalMu: 5, farmlandMu: 2, basicFarmlandMu: 0, redLineMu: 0 } },
};

const auditRows = async (code: string) =>
  sys.sql`select action, actor_name, task_id, before, after, at, workflow_id, run_id from audit_log where patch_code = ${code} order by id`;

async function userId(username: string): Promise<number> {
  const [row] = await sys.sql`select id from users where username = ${username}`;
  return row.id as number;
}

describe('an idempotent completion', () => {
  it('answers 200 with the first outcome when its first copy completed the Update but stored no answer', async () => {
    const { code, task } = await issueAndWaitForTask(sys);
    const officer = await sys.login('xq.officer');
    const key = `crash-${sys.unique()}`;
    // The first copy of the request reached the workflow, then the API died before it stored the answer.
    const [me] = await sys.sql`select id, display_name, role, region_code from users where username = 'xq.officer'`;
    const actor = {
      userId: me.id as number,
      username: 'xq.officer',
      displayName: me.display_name as string,
      role: me.role as 'officer',
      regionCode: me.region_code as string,
      classified: false,
    };
    const first = await sys.temporal.workflow.getHandle(code).executeUpdate(completeTaskUpdate, {
      args: [{ taskId: task.id, actor, payload: { kind: 'verification', ...legalOnFarmland } as never }],
      updateId: `idem:${await userId('xq.officer')}:${key}`,
    });
    await eventually(async () => (await sys.sql`select 1 from tasks where id = ${task.id} and status = 'completed'`)[0]);

    const retried = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: officer, body: legalOnFarmland, headers: { 'idempotency-key': key } });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ patchCode: code, legality: 'legal', stage: first.stage });
    const again = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: officer, body: legalOnFarmland, headers: { 'idempotency-key': key } });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const [{ n }] = await sys.sql`select count(*)::int as n from audit_log where patch_code = ${code} and action = 'verification.completed'`;
    expect(n).toBe(1);
  });

  it('with a new key on a completed task is a 409 from the workflow, and changes nothing', async () => {
    const { code, task } = await issueAndWaitForTask(sys);
    const officer = await sys.login('xq.officer');
    expect((await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: officer, body: legalOnFarmland })).status).toBe(200);
    await eventually(async () => (await sys.sql`select 1 from tasks where id = ${task.id} and status = 'completed'`)[0]);
    const before = { audit: (await auditRows(code)).length, snapshot: await sys.temporal.workflow.getHandle(code).query(snapshotQuery) };

    const late = await sys.http('POST', `/api/tasks/${task.id}/complete`, {
      token: officer,
      body: legalOnFarmland,
      headers: { 'idempotency-key': `late-${sys.unique()}` },
    });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('TaskNotOpen');
    const repeated = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: officer, body: legalOnFarmland });
    expect(repeated.status).toBe(409);

    expect((await auditRows(code)).length).toBe(before.audit);
    const after = await sys.temporal.workflow.getHandle(code).query(snapshotQuery);
    expect(after.openTasks).toEqual(before.snapshot.openTasks);
    expect(after.stage).toBe(before.snapshot.stage);
  });
});

describe('the audit log', () => {
  it('names actor, action, task, before and after, time, workflow id and run id for every step of the workflow', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { issuedAt: '2026-08-03T02:00:00Z' });
    const officer = await sys.login('xq.officer');
    await eventually(async () => (await sys.sql`select 1 from tasks where id = ${task.id} and escalated_at is not null`)[0]);
    expect((await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: officer, body: legalOnFarmland })).status).toBe(200);
    const { runId } = await sys.temporal.workflow.getHandle(code).describe();
    const rows = await eventually(async () => {
      const r = await auditRows(code);
      return r.some((x) => x.action === 'verification.completed') ? r : undefined;
    });
    const byAction = new Map(rows.map((r) => [r.action as string, r]));
    for (const action of ['patch.issued', 'verification.opened', 'verification.overdue', 'verification.escalated', 'verification.completed']) {
      const row = byAction.get(action);
      expect(row, action).toBeDefined();
      expect(row!.workflow_id, action).toBe(code);
      expect(row!.run_id, action).toBe(runId);
      expect(Number.isNaN(new Date(row!.at).getTime()), action).toBe(false);
      expect(row!.actor_name, action).toBeTruthy();
    }
    const completed = byAction.get('verification.completed')!;
    expect(completed).toMatchObject({ actor_name: '兴庆区核查员', task_id: task.id });
    expect(completed.before).toMatchObject({ status: 'open' });
    expect(completed.after).toMatchObject({ status: 'completed' });
    expect(byAction.get('verification.overdue')!.after).toMatchObject({ overdue: true });
  });
});

describe('policy changes in the audit log', () => {
  it("record who changed which region's rules, from what to what, with the fan-out's workflow id", async () => {
    const admin = await sys.login('nx.admin');
    const put = (afterDays: number) =>
      sys.http('PUT', '/api/regions/640104/policy', { token: admin, body: { overrides: { escalation: { afterDays } }, note: `上报期限调整为${afterDays}天` } });
    const first = await put(4);
    expect(first.status).toBe(200);
    const second = await put(6);
    expect(second.status).toBe(200);
    const rows =
      await sys.sql`select actor_name, before, after, workflow_id from audit_log where action = 'policy.changed' and after->>'regionCode' = '640104' order by id`;
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({
      actor_name: '宁夏自然资源厅管理员',
      workflow_id: second.body.broadcastWorkflowId,
      before: { version: first.body.version, overrides: { escalation: { afterDays: 4 } } },
      after: { version: second.body.version, overrides: { escalation: { afterDays: 6 } }, note: '上报期限调整为6天' },
    });
    expect(rows[0].before).toBeNull();
  });
});

describe('search attributes', () => {
  it('find a patch by its due instant, category and city', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { category: 'continuous_change' });
    const due = new Date(task.dueAt).toISOString();
    const query = `WorkflowId = '${code}' AND DueAt = '${due}' AND Category = 'continuous_change' AND CityCode = '640100' AND ProvinceCode = '640000' AND Overdue = false`;
    const found = await eventually(async () => {
      const ids: string[] = [];
      for await (const wf of sys.temporal.workflow.list({ query })) ids.push(wf.workflowId);
      return ids.length ? ids : undefined;
    });
    expect(found).toEqual([code]);
    const none: string[] = [];
    for await (const wf of sys.temporal.workflow.list({ query: `WorkflowId = '${code}' AND Category = 'mineral'` })) none.push(wf.workflowId);
    expect(none).toEqual([]);
  });
});

describe('GET /patches', () => {
  it('sorts, pages, filters and exposes Content-Range like react-admin simple-rest expects', async () => {
    const a = await issueAndWaitForTask(sys, { areaMu: 3 });
    const b = await issueAndWaitForTask(sys, { areaMu: 9 });
    const c = await issueAndWaitForTask(sys, { areaMu: 6, category: 'continuous_change' });
    const reviewer = await sys.login('yc.reviewer');
    const q = (params: Record<string, unknown>) =>
      Object.entries(params)
        .map(([k, v]) => `${k}=${encodeURIComponent(JSON.stringify(v))}`)
        .join('&');
    const codes = [a.code, b.code, c.code];
    const res = await sys.http('GET', `/api/patches?${q({ sort: ['areaMu', 'DESC'], range: [0, 1], filter: { id: codes } })}`, {
      token: reviewer,
      headers: { origin: 'http://localhost:5173' },
    });
    expect(res.status).toBe(200);
    expect(res.body.map((p: { code: string }) => p.code)).toEqual([b.code, c.code]);
    expect(res.headers.get('content-range')).toBe('patches 0-1/3');
    expect(res.headers.get('access-control-expose-headers')).toContain('Content-Range');
    const second = await sys.http('GET', `/api/patches?${q({ sort: ['areaMu', 'DESC'], range: [2, 3], filter: { id: codes } })}`, { token: reviewer });
    expect(second.body.map((p: { code: string }) => p.code)).toEqual([a.code]);
    expect(second.headers.get('content-range')).toBe('patches 2-2/3');
    const filtered = await sys.http('GET', `/api/patches?${q({ filter: { id: codes, category: 'continuous_change' } })}`, { token: reviewer });
    expect(filtered.body.map((p: { code: string }) => p.code)).toEqual([c.code]);
    const badSort = await sys.http('GET', `/api/patches?${q({ sort: ['geometry', 'ASC'] })}`, { token: reviewer });
    expect(badSort.status).toBe(422);
    expect(Object.keys(badSort.body.errors).join()).toContain('sort');
  });
});

describe('health', () => {
  async function appWith(over: { databaseUrl?: string; temporalAddress?: string }) {
    const database = over.databaseUrl ? connectDatabase(over.databaseUrl, { max: 1 }) : sys.database;
    const temporal = over.temporalAddress
      ? new Client({ connection: Connection.lazy({ address: over.temporalAddress }), namespace: sys.namespace })
      : sys.temporal;
    const app = await buildApp({ database, temporal, taskQueue: sys.taskQueue, namespace: sys.namespace, uiDir: '/nonexistent', logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/health`;
    return {
      get: async () => {
        const res = await fetch(url);
        return { status: res.status, body: await res.json() };
      },
      close: async () => {
        await app.close();
        if (over.databaseUrl) await database.close();
      },
    };
  }

  it('answers 200 when both answer and a worker polls', async () => {
    const res = await sys.http('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', postgres: { ok: true }, temporal: { ok: true }, worker: { ok: true } });
  });

  it('answers 503 naming PostgreSQL when it cannot be reached', async () => {
    const app = await appWith({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none' });
    try {
      const res = await app.get();
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: 'unavailable', postgres: { ok: false }, temporal: { ok: true } });
      expect(res.body.postgres.error).toBeTruthy();
    } finally {
      await app.close();
    }
  });

  it('answers 503 naming Temporal when it cannot be reached', async () => {
    const app = await appWith({ temporalAddress: '127.0.0.1:1' });
    try {
      const res = await app.get();
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: 'unavailable', postgres: { ok: true }, temporal: { ok: false }, worker: { ok: false } });
    } finally {
      await app.close();
    }
  });
});

describe('reference data', () => {
  it("covers the seeds' regions with GB/T 2260 codes from the division-code package", async () => {
    const has = async (codes: string[]) => (await sys.sql`select code from regions where code in ${sys.sql(codes)}`).map((r) => r.code).sort();
    // Ningxia with its 5 cities; Liaocheng's counties; Jiangmen's districts and county-level cities; Quanzhou and Nan'an.
    expect(await has(['640000', '640100', '640200', '640300', '640400', '640500'])).toHaveLength(6);
    expect(await has(['370000', '371500', '371502', '371521', '371581'])).toHaveLength(5);
    expect(await has(['440000', '440700', '440703', '440781', '440783', '440784', '440785'])).toHaveLength(7);
    expect(await has(['350000', '350500', '350583'])).toHaveLength(3);
    const [{ n }] = await sys.sql`select count(*)::int as n from regions where parent_code = '640100'`;
    expect(n).toBeGreaterThanOrEqual(6);
    const [xq] = await sys.sql`select name, parent_code, level from regions where code = '640104'`;
    expect(xq).toMatchObject({ name: '兴庆区', parent_code: '640100', level: 'county' });
  });

  it('stores passwords as salted scrypt hashes, never in clear', async () => {
    const rows = await sys.sql`select username, password_hash from users`;
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) {
      expect(r.password_hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
      expect(r.password_hash).not.toContain('wpzf2026');
    }
    const [one, two] = [await hashPassword('wpzf2026'), await hashPassword('wpzf2026')];
    expect(one).not.toBe(two); // a fresh salt each time
    expect(await verifyPassword('wpzf2026', rows[0].password_hash)).toBe(true);
    expect(await verifyPassword('wpzf2027', rows[0].password_hash)).toBe(false);
  });
});
