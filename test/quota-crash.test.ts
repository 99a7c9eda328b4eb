/**
 * A worker killed in the middle of an unfreeze loses and duplicates nothing: the booking's transaction
 * dies with the process, the activity is retried by another worker, and the entry's key lets it book once —
 * also when the activity had already committed some of its entries before the worker died.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balances, caseTaskOf, completeAs, decision, illegalPatchWithCase, ledgerBalanceMismatches, registration } from './support/fixtures';
import { eventually, startTestSystem, type TestSystem } from './support/system';
import { spawnWorker, type WorkerProcess } from './support/worker-process';

let sys: TestSystem;
const workers: WorkerProcess[] = [];
beforeAll(async () => {
  sys = await startTestSystem({ worker: 'none' });
  const first = spawnWorker(sys);
  workers.push(first);
  await first.ready;
});
afterAll(async () => {
  for (const w of workers) await w.kill('SIGTERM');
  await sys?.stop();
});

describe('a worker dies while the province confirmation unfreezes the quota', () => {
  it('books the unfreeze exactly once after another worker retries it', async () => {
    const before = await balances(sys, '350583');
    const { caseNo, register } = await illegalPatchWithCase(sys, { totalMu: 9, farmlandMu: 9 });
    await completeAs(sys, 'na.officer', register.id, registration());
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'stop_order', 'na.officer')).id, {
      documentNumber: '停〔2026〕9号',
      issuedOn: '2026-11-20',
      stopped: true,
    });
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'case_decision', 'na.officer')).id, decision());
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification_plan', 'na.officer')).id, {
      responsiblePerson: '黄某',
      measures: '拆除复耕',
      plannedBy: '2026-12-31',
    });
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification', 'na.officer')).id, {
      completedOn: '2026-12-10',
      rectifiedMu: 9,
      evidence: [],
    });
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'acceptance_county', 'na.officer')).id, { decision: 'pass' });
    await completeAs(sys, 'qz.reviewer', (await caseTaskOf(sys, caseNo, 'acceptance_city', 'qz.reviewer')).id, {
      decision: 'pass',
      certificateNo: '泉拆复证〔2026〕30号',
    });
    const province = await caseTaskOf(sys, caseNo, 'acceptance_province', 'fj.reviewer');
    expect((await balances(sys, '350583')).frozen - before.frozen).toBeCloseTo(9);

    // Hold the county's balance row, so the unfreeze blocks inside its transaction.
    const holder = await sys.sql.reserve();
    await holder`begin`;
    await holder`select * from quota_balances where region_code = '350583' and account = 'farmland' for update`;
    const confirm = sys.http('POST', `/api/tasks/${province.id}/complete`, { token: await sys.login('fj.reviewer'), body: { decision: 'confirm' } });
    await eventually(async () => {
      const [{ n }] = await sys.sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`;
      return n > 0;
    }, 30_000);

    // The worker dies mid-booking; its transaction never commits.
    await workers[0].kill('SIGKILL');
    await holder`rollback`;
    holder.release();
    const [{ n: none }] = await sys.sql`select count(*)::int as n from quota_ledger where case_no = ${caseNo} and kind = 'unfreeze'`;
    expect(none).toBe(0);

    const second = spawnWorker(sys);
    workers.push(second);
    await second.ready;
    const answer = await confirm;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ eliminated: true });

    const entries = await sys.sql`select kind, area_mu::float8 as area from quota_ledger where case_no = ${caseNo} order by id`;
    expect(entries.map((e) => [e.kind, e.area])).toEqual([
      ['freeze', 9],
      ['unfreeze', 9],
    ]);
    const after = await balances(sys, '350583');
    expect(after.frozen - before.frozen).toBeCloseTo(0);
    expect(after.unfrozen - before.unfrozen).toBeCloseTo(9);
    const [{ n: eliminated }] = await sys.sql`select count(*)::int as n from audit_log where case_no = ${caseNo} and action = 'case.eliminated'`;
    expect(eliminated).toBe(1);
  });
});

describe('a worker dies between the entries of a multi-entry unfreeze', () => {
  it("keeps the first patch's committed entry, and the retry books exactly one row per entry", async () => {
    const before = await balances(sys, '350583');
    // One case, two linked patches: the province confirmation unfreezes two entries, one transaction each.
    const a = await illegalPatchWithCase(sys, { totalMu: 9, farmlandMu: 9 });
    const b = await illegalPatchWithCase(sys, { totalMu: 4, farmlandMu: 4 });
    const caseNo = a.caseNo;
    const linked = await completeAs(sys, 'na.officer', a.register.id, registration([b.code]));
    expect(linked.patches).toEqual([a.code, b.code]);
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'stop_order', 'na.officer')).id, {
      documentNumber: '停〔2026〕19号',
      issuedOn: '2026-11-20',
      stopped: true,
    });
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'case_decision', 'na.officer')).id, decision());
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification_plan', 'na.officer')).id, {
      responsiblePerson: '黄某',
      measures: '拆除复耕',
      plannedBy: '2026-12-31',
    });
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'rectification', 'na.officer')).id, {
      completedOn: '2026-12-10',
      rectifiedMu: 13,
      evidence: [],
    });
    await completeAs(sys, 'na.officer', (await caseTaskOf(sys, caseNo, 'acceptance_county', 'na.officer')).id, { decision: 'pass' });
    await completeAs(sys, 'qz.reviewer', (await caseTaskOf(sys, caseNo, 'acceptance_city', 'qz.reviewer')).id, {
      decision: 'pass',
      certificateNo: '泉拆复证〔2026〕31号',
    });
    const province = await caseTaskOf(sys, caseNo, 'acceptance_province', 'fj.reviewer');
    expect((await balances(sys, '350583')).frozen - before.frozen).toBeCloseTo(13);

    // Hold the second entry's key (an uncommitted row with it), so that its insert waits on it after the
    // first entry has committed.
    const keyA = `unfreeze:${caseNo}:${a.code}:farmland`;
    const keyB = `unfreeze:${caseNo}:${b.code}:farmland`;
    const holder = await sys.sql.reserve();
    await holder`begin`;
    await holder`insert into quota_ledger (entry_key, county_code, region_code, account, kind, area_mu, case_no, patch_code, actor_name) values (${keyB}, '350583', '350583', 'farmland', 'unfreeze', 0.0001, ${caseNo}, ${b.code}, 'holder')`;
    const confirm = sys.http('POST', `/api/tasks/${province.id}/complete`, { token: await sys.login('fj.reviewer'), body: { decision: 'confirm' } });
    await eventually(async () => {
      const [{ n }] = await sys.sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`;
      return n > 0;
    }, 30_000);
    // The first entry is committed; the second is not.
    const committed = async () =>
      (await sys.sql`select entry_key from quota_ledger where case_no = ${caseNo} and kind = 'unfreeze' order by id`).map((r) => r.entry_key);
    expect(await committed()).toEqual([keyA]);

    // The worker dies in the middle of the activity; the rest of it never commits.
    const dying = workers[workers.length - 1];
    await dying.kill('SIGKILL');
    await holder`rollback`;
    holder.release();
    expect(await committed()).toEqual([keyA]);

    const next = spawnWorker(sys);
    workers.push(next);
    await next.ready;
    const answer = await confirm;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ eliminated: true });

    // One row per entry: the retry found the first entry booked and booked the second once.
    const entries = await sys.sql`select kind, patch_code, area_mu::float8 as area from quota_ledger where case_no = ${caseNo} order by id`;
    expect(entries.map((e) => [e.kind, e.patch_code, e.area])).toEqual([
      ['freeze', a.code, 9],
      ['freeze', b.code, 4],
      ['unfreeze', a.code, 9],
      ['unfreeze', b.code, 4],
    ]);
    const after = await balances(sys, '350583');
    expect(after.frozen - before.frozen).toBeCloseTo(0);
    expect(after.unfrozen - before.unfrozen).toBeCloseTo(13);
    expect(await ledgerBalanceMismatches(sys.sql, ['350583'])).toEqual([]);
    const [{ n: eliminated }] = await sys.sql`select count(*)::int as n from audit_log where case_no = ${caseNo} and action = 'case.eliminated'`;
    expect(eliminated).toBe(1);
  });
});
