/**
 * The API in both languages. Notifications carry their facts (`params`: task type, patch or case, due
 * day, days overdue, the supervisor's words and name, the region holding an escalated task) besides the
 * Chinese text stored as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueAndWaitForTask } from './support/fixtures';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

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
  it('an overdue notice, its escalation and a supervisor\'s reminder', async () => {
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
