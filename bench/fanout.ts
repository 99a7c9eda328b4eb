/**
 * A policy change over N running patch workflows: the city (聊城, 371500) changes its verification
 * deadline through the API (PUT /api/regions/371500/policy); the time until every one of the N open
 * verification tasks shows the new due date in the read model, and until every workflow has re-armed its timer
 * (its state query shows the new policy version). The baselines, in the same run over the same workflows: a
 * no-op signal (a policy version already applied, which each workflow ignores) sent to every one from here
 * with the fan-out's own concurrency, until the last is accepted; and a round trip through every workflow.
 *
 *   npm run bench:fanout -- [--n 1000] [--memory]
 */
import { parseArgs } from 'node:util';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { policyChangedSignal } from '../domain/messages';
import { SYSTEM_ACTOR } from '../domain/types';
import { completeTaskUpdate, snapshotQuery } from '../workflows/messages';
import { issueOneByOne } from './issuance';
import { type ApiBench, activityTimer, startApiBench, Timings } from './api-support';
import { pool, rate, waitFor } from './support';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '20' },
    memory: { type: 'boolean', default: false },
  },
});
const N = Number(values.n);
const CONCURRENCY = Number(values.concurrency);
const COUNTY = '371521';
const CITY = '371500';

let peakRss = 0;
const timings = new Timings();
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100);
sampler.unref();

const issue = (sys: ApiBench, codes: string[], batchCode: string) =>
  issueOneByOne(sys, codes, { batchCode, countyCode: COUNTY, at: [115.98, 36.45], issuedAt: '2026-11-05T02:00:00Z', concurrency: 32 });

async function main() {
  const sys = await startApiBench({ memory: values.memory, workerOptions: { interceptors: { activity: [activityTimer(timings)] } } });
  try {
    const runId = Date.now().toString(36).toUpperCase();
    const codes = Array.from({ length: N }, (_, i) => `F${runId}${String(i).padStart(6, '0')}`);
    const t = performance.now();
    await issue(sys, codes, `FANOUT-${runId}`);
    const issueSeconds = (performance.now() - t) / 1000;
    const [{ due }] = await sys.database
      .sql`select min(due_at) as due from tasks where patch_code = any(${codes}) and status = 'open' and type = 'verification'`;

    // Baseline: a signal each workflow ignores (version 0: applied already), from here, with the fan-out's concurrency.
    let t0 = performance.now();
    await pool(codes, CONCURRENCY, (id) => sys.temporal.workflow.getHandle(id).signal(policyChangedSignal, { version: 0 }));
    const noopMs = performance.now() - t0;
    // Baseline 2: a round trip through every workflow's code — an Update its validator refuses (no such task:
    // nothing recorded, no activity). Each workflow takes the pending no-op signal first, so this also leaves no
    // backlog of workflow tasks in front of the change.
    t0 = performance.now();
    await pool(codes, CONCURRENCY, (id) =>
      sys.temporal.workflow
        .getHandle(id)
        .executeUpdate(completeTaskUpdate, { args: [{ taskId: 'no-such-task', actor: SYSTEM_ACTOR, payload: { kind: 'review', decision: 'pass' } }] })
        .then(
          () => {
            throw new Error(`${id}: the refused Update was accepted`);
          },
          (err) => {
            if (!(err instanceof WorkflowUpdateFailedError)) throw err;
          },
        ),
    );
    const roundTripMs = performance.now() - t0;

    // The change: a verification deadline 10 days after issuance, saved through the API; its fan-out signals the subtree.
    const admin = await sys.login('lc.admin');
    const own = (await sys.http('GET', `/api/regions/${CITY}/policy`, { token: admin })).body.own as Record<string, any>;
    const overrides = { ...own, deadlines: { ...own.deadlines, verification: { default: { kind: 'daysAfter', days: 10, from: 'issuance' } } } };
    timings.clear(); // the issuance's own activities are not the fan-out's
    t0 = performance.now();
    const saved = await sys.http('PUT', `/api/regions/${CITY}/policy`, { token: admin, body: { note: '核查期限改为下发后10日（压测）', overrides } });
    if (saved.status !== 200) throw new Error(`policy: ${saved.status} ${JSON.stringify(saved.body)}`);
    let signalledMs = 0;
    let shown = 0;
    await waitFor(async () => {
      if (!signalledMs) {
        const [row] = await sys.database.sql`select broadcast_done_at from region_policies where id = ${saved.body.id}`;
        if (row?.broadcast_done_at) signalledMs = performance.now() - t0;
      }
      [{ n: shown }] = await sys.database
        .sql`select count(*)::int as n from tasks where patch_code = any(${codes}) and status = 'open' and type = 'verification' and policy_version = ${saved.body.id} and due_at <> ${due}`;
      return shown >= N;
    }, 250);
    const changeMs = performance.now() - t0;
    // The read model can show the last page before the broadcast has signalled it.
    await waitFor(async () => {
      const [row] = await sys.database.sql`select broadcast_done_at from region_policies where id = ${saved.body.id}`;
      if (row?.broadcast_done_at && !signalledMs) signalledMs = performance.now() - t0;
      return signalledMs > 0;
    }, 100);
    // Every workflow re-armed: its state shows the new version (polled in the fan-out's order, 20 at a time).
    await pool(codes, CONCURRENCY, async (id) => {
      const handle = sys.temporal.workflow.getHandle(id);
      while ((await handle.query(snapshotQuery)).policyVersion < saved.body.id) await new Promise((r) => setTimeout(r, 250));
    });
    const armedMs = performance.now() - t0;
    const [{ newDue }] = await sys.database.sql`select min(due_at) as "newDue" from tasks where patch_code = any(${codes}) and status = 'open'`;

    console.log(
      `\nN = ${N} running patch workflows (issued in ${issueSeconds.toFixed(1)} s), signal concurrency ${CONCURRENCY}, dev server ${values.memory ? 'in memory' : 'on SQLite'}`,
    );
    console.log(`due date before ${new Date(due).toISOString()}, after ${new Date(newDue).toISOString()} (every one of the ${shown})`);
    console.log('                                       seconds   workflows/s');
    console.log(
      `no-op signal to every workflow       ${(noopMs / 1000).toFixed(1).padStart(9)} ${rate(N, noopMs).padStart(13)}   (until the last signal is accepted)`,
    );
    console.log(
      `round trip through every workflow    ${(roundTripMs / 1000).toFixed(1).padStart(9)} ${rate(N, roundTripMs).padStart(13)}   (the no-op signal processed and a refused Update answered)`,
    );
    console.log(
      `policy change: fan-out signalled     ${(signalledMs / 1000).toFixed(1).padStart(9)} ${rate(N, signalledMs).padStart(13)}   (PUT to the broadcast's last page)`,
    );
    console.log(
      `policy change: new due date shown    ${(changeMs / 1000).toFixed(1).padStart(9)} ${rate(N, changeMs).padStart(13)}   (PUT to the last task re-armed in the read model; goal < 60 s at 10,000)`,
    );
    console.log(
      `policy change: every timer re-armed  ${(armedMs / 1000).toFixed(1).padStart(9)} ${rate(N, armedMs).padStart(13)}   (PUT to the last workflow's state showing the new version)`,
    );
    console.log(`ratio change / no-op signal          ${(changeMs / noopMs).toFixed(2).padStart(9)}`);
    console.log(`ratio change / round trip            ${(changeMs / roundTripMs).toFixed(2).padStart(9)}`);
    console.log(`ratio re-armed / round trip          ${(armedMs / roundTripMs).toFixed(2).padStart(9)}`);
    console.log('\nactivities during the change (as the worker ran them):');
    for (const name of timings.names()) console.log(`  ${timings.line(name)}  total ${(timings.total(name) / 1000).toFixed(1)} s`);
    console.log(`peak RSS of this process (API + worker): ${(peakRss / 1e6).toFixed(0)} MB`);
  } finally {
    await sys.stop();
  }
}

await main();
