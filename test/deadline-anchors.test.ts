/**
 * What deadlines count from, on the time-skipping server:
 * - Liaocheng's correction, "各县（市、区）按照省市两级初审反馈意见每月25日前完成数据纠正" (003 三(三)), counts
 *   from the send-back. A patch sent back on the 27th is due on the 25th of the next month — not on a 25th
 *   already past, which would hand it straight to direct determination.
 * - The province's desk review, "在县级…按'月清'要求确认上报数据后一个月内" (000 二(四)), counts from the
 *   county's confirmation, not from when the city passed the patch on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueDate, localDateOf } from '../domain/deadlines';
import { snapshotQuery } from '../workflows/messages';
import { completeAs, determination, issueAndWaitForTask, openTaskOf } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/system';

let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ timeSkipping: true });
});
afterAll(async () => {
  await sys?.stop();
});

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const now = async () => Number(await sys.env!.currentTimeMs());

/** The next 27th, 10:00 in Shanghai (02:00Z), after `t`. */
function next27th(t: number): number {
  const d = localDateOf(t);
  for (let add = 0; ; add++) {
    const at = Date.UTC(d.year, d.month - 1 + add, 27, 2, 0);
    if (at > t + 60_000) return at;
  }
}

/** The local date of the 25th of the month after the instant's month. */
function twentyFifthOfNextMonth(t: number) {
  const d = localDateOf(t);
  const next = new Date(Date.UTC(d.year, d.month, 25));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: 25 };
}

describe('Liaocheng (003 三(三)): a correction counts from the send-back', () => {
  it('sent back on the 27th → due on the 25th of the next month, in the future; and again in a second round', async () => {
    const env = sys.env!;
    const { code, task } = await issueAndWaitForTask(sys, { countyCode: '371502', issuedAt: new Date(await now()).toISOString() });
    const handle = sys.temporal.workflow.getHandle(code);
    await completeAs(sys, 'dcf.officer', task.id, determination('legal'));

    for (let round = 1; round <= 2; round++) {
      const review = await openTaskOf(sys, code, 'review', 'lc.reviewer');
      await env.sleep(next27th(await now()) - (await now()));
      const sentAt = await now();
      expect(localDateOf(sentAt).day).toBe(27);
      const sent = await completeAs(sys, 'lc.reviewer', review.id, { decision: 'send_back', reason: `第${round}次：举证照片不清晰` });
      expect(sent).toMatchObject({ stage: 'correction', sendBacks: round });
      const correction = await openTaskOf(sys, code, 'correction', 'dcf.officer');
      const due = Date.parse(correction.dueAt);
      expect(due).toBeGreaterThan(sentAt);
      expect(localDateOf(due)).toEqual(twentyFifthOfNextMonth(sentAt));

      // Days later the county is still correcting: nothing has expired.
      await env.sleep(3 * DAY);
      expect((await handle.query(snapshotQuery)).stage).toBe('correction');
      expect((await sys.sql`select status, overdue from tasks where id = ${correction.id}`)[0]).toMatchObject({ status: 'open', overdue: false });
      // …up to the end of its due day.
      await env.sleep(due - (await now()) - HOUR);
      expect((await handle.query(snapshotQuery)).stage).toBe('correction');
      await completeAs(sys, 'dcf.officer', correction.id, { decision: 'submit', ...determination('legal') });
    }
    const snap = await handle.query(snapshotQuery);
    expect(snap).toMatchObject({ stage: 'review', sendBacks: 2, directDetermination: false });
  });
});

describe('the province desk review (000 二(四)): one month after the county confirms', () => {
  it("counts from the county's confirmation, however long the city took", async () => {
    const env = sys.env!;
    // Ningxia: the city reviews every farmland patch, then the province.
    const { code, task } = await issueAndWaitForTask(sys, { areaMu: 8, issuedAt: new Date(await now()).toISOString() });
    const confirmedAt = await now();
    await completeAs(sys, 'xq.officer', task.id, determination('legal', { totalMu: 8, farmlandMu: 2 }));
    const city = await openTaskOf(sys, code, 'review', 'yc.reviewer');
    await env.sleep(10 * DAY);
    const passedAt = await now();
    await completeAs(sys, 'yc.reviewer', city.id, { decision: 'pass' });
    const province = await openTaskOf(sys, code, 'review', 'nx.reviewer');
    expect(province).toMatchObject({ level: 'province', regionCode: '640000' });
    const due = localDateOf(province.dueAt);
    expect(due).toEqual(dueDate({ kind: 'monthsAfter', months: 1 }, localDateOf(confirmedAt)));
    expect(due).not.toEqual(dueDate({ kind: 'monthsAfter', months: 1 }, localDateOf(passedAt)));
    expect(Date.parse(province.eventAt)).toBeLessThan(passedAt);
  });
});
