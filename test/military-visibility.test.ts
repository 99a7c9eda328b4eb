/**
 * Military (classified) land, reported offline and never over the network (000 二(二); 002 三(三); 004 三(二)):
 * a military patch driven overdue (overdue and escalation notices) with an extension request exists for
 * nobody without the classified-handling permission — not in patches, tasks, the audit timeline,
 * notifications, supervision or evidence — and its geometry is not stored at all. Users holding the
 * permission see it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpeg } from './support/evidence-files';
import { issueAndWaitForTask, openTaskOf } from './support/fixtures';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
  // Classified colleagues of the demo users (the demo has only the county's xq.secret).
  await sys.sql`insert into users (username, display_name, role, region_code, classified, password_hash)
    select u.username, u.display_name, u.role, u.region_code, true, d.password_hash
    from (values ('xq.secret.supervisor', '兴庆区涉密督办员', 'supervisor', '640104'),
                 ('yc.secret.supervisor', '银川市涉密督办员', 'supervisor', '640100'),
                 ('yc.secret.reviewer', '银川市涉密审核员', 'reviewer', '640100')) as u(username, display_name, role, region_code),
         (select password_hash from users where username = 'xq.officer') d`;
});
afterAll(async () => {
  await sys?.stop();
});

const list = async (user: string, path: string) => {
  const res = await sys.http('GET', path, { token: await sys.login(user) });
  expect(res.status, `${user} GET ${path}`).toBe(200);
  return res.body;
};
const filter = (f: Record<string, unknown>) => `filter=${encodeURIComponent(JSON.stringify(f))}`;

async function uploadEvidence(user: string, patchCode: string) {
  const form = new FormData();
  form.append('patchCode', patchCode);
  form.append('file', new Blob([new Uint8Array(jpeg({ lat: 38.4705, lng: 106.2805, description: patchCode }))], { type: 'image/jpeg' }), '现场.jpg');
  const res = await fetch(`${sys.baseUrl}/api/evidence`, { method: 'POST', headers: { authorization: `Bearer ${await sys.login(user)}` }, body: form });
  expect(res.status).toBe(201);
}

describe('a military patch, overdue and with an extension request', () => {
  it('is invisible without the classified permission and visible with it', async () => {
    // Issued long ago: the report is overdue at once, and escalated (Ningxia: the 25th of the next month, then 3 days).
    const { code, task } = await issueAndWaitForTask(sys, { military: true, issuedAt: '2025-01-10T02:00:00Z' }, { asUser: 'xq.secret' });
    expect(task).toMatchObject({ type: 'military_report', restricted: true });
    // The geometry sent with the issuance is not kept (reported offline, never over the network).
    const [row] = await sys.sql`select geometry, centroid from patches where code = ${code}`;
    expect(row).toEqual({ geometry: null, centroid: null });

    await eventually(async () => (await sys.sql`select 1 from tasks where id = ${task.id} and overdue and escalated_at is not null`).length > 0);
    const asked = await sys.http('POST', `/api/tasks/${task.id}/extension`, {
      token: await sys.login('xq.secret'),
      body: { reason: '机要渠道材料尚在流转，申请延期' },
    });
    expect(asked.status).toBe(200);
    const decision = await openTaskOf(sys, code, 'extension_decision', 'yc.secret.reviewer');
    expect(decision).toMatchObject({ regionCode: '640100', restricted: true });
    await uploadEvidence('xq.secret', code);
    await eventually(async () => (await sys.sql`select 1 from notifications where patch_code = ${code} and kind = 'escalation'`).length > 0);

    for (const user of ['xq.officer', 'xq.supervisor', 'yc.supervisor', 'yc.reviewer', 'nx.supervisor', 'nx.reviewer']) {
      const token = await sys.login(user);
      expect(
        (await list(user, `/api/patches?${filter({ q: code })}`)).map((p: { code: string }) => p.code),
        user,
      ).not.toContain(code);
      expect((await sys.http('GET', `/api/patches/${code}`, { token })).status, user).toBe(404);
      expect(await list(user, `/api/tasks?${filter({ patchCode: code })}`), user).toEqual([]);
      for (const id of [task.id, decision.id]) expect((await sys.http('GET', `/api/tasks/${id}`, { token })).status, user).toBe(404);
      expect(await list(user, `/api/audit?${filter({ patchCode: code })}`), user).toEqual([]);
      const notices = await list(user, '/api/notifications');
      expect(
        notices.filter((n: { patchCode: string; title: string }) => n.patchCode === code || n.title.includes(code)),
        user,
      ).toEqual([]);
      expect(await list(user, `/api/evidence?${filter({ patchCode: code })}`), user).toEqual([]);
      if (user !== 'xq.officer') {
        const overdue = await list(user, '/api/supervision/overdue');
        expect(
          overdue.byStage.map((s: { stage: string }) => s.stage),
          user,
        ).not.toContain('military_report');
        const clearance = await list(user, '/api/supervision/clearance?month=2025-02');
        expect(clearance.total.total, user).toBe(0);
      }
    }

    // With the permission: the county's classified officer, the city's classified reviewer and supervisors.
    const shown = (await sys.http('GET', `/api/patches/${code}`, { token: await sys.login('xq.secret') })).body;
    expect(shown).toMatchObject({ code, military: true, geometry: null });
    expect((await list('xq.secret', `/api/tasks?${filter({ patchCode: code })}`)).map((t: { type: string }) => t.type)).toEqual(['military_report']);
    expect((await list('xq.secret', `/api/audit?${filter({ patchCode: code })}`)).map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining([
        'patch.issued',
        'military_report.opened',
        'military_report.overdue',
        'military_report.escalated',
        'extension_decision.opened',
        'evidence.uploaded',
      ]),
    );
    expect(await list('xq.secret', `/api/evidence?${filter({ patchCode: code })}`)).toHaveLength(1);
    expect(await list('yc.secret.reviewer', `/api/tasks?${filter({ patchCode: code, type: 'extension_decision' })}`)).toHaveLength(1);
    const overdueNotice = (await list('xq.secret.supervisor', '/api/notifications')).filter((n: { patchCode: string }) => n.patchCode === code);
    expect(overdueNotice).toEqual([expect.objectContaining({ kind: 'overdue', restricted: true })]);
    const escalated = (await list('yc.secret.supervisor', '/api/notifications')).filter((n: { patchCode: string }) => n.patchCode === code);
    expect(escalated).toEqual([expect.objectContaining({ kind: 'escalation', restricted: true })]);
    expect((await list('yc.secret.supervisor', '/api/supervision/overdue')).byStage.map((s: { stage: string }) => s.stage)).toContain('military_report');
    expect((await list('yc.secret.supervisor', '/api/supervision/clearance?month=2025-02')).total).toMatchObject({ total: 1, openOverdue: 1 });
  });
});
