/**
 * The API in both languages. Notifications carry their facts (`params`: task type, patch or case, due
 * day, days overdue, the supervisor's words and name, the region holding an escalated task) besides the
 * Chinese text stored as before. A 422 names each field with a stable code and params, and answers in
 * English — without a Chinese character — when the request asks for English (Accept-Language: en), and in
 * Chinese, unchanged, otherwise: the schemas' own messages, zod's, a list parameter that is not JSON, the
 * pre-checks of a registration's linked patches, and a region rule the workflow enforces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeAs, determination, illegalPatchWithCase, issueAndWaitForTask, registration } from './support/fixtures';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;
const EN = { 'accept-language': 'en' };
const call = async (user: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  sys.http(method, path, { token: await sys.login(user), body, headers });

interface Notice {
  id: number;
  kind: string;
  taskId: string;
  title: string;
  body: string;
  params: Record<string, unknown> | null;
}
const notices = async (user: string, kind: string, taskId: string) =>
  ((await call(user, 'GET', `/api/notifications?filter=${encodeURIComponent(JSON.stringify({ kind }))}`)).body as Notice[]).filter((n) => n.taskId === taskId);

/** Long overdue (Ningxia: verification due 25 April, escalated to the city three days later). */
const LONG_AGO = '2026-03-05T02:00:00Z';
const DUE = Date.parse('2026-04-25T15:59:59.999Z');

describe('notifications carry their facts as params, and the Chinese text as before', () => {
  it("an overdue notice, its escalation and a supervisor's reminder", async () => {
    const { code, task } = await issueAndWaitForTask(sys, { countyCode: '640104', issuedAt: LONG_AGO });
    const [overdue] = await eventually(async () => {
      const found = await notices('xq.supervisor', 'overdue', task.id);
      return found.length ? found : undefined;
    });
    expect(overdue.params).toEqual({ taskType: 'verification', patchCode: code, dueOn: '2026-04-25' });
    expect(overdue.title).toBe(`图斑 ${code} 的核查填报任务已逾期`);
    expect(overdue.body).toBe('截止时间 2026-04-25');

    const [escalation] = await eventually(async () => {
      const found = await notices('yc.supervisor', 'escalation', task.id);
      return found.length ? found : undefined;
    });
    expect(escalation.params).toEqual({ taskType: 'verification', patchCode: code, dueOn: '2026-04-25', regionCode: '640104', regionName: '兴庆区' });
    expect(escalation.title).toBe(`下级逾期未办：图斑 ${code} 的核查填报任务`);
    expect(escalation.body).toBe('承办区域 640104，截止时间 2026-04-25');

    const sent = await call('yc.supervisor', 'POST', '/api/supervision/remind', { taskIds: [task.id], message: '请本周内办结' });
    expect(sent.body.reminded).toEqual([task.id]);
    const [reminder] = await notices('xq.officer', 'reminder', task.id);
    const days = reminder.params?.daysOverdue as number;
    expect(Math.abs(days - (Date.now() - DUE) / 86_400_000)).toBeLessThan(1);
    const supervisorId = (await sys.sql`select id from users where username = 'yc.supervisor'`)[0].id;
    expect(reminder.params).toEqual({
      taskType: 'verification',
      patchCode: code,
      dueOn: '2026-04-25',
      overdue: true,
      daysOverdue: days,
      message: '请本周内办结',
      by: '银川市督办员',
      byUserId: supervisorId,
    });
    expect(reminder.title).toBe(`督办提醒：图斑 ${code} 的核查填报任务已逾期${days}天，请尽快办理`);
    expect(reminder.body).toBe('请本周内办结；截止时间 2026-04-25；督办人 银川市督办员');
  });

  it('a reminder of a task not yet due, without a message', async () => {
    const { code, task } = await issueAndWaitForTask(sys, { countyCode: '640104' });
    expect((await call('yc.supervisor', 'POST', '/api/supervision/remind', { taskIds: [task.id] })).body.reminded).toEqual([task.id]);
    const [reminder] = await notices('xq.officer', 'reminder', task.id);
    const dueOn = reminder.params?.dueOn as string;
    expect(dueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(reminder.params).toMatchObject({ taskType: 'verification', patchCode: code, overdue: false, daysOverdue: 0, by: '银川市督办员' });
    expect(reminder.params).not.toHaveProperty('message');
    expect(reminder.title).toBe(`督办提醒：请按期办理图斑 ${code} 的核查填报任务`);
    expect(reminder.body).toBe(`截止时间 ${dueOn}；督办人 银川市督办员`);
  });
});

/** The same request in Chinese and in English. */
async function bothLanguages(user: string, method: string, path: string, body?: unknown) {
  const zh = await call(user, method, path, body);
  const en = await call(user, method, path, body, EN);
  expect(en.status).toBe(zh.status);
  expect(JSON.stringify(en.body)).not.toMatch(CJK);
  expect(en.body.issues.map((i: { path: string; code: string }) => [i.path, i.code])).toEqual(
    zh.body.issues.map((i: { path: string; code: string }) => [i.path, i.code]),
  );
  return { zh: zh.body, en: en.body, status: zh.status };
}

describe('422s name the field with a code, in the language asked for', () => {
  it("a policy change without its reason (a schema's own message)", async () => {
    const { zh, en, status } = await bothLanguages('nx.admin', 'PUT', '/api/regions/640000/policy', { overrides: {}, note: ' ' });
    expect(status).toBe(422);
    expect(zh.errors).toEqual({ note: '请说明修改原因' });
    expect(zh.issues).toEqual([
      { path: 'note', code: 'note_required', message: '请说明修改原因', params: expect.objectContaining({ minimum: 2, origin: 'string' }) },
    ]);
    expect(en.errors).toEqual({ note: 'explain the change (at least 2 characters)' });
    expect(en.message).toBe('invalid request: note: explain the change (at least 2 characters)');
    expect(zh.message).toBe('请求内容不符合要求：note: 请说明修改原因');
  });

  it("a new user with a short password, a malformed username and an unknown role (zod's own message)", async () => {
    const body = { username: 'X', displayName: '测试用户', role: 'boss', regionCode: '640104', password: 'short' };
    const { zh, en } = await bothLanguages('nx.admin', 'POST', '/api/users', body);
    expect(Object.keys(zh.errors).sort()).toEqual(['password', 'role', 'username']);
    expect(zh.errors.password).toBe('密码至少8位');
    expect(zh.errors.username).toBe('用户名为3–40位小写字母、数字或 . _ -，以字母或数字开头');
    expect(zh.errors.role).toMatch(CJK);
    expect(en.errors.password).toBe('the password needs at least 8 characters');
    expect(en.errors.username).toMatch(/^a username has 3–40 lowercase letters/);
    expect(en.errors.role).toMatch(/officer/);
    expect(en.issues.find((i: { path: string }) => i.path === 'role')).toMatchObject({
      code: 'invalid_value',
      params: { values: ['officer', 'reviewer', 'supervisor', 'administrator'] },
    });
  });

  it('an extension request without its reason, and a list filter that is not JSON', async () => {
    const { task } = await issueAndWaitForTask(sys, { countyCode: '640104' });
    const extension = await bothLanguages('xq.officer', 'POST', `/api/tasks/${task.id}/extension`, { reason: '太忙' });
    expect(extension.zh.errors).toEqual({ reason: '请写明延期理由（至少5个字）' });
    expect(extension.en.errors).toEqual({ reason: 'explain why the extension is needed (at least 5 characters)' });
    expect(extension.en.issues[0].code).toBe('extension_reason_required');

    const list = await bothLanguages('xq.officer', 'GET', '/api/notifications?filter=nope');
    expect(list.zh.errors).toEqual({ 'querystring.filter': 'filter 不是合法的 JSON' });
    expect(list.en.errors).toEqual({ 'querystring.filter': 'filter is not valid JSON' });
    expect(list.en.issues).toEqual([{ path: 'querystring.filter', code: 'invalid_json', params: { name: 'filter' }, message: 'filter is not valid JSON' }]);
  });

  it("a registration linking a patch that is not illegal (the API's pre-check)", async () => {
    const a = await illegalPatchWithCase(sys, { totalMu: 3, farmlandMu: 1 });
    const legal = await issueAndWaitForTask(sys, { countyCode: '350583' });
    const { zh, en, status } = await bothLanguages('na.officer', 'POST', `/api/tasks/${a.register.id}/complete`, registration([legal.code, 'NO-SUCH-PATCH']));
    expect(status).toBe(422);
    expect(zh.errors).toEqual({ 'linkPatchCodes.0': `图斑 ${legal.code} 未认定为违法，不能并案`, 'linkPatchCodes.1': '图斑 NO-SUCH-PATCH 不存在' });
    expect(en.errors).toEqual({
      'linkPatchCodes.0': `patch ${legal.code} is not determined illegal: it cannot be linked`,
      'linkPatchCodes.1': 'patch NO-SUCH-PATCH does not exist',
    });
    expect(en.issues.map((i: { code: string; params: unknown }) => [i.code, i.params])).toEqual([
      ['patch_not_illegal', { patchCode: legal.code }],
      ['patch_not_found', { patchCode: 'NO-SUCH-PATCH' }],
    ]);
  });

  it('"other" for a category Ningxia forbids it for (a rule the workflow enforces)', async () => {
    const { task } = await issueAndWaitForTask(sys, { countyCode: '640104', category: 'new_non_agricultural_construction' });
    const other = determination('other', {}, { subType: 'unchanged' });
    const { zh, en, status } = await bothLanguages('xq.officer', 'POST', `/api/tasks/${task.id}/complete`, other);
    expect(status).toBe(422);
    expect(zh.errors).toEqual({ 'determination.legality': '本地区规定："新增非农建设类"图斑一般不得判定为其他类用地，请判定为合法或违法' });
    expect(en.errors).toEqual({
      'determination.legality':
        'this region does not allow "other" for patches of the category "New non-agricultural construction": determine them legal or illegal',
    });
    expect(en.issues).toEqual([
      expect.objectContaining({ code: 'other_forbidden', rule: 'other_forbidden', params: { category: 'new_non_agricultural_construction' } }),
    ]);
    // Refused, not done: the officer can still file it.
    await completeAs(sys, 'xq.officer', task.id, determination('legal'));
  });
});
