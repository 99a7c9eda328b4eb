/**
 * Month-long waits of the lifecycle on the time-skipping server: an expired correction hands the patch
 * to direct determination (the one decision a timer makes), a policy change re-arms a waiting timer,
 * and an approved extension moves the overdue instant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotQuery } from '../workflows/messages';
import { completeAs, determination, issueAndWaitForTask, openTaskOf } from './support/fixtures';
import { recordHistory } from './support/histories';
import { eventually, startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ timeSkipping: true });
});
afterAll(async () => {
  await sys?.stop();
});

const HOUR = 3600_000;
/** The time-skipping server's clock, which runs ahead of the wall clock once a test has slept. */
const now = async () => Number(await sys.env!.currentTimeMs());
const DAY = 24 * HOUR;

describe('Liaocheng: a correction not made by the 25th goes to the city for direct determination', () => {
  it('expires the correction at the end of its due day and opens the direct-determination task', async () => {
    const env = sys.env!;
    // Issued "now" (before or after the 20th): the correction is due on a 25th within two months.
    const { code, task } = await issueAndWaitForTask(sys, { countyCode: '371502', issuedAt: new Date(await now()).toISOString() });
    await completeAs(sys, 'dcf.officer', task.id, determination('legal'));
    const review = await openTaskOf(sys, code, 'review', 'lc.reviewer');
    await completeAs(sys, 'lc.reviewer', review.id, { decision: 'send_back', reason: '缺少批准文件扫描件' });
    const correction = await openTaskOf(sys, code, 'correction', 'dcf.officer');
    const due = new Date(correction.dueAt).getTime();
    expect(new Date(due + 8 * HOUR).getUTCDate()).toBe(25);
    const handle = sys.temporal.workflow.getHandle(code);

    await env.sleep(due - (await now()) - HOUR);
    expect((await handle.query(snapshotQuery)).stage).toBe('correction');
    await env.sleep(2 * HOUR);
    const snap = await handle.query(snapshotQuery);
    expect(snap.stage).toBe('direct_determination');
    expect(snap.openTasks).toMatchObject([{ type: 'direct_determination', regionCode: '371500' }]);
    const [expired] = await sys.sql`select status from tasks where id = ${correction.id}`;
    expect(expired.status).toBe('expired');
    const direct = await openTaskOf(sys, code, 'direct_determination', 'lc.reviewer');
    expect(direct.context).toMatchObject({ why: 'expired', level: 'city' });
  });
});

describe('a policy change re-arms the timer of a waiting task', () => {
  it('shortening the deadline makes the task overdue at the new instant, not the old one', async () => {
    const env = sys.env!;
    const issuedAt = new Date(await now()).toISOString();
    const { code, task } = await issueAndWaitForTask(sys, { countyCode: '350583', issuedAt });
    const handle = sys.temporal.workflow.getHandle(code);
    expect(new Date(task.dueAt).getTime() - Date.parse(issuedAt)).toBeGreaterThan(14 * DAY);

    const admin = await sys.login('admin');
    const saved = await sys.http('PUT', '/api/regions/350583/policy', {
      token: admin,
      body: { note: '缩短为5日', overrides: { deadlines: { verification: { default: { kind: 'daysAfter', days: 5, from: 'issuance' } } } } },
    });
    expect(saved.status).toBe(200);
    const moved = await eventually(async () => {
      const s = await handle.query(snapshotQuery);
      return s.policyVersion === saved.body.id ? s : undefined;
    }, 30_000);
    const newDue = Date.parse(moved.openTasks[0].dueAt);
    expect(newDue - Date.parse(issuedAt)).toBeLessThan(6 * DAY);

    await env.sleep(newDue - (await now()) + HOUR);
    expect((await handle.query(snapshotQuery)).overdue).toBe(true);
    expect((await sys.sql`select overdue from tasks where id = ${task.id}`)[0].overdue).toBe(true);

    // Lengthening it again clears the overdue mark: the task is no longer late.
    const longer = await sys.http('PUT', '/api/regions/350583/policy', {
      token: admin,
      body: { note: '恢复为30日', overrides: { deadlines: { verification: { default: { kind: 'daysAfter', days: 30, from: 'issuance' } } } } },
    });
    const relaxed = await eventually(async () => {
      const s = await handle.query(snapshotQuery);
      return s.policyVersion === longer.body.id ? s : undefined;
    }, 30_000);
    expect(relaxed.overdue).toBe(false);
    await recordHistory(sys, code, 'deadline-change-dues-in-signal');
  });
});

describe('an approved extension moves the overdue instant', () => {
  it('is not overdue at the old deadline, and is at the granted one', async () => {
    const env = sys.env!;
    const { code, task } = await issueAndWaitForTask(sys, { countyCode: '350582', issuedAt: new Date(await now()).toISOString() });
    const handle = sys.temporal.workflow.getHandle(code);
    const oldDue = new Date(task.dueAt);
    const granted = new Date(oldDue.getTime() + 10 * DAY + 8 * HOUR).toISOString().slice(0, 10);
    await sys
      .http('POST', `/api/tasks/${task.id}/extension`, { token: await sys.login('admin'), body: { reason: '系统测试：延期' } })
      .then((r) => expect(r.status).toBe(403));
    // The extension is asked by someone who may do the task: Quanzhou's counties have no demo officer, so the test adds one.
    await sys.sql`insert into users (username, display_name, role, region_code, password_hash) select 'jj.officer', '晋江市核查员', 'officer', '350582', password_hash from users where username = 'na.officer'`;
    const asked = await sys.http('POST', `/api/tasks/${task.id}/extension`, { token: await sys.login('jj.officer'), body: { reason: '台风影响无法外业核查' } });
    expect(asked.status).toBe(200);
    const decision = await openTaskOf(sys, code, 'extension_decision', 'qz.reviewer');
    await completeAs(sys, 'qz.reviewer', decision.id, { decision: 'approve', newDueDate: granted });

    await env.sleep(oldDue.getTime() - (await now()) + DAY);
    expect((await handle.query(snapshotQuery)).overdue).toBe(false);
    await env.sleep(10 * DAY);
    expect((await handle.query(snapshotQuery)).overdue).toBe(true);
  });
});
