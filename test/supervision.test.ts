/**
 * Supervision (督办) over the API: overdue work by region (drilling down the tree) and by stage, with how
 * long it is overdue; monthly clearance (月清) per region; bulk remind (a notification to the assignee or
 * the region's officers, audited, once per task per day, also under concurrency) and bulk reassign; all
 * region-scoped and validated, a rejected request changing nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLocalDate, localDateOf } from '../domain/deadlines';
import { completeAs, determination, issueAndWaitForTask } from './support/fixtures';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const get = async (user: string, path: string) => sys.http('GET', path, { token: await sys.login(user) });
const post = async (user: string, path: string, body?: unknown) => sys.http('POST', path, { token: await sys.login(user), body });
const userId = async (username: string) => (await sys.sql`select id from users where username = ${username}`)[0].id as number;
const overdueMarked = (taskId: string) => eventually(async () => (await sys.sql`select overdue from tasks where id = ${taskId}`)[0].overdue === true);

/** Long overdue (Ningxia: verification due the 25th of the month after issuance). */
const LONG_AGO = '2026-03-05T02:00:00Z';

describe('overdue work by region and stage', () => {
  it("counts open overdue tasks per sub-region with how long they are overdue, drills down, and stays in the actor's subtree", async () => {
    const a = await issueAndWaitForTask(sys, { countyCode: '640104', issuedAt: LONG_AGO });
    const b = await issueAndWaitForTask(sys, { countyCode: '640104', issuedAt: LONG_AGO });
    const c = await issueAndWaitForTask(sys, { countyCode: '640106', issuedAt: LONG_AGO });
    await issueAndWaitForTask(sys, { countyCode: '640181' }); // due next month: not overdue
    await Promise.all([a, b, c].map((x) => overdueMarked(x.task.id)));

    const province = await get('nx.supervisor', '/api/supervision/overdue');
    expect(province.status).toBe(200);
    expect(province.body.region).toMatchObject({ code: '640000' });
    expect(province.body.total.count).toBe(3);
    const yinchuan = province.body.regions.find((r: { regionCode: string }) => r.regionCode === '640100');
    expect(yinchuan).toMatchObject({ count: 3, own: false, byStage: { verification: 3 } });
    // Due 2026-04-25, so overdue for more than 200 days (the test runs later than that).
    const expected = (Date.now() - Date.parse('2026-04-25T15:59:59.999Z')) / 86_400_000;
    expect(yinchuan.maxOverdueDays).toBeGreaterThan(expected - 1);
    expect(yinchuan.maxOverdueDays).toBeLessThan(expected + 1);
    expect(province.body.byStage).toEqual([expect.objectContaining({ stage: 'verification', count: 3 })]);
    expect(province.body.byAge.reduce((s: number, x: { count: number }) => s + x.count, 0)).toBe(3);
    // Other cities of Ningxia are listed with zero, so the supervisor sees the whole level.
    expect(province.body.regions.find((r: { regionCode: string }) => r.regionCode === '640200')).toMatchObject({ count: 0 });

    const city = await get('yc.supervisor', '/api/supervision/overdue?regionCode=640100');
    expect(city.body.regions.filter((r: { count: number }) => r.count > 0).map((r: { regionCode: string; count: number }) => [r.regionCode, r.count])).toEqual([
      ['640104', 2],
      ['640106', 1],
    ]);
    const county = await get('yc.supervisor', '/api/supervision/overdue?regionCode=640104');
    expect(county.body.total.count).toBe(2);
    expect(county.body.regions).toEqual([expect.objectContaining({ regionCode: '640104', own: true, count: 2 })]);

    // Outside the subtree: 403; officers: 403; a malformed region: 422 naming the parameter.
    expect((await get('yc.supervisor', '/api/supervision/overdue?regionCode=640000')).status).toBe(403);
    expect((await get('lc.supervisor', '/api/supervision/overdue?regionCode=640100')).status).toBe(403);
    expect((await get('xq.officer', '/api/supervision/overdue')).status).toBe(403);
    const bad = await get('nx.supervisor', '/api/supervision/overdue?regionCode=64');
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors)).toEqual(['querystring.regionCode']);
  });
});

describe('monthly clearance (月清)', () => {
  it('this month: patches issued in it or due in it, reported on time, still open, and the rate', async () => {
    const now = localDateOf(Date.now());
    const month = `${now.year}-${String(now.month).padStart(2, '0')}`;
    const onTime = await issueAndWaitForTask(sys, { countyCode: '640104' });
    await completeAs(sys, 'xq.officer', onTime.task.id, determination('legal'));
    await issueAndWaitForTask(sys, { countyCode: '640105' }); // issued now, still open
    // Issued on the first of last month: due the 25th of this month (Ningxia), so it belongs to this month.
    const prev = now.month === 1 ? { year: now.year - 1, month: 12 } : { year: now.year, month: now.month - 1 };
    const dueThisMonth = await issueAndWaitForTask(sys, { countyCode: '640105', issuedAt: `${prev.year}-${String(prev.month).padStart(2, '0')}-01T02:00:00Z` });
    expect(formatLocalDate(dueThisMonth.task.dueAt).slice(0, 7)).toBe(month);

    const res = await get('yc.supervisor', '/api/supervision/clearance?regionCode=640100');
    expect(res.status).toBe(200);
    expect(res.body.month).toBe(month);
    const row = (code: string) => res.body.regions.find((r: { regionCode: string }) => r.regionCode === code);
    expect(row('640104')).toMatchObject({ total: 1, onTime: 1, late: 0, open: 0, rate: 1 });
    expect(row('640105')).toMatchObject({ total: 2, onTime: 0, open: 2, rate: 0 });
    expect(row('640121')).toMatchObject({ total: 0, rate: null });
    // The city's total is its counties' (one more open patch in 640181 from the test above).
    expect(res.body.total).toMatchObject({ total: 4, onTime: 1, open: 3, rate: 0.25 });
    expect(res.body.regions.reduce((s: number, r: { total: number }) => s + r.total, 0)).toBe(4);
  });

  it('a past month: late reports and overdue open ones; a month given badly is a 422', async () => {
    const late = await issueAndWaitForTask(sys, { countyCode: '350583', issuedAt: '2026-02-02T02:00:00Z' }); // Nan'an: 15 days
    await overdueMarked(late.task.id);
    await completeAs(sys, 'na.officer', late.task.id, determination('legal'));
    const both = await issueAndWaitForTask(sys, { countyCode: '350583', issuedAt: '2026-02-20T02:00:00Z' }); // due 7 March: in both months
    await overdueMarked(both.task.id);
    const open = await issueAndWaitForTask(sys, { countyCode: '350583', issuedAt: '2026-02-25T02:00:00Z' });
    await overdueMarked(open.task.id);
    const res = await get('na.supervisor', '/api/supervision/clearance?month=2026-02');
    expect(res.status).toBe(200);
    expect(res.body.regions).toEqual([expect.objectContaining({ regionCode: '350583', total: 3, onTime: 0, late: 1, open: 2, openOverdue: 2, rate: 0 })]);
    const march = await get('na.supervisor', '/api/supervision/clearance?month=2026-03');
    expect(march.body.total).toMatchObject({ total: 2, open: 2 });
    const bad = await get('na.supervisor', '/api/supervision/clearance?month=2026-13');
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors)).toEqual(['querystring.month']);
  });
});

describe('bulk remind', () => {
  it("notifies the assignee, or else the region's officers; audited; once per task per day, also when sent concurrently", async () => {
    const open = await issueAndWaitForTask(sys, { countyCode: '640104', issuedAt: LONG_AGO });
    const held = await issueAndWaitForTask(sys, { countyCode: '640104', issuedAt: LONG_AGO });
    await overdueMarked(open.task.id);
    expect((await post('xq.secret', `/api/tasks/${held.task.id}/claim`)).status).toBe(200);

    const answers = await Promise.all(
      [0, 1, 2].map(() => post('yc.supervisor', '/api/supervision/remind', { taskIds: [open.task.id, held.task.id], message: '请本周内办结' })),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.flatMap((a) => a.body.reminded).sort()).toEqual([open.task.id, held.task.id].sort());
    const entries =
      await sys.sql`select task_id, actor_name, after from audit_log where action = 'task.reminded' and task_id in ${sys.sql([open.task.id, held.task.id])}`;
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ actor_name: '银川市督办员' });

    const inbox = async (user: string) =>
      (await get(user, '/api/notifications?filter={"kind":"reminder"}')).body as Array<{ taskId: string; title: string; body: string }>;
    const officer = await inbox('xq.officer');
    expect(officer.map((n) => n.taskId)).toEqual([open.task.id]);
    expect(officer[0].title).toMatch(/已逾期\d+天/);
    expect(officer[0].body).toContain('请本周内办结');
    // The held task's reminder goes to its holder only.
    expect((await inbox('xq.secret')).map((n) => n.taskId).sort()).toEqual([open.task.id, held.task.id].sort());
    expect(await inbox('yc.supervisor')).toEqual([]);

    const again = await post('yc.supervisor', '/api/supervision/remind', { taskIds: [open.task.id] });
    expect(again.body).toEqual({ reminded: [], alreadyToday: [open.task.id] });
    expect(await inbox('xq.officer')).toHaveLength(1);

    // Reading it.
    const id = (await get('xq.officer', '/api/notifications?filter={"unread":true}')).body.find((n: { taskId: string }) => n.taskId === open.task.id).id;
    expect((await post('xq.officer', `/api/notifications/${id}/read`)).body.readAt).toBeTruthy();
    expect((await get('xq.officer', '/api/notifications?filter={"unread":true}')).body.map((n: { id: number }) => n.id)).not.toContain(id);
  });

  it('a request naming a task it may not remind is refused as a whole: nothing is sent', async () => {
    const mine = await issueAndWaitForTask(sys, { countyCode: '640104', issuedAt: LONG_AGO });
    const foreign = await issueAndWaitForTask(sys, { countyCode: '371502', issuedAt: LONG_AGO });
    const res = await post('yc.supervisor', '/api/supervision/remind', { taskIds: [mine.task.id, foreign.task.id, 'NOPE:1'] });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toEqual(['taskIds.1', 'taskIds.2']);
    const [{ n }] = await sys.sql`select count(*)::int as n from notifications where task_id = ${mine.task.id} and kind = 'reminder'`;
    expect(n).toBe(0);
    expect((await post('xq.officer', '/api/supervision/remind', { taskIds: [mine.task.id] })).status).toBe(403);
    const empty = await post('yc.supervisor', '/api/supervision/remind', { taskIds: [] });
    expect(empty.status).toBe(422);
    expect(Object.keys(empty.body.errors)).toEqual(['taskIds']);
    const done = await issueAndWaitForTask(sys, { countyCode: '640104' });
    await completeAs(sys, 'xq.officer', done.task.id, determination('legal'));
    const closed = await post('yc.supervisor', '/api/supervision/remind', { taskIds: [done.task.id] });
    expect(closed.status).toBe(422);
    expect(closed.body.errors['taskIds.0']).toContain('已办结');
  });
});

describe('bulk reassign', () => {
  it('assigns every task to one user, audited per task; a user who may not take them all changes nothing', async () => {
    const x = await issueAndWaitForTask(sys, { countyCode: '640104', issuedAt: LONG_AGO });
    const y = await issueAndWaitForTask(sys, { countyCode: '640104', issuedAt: LONG_AGO });
    const wrong = await post('yc.supervisor', '/api/supervision/reassign', { taskIds: [x.task.id, y.task.id], userId: await userId('yc.reviewer') });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors.userId).toContain('核查员');
    const [{ n }] = await sys.sql`select count(*)::int as n from tasks where id in ${sys.sql([x.task.id, y.task.id])} and assignee_id is not null`;
    expect(n).toBe(0);

    const target = await userId('xq.secret');
    const res = await post('yc.supervisor', '/api/supervision/reassign', { taskIds: [x.task.id, y.task.id], userId: target });
    expect(res.status).toBe(200);
    expect(res.body.assigned.sort()).toEqual([x.task.id, y.task.id].sort());
    const rows = await sys.sql`select id, assignee_id from tasks where id in ${sys.sql([x.task.id, y.task.id])}`;
    expect(rows.every((r) => r.assignee_id === target)).toBe(true);
    const audits = await sys.sql`select after from audit_log where action = 'task.assigned' and task_id in ${sys.sql([x.task.id, y.task.id])}`;
    expect(audits.map((a) => a.after)).toEqual([
      expect.objectContaining({ assigneeId: target, bulk: true }),
      expect.objectContaining({ assigneeId: target, bulk: true }),
    ]);
    const again = await post('yc.supervisor', '/api/supervision/reassign', { taskIds: [x.task.id], userId: target });
    expect(again.body).toEqual({ assigned: [], unchanged: [x.task.id], refused: [] });
    expect((await post('xq.officer', '/api/supervision/reassign', { taskIds: [x.task.id], userId: target })).status).toBe(403);
  });
});
