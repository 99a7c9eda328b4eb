/**
 * The first vertical slice against the real servers: issuing starts one workflow per patch, the county
 * verification task appears with its due instant, and completing it goes through the workflow Update
 * with the answers an officer would get (200, 409, 403, 422, idempotent replays).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotQuery } from '../workflows/messages';
import { illegalDetermination, issueAndWaitForTask, legalDetermination, patchBody } from './support/fixtures';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  // A configured origin (CORS_ORIGINS) sees the headers react-admin reads; any other gets none (test/sessions.test.ts).
  sys = await startTestSystem({ app: { corsOrigins: ['http://localhost:5173'] } });
});
afterAll(async () => {
  await sys?.stop();
});

const auditCount = async (code: string) => (await sys.sql`select count(*)::int as n from audit_log where patch_code = ${code}`)[0].n as number;

describe('issuing a patch', () => {
  it('starts patchWorkflow once with the patch code as workflow id, even when issued twice', async () => {
    const admin = await sys.login('admin');
    const body = patchBody(sys);
    const first = await sys.http('POST', '/api/patches', { token: admin, body });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ code: body.code, workflowId: body.code, created: true });
    const again = await sys.http('POST', '/api/patches', { token: admin, body });
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    const description = await sys.temporal.workflow.getHandle(body.code).describe();
    expect(description.type).toBe('patchWorkflow');
    expect(description.runId).toBe(first.body.runId);
    const [{ n }] = await sys.sql`select count(*)::int as n from audit_log where patch_code = ${body.code} and action = 'patch.issued'`;
    expect(n).toBe(1);
  });

  it('opens a county verification task due at the end of the 25th of next month in Ningxia', async () => {
    const { task } = await issueAndWaitForTask(sys, { issuedAt: '2026-11-10T02:00:00Z' });
    expect(task).toMatchObject({ type: 'verification', regionCode: '640104', role: 'officer', status: 'open', overdue: false });
    expect(task.dueAt).toBe('2026-12-25T15:59:59.999Z');
    expect(task.id).toMatch(/:1$/);
  });

  it('rejects bad input with 422 naming the fields, and unknown counties', async () => {
    const admin = await sys.login('admin');
    const bad = await sys.http('POST', '/api/patches', { token: admin, body: { ...patchBody(sys), countyCode: '64', areaMu: -1 } });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors)).toEqual(expect.arrayContaining(['countyCode', 'areaMu']));
    const unknown = await sys.http('POST', '/api/patches', { token: admin, body: patchBody(sys, { countyCode: '999999' }) });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors.countyCode).toBeTruthy();
  });

  it('only administrators within the county issue there', async () => {
    const officer = await sys.login('xq.officer');
    expect((await sys.http('POST', '/api/patches', { token: officer, body: patchBody(sys) })).status).toBe(403);
    const jm = await sys.login('jm.admin');
    const res = await sys.http('POST', '/api/patches', { token: jm, body: patchBody(sys) });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('不在您的辖区');
  });
});

describe('completing the verification task', () => {
  it('answers 200 with the new state, and 409 when the same completion comes again', async () => {
    const { code, task } = await issueAndWaitForTask(sys);
    const officer = await sys.login('xq.officer');
    const res = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: officer, body: legalDetermination });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ patchCode: code, legality: 'legal' });
    const again = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: officer, body: legalDetermination });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('TaskNotOpen');
    const row = await eventually(async () => (await sys.sql`select status, closed_by_name from tasks where id = ${task.id}`)[0]);
    expect(row).toMatchObject({ status: 'completed', closed_by_name: '兴庆区核查员' });
  });

  it('replays the first answer for a repeated Idempotency-Key, and refuses the key for another request', async () => {
    const { task } = await issueAndWaitForTask(sys);
    const officer = await sys.login('xq.officer');
    const key = `key-${sys.unique()}`;
    const first = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: officer, body: legalDetermination, headers: { 'idempotency-key': key } });
    const second = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: officer, body: legalDetermination, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const other = await sys.http('POST', `/api/tasks/${task.id}/complete`, {
      token: officer,
      body: illegalDetermination(),
      headers: { 'idempotency-key': key },
    });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IdempotencyKeyReused');
  });

  it('takes effect once when completions race: one 200, the others 409', async () => {
    const { code, task } = await issueAndWaitForTask(sys);
    const officer = await sys.login('xq.officer');
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => sys.http('POST', `/api/tasks/${task.id}/complete`, { token: officer, body: legalDetermination })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409]);
    const [{ n }] = await sys.sql`select count(*)::int as n from audit_log where patch_code = ${code} and action = 'verification.completed'`;
    expect(n).toBe(1);
  });

  it('a racing pair with one Idempotency-Key gets one outcome twice', async () => {
    const { task } = await issueAndWaitForTask(sys);
    const officer = await sys.login('xq.officer');
    const headers = { 'idempotency-key': `race-${sys.unique()}` };
    const [a, b] = await Promise.all([
      sys.http('POST', `/api/tasks/${task.id}/complete`, { token: officer, body: legalDetermination, headers }),
      sys.http('POST', `/api/tasks/${task.id}/complete`, { token: officer, body: legalDetermination, headers }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body).toEqual(b.body);
  });

  it('403 for an officer of another county or a role that does not do verification, and nothing changes', async () => {
    const { code, task } = await issueAndWaitForTask(sys);
    const before = await auditCount(code);
    const other = await sys.login('dcf.officer');
    const outside = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: other, body: legalDetermination });
    expect(outside.status).toBe(403);
    expect(outside.body.message).toMatch(/不在您的辖区/);
    const reviewer = await sys.login('yc.reviewer');
    const wrongRole = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: reviewer, body: legalDetermination });
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body.message).toMatch(/核查员/);
    const english = await sys.http('POST', `/api/tasks/${task.id}/complete`, {
      token: reviewer,
      body: legalDetermination,
      headers: { 'accept-language': 'en' },
    });
    expect(english.body.message).toMatch(/officer role/);
    const [row] = await sys.sql`select status from tasks where id = ${task.id}`;
    expect(row.status).toBe('open');
    expect(await auditCount(code)).toBe(before);
  });

  it('422 with field paths for a malformed payload, and nothing changes', async () => {
    const { code, task } = await issueAndWaitForTask(sys);
    const before = await auditCount(code);
    const officer = await sys.login('xq.officer');
    const res = await sys.http('POST', `/api/tasks/${task.id}/complete`, {
      token: officer,
      body: { determination: { legality: 'maybe', subType: 'x', areas: { totalMu: -3 }, evidence: [{ sha256: 'nothex', kind: 'photo' }] } },
    });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toEqual(
      expect.arrayContaining(['determination.legality', 'determination.subType', 'determination.areas.totalMu', 'determination.evidence.0.sha256']),
    );
    const handle = sys.temporal.workflow.getHandle(code);
    expect((await handle.query(snapshotQuery)).openTasks.map((t) => t.taskId)).toEqual([task.id]);
    expect(await auditCount(code)).toBe(before);
  });

  it('422 naming the rule when an illegal farmland patch lacks the rural-housing answer', async () => {
    const { task } = await issueAndWaitForTask(sys);
    const officer = await sys.login('xq.officer');
    const res = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: officer, body: illegalDetermination(3, {}) });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('RuleViolation');
    expect(res.body.errors['determination.farmlandFlags.rural_housing']).toContain('新增农村乱占耕地建房');
  });

  it('404 for an unknown task, 401 without a session', async () => {
    const officer = await sys.login('xq.officer');
    expect((await sys.http('POST', '/api/tasks/nope:1/complete', { token: officer, body: legalDetermination })).status).toBe(404);
    expect((await sys.http('GET', '/api/tasks')).status).toBe(401);
  });
});

describe('overdue', () => {
  it('marks the task and the workflow overdue when the due instant has passed, without closing anything', async () => {
    // Issued in August: Ningxia's deadline (25 September) is long past, so the timer fires at once.
    const { code, task } = await issueAndWaitForTask(sys, { issuedAt: '2026-08-03T02:00:00Z' });
    const row = await eventually(async () => (await sys.sql`select overdue, status from tasks where id = ${task.id} and overdue`)[0]);
    expect(row).toMatchObject({ overdue: true, status: 'open' });
    const [patch] = await sys.sql`select overdue, stage from patches where code = ${code}`;
    expect(patch).toMatchObject({ overdue: true, stage: 'verification' });
    const [note] = await sys.sql`select region_code, role, kind from notifications where task_id = ${task.id}`;
    expect(note).toMatchObject({ region_code: '640104', role: 'supervisor', kind: 'overdue' });
    // The search attribute finds it by region and stage.
    const found = await eventually(async () => {
      const ids: string[] = [];
      for await (const wf of sys.temporal.workflow.list({
        query: `Overdue = true AND CountyCode = '640104' AND Stage = 'verification' AND WorkflowId = '${code}'`,
      }))
        ids.push(wf.workflowId);
      return ids.length ? ids : undefined;
    });
    expect(found).toEqual([code]);
    // Still open: the officer can complete it late.
    const officer = await sys.login('xq.officer');
    expect((await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: officer, body: legalDetermination })).status).toBe(200);
  });
});

describe('lists follow react-admin simple-rest', () => {
  it('sorts, pages, filters and exposes Content-Range', async () => {
    await issueAndWaitForTask(sys);
    await issueAndWaitForTask(sys);
    const officer = await sys.login('xq.officer');
    const res = await sys.http(
      'GET',
      `/api/tasks?sort=${encodeURIComponent('["dueAt","DESC"]')}&range=${encodeURIComponent('[0,1]')}&filter=${encodeURIComponent('{"status":"open"}')}`,
      {
        token: officer,
        headers: { origin: 'http://localhost:5173' },
      },
    );
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(2);
    expect(res.headers.get('content-range')).toMatch(/^tasks 0-1\/\d+$/);
    expect(res.headers.get('access-control-expose-headers')).toContain('Content-Range');
    expect(new Date(res.body[0].dueAt) >= new Date(res.body[1].dueAt)).toBe(true);
    const badSort = await sys.http('GET', `/api/tasks?sort=${encodeURIComponent('["password","ASC"]')}`, { token: officer });
    expect(badSort.status).toBe(422);
    const badRange = await sys.http('GET', `/api/tasks?range=notjson`, { token: officer });
    expect(badRange.status).toBe(422);
    expect(Object.keys(badRange.body.errors)).toContain('querystring.range');
  });

  it("keeps officers inside their region: other counties' tasks are invisible, and asking for them is a 403", async () => {
    const { task } = await issueAndWaitForTask(sys);
    const other = await sys.login('dcf.officer');
    const list = await sys.http('GET', '/api/tasks', { token: other });
    expect(list.body.map((t: { id: string }) => t.id)).not.toContain(task.id);
    const asked = await sys.http('GET', `/api/tasks?filter=${encodeURIComponent('{"regionCode":"640104"}')}`, { token: other });
    expect(asked.status).toBe(403);
    expect((await sys.http('GET', `/api/tasks/${task.id}`, { token: other })).status).toBe(403);
    const patches = await sys.http('GET', '/api/patches', { token: await sys.login('yc.reviewer') });
    expect(patches.status).toBe(200);
    expect(patches.body.every((p: { countyCode: string }) => p.countyCode.startsWith('6401'))).toBe(true);
  });
});

describe('military land', () => {
  it('goes to a restricted task only classified users see; others get neither task nor geometry', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { military: true }, { asUser: 'xq.secret' });
    expect(task).toMatchObject({ type: 'military_report', restricted: true });
    const plain = await sys.login('xq.officer');
    expect((await sys.http('GET', '/api/tasks', { token: plain })).body.map((t: { id: string }) => t.id)).not.toContain(task.id);
    expect((await sys.http('GET', `/api/tasks/${task.id}`, { token: plain })).status).toBe(404);
    expect((await sys.http('GET', `/api/patches/${code}`, { token: plain })).status).toBe(404);
    const secret = await sys.login('xq.secret');
    const res = await sys.http('POST', `/api/tasks/${task.id}/complete`, { token: secret, body: { reportedOffline: true } });
    expect(res.status).toBe(200);
    expect(res.body.stage).toBe('military_offline');
  });
});

describe('health', () => {
  it('reports PostgreSQL, Temporal and the worker', async () => {
    const res = await sys.http('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', postgres: { ok: true }, temporal: { ok: true } });
  });
});
